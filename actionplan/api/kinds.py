"""The action plan's public kinds, for the change feed, webhooks and the API's timestamps."""

from actionplan.models import Deliverable, Plan
from actionplan.selectors import deliverables_public
from partners.changes import Kind, register

from .serializers import DeliverableSerializer, PlanDetailSerializer
from .views import plans_with_structure

DELIVERABLE_PARTS = (
    "progress_reports",
    # The public progress download lists each report's evidence (published resources).
    "progress_reports__evidence",
    "conclusion_paragraphs",
    "programme_outcomes",
)


def _deliverable_shown(deliverable) -> dict:
    return {
        "evidence": sorted(
            (report.year, resource.identifier)
            for report in deliverable.progress_reports.all()
            for resource in report.evidence.all()
        )
    }


def _plan_shown(plan) -> dict:
    return {
        "evidence": [
            _deliverable_shown(deliverable)
            for objective in plan.objectives.all()
            for outcome in objective.outcomes.all()
            for deliverable in outcome.deliverables.all()
        ]
    }


def register_kinds() -> None:
    register(
        Kind(
            "plan",
            Plan,
            plans_with_structure,
            PlanDetailSerializer,
            "slug",
            shown=_plan_shown,
            follows=(
                "principles",
                "budget_figures",
                "objectives",
                "objectives__outcomes",
                "objectives__outcomes__deliverables",
                *(f"objectives__outcomes__deliverables__{part}" for part in DELIVERABLE_PARTS),
            ),
        )
    )
    register(
        Kind(
            "deliverable",
            Deliverable,
            deliverables_public,
            DeliverableSerializer,
            "pk",
            shown=_deliverable_shown,
            follows=(
                "outcome",
                "outcome__objective",
                "outcome__objective__plan",
                *DELIVERABLE_PARTS,
            ),
        )
    )
