from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from core.formats import local_code, local_digits
from core.seo import json_ld_script, languages_of
from core.text import whole_number

from . import charts, downloads
from .models import ProgressReport
from .money import millions_in_words
from .presentation import plan_json_ld
from .selectors import (
    budget_overview,
    deliverables_public,
    plan_with_structure,
    plans_public,
    progress_summary,
)


def index(request):
    plans = list(plans_public())
    if len(plans) == 1:
        return redirect("actionplan:plan", slug=plans[0].slug)
    return render(
        request, "actionplan/index.html", {"plans": plans, "page_title": _("Plans of action")}
    )


def _plan_or_404(slug):
    plan = plan_with_structure(slug=slug)
    if plan is None:
        raise Http404(slug)
    return plan


def _money(amount, currency):
    return millions_in_words(amount, currency)


def plan_detail(request, slug):
    plan = _plan_or_404(slug)
    rtl = translation.get_language_bidi()
    budget = budget_overview(plan)
    bars = [
        charts.Bar(
            _("Objective %(number)s") % {"number": local_digits(objective.number)},
            float(line.current.amount) if line.current else 0.0,
            _money(line.current.amount, plan.currency) if line.current else "—",
        )
        for objective, line in zip(plan.objectives.all(), budget["lines"], strict=True)
    ]
    deliverable_rows = [
        # An outcome code and the deliverable's number under it ("1.2 (3)"): codes, not decimals.
        (f"{local_code(outcome.code)} ({local_digits(index)})", d.start_year, d.end_year)
        for objective in plan.objectives.all()
        for outcome in objective.outcomes.all()
        for index, d in enumerate(outcome.deliverables.all(), start=1)
    ]
    return render(
        request,
        "actionplan/plan.html",
        {
            "page_title": plan.title,
            "page_languages": languages_of(plan, "title"),
            "json_ld": json_ld_script(plan_json_ld(plan)),
            "plan": plan,
            "budget": budget,
            "budget_rows": [
                {
                    "objective": o,
                    "line": line,
                    "display": _money(line.current.amount, plan.currency) if line.current else "—",
                    "original": _money(line.history[0].amount, plan.currency)
                    if line.changed
                    else "",
                }
                for o, line in zip(plan.objectives.all(), budget["lines"], strict=True)
            ],
            "total_display": _money(budget["total"].current.amount, plan.currency)
            if budget["total"].current
            else "—",
            "sum_display": _money(budget["objectives_sum"].amount, plan.currency),
            "chart": charts.bar_chart(bars, rtl=rtl, title=_("Resource estimates by objective")),
            "chart_narrow": charts.bar_chart(
                bars, rtl=rtl, title=_("Resource estimates by objective"), narrow=True
            ),
            "timeline": charts.timeline(
                deliverable_rows, start=plan.start_year, end=plan.end_year, rtl=rtl
            ),
            "timeline_narrow": charts.timeline(
                deliverable_rows, start=plan.start_year, end=plan.end_year, rtl=rtl, narrow=True
            ),
            "progress": progress_summary(plan),
            "statuses": ProgressReport.Status.choices,
        },
    )


def deliverables(request, slug):
    plan = _plan_or_404(slug)
    queryset = deliverables_public().filter(outcome__objective__plan=plan)
    filters = {}
    year = request.GET.get("year", "")
    if whole_number(year, max_digits=4) is not None:
        queryset = queryset.active_in(int(year))
        filters["year"] = year
    status = request.GET.get("status", "")
    if status in ProgressReport.Status.values:
        queryset = queryset.filter(progress_reports__status=status).distinct()
        filters["status"] = status
    conclusion = request.GET.get("conclusion", "").strip()
    if conclusion:
        # "16" matches 16, 16(a), 16(b)…; "16(b)" matches exactly.
        if (paragraph := whole_number(conclusion, max_digits=4)) is not None:
            queryset = queryset.filter(conclusion_paragraphs__paragraph=paragraph).distinct()
        else:
            queryset = queryset.filter(conclusion_paragraphs__code=conclusion).distinct()
        filters["conclusion"] = conclusion
    pb = request.GET.get("pb_outcome", "").strip()
    if pb:
        queryset = queryset.filter(programme_outcomes__code=pb).distinct()
        filters["pb_outcome"] = pb
    return render(
        request,
        "actionplan/deliverables.html",
        {
            "page_title": _("Deliverables"),
            "page_languages": languages_of(plan, "title"),
            "plan": plan,
            "deliverables": list(queryset),
            "filters": filters,
            "years": plan.years,
            "statuses": ProgressReport.Status.choices,
            "conclusions": plan.conclusion_paragraphs.all(),
            "pb_outcomes": plan.programme_outcomes.all(),
        },
    )


def download(request, slug, table, fmt):
    plan = _plan_or_404(slug)
    if table == "plan":
        columns, rows = downloads.PLAN_COLUMNS, list(downloads.plan_rows(plan))
    elif table == "progress":
        columns, rows = downloads.PROGRESS_COLUMNS, list(downloads.progress_rows(plan))
    else:
        raise Http404(table)
    filename = f"{plan.slug}-{table}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            downloads.as_csv(columns, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            downloads.as_xlsx(columns, rows, sheet_title=downloads.SHEET_TITLES[table]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
