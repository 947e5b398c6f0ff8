from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from s4c.text import clean_text

from .models import Application, Commitment


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    constituency = forms.ChoiceField(
        label=_("Constituency group"), choices=Application.Constituency.choices
    )
    working_languages = forms.CharField(
        label=_("Working languages"), max_length=100, help_text=_("For example: Arabic, English")
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        min_length=50,
        help_text=_("At least 50 characters: what will you bring back to your country?"),
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must stay empty."))
        return ""

    def clean_name(self):
        # Invisible characters (bidi overrides, zero-width spaces) are removed, not refused: the
        # applicant cannot see them (s4c.text.clean_text); markup characters are refused.
        name = clean_text(self.cleaned_data["name"], multiline=False).strip()
        if any(ch in name for ch in "<>"):
            raise forms.ValidationError(_("Please enter your name without special characters."))
        return name


class SignInRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))


class ProgressUpdateForm(forms.Form):
    commitment = forms.IntegerField(label=_("Commitment"), widget=forms.HiddenInput)
    light = forms.ChoiceField(label=_("Status"), choices=Commitment.Light.choices)
    text = forms.CharField(
        label=_("Progress made"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
