from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from s4c.admin_tools import (
    BilingualAdmin,
    TranslationStateFilter,
    autocomplete_source,
    https_formfield,
)
from s4c.errors import DomainError

from . import selectors, services
from .models import DOCUMENT_LANGUAGES, Organisation, Region, Resource, StatusChange, Theme


class ResourceAdminForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=list(countries),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    document_languages = forms.MultipleChoiceField(
        label=_("Document languages"),
        choices=DOCUMENT_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the document itself exists in."),
    )

    class Meta:
        model = Resource
        fields = "__all__"  # noqa: DJ007 - the admin edits every editable field
        formfield_callback = https_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["countries"].initial = list(
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
        "country_links__country",
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
    filter_horizontal = ("themes", "regions")
    autocomplete_fields = ("publisher",)
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
                    "external_url",
                    "file",
                    "licence",
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

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return services.can_edit(resource=obj, actor=request.user)

    def has_submit_permission(self, request):
        return request.user.has_perm("hub.submit_resource")

    def has_publish_permission(self, request):
        return request.user.has_perm("hub.publish_resource")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("hub.publish_resource"):
            fields += ["publish_at", "featured"]
        return fields

    # --- writes go through the services -----------------------------------------------------
    def save_model(self, request, obj, form, change):
        services.resource_save(resource=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.set_countries(
            resource=form.instance, countries=form.cleaned_data.get("countries", [])
        )
        services.set_document_languages(
            resource=form.instance, languages=form.cleaned_data.get("document_languages", [])
        )
        services.refresh_search(resource=form.instance)

    def delete_model(self, request, obj):
        services.resource_delete(resource=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for resource in queryset:
            services.resource_delete(resource=resource, actor=request.user)

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
    list_display = ("name", "acronym", "kind", "country", "translation_status")
    list_filter = ("kind", TranslationStateFilter)
    search_fields = ("name_en", "name_ar", "acronym_en", "acronym_ar", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Theme)
class ThemeAdmin(BilingualAdmin):
    list_display = ("name", "slug", "order", "translation_status")
    list_filter = (TranslationStateFilter,)
    search_fields = ("name_en", "name_ar", "slug")
    prepopulated_fields = {"slug": ("name_en",)}

    def save_model(self, request, obj, form, change):
        # Also a revert from the history: a name restored is re-indexed like one typed.
        services.theme_save(theme=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.theme_delete(theme=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for theme in queryset:
            services.theme_delete(theme=theme, actor=request.user)


@admin.register(Region)
class RegionAdmin(BilingualAdmin):
    list_display = ("name", "code", "order")
    search_fields = ("name_en", "name_ar", "code")
