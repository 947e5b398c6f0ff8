"""Admin building blocks shared by the three apps: bilingual editing and translation state."""

import datetime
from collections.abc import Callable

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from core.bilingual import (
    LANGUAGE_CODES,
    has_text,
    one_language_required,
    translated_field_names,
    translation_state_q,
)
from core.errors import DomainError
from core.formats import arabic_html_digits
from core.text import collation_key, latin_slug


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


# A value longer than this is cut (at a word) in the history's list of changes.
HISTORY_VALUE_CHARS = 300

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


# --- a required text in either language ------------------------------------------------------
ONE_LANGUAGE_HELP = _("In English or in Arabic: one of the two is enough.")
ONE_LANGUAGE_MISSING = _("Required: write it in English or in Arabic (one of the two is enough).")
SLUG_FROM_NAME_HELP = _(
    "Left empty, it is made from the English name, or from the Arabic one spelled in Latin letters."
)


class BilingualModelForm(forms.ModelForm):
    """The form of a translated model in the admin (its own page or an inline): a required text
    (a title, a name) is asked for in one language at least, either one. modeltranslation's admin
    would ask for the default language's (English) and leave the other optional; an Arabic-only
    draft is a draft (the publication gate, `hub.services.publication_problems`, says the same).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for names in self._one_language_fields():
            for name in names:
                field = self.fields[name]
                field.required = False
                field.help_text = format_html("{} {}", ONE_LANGUAGE_HELP, field.help_text or "")
        # The admin fills the slug from the English name as it is typed (prepopulated_fields),
        # which leaves it empty for a name written in Arabic only: then it is made on saving.
        if self._slug_source() and not self.fields["slug"].disabled:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_FROM_NAME_HELP

    def _slug_source(self) -> str | None:
        """The name (or title) the slug is made from, when the form edits both."""
        if "slug" not in self.fields:
            return None
        for base in ("name", "title"):
            if all(f"{base}_{code}" in self.fields for code in LANGUAGE_CODES):
                return base
        return None

    def _slug_from_name(self, cleaned_data) -> str:
        base = self._slug_source()
        max_length = self._meta.model._meta.get_field("slug").max_length - 4
        slug = next(
            (
                made
                for code in ("en", "ar")
                if (made := latin_slug(cleaned_data.get(f"{base}_{code}"), max_length=max_length))
            ),
            self._meta.model._meta.model_name,
        )
        taken = self._meta.model._base_manager.exclude(pk=self.instance.pk)  # hidden rows too
        candidate, n = slug, 1
        while taken.filter(slug=candidate).exists():
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def _one_language_fields(self) -> list[list[str]]:
        """Per required text the form edits, its fields in each language."""
        groups = []
        for base in one_language_required(self._meta.model):
            names = [f"{base}_{code}" for code in LANGUAGE_CODES]
            if all(name in self.fields and not self.fields[name].disabled for name in names):
                groups.append(names)
        return groups

    def clean(self):
        cleaned_data = super().clean()
        for names in self._one_language_fields():
            if any(name in self.errors for name in names):
                continue  # a language's own error (too long…) says what to fix
            if not any(has_text(cleaned_data.get(name)) for name in names):
                for name in names:
                    self.add_error(name, ONE_LANGUAGE_MISSING)
        if self._slug_source() and "slug" in cleaned_data and not cleaned_data["slug"]:
            cleaned_data["slug"] = self._slug_from_name(cleaned_data)
        return cleaned_data


# --- the admin's writes go through the owning app's services ------------------------------------
def form_links(form) -> dict:
    """The many-to-many choices a model form edits ({field name: objects}), for a service's
    `links`: the service sets them, not Django's `form.save_m2m()`."""
    names = {field.name for field in form.instance._meta.many_to_many}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def _already_saved():
    pass


