import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from actionplan.models import (
    ConclusionParagraph,
    Deliverable,
    Outcome,
    Plan,
    ProgrammeOutcome,
    ProgressReport,
)
from actionplan.selectors import deliverables_public, plans_with_budget, plans_with_structure
from core.api.base import (
    LANG_PARAMETER,
    PublicReadViewSet,
    StatesMixin,
    YearFilter,
    reference_filter,
)

from .serializers import DeliverableSerializer, PlanDetailSerializer, PlanSerializer

LANG = extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)


class DeliverableFilter(django_filters.FilterSet):
    plan = reference_filter(
        parameter="plan",
        field_name="outcome__objective__plan__slug",
        values=Plan.objects.all,
        value_field="slug",
        help_text="A plan's id (slug).",
    )
    outcome = reference_filter(
        parameter="outcome",
        field_name="outcome__code",
        pattern="^[0-9]+\\.[0-9]+$",
        values=Outcome.objects.all,
        value_field="code",
        help_text="An outcome's code, e.g. 1.2.",
    )
    year = YearFilter(method="filter_year")
    status = django_filters.ChoiceFilter(
        field_name="progress_reports__status", choices=ProgressReport.Status.choices
    )
    conclusion = reference_filter(
        parameter="conclusion",
        field_name="conclusion_paragraphs__code",
        pattern="^[0-9]+(\\([a-z]+\\))?$",
        values=ConclusionParagraph.objects.all,
        value_field="code",
        help_text="A paragraph of the conclusions, e.g. 16(i).",
    )
    pb_outcome = reference_filter(
        parameter="pb_outcome",
        field_name="programme_outcomes__code",
        pattern="^[A-Z0-9]+\\.[0-9]+$",
        values=ProgrammeOutcome.objects.all,
        value_field="code",
        help_text="A Programme and Budget outcome, e.g. A.2.",
    )

    class Meta:
        model = Deliverable
        fields = ()

    def filter_year(self, queryset, name, value):
        return queryset.active_in(int(value))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()


@LANG
class PlanViewSet(StatesMixin, PublicReadViewSet):
    lookup_field = "slug"
    kind = "plan"

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_queryset(self):
        if self.action == "retrieve":
            return plans_with_structure()
        return plans_with_budget().order_by("-pk")


@LANG
class DeliverableViewSet(StatesMixin, PublicReadViewSet):
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    kind = "deliverable"

    def get_queryset(self):
        return deliverables_public().select_related("outcome__objective__plan").order_by("-pk")
