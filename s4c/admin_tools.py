"""Admin building blocks shared by the three apps: bilingual editing and translation state."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
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


# A link typed without its scheme ("www.ilo.org") means https: Django 6's default, asked for on
# each form field until then (the transitional FORMS_URLFIELD_ASSUME_HTTPS setting is deprecated
# itself). Every admin with a URL field uses these overrides.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def https_formfield(db_field, **kwargs):
    """`Meta.formfield_callback` of a ModelForm class with a URL field: the same for the fields
    it builds itself, which the admin's overrides do not reach."""
    if isinstance(db_field, models.URLField):
        kwargs = {**HTTPS_URL_FIELDS[models.URLField], **kwargs}
    return db_field.formfield(**kwargs)


class BilingualAdmin(SimpleHistoryAdmin, TranslationAdmin):
    """English and Arabic fields side by side, Arabic inputs right-to-left, history kept.

    Uses modeltranslation's plain (untabbed) layout: its tabbed layout loads jQuery UI from a
    CDN, and the portal must work offline under a strict Content-Security-Policy.
    """

    translation_state_filter = TranslationStateFilter
    formfield_overrides = HTTPS_URL_FIELDS

    # --- reverting to an earlier version is a change -------------------------------------------
    # django-simple-history lets anyone who may *view* an object open its revert form and post it,
    # and checks the permission against the old version: a Curator could revert (write) a theme,
    # an Officer a plan, and a Curator could revert a published resource. Reverting needs the
    # change permission on the object as it is now.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404(object_id)
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        if obj is not None and obj.pk is not None:
            current = self.get_object(request, str(obj.pk))
            if current is None or not self.has_change_permission(request, current):
                return True
        return super().revert_disabled(request, obj)

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


def autocomplete_source(request, site: admin.AdminSite) -> admin.ModelAdmin | None:
    """The admin whose autocomplete field an admin autocomplete request fills, if the user may
    add or change objects through it; None for any other request.

    Lets a model's admin answer the autocomplete of a field that points to it (the evidence of a
    progress report) for people who may not browse that model's admin itself.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != f"{site.name}:autocomplete":
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        source = site.get_model_admin(model)
    except (KeyError, LookupError, NotRegistered):
        return None
    if request.GET.get("field_name") not in source.get_autocomplete_fields(request):
        return None
    if not (source.has_add_permission(request) or source.has_change_permission(request)):
        return None
    return source


def linked_ids(request, db_field) -> list:
    """The ids the object an admin page edits links to through the many-to-many `db_field`
    (none on an add page)."""
    match = getattr(request, "resolver_match", None)
    object_id = match.kwargs.get("object_id") if match else None
    if object_id is None:
        return []
    links = db_field.remote_field.through.objects.filter(
        **{f"{db_field.m2m_field_name()}_id": unquote(object_id)}
    )
    return list(links.values_list(f"{db_field.m2m_reverse_field_name()}_id", flat=True))


__all__ = [
    "HTTPS_URL_FIELDS",
    "BilingualAdmin",
    "TranslationStateFilter",
    "autocomplete_source",
    "https_formfield",
    "linked_ids",
]
