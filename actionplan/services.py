"""Writes to plans of action: progress reports and budget figures, validated, with the actor."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import FORBIDDEN, DomainError
from core.history import record_author
from core.loading import set_links
from core.permissions import as_user
from partners.capture import captured

from . import permissions
from .models import BudgetFigure, Plan, ProgressReport


@captured()
def progress_report_save(*, report: ProgressReport, actor, evidence=None) -> ProgressReport:
    """Create or update the report of a deliverable for a year (one per deliverable and year)."""
    if not permissions.can_save(actor, report):
        raise DomainError(_("You do not have permission to report progress."), code="forbidden")
    duplicate = ProgressReport.objects.filter(
        deliverable=report.deliverable, year=report.year
    ).exclude(pk=report.pk)
    if duplicate.exists():
        raise DomainError(
            _("This deliverable already has a progress report for %(year)s: edit that one instead.")
            % {"year": report.year},
            code="duplicate",
        )
    if report.expenditure is not None and report.expenditure < Decimal("0"):
        raise DomainError(_("Expenditure cannot be negative."), field="expenditure")
    if as_user(actor) is not None and report.reported_by_id is None:
        report.reported_by = actor
    try:
        report.full_clean(exclude=["evidence"])
    except ValidationError as error:
        raise DomainError("; ".join(error.messages)) from error
    record_author(report, actor)
    report.save()
    if evidence is not None:
        report.evidence.set(evidence)
    return report


def budget_consistency_error(*, figures, currency: str) -> str | None:
    """A clear message when the objectives' current estimates do not add up to the plan's total.

    `figures` are all budget figures of one plan (saved or about to be); the latest figure by
    as-of date is the current one for the plan and for each objective.
    """
    latest = {}
    for figure in sorted(figures, key=lambda f: (f.as_of, f.pk or 10**12)):
        latest[figure.objective_id] = figure.amount
    plan_total = latest.pop(None, None)
    if plan_total is None or not latest:
        return None
    objectives_sum = sum(latest.values(), Decimal("0"))
    if objectives_sum != plan_total:
        return str(
            _(
                "The objectives' estimates add up to %(sum)s %(currency)s, but the plan's total is %(total)s %(currency)s."
            )
            % {"sum": f"{objectives_sum:,.2f}", "total": f"{plan_total:,.2f}", "currency": currency}
        )
    return None


def plan_budget_error(*, plan: Plan) -> str | None:
    return budget_consistency_error(
        figures=BudgetFigure.objects.filter(plan=plan), currency=plan.currency
    )


@captured()
def budget_figure_add(*, figure: BudgetFigure, actor) -> BudgetFigure:
    """Record a new estimate or revision; refused if it breaks the objectives' sum."""
    if not permissions.can_save(actor, figure):
        raise DomainError(FORBIDDEN, code="forbidden")
    figures = [*BudgetFigure.objects.filter(plan=figure.plan), figure]
    message = budget_consistency_error(figures=figures, currency=figure.plan.currency)
    if message:
        raise DomainError(message, code="budget_mismatch")
    figure.full_clean()
    figure.save()
    return figure


# --- the admin's one entry point for everything else it edits -----------------------------------


@captured()
def save_object(*, obj, actor, links: dict | None = None):
    """Save a plan object edited in the admin (plans, objectives, deliverables, budget rows…).

    The admin's forms validated it (a plan's budget figures are checked together by their
    formset); the permission is decided by actionplan.permissions.
    `links`: many-to-many choices to set ({field name: objects}), with the same permission.
    """
    if isinstance(obj, ProgressReport):
        links = dict(links or {})
        evidence = links.pop("evidence", None)
        if links:
            raise TypeError(f"a progress report has no choices {sorted(links)}")
        return progress_report_save(report=obj, actor=actor, evidence=evidence)
    if not permissions.can_save(actor, obj):
        raise DomainError(FORBIDDEN, code="forbidden")
    record_author(obj, actor)
    obj.save()
    set_links(obj, links)
    return obj


@captured()
def delete_object(*, obj, actor) -> None:
    if not permissions.can_delete(actor, obj):
        raise DomainError(FORBIDDEN, code="forbidden")
    record_author(obj, actor)
    obj.delete()
