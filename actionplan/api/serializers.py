from django.urls import reverse
from rest_framework import serializers

from actionplan.models import Deliverable, Objective, OperationalPrinciple, Outcome, Plan
from actionplan.money import Money
from core.api.base import ApiModelSerializer, BilingualField, HtmlUrlField


def _money(amount, currency):
    return Money(amount, currency).as_json() if amount is not None else None


class LatestProgressMixin:
    def get_latest_progress(self, obj) -> dict | None:
        reports = list(obj.progress_reports.all())
        if not reports:
            return None
        report = reports[0]
        narrative = BilingualField("narrative")
        narrative.bind("narrative", self)
        return {
            "year": report.year,
            "status": report.status,
            "narrative": narrative.to_representation(report),
            "expenditure": _money(report.expenditure, obj.outcome.objective.plan.currency),
        }


def _deliverable_page(obj) -> str:
    # The plan's list of deliverables, at the deliverable's entry.
    plan = obj.outcome.objective.plan.slug
    return f"{reverse('actionplan:deliverables', kwargs={'slug': plan})}#deliverable-{obj.pk}"


class DeliverableSerializer(LatestProgressMixin, ApiModelSerializer):
    html_url = HtmlUrlField(path=_deliverable_page)
    text = BilingualField()
    plan = serializers.CharField(source="outcome.objective.plan.slug", read_only=True)
    outcome = serializers.CharField(source="outcome.code", read_only=True)
    conclusions = serializers.SerializerMethodField()
    pb_outcomes = serializers.SerializerMethodField()
    latest_progress = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "url",
            "html_url",
            "plan",
            "outcome",
            "text",
            "start_year",
            "end_year",
            "conclusions",
            "pb_outcomes",
            "latest_progress",
            "created_at",
            "updated_at",
        ]
        api_basename = "deliverable"

    def get_conclusions(self, obj) -> list[str]:
        return [p.code for p in obj.conclusion_paragraphs.all()]

    def get_pb_outcomes(self, obj) -> list[str]:
        return [p.code for p in obj.programme_outcomes.all()]


class NestedDeliverableSerializer(DeliverableSerializer):
    class Meta(DeliverableSerializer.Meta):
        fields = [
            "id",
            "text",
            "start_year",
            "end_year",
            "conclusions",
            "pb_outcomes",
            "latest_progress",
        ]


class OutcomeSerializer(serializers.ModelSerializer):
    title = BilingualField()
    narrative = BilingualField()
    deliverables = NestedDeliverableSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["code", "title", "narrative", "deliverables"]


class ObjectiveSerializer(serializers.ModelSerializer):
    title = BilingualField()
    narrative = BilingualField()
    outcomes = OutcomeSerializer(many=True, read_only=True)
    budget = serializers.SerializerMethodField()

    class Meta:
        model = Objective
        fields = ["number", "title", "narrative", "budget", "outcomes"]

    def get_budget(self, obj) -> dict:
        figures = sorted(obj.budget_figures.all(), key=lambda f: (f.as_of, f.pk))
        currency = obj.plan.currency
        return {
            "current": _money(figures[-1].amount, currency) if figures else None,
            "history": [
                {"kind": f.kind, "as_of": f.as_of.isoformat(), "amount": _money(f.amount, currency)}
                for f in figures
            ],
        }


class PrincipleSerializer(serializers.ModelSerializer):
    title = BilingualField()
    text = BilingualField()

    class Meta:
        model = OperationalPrinciple
        fields = ["letter", "title", "text"]


class PlanSerializer(ApiModelSerializer):
    id = serializers.CharField(source="slug", read_only=True)
    html_url = HtmlUrlField()
    title = BilingualField()
    summary = BilingualField()
    decision = BilingualField()
    source_document = BilingualField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "url",
            "html_url",
            "title",
            "summary",
            "source_document",
            "source_url",
            "source_date",
            "start_year",
            "end_year",
            "currency",
            "total",
            "decision",
            "created_at",
            "updated_at",
        ]
        api_basename, api_lookup = "plan", "slug"

    def get_total(self, obj) -> dict | None:
        figures = sorted(
            (f for f in obj.budget_figures.all() if f.objective_id is None),
            key=lambda f: (f.as_of, f.pk),
        )
        return _money(figures[-1].amount, obj.currency) if figures else None


class PlanDetailSerializer(PlanSerializer):
    principles = PrincipleSerializer(many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "principles", "objectives"]
