import csv
from collections import Counter

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_tools import (
    BilingualAdmin,
    BilingualModelForm,
    ServiceWritesMixin,
    TranslationStateFilter,
    country_filter,
    linked_ids,
    register_dashboard,
    translation_items,
)
from core.errors import DomainError
from core.text import spreadsheet_cell
from hub.models import Region
from hub.selectors import resources_pickable

from . import permissions, privacy, services
from .models import (
    Application,
    Attendance,
    Cohort,
    Commitment,
    ErasureRecord,
    Phase,
    ProgressUpdate,
    SentEmail,
    Session,
    SessionSpeaker,
    Speaker,
)


class PhaseInline(admin.StackedInline):
    model = Phase
    form = BilingualModelForm
    extra = 0
    fields = (
        "name_en",
        "name_ar",
        "mode",
        ("start_date", "end_date"),
        ("city_en", "city_ar"),
        "country",
        "time_zone",
        "order",
    )


@admin.register(Cohort)
class CohortAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("name", "year", "status", "capacity", "accepted_count", "translation_status")
    list_filter = ("status", "year", TranslationStateFilter)
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [PhaseInline]
    readonly_fields = ("participant_balance",)
    autocomplete_fields = ("partners",)

    @admin.display(description=_("accepted"))
    def accepted_count(self, obj):
        return obj.applications.filter(status=Application.Status.ACCEPTED).count()

    @admin.display(description=_("Balance of accepted participants"))
    def participant_balance(self, obj):
        if obj.pk is None:
            return "—"
        accepted = list(
            obj.applications.filter(status=Application.Status.ACCEPTED).values_list(
                "constituency", "country"
            )
        )
        by_group = Counter(dict(Application.Constituency.choices)[c] for c, _country in accepted)
        regions = {
            code: region.name for region in Region.objects.all() for code in region.countries
        }
        by_region = Counter(str(regions.get(str(country), _("Other"))) for _c, country in accepted)
        rows = [(_("Constituency"), label, n) for label, n in sorted(by_group.items())]
        rows += [(_("ILO region"), label, n) for label, n in sorted(by_region.items())]
        return format_html_join("", "<div>{} · {}: <strong>{}</strong></div>", rows) or _(
            "No accepted participant yet."
        )


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ("speaker",)


@admin.register(Session)
class SessionAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    history_m2m_fields = ("partners", "materials")
    list_display = (
        "title",
        "cohort",
        "date",
        "starts_at",
        "kind",
        "cancelled",
        "translation_status",
    )
    list_filter = ("cohort", "phase", "kind", "cancelled", TranslationStateFilter)
    search_fields = ("title_en", "title_ar")
    inlines = [SessionSpeakerInline]
    autocomplete_fields = ("materials", "partners")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "materials":
            # Coordinators may not see drafts: not even by posting a draft's id.
            kwargs["queryset"] = resources_pickable(
                user=request.user, attached=linked_ids(request, db_field)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Speaker)
class SpeakerAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("name", "role", "organisation", "translation_status")
    search_fields = ("name_en", "name_ar")
    autocomplete_fields = ("organisation",)
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Application)
class ApplicationAdmin(ServiceWritesMixin, admin.ModelAdmin):
    services = services
    permissions = permissions
    list_display = ("name", "cohort", "country", "constituency", "status", "submitted_at")
    list_filter = ("cohort", "status", "constituency", country_filter("country"))
    search_fields = ("name", "email", "organisation")
    readonly_fields = (
        "status",
        "submitted_at",
        "decided_at",
        "acknowledged_at",
        "language",
        "erased_at",
    )
    actions = ["accept", "waitlist", "decline", "export_csv", "erase_personal_data"]

    def has_erase_permission(self, request):
        return permissions.can_erase(request.user)

    @admin.action(
        description=_("Erase the personal data of the selected people everywhere"),
        permissions=["erase"],
    )
    def erase_personal_data(self, request, queryset):
        queryset = queryset.filter(erased_at__isnull=True)
        emails = sorted({privacy.normalise_email(a.email) for a in queryset})
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/learning/application/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase personal data"),
                    "emails": emails,
                    "queryset": queryset,
                    "opts": self.model._meta,
                },
            )
        for email in emails:
            privacy.person_erase(email=email, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "The personal data of %(count)d person was erased.",
                "The personal data of %(count)d people was erased.",
                len(emails),
            )
            % {"count": len(emails)},
            messages.SUCCESS,
        )
        return None

    def _decide(self, request, queryset, status):
        for application in queryset:
            try:
                services.application_decide(
                    application=application, status=status, actor=request.user
                )
            except DomainError as error:
                self.message_user(request, f"{application.name}: {error.message}", messages.ERROR)

    @admin.action(description=_("Accept selected applications"), permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, Application.Status.ACCEPTED)

    @admin.action(description=_("Waitlist selected applications"), permissions=["change"])
    def waitlist(self, request, queryset):
        self._decide(request, queryset, Application.Status.WAITLISTED)

    @admin.action(description=_("Decline selected applications"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, Application.Status.DECLINED)

    @admin.action(description=_("Export selected applications (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="applications.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                "cohort",
                "name",
                "email",
                "country",
                "organisation",
                "constituency",
                "working_languages",
                "status",
                "submitted_at",
            ]
        )
        for a in queryset.select_related("cohort"):
            writer.writerow(
                spreadsheet_cell(value)
                for value in [
                    a.cohort.slug,
                    a.name,
                    a.email,
                    a.country.code,
                    a.organisation,
                    a.constituency,
                    a.working_languages,
                    a.status,
                    a.submitted_at.isoformat(),
                ]
            )
        return response


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    form = BilingualModelForm
    extra = 0
    fields = ("date", "light", "text_en", "text_ar")


@admin.register(Commitment)
class CommitmentAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("__str__", "cohort", "country", "lever", "light", "published", "inactive")
    list_filter = ("cohort", "lever", "light", "published", "inactive", TranslationStateFilter)
    inlines = [ProgressUpdateInline]
    raw_id_fields = ("owner",)


@admin.register(Attendance)
class AttendanceAdmin(ServiceWritesMixin, admin.ModelAdmin):
    services = services
    permissions = permissions
    list_display = ("application", "session", "attended")
    list_filter = ("session__cohort",)
    autocomplete_fields = ("application", "session")


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    list_display = ("kind", "application", "subject", "sent_at")
    list_filter = ("kind",)
    readonly_fields = ("key", "kind", "application", "recipient", "subject", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The audit trail: read-only, and kept (nobody deletes it from the admin)."""

    list_display = ("erased_at", "reason", "actor", "subject_hash")
    list_filter = ("reason",)
    search_fields = ("subject_hash",)
    readonly_fields = ("subject_hash", "reason", "actor", "counts", "erased_at")

    def get_search_results(self, request, queryset, search_term):
        # Searching for an address finds its erasure without the address being stored anywhere.
        if "@" in search_term:
            return queryset.filter(subject_hash=privacy.subject_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@register_dashboard
def learning_dashboard(request) -> list[dict]:
    """The Learning Hub's part of the admin index: applications to decide, translations."""
    from django.urls import reverse

    items = []
    if permissions.can_decide(request.user):
        url = reverse("admin:learning_application_changelist")
        count = Application.objects.filter(
            status=Application.Status.SUBMITTED, erased_at__isnull=True
        ).count()
        label = ngettext(
            "%(count)s application waiting for a decision",
            "%(count)s applications waiting for a decision",
            count,
        )
        items.append(
            {
                "label": label % {"count": count},
                "count": count,
                "url": f"{url}?status__exact={Application.Status.SUBMITTED}",
            }
        )
    for model, name in (
        (Cohort, "cohort"),
        (Session, "session"),
        (Speaker, "speaker"),
        (Commitment, "commitment"),
    ):
        items += translation_items(request, model, f"admin:learning_{name}_changelist")
    return items
