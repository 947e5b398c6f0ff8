from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin_tools import (
    BilingualAdmin,
    BilingualModelForm,
    ServiceWritesMixin,
    TranslationStateFilter,
    linked_ids,
    register_dashboard,
    translation_items,
)
from hub.selectors import resources_pickable

from . import permissions, services
from .models import (
    BudgetFigure,
    ConclusionParagraph,
    Deliverable,
    Objective,
    OperationalPrinciple,
    Outcome,
    Plan,
    ProgrammeOutcome,
    ProgressReport,
)


class BudgetFigureFormSet(forms.BaseInlineFormSet):
    """Refuses budget figures whose objectives do not add up to the plan's total, saying why."""

    def clean(self):
        super().clean()
        pending = []
        for form in self.forms:
            if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            figure = form.save(commit=False)
            figure.plan = self.instance
            pending.append(figure)
        deleted = {form.instance.pk for form in self.deleted_forms if form.instance.pk}
        edited = {figure.pk for figure in pending if figure.pk}
        kept = [
            figure
            for figure in (self.instance.budget_figures.all() if self.instance.pk else [])
            if figure.pk not in edited | deleted
        ]
        message = services.budget_consistency_error(
            figures=kept + pending, currency=self.instance.currency
        )
        if message:
            raise ValidationError(message)


class BudgetFigureInline(admin.TabularInline):
    model = BudgetFigure
    form = BilingualModelForm
    formset = BudgetFigureFormSet
    extra = 0
    fields = ("objective", "kind", "amount", "as_of", "source_en", "source_ar")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if (
            db_field.name == "objective"
            and request.resolver_match
            and request.resolver_match.kwargs.get("object_id")
        ):
            kwargs["queryset"] = Objective.objects.filter(
                plan_id=request.resolver_match.kwargs["object_id"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PrincipleInline(admin.StackedInline):
    model = OperationalPrinciple
    form = BilingualModelForm
    extra = 0
    fields = ("letter", "title_en", "title_ar", "text_en", "text_ar")


@admin.register(Plan)
class PlanAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("title", "start_year", "end_year", "currency", "translation_status")
    list_filter = (TranslationStateFilter,)
    search_fields = ("title_en", "title_ar", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [PrincipleInline, BudgetFigureInline]
    readonly_fields = ("budget_check",)

    @admin.display(description=_("Budget check"))
    def budget_check(self, obj):
        if obj.pk is None:
            return "—"
        return services.plan_budget_error(plan=obj) or _(
            "The objectives' estimates add up to the plan's total."
        )


@admin.register(Objective)
class ObjectiveAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("number", "title", "plan", "translation_status")
    list_filter = ("plan", TranslationStateFilter)


@admin.register(Outcome)
class OutcomeAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("code", "title", "objective", "translation_status")
    list_filter = ("objective__plan", TranslationStateFilter)


@admin.register(Deliverable)
class DeliverableAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    list_display = ("__str__", "outcome", "start_year", "end_year", "translation_status")
    list_filter = (
        "outcome__objective__plan",
        "outcome",
        "start_year",
        "end_year",
        TranslationStateFilter,
    )
    search_fields = ("text_en", "text_ar")
    filter_horizontal = ("conclusion_paragraphs", "programme_outcomes")
    history_m2m_fields = ("conclusion_paragraphs", "programme_outcomes")


class ProgressReportForm(BilingualModelForm):
    class Meta:
        model = ProgressReport
        fields = (
            "deliverable",
            "year",
            "status",
            "narrative_en",
            "narrative_ar",
            "expenditure",
            "evidence",
        )


@admin.register(ProgressReport)
class ProgressReportAdmin(BilingualAdmin):
    services = services
    permissions = permissions
    form = ProgressReportForm
    list_display = ("deliverable", "year", "status", "expenditure", "reported_by", "reported_at")
    list_filter = (
        "status",
        "year",
        "deliverable__outcome__objective__plan",
        TranslationStateFilter,
    )
    readonly_fields = ("reported_by", "reported_at")
    autocomplete_fields = ("evidence",)
    history_m2m_fields = ("evidence",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "evidence":
            # Officers may not see drafts: not even by posting a draft's id.
            kwargs["queryset"] = resources_pickable(
                user=request.user, attached=linked_ids(request, db_field)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PlanPartAdmin(ServiceWritesMixin, admin.ModelAdmin):
    services = services
    permissions = permissions
    list_display = ("code", "plan")
    list_filter = ("plan",)
    search_fields = ("code",)


admin.site.register(ConclusionParagraph, PlanPartAdmin)
admin.site.register(ProgrammeOutcome, PlanPartAdmin)


@register_dashboard
def actionplan_dashboard(request) -> list[dict]:
    """The plan's part of the admin index: missing and out-of-date translations."""
    items = []
    for model, name in (
        (Plan, "plan"),
        (Deliverable, "deliverable"),
        (ProgressReport, "progressreport"),
    ):
        items += translation_items(request, model, f"admin:actionplan_{name}_changelist")
    return items
