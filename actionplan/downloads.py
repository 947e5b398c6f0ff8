"""The plan table and progress reports as CSV (UTF-8 with BOM) and XLSX, with bilingual columns."""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.bilingual import bilingual_dict
from core.text import spreadsheet_cell

from .models import Plan, ProgressReport
from .selectors import public_evidence

# Column headers are for people: in the language of the page the file was downloaded from.
PLAN_COLUMNS = [
    _("Objective"),
    _("Outcome"),
    _("Deliverable (English)"),
    _("Deliverable (Arabic)"),
    _("Conclusions paragraphs"),
    _("Programme and Budget outcomes"),
    _("Start year"),
    _("End year"),
]
PROGRESS_COLUMNS = [
    _("Outcome"),
    _("Deliverable (English)"),
    _("Deliverable (Arabic)"),
    _("Year"),
    _("Status"),
    _("Narrative (English)"),
    _("Narrative (Arabic)"),
    _("Expenditure"),
    _("Currency"),
    _("Evidence"),
    _("Reported at"),
]
# Each table's sheet, named as the page's link names the file.
SHEET_TITLES = {"plan": _("Plan table"), "progress": _("Progress reports")}


def plan_rows(plan: Plan):
    for objective in plan.objectives.all():
        for outcome in objective.outcomes.all():
            for d in outcome.deliverables.all():
                yield [
                    objective.number,
                    outcome.code,
                    d.text_en,
                    d.text_ar,
                    ", ".join(p.code for p in d.conclusion_paragraphs.all()),
                    ", ".join(p.code for p in d.programme_outcomes.all()),
                    d.start_year,
                    d.end_year,
                ]


def progress_rows(plan: Plan):
    reports = (
        ProgressReport.objects.filter(deliverable__outcome__objective__plan=plan)
        .select_related("deliverable__outcome")
        .prefetch_related(public_evidence())
        .order_by("deliverable__outcome__code", "deliverable__order", "year")
    )
    for r in reports:
        text = bilingual_dict(r.deliverable, "text", missing="")
        narrative = bilingual_dict(r, "narrative", missing="")
        yield [
            r.deliverable.outcome.code,
            text["en"],
            text["ar"],
            r.year,
            r.get_status_display(),
            narrative["en"],
            narrative["ar"],
            "" if r.expenditure is None else str(r.expenditure),
            plan.currency,
            " ".join(e.identifier for e in r.evidence.all()),
            r.reported_at.isoformat(),
        ]


def as_csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in columns])
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    # The BOM makes spreadsheet programs read the file as UTF-8 (Arabic intact).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(columns, rows, *, sheet_title: str) -> bytes:
    """The table as a workbook, its sheet named and laid out in the current language (an Arabic
    sheet reads right to left: column A on the right, as in a spreadsheet program in Arabic)."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(sheet_title)[:31]  # a sheet's name has at most 31 characters
    sheet.sheet_view.rightToLeft = translation.get_language_bidi()
    sheet.append([str(column) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        # openpyxl stores text starting with "=" as a formula: text stays text (CSV injection).
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for column in ("C", "D"):
        sheet.column_dimensions[column].width = 70
        for cell in sheet[column][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