class ServiceWritesMixin:
    """Saves, deletes, inlines, their many-to-many choices and reverts call the app's
    `services.save_object` and `services.delete_object` with the signed-in user as the actor;
    the app's `permissions` module answers the admin's permission questions, so a page never
    offers what the service would refuse.

    Set `services` and `permissions` (the app's modules) on the admin class.
    """

    services = None
    permissions = None

    def has_change_permission(self, request, obj=None):
        if obj is None or self.permissions is None:
            return super().has_change_permission(request, obj)
        return super().has_change_permission(request) and self.permissions.can_save(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        if obj is None or self.permissions is None:
            return super().has_delete_permission(request, obj)
        return self.permissions.can_delete(request.user, obj)

    def save_model(self, request, obj, form, change):
        if self.services is None:
            super().save_model(request, obj, form, change)
            return
        self.save_through_services(request, obj, form)
        # The service set the form's choices too. Django's save_related and simple-history's
        # restore call form.save_m2m() next: it must not write them a second time, directly.
        form.save_m2m = _already_saved

    def save_through_services(self, request, obj, form):
        """The object and its choices in one service call (an admin with more to pass, such as
        the resource's countries, says so here)."""
        self.services.save_object(obj=obj, actor=request.user, links=form_links(form))

    def delete_model(self, request, obj):
        if self.services is None:
            return super().delete_model(request, obj)
        return self.services.delete_object(obj=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        if self.services is None:
            super().delete_queryset(request, queryset)
            return
        with transaction.atomic():
            for obj in queryset:
                self.services.delete_object(obj=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if self.services is None:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            self.services.delete_object(obj=obj, actor=request.user)
        # The new and changed rows, each with its own choices.
        for inline_form in formset.saved_forms:
            self.services.save_object(
                obj=inline_form.instance, actor=request.user, links=form_links(inline_form)
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A service's refusal (a permission, a rule) is a message on the page, never a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())


# --- history a person can read ---------------------------------------------------------------
# Bookkeeping fields: they change with every save and say nothing a curator decided.
HISTORY_NOISE = {
    "updated_at",
    "created_at",
    "translation_edited_en",
    "translation_edited_ar",
    "search_vector",
    "search_text",
    "sequence",
    "link_checked_at",
}


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None) and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, DeletedObject):
            # simple-history's stand-in for a related object it cannot find: for an empty
            # foreign key (a resource without a publisher yet) it said "Deleted organisation
            # (pk=None)", in English whatever the language.
            value = value.pk and _("a deleted record: %(thing)s no. %(pk)s") % {
                "thing": value.model._meta.verbose_name,
                "pk": value.pk,
            }
        if value in (None, "", []):
            return "—"
        if change.field == "country_codes" and isinstance(value, list):
            from django_countries import countries

            return [countries.name(code) for code in value]
        return super().prepare_delta_change_value(change, value)

    def stringify_delta_change_values(self, change, old, new):
        # Whole values (a curator compares them), lists as lists, long texts cut at a word.
        separator = "، " if translation.get_language_bidi() else ", "

        def text(value):
            if isinstance(value, list):
                value = separator.join(str(item) for item in value) or "—"
            value = str(value)
            if len(value) <= HISTORY_VALUE_CHARS:
                return value
            return value[:HISTORY_VALUE_CHARS].rsplit(" ", 1)[0] + " …"

        return conditional_escape(text(old)), conditional_escape(text(new))


def history_delta(new, old, fields: list[str]):
    """`new.diff_against(old)` over `fields`, also those not editable in a form (the workflow's
    status, the countries' codes), which simple-history's diff leaves out."""
    from simple_history.models import ModelChange

    # simple-history names a model's tracked m2m fields only in this attribute.
    m2m = {f.name for f in old._history_m2m_fields}  # noqa: SLF001 - no public accessor
    plain = [name for name in fields if name in m2m or new._meta.get_field(name).editable]
    delta = new.diff_against(old, included_fields=plain, foreign_keys_are_objs=True)
    for name in fields:
        if name in plain:
            continue
        attname = new._meta.get_field(name).attname
        before, after = getattr(old, attname), getattr(new, attname)
        if before != after:
            delta.changes.append(ModelChange(name, before, after))
            delta.changed_fields.append(name)
    delta.changes.sort(key=lambda change: change.field)
    return delta


def _history_fields(model, record) -> list[str]:
    """The fields a history entry compares: what a curator edits or the workflow moves, without
    bookkeeping, and without modeltranslation's mirror of the active language (its `_en` and
    `_ar` fields are compared)."""
    mirrors = set(translated_field_names(model))
    m2m = record._history_m2m_fields  # noqa: SLF001 - simple-history has no public accessor
    names = {f.name for f in record.tracked_fields} | {f.name for f in m2m}
    return sorted(names - HISTORY_NOISE - mirrors - {"id"})


class BilingualAdmin(ServiceWritesMixin, SimpleHistoryAdmin, TranslationAdmin):
    """English and Arabic fields side by side, Arabic inputs right-to-left, history kept.

    Uses modeltranslation's plain (untabbed) layout: its tabbed layout loads jQuery UI from a
    CDN, and the portal must work offline under a strict Content-Security-Policy.
    """

    form = BilingualModelForm
    translation_state_filter = TranslationStateFilter
    formfield_overrides = HTTPS_URL_FIELDS
    object_history_template = "admin/s4c/object_history.html"
    object_history_form_template = "admin/s4c/object_history_form.html"
    # Many-to-many fields a restore sets back (the app's history registration records them).
    history_m2m_fields: tuple[str, ...] = ()

    # --- history: one readable entry per change, a restore that says what it will do -----------
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = history_delta(previous, current, _history_fields(self.model, current))
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current
        if previous is not None and previous.prev_record is None:
            # The first version: a creation (services save a new object's choices with it).
            previous.s4c_first = True

    def revert_plan(self, request, current, record) -> list[dict]:
        """What restoring `record` changes in `current`, as the history lists changes."""
        now = current.history.order_by("-history_date", "-history_id").first()
        if now is None:
            return []
        # The workflow's fields are not restored (hub.services.resource_save keeps them).
        fields = [
            name
            for name in _history_fields(self.model, record)
            if name not in {"status", "published_at", "deleted_at", "identifier"}
        ]
        delta = history_delta(record, now, fields)
        helper = self.get_historical_record_context_helper(request, record)
        # diff_against(now) gives old = now, new = the version restored.
        return helper.context_for_delta_changes(delta)

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
        record = current.history.filter(history_id=version_id).first()
        if record is None:
            raise Http404(version_id)
        # The form of an earlier version starts from that version's choices (its themes, its
        # countries…), not from the object's current ones: a restore restores them too.
        request._s4c_restore_initial = self.restore_initial(record)  # noqa: SLF001 - our own mark
        extra_context = {
            **(extra_context or {}),
            "revert_plan": self.revert_plan(request, current, record),
            "version": record,
        }
        request._s4c_restoring = record  # noqa: SLF001 - our own mark, for response_change
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())

    def response_change(self, request, obj):
        record = getattr(request, "_s4c_restoring", None)
        if record is None:
            return super().response_change(request, obj)
        # Django's "was changed" (its Arabic catalogue even says "added"): a restore says what
        # it did.
        self.message_user(
            request,
            format_html(
                _("{name} “{obj}”: the version of {date} was restored."),
                name=capfirst(self.model._meta.verbose_name),
                obj=obj,
                date=date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT"),
            ),
            messages.SUCCESS,
        )
        return self.response_post_save_change(request, obj)

    def restore_initial(self, record) -> dict:
        initial = {}
        for name in self.history_m2m_fields:
            field = self.model._meta.get_field(name)
            target = field.m2m_reverse_field_name()
            initial[name] = [getattr(row, f"{target}_id") for row in getattr(record, name).all()]
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        restore = getattr(request, "_s4c_restore_initial", None)
        states = _translation_notes(obj) if obj is not None and obj.pk else {}
        if not restore and not states:
            return form_class

        class Form(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if restore and not self.is_bound:
                    self.initial.update(restore)
                for name, note in states.items():
                    if name in self.fields:
                        field = self.fields[name]
                        field.help_text = format_html(
                            '<strong class="s4c-translation-note">{}</strong> {}',
                            note,
                            field.help_text or "",
                        )

        Form.__name__ = form_class.__name__
        return Form

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


def _translation_notes(obj) -> dict[str, str]:
    """Per form field, what is missing or out of date in its language (shown beside it)."""
    missing = getattr(obj, "missing_languages", None)
    if missing is None:
        return {}
    notes = {}
    missing_codes, stale_codes = set(obj.missing_languages()), set(obj.stale_languages())
    for name in translated_field_names(type(obj)):
        for code in LANGUAGE_CODES:
            other = next(c for c in LANGUAGE_CODES if c != code)
            value, other_value = (
                getattr(obj, f"{name}_{code}", ""),
                getattr(obj, f"{name}_{other}", ""),
            )
            language = translation.get_language_info(code)["name_translated"]
            if code in missing_codes and not value and other_value:
                notes[f"{name}_{code}"] = _("%(language)s missing.") % {"language": language}
            elif code in stale_codes and value:
                notes[f"{name}_{code}"] = _(
                    "%(language)s out of date: the other language was edited since."
                ) % {"language": language}
    return notes


class SearchableSelectMultiple(FilteredSelectMultiple):
    """The admin's two-list picker, wrapped as the admin wraps a related field's widget (its
    script builds the lists inside the wrapper, so the field's label stays before them)."""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return format_html('<div class="related-widget-wrapper">{}</div>', html)


def searchable_multiple(label: str) -> forms.Widget:
    """A searchable two-list picker for long choice lists (countries): type to filter, no
    Ctrl-click through 250 names. The admin's own widget, served from our static files."""
    return SearchableSelectMultiple(label, is_stacked=False)


class DropdownFilter(admin.SimpleListFilter):
    """A list filter shown as one <select> (with a button, so it works without JavaScript),
    for filters with hundreds of choices (countries)."""

    template = "admin/s4c/dropdown_filter.html"

    def __init__(self, request, params, model, model_admin):
        # The other filters and the search stay as they are when this one changes.
        self.kept_params = [
            (name, value)
            for name, value in request.GET.items()
            if name not in {self.parameter_name, "p"}
        ]
        super().__init__(request, params, model, model_admin)

    def choices(self, changelist):
        # Values for the form's <select>, not links.
        yield {"selected": self.value() is None, "value": "", "display": _("All")}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == str(value), "value": value, "display": label}


def country_filter(lookup: str, title=None) -> type[DropdownFilter]:
    """A drop-down filter of the countries found under `lookup` (e.g. "country_links__country"),
    named in the user's language."""

    class CountryFilter(DropdownFilter):
        parameter_name = "country"

        def lookups(self, request, model_admin):
            from django_countries import countries

            codes = (
                model_admin.model.objects.exclude(**{lookup: ""})
                .values_list(lookup, flat=True)
                .distinct()
                .order_by()
            )
            return sorted(
                {(str(code), str(countries.name(str(code)))) for code in codes if code},
                key=lambda choice: collation_key(choice[1]),
            )

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(**{lookup: self.value().upper()}).distinct()
            return queryset

    CountryFilter.title = title or _("country")
    return CountryFilter


# --- the admin index: what awaits the signed-in person -------------------------------------------
DashboardProvider = Callable[[object], list[dict]]
_DASHBOARD: list[DashboardProvider] = []


def register_dashboard(provider: DashboardProvider) -> DashboardProvider:
    """Each app adds the items awaiting a person: `provider(request)` returns dicts with
    `label`, `count` and `url`, only for what the person may act on. The label says the count in
    the words of its plural form (`ngettext`: Arabic has six), "1 draft…", "مسودتان…"."""
    _DASHBOARD.append(provider)
    return provider


def dashboard(request) -> list[dict]:
    items = []
    for provider in _DASHBOARD:
        items.extend(item for item in provider(request) if item.get("count"))
    return items


def translation_items(request, model, url_name: str) -> list[dict]:
    """Missing and stale translations of `model`, for people who may change it."""
    from django.urls import reverse

    opts = model._meta
    if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return []
    url = reverse(url_name)
    manager = getattr(model.objects, "alive", None)
    queryset = manager() if manager else model.objects.all()
    items = []
    for state in ("missing", "stale"):
        for code in LANGUAGE_CODES:
            count = queryset.filter(translation_state_q(model, state=state, language=code)).count()
            # "Resources: 3 with…": the count agrees with one word whatever the model ("عنصر"
            # in Arabic), so that each model needs no plural forms of its own.
            if state == "missing":
                label = ngettext(
                    "%(things)s: %(count)s with a missing %(language)s translation",
                    "%(things)s: %(count)s with a missing %(language)s translation",
                    count,
                )
            else:
                label = ngettext(
                    "%(things)s: %(count)s with an out-of-date %(language)s translation",
                    "%(things)s: %(count)s with an out-of-date %(language)s translation",
                    count,
                )
            params = {
                "things": capfirst(opts.verbose_name_plural),
                "language": translation.get_language_info(code)["name_translated"],
                "count": count,
            }
            items.append(
                {
                    "label": label % params,
                    "count": count,
                    "url": f"{url}?translation={state}-{code}",
                }
            )
    return items


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


def _staff_page(match) -> bool:
    """The admin site's pages, and the staff's pages beside them under the same prefix (the
    password reset's, which the admin site does not serve)."""
    _language, _slash, route = match.route.partition("/")
    return "admin" in match.namespaces or route.startswith("admin/")


class ArabicAdminDigitsMiddleware:
    """The admin in Arabic writes numbers and dates as the public pages do (Arabic-Indic digits,
    `core.formats`): Django renders its own counts, dates and page numbers with Latin digits and has
    no setting for others. Below the compression, so it reads the page as rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is None
            or not _staff_page(match)
            or translation.get_language() != "ar"
            or response.streaming
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        response.content = arabic_html_digits(response.content.decode(response.charset))
        return response


__all__ = [
    "HTTPS_URL_FIELDS",
    "ArabicAdminDigitsMiddleware",
    "BilingualAdmin",
    "BilingualModelForm",
    "DropdownFilter",
    "ServiceWritesMixin",
    "TranslationStateFilter",
    "autocomplete_source",
    "country_filter",
    "dashboard",
    "https_formfield",
    "linked_ids",
    "register_dashboard",
    "searchable_multiple",
    "translation_items",
]
