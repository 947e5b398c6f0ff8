"""Reads of plans: structure, current budget figures with their history, progress summaries."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from hub.selectors import resources_published

from .models import BudgetFigure, Deliverable, Objective, Outcome, Plan, ProgressReport
from .money import Money, total


def plans_public() -> QuerySet[Plan]:
    return Plan.objects.all()


def public_evidence() -> Prefetch:
    """A progress report's evidence as the public sees it: published resources only (a draft's
    identifier names its title)."""
    return Prefetch("evidence", queryset=resources_published().only("id", "identifier"))


def deliverables_public() -> QuerySet[Deliverable]:
    reports = ProgressReport.objects.order_by("-year").prefetch_related(public_evidence())
    return Deliverable.objects.select_related("outcome__objective__plan").prefetch_related(
        "conclusion_paragraphs",
        "programme_outcomes",
        Prefetch("progress_reports", queryset=reports),
    )


def _plan_budget() -> Prefetch:
    """The plan's own budget figures (not its objectives'), oldest first."""
    return Prefetch(
        "budget_figures",
        queryset=BudgetFigure.objects.filter(objective=None).order_by("as_of", "pk"),
    )


def plans_with_budget() -> QuerySet[Plan]:
    """Plans with their own budget figures prefetched: what the API's list of plans reads."""
    return Plan.objects.prefetch_related(_plan_budget())


def plans_with_structure() -> QuerySet[Plan]:
    """Plans with principles, objectives → outcomes → deliverables (references, progress) and
    budget figures prefetched: what the plan page, its downloads and the API's plan read."""
    deliverables = deliverables_public().order_by("order", "pk")
    outcomes = Outcome.objects.order_by("code").prefetch_related(
        Prefetch("deliverables", queryset=deliverables)
    )
    objectives = Objective.objects.order_by("number").prefetch_related(
        Prefetch("outcomes", queryset=outcomes),
        Prefetch("budget_figures", queryset=BudgetFigure.objects.order_by("as_of", "pk")),
    )
    return Plan.objects.prefetch_related(
        Prefetch("objectives", queryset=objectives), "principles", _plan_budget()
    )


def plan_with_structure(*, slug: str) -> Plan | None:
    return plans_with_structure().filter(slug=slug).first()


@dataclass
class BudgetLine:
    label: str
    current: Money | None
    history: list[BudgetFigure]

    @property
    def changed(self) -> bool:
        return len(self.history) > 1

    @property
    def original(self) -> Money | None:
        return Money(self.history[0].amount, self.current.currency) if self.history else None


def _line(label, figures, currency) -> BudgetLine:
    figures = list(figures)
    current = Money(figures[-1].amount, currency) if figures else None
    return BudgetLine(label=label, current=current, history=figures)


def budget_overview(plan: Plan) -> dict:
    """Current figure (latest as-of) per objective and for the plan, and whether they add up."""
    lines = [_line(str(o), o.budget_figures.all(), plan.currency) for o in plan.objectives.all()]
    plan_total = _line(
        str(plan), [f for f in plan.budget_figures.all() if f.objective_id is None], plan.currency
    )
    objectives_sum = total([line.current.amount for line in lines if line.current], plan.currency)
    consistent = plan_total.current is None or plan_total.current == objectives_sum
    return {
        "lines": lines,
        "total": plan_total,
        "objectives_sum": objectives_sum,
        "consistent": consistent,
    }


def progress_summary(plan: Plan) -> dict:
    """Counts of deliverables by latest status per outcome, and of reports by status per year."""
    per_outcome = {}
    per_year = defaultdict(Counter)
    for objective in plan.objectives.all():
        for outcome in objective.outcomes.all():
            counts = Counter()
            for deliverable in outcome.deliverables.all():
                reports = list(deliverable.progress_reports.all())
                counts[reports[0].status if reports else "not_reported"] += 1
                for report in reports:
                    per_year[report.year][report.status] += 1
            per_outcome[outcome.code] = counts
    return {"per_outcome": per_outcome, "per_year": dict(sorted(per_year.items()))}
