from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_countries.fields import CountryField

from core.admin_tools import (
    BilingualAdmin,
    BilingualModelForm,
    TranslationStateFilter,
    autocomplete_source,
    country_filter,
    https_formfield,
    register_dashboard,
    searchable_multiple,
    translation_items,
)
from core.countries import countries
from core.errors import DomainError
from core.html import RichTextWidget

from . import permissions, selectors, services
from .models import (
    DOCUMENT_LANGUAGES,
    Organisation,
    Region,
    Resource,
    StatusChange,
    Theme,
)

Status = Resource.Status


def _online_copy_label(name) -> str:
    return _("Online copy in %(language)s") % {"language": name}


# One address per document language, so each language's button opens its own copy.
DocumentUrlFields = type(
    "DocumentUrlFields",
    (forms.Form,),
    {
        f"document_url_{code}": forms.URLField(
            label=lazy(_online_copy_label, str)(name),
            required=False,
            max_length=500,
            assume_scheme="https",
            help_text=_("Leave empty when there is no online copy in this language."),
        )
        for code, name in DOCUMENT_LANGUAGES
    },
)


class ResourceAdminForm(BilingualModelForm, DocumentUrlFields):
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=lambda: list(countries),
        required=False,
        widget=searchable_multiple(_("Countries")),
    )
    document_languages = forms.MultipleChoiceField(
        label=_("Document languages"),
        choices=DOCUMENT_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the document itself exists in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for link in self.instance.language_links.all():
                self.fields[f"document_url_{link.language}"].initial = link.url
        self.initialise_choices()

    def document_links(self) -> dict[str, str]:
        """Each checked language's online copy ("" for none); an address checks its language."""
        data = self.cleaned_data
        checked = set(data.get("document_languages") or [])
        urls = {code: data.get(f"document_url_{code}") or "" for code, _name in DOCUMENT_LANGUAGES}
        return {code: url for code, url in urls.items() if code in checked or url}

    class Meta:
        model = Resource
        fields = "__all__"  # the admin edits every editable field
        formfield_callback = https_formfield

    def initialise_choices(self):
        if self.instance.pk:
            # The version's own codes: on a restore page, the countries of that version.
            self.fields["countries"].initial = list(self.instance.country_codes or []) or list(
                self.instance.country_links.values_list("country", flat=True)
            )
            self.fields["document_languages"].initial = list(
                self.instance.language_links.values_list("language", flat=True)
            )


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = _("Workflow history")

    def has_add_permission(self, request, obj=None):
        return False


class LinkStatusFilter(admin.SimpleListFilter):
    title = _("link")
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return Resource.LinkStatus.choices[1:]

    def queryset(self, request, queryset):
        return queryset.filter(link_status=self.value()) if self.value() else queryset


@admin.register(Resource)
class ResourceAdmin(BilingualAdmin):
    form = ResourceAdminForm
    services = services
    permissions = permissions
    change_form_template = "admin/hub/resource/change_form.html"
    history_m2m_fields = ("themes", "regions")
    list_display = (
        "title",
        "resource_type",
        "status",
        "publication_year",
        "link_status",
        "translation_status",
        "updated_at",
    )
    list_filter = (
        "status",
        "resource_type",
        "themes",
        "regions",
        country_filter("country_links__country"),
        "language_links__language",
        "featured",
        LinkStatusFilter,
        TranslationStateFilter,
    )
    search_fields = ("identifier", "title_en", "title_ar", "summary_en", "summary_ar", "authors")
    readonly_fields = (
        "identifier",
        "status",
        "published_at",
        "link_status",
        "link_checked_at",
        "link_error",
        "created_at",
        "updated_at",
    )
    filter_horizontal = ("regions",)
    autocomplete_fields = ("publisher", "themes")
    inlines = [StatusChangeInline]
    actions = ["submit_selected", "publish_selected", "archive_selected"]
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("identifier", "status", "resource_type", "featured")}),
        (
            _("Text"),
            {"fields": ("title_en", "title_ar", "summary_en", "summary_ar", "body_en", "body_ar")},
        ),
        (
            _("Source"),
            {
                "fields": (
                    "publisher",
                    "authors",
                    ("publication_year", "publication_month", "publication_day"),
                    "document_languages",
                    *(f"document_url_{code}" for code, _name in DOCUMENT_LANGUAGES),
                    "external_url",
                    "file",
                    "licence",
                    "arabic_pending",
                )
            },
        ),
        (
            _("Classification"),
            {
                "fields": (
                    "themes",
                    "is_global",
                    "regions",
                    "countries",
                    "modality",
                    "providing_countries",
                    "receiving_countries",
                )
            },
        ),
        (
            _("Publication"),
            {
                "fields": (
                    "publish_at",
                    "published_at",
                    "link_status",
                    "link_checked_at",
                    "link_error",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).alive().select_related("publisher")
        if autocomplete_source(request, self.admin_site) is not None:
            # Choosing evidence or materials: what the user may see, published only for officers
            # and coordinators (who may not browse the resources themselves).
            queryset = queryset.filter(pk__in=selectors.resources_pickable(user=request.user))
        return queryset

    # --- permissions: curators edit drafts; published resources need a reviewer ------------
    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        # Someone editing a progress report or a session may search resources to link to
        # (get_queryset then holds published ones), without hub.view_resource.
        return obj is None and autocomplete_source(request, self.admin_site) is not None

    # Change and delete: ServiceWritesMixin asks hub.permissions (can_save is can_edit_resource
    # for a resource), as the services do.
    def has_submit_permission(self, request):
        return permissions.can_submit(request.user)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CountryField) and db_field.multiple:
            kwargs["widget"] = searchable_multiple(db_field.verbose_name)
        if db_field.name in services.RICH_TEXT_FIELDS:
            kwargs["widget"] = RichTextWidget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not permissions.can_schedule(request.user):
            fields += ["publish_at", "featured"]
        return fields

    # --- writes go through the services -----------------------------------------------------
    def save_through_services(self, request, obj, form):
        # The fields and the choices in one service call: one version in the history (also for
        # a restore from the history).
        data = form.cleaned_data
        services.resource_save(
            resource=obj,
            actor=request.user,
            themes=data.get("themes"),
            regions=data.get("regions"),
            countries=data.get("countries", []),
            languages=form.document_links(),
        )

    def restore_initial(self, record) -> dict:
        # The countries of that version too (kept as codes on each version).
        return {**super().restore_initial(record), "countries": list(record.country_codes or [])}

    # --- the workflow, on the resource's own page ----------------------------------------------
    WORKFLOW_BUTTONS = {
        Status.IN_REVIEW: _("Submit for review"),
        Status.PUBLISHED: _("Publish"),
        Status.ARCHIVED: _("Archive"),
        Status.DRAFT: _("Withdraw to draft"),
    }

    def get_urls(self):
        urls = super().get_urls()
        workflow = path(
            "<path:object_id>/workflow/",
            self.admin_site.admin_view(require_POST(self.workflow_view)),
            name="hub_resource_workflow",
        )
        return [workflow, *urls]

    def workflow_context(self, request, resource):
        last = resource.status_changes.select_related("actor").first()
        buttons = [
            (status, self.WORKFLOW_BUTTONS[status])
            for status in permissions.allowed_transitions(request.user, resource)
        ]
        problems = []
        if resource.status != Status.PUBLISHED:
            form_fields = dict(self.get_form(request, resource).base_fields)
            for name, text in services.publication_problems(resource).items():
                label = form_fields[name].label if name in form_fields else name
                problems.append(f"{label}: {text}")
        waiting_review = (
            resource.status == Status.DRAFT
            and not permissions.direct_publish_allowed()
            and permissions.can_publish(request.user)
        )
        return {
            "status": Status(resource.status).label,
            "last_move": last,
            "next_step": permissions.next_step(resource),
            "buttons": buttons,
            "problems": problems,
            "review_first": waiting_review,
            "url": reverse("admin:hub_resource_workflow", args=[resource.pk]),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        resource = self.get_object(request, unquote(object_id))
        if resource is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow": self.workflow_context(request, resource),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_view(self, request, object_id):
        resource = self.get_object(request, unquote(object_id))
        if resource is None:
            raise Http404(object_id)
        if not self.has_view_permission(request, resource):
            raise PermissionDenied
        to_status = request.POST.get("to_status", "")
        if to_status not in Status.values:
            self.message_user(request, _("Choose a workflow step."), messages.ERROR)
        else:
            try:
                services.resource_transition(
                    resource=resource,
                    to_status=to_status,
                    actor=request.user,
                    note=request.POST.get("note", "")[:300],
                )
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("“%(resource)s” is now: %(status)s.")
                    % {"resource": resource, "status": Status(to_status).label},
                    messages.SUCCESS,
                )
        return HttpResponseRedirect(reverse("admin:hub_resource_change", args=[resource.pk]))

    def _transition(self, request, queryset, to_status, done_message):
        done, refused = 0, []
        for resource in queryset:
            try:
                services.resource_transition(
                    resource=resource, to_status=to_status, actor=request.user
                )
                done += 1
            except DomainError as error:
                refused.append(f"{resource}: {error.message}")
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Submit selected resources for review"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._transition(
            request,
            queryset,
            Resource.Status.IN_REVIEW,
            lambda n: (
                ngettext(
                    "%(count)d resource submitted for review.",
                    "%(count)d resources submitted for review.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Publish selected resources"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._transition(
            request,
            queryset,
            Resource.Status.PUBLISHED,
            lambda n: (
                ngettext("%(count)d resource published.", "%(count)d resources published.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Archive selected resources"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._transition(
            request,
            queryset,
            Resource.Status.ARCHIVED,
            lambda n: (
                ngettext("%(count)d resource archived.", "%(count)d resources archived.", n)
                % {"count": n}
            ),
        )


@admin.register(Organisation)
class OrganisationAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("name", "acronym", "kind", "country", "translation_status")
    list_filter = ("kind", TranslationStateFilter)
    search_fields = ("name_en", "name_ar", "acronym_en", "acronym_ar", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Theme)
class ThemeAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("name", "slug", "order", "translation_status")
    list_filter = (TranslationStateFilter,)
    search_fields = ("name_en", "name_ar", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Region)
class RegionAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("name", "code", "order")
    search_fields = ("name_en", "name_ar", "code")


@register_dashboard
def hub_dashboard(request) -> list[dict]:
    """The Knowledge Hub's part of the admin index: what this person may act on now."""
    user = request.user
    url = reverse("admin:hub_resource_changelist")
    alive = Resource.objects.alive()
    items = []
    if permissions.can_submit(user):
        count = alive.filter(status=Status.DRAFT).count()
        label = ngettext(
            "%(count)s draft to finish and submit for review",
            "%(count)s drafts to finish and submit for review",
            count,
        )
        items.append(
            {"label": label % {"count": count}, "count": count, "url": f"{url}?status__exact=draft"}
        )
    if permissions.can_publish(user):
        count = alive.filter(status=Status.IN_REVIEW).count()
        label = ngettext(
            "%(count)s resource in review, waiting for a reviewer",
            "%(count)s resources in review, waiting for a reviewer",
            count,
        )
        items.append(
            {
                "label": label % {"count": count},
                "count": count,
                "url": f"{url}?status__exact=in_review",
            }
        )
    if permissions.can_maintain(user):
        count = alive.filter(link_status=Resource.LinkStatus.BROKEN).count()
        label = ngettext(
            "%(count)s resource with a broken link", "%(count)s resources with a broken link", count
        )
        items.append(
            {"label": label % {"count": count}, "count": count, "url": f"{url}?link=broken"}
        )
    items += translation_items(request, Resource, "admin:hub_resource_changelist")
    items += translation_items(request, Theme, "admin:hub_theme_changelist")
    items += translation_items(request, Organisation, "admin:hub_organisation_changelist")
    return items
