"""The action plan's public kinds, for the change feed, webhooks and the API's timestamps."""

from actionplan.models import Deliverable, Plan
from actionplan.selectors import deliverables_public
from partners.changes import Kind, register

from .serializers import DeliverableSerializer, PlanDetailSerializer
from .views import plans_with_structure

DELIVERABLE_PARTS = ("progress_reports", "conclusion_paragraphs", "programme_outcomes")


def register_kinds() -> None:
    register(
        Kind(
            "plan",
            Plan,
            plans_with_structure,
            PlanDetailSerializer,
            "slug",
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
            follows=(
                "outcome",
                "outcome__objective",
                "outcome__objective__plan",
                *DELIVERABLE_PARTS,
            ),
        )
    )
