"""Admin building blocks shared by the three apps: bilingual editing and translation state."""

from django.contrib import admin
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .bilingual import LANGUAGE_CODES, translation_state_q


class TranslationStateFilter(admin.SimpleListFilter):
    """Filter by missing or stale translation, per language."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("missing-ar", _("Arabic missing")),
            ("missing-en", _("English missing")),
            ("stale-ar", _("Arabic out of date")),
            ("stale-en", _("English out of date")),
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            state, language = self.value().split("-")
        except ValueError:
            return queryset.none()
        if state not in {"missing", "stale"} or language not in LANGUAGE_CODES:
            return queryset.none()
        return queryset.filter(translation_state_q(queryset.model, state=state, language=language))


class BilingualAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """English and Arabic fields side by side, Arabic inputs right-to-left, history kept.

    Uses modeltranslation's plain (untabbed) layout: its tabbed layout loads jQuery UI from a
    CDN, and the portal must work offline under a strict Content-Security-Policy.
    """

    translation_state_filter = TranslationStateFilter

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name.endswith("_ar"):
            field.widget.attrs.update({"dir": "rtl", "lang": "ar"})
        elif field is not None and db_field.name.endswith("_en"):
            field.widget.attrs.update({"dir": "ltr", "lang": "en"})
        return field

    @admin.display(description=_("Translation"))
    def translation_status(self, obj):
        def name(code):
            return translation.get_language_info(code)["name_translated"]

        parts = [_("%(language)s missing") % {"language": name(c)} for c in obj.missing_languages()]
        parts += [
            _("%(language)s out of date") % {"language": name(c)} for c in obj.stale_languages()
        ]
        separator = "، " if translation.get_language_bidi() else ", "
        return separator.join(str(part) for part in parts) or "✓"


__all__ = ["BilingualAdmin", "TranslationStateFilter"]
