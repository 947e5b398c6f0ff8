from django import forms
from django.core.validators import MinLengthValidator
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from core.countries import countries
from core.formats import local_text
from core.text import clean_text, visible_length

from .models import Application, Commitment

# The model's limit (RFC 5321 allows 254 characters in a path); a longer address is a message on
# the field, not a database error.
EMAIL_MAX_LENGTH = 254


class VisibleTextField(forms.CharField):
    """Text without the characters nobody can see (zero-width spaces, bidi controls…), removed
    before `required` and the length limits are checked: a motivation made only of invisible
    characters is empty, as the person reading it would see it.

    What people type here may be in either language, or both: the box takes the direction of what
    is typed (dir="auto"), so an English motivation on /ar/ reads left to right and vice versa."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)
        # A minimum length counts what a reader sees (core.text.visible_length).
        self.validators = [
            VisibleMinLengthValidator(v.limit_value) if isinstance(v, MinLengthValidator) else v
            for v in self.validators
        ]

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "dir": "auto"}

    def to_python(self, value):
        value = super().to_python(clean_text(value, multiline=self.multiline))
        # The joiners and marks that clean_text keeps (Persian, Arabic) draw nothing either: text
        # made only of them and spaces is empty.
        if not visible_length(value):
            return self.empty_value
        return value


class VisibleMinLengthValidator(MinLengthValidator):
    def clean(self, x) -> int:
        return visible_length(x)


class LocalErrorList(ErrorList):
    """The form's messages in the page's digits: Django's own ("at least 50 characters", "it has
    12") format their numbers in Latin digits, beside the page's Arabic-Indic ones."""

    def get_context(self):
        return {**super().get_context(), "errors": [local_text(error) for error in self]}


class Form(forms.Form):
    """The participants' forms: messages in the page's digit convention (core.formats)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", LocalErrorList)
        super().__init__(*args, **kwargs)


class ApplicationForm(Form):
    name = VisibleTextField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH)
    # Choices are set per form (below), in the language of the page.
    country = forms.ChoiceField(label=_("Country"))
    organisation = VisibleTextField(label=_("Organisation"), max_length=200)
    constituency = forms.ChoiceField(label=_("Constituency group"))
    working_languages = VisibleTextField(
        label=_("Working languages"), max_length=100, help_text=_("For example: Arabic, English")
    )
    motivation = VisibleTextField(
        multiline=True,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing is chosen for the applicant: an empty first choice, and the field is required.
        # Country names come from django-countries in the active language (Arabic on /ar/), in
        # that language's alphabetical order, as on the Knowledge Hub (core.countries).
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        self.fields["constituency"].choices = [
            ("", _("Choose a group")),
            *Application.Constituency.choices,
        ]

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must stay empty."))
        return ""

    def clean_name(self):
        # Invisible characters (bidi overrides, zero-width spaces) are removed, not refused: the
        # applicant cannot see them (core.text.clean_text); markup characters are refused.
        name = clean_text(self.cleaned_data["name"], multiline=False).strip()
        if any(ch in name for ch in "<>"):
            raise forms.ValidationError(_("Please enter your name without special characters."))
        return name


class SignInRequestForm(Form):
    email = forms.EmailField(label=_("E-mail"), max_length=EMAIL_MAX_LENGTH)


class ProgressUpdateForm(Form):
    commitment = forms.IntegerField(label=_("Commitment"), widget=forms.HiddenInput)
    light = forms.ChoiceField(label=_("Status"), choices=Commitment.Light.choices)
    text = VisibleTextField(
        multiline=True,
        label=_("Progress made"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
