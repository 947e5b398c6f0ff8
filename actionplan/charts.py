"""Server-rendered SVG charts that mirror for right-to-left pages (no JavaScript)."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formats import local_digits


def _isolated(text: str, rtl: bool) -> str:
    """Text of a label, isolated right to left in an Arabic chart (the SVG's base direction is
    left to right, so that positions mean the same in both languages)."""
    return f"\u2067{text}\u2069" if rtl else text


@dataclass
class Bar:
    label: str
    value: float
    display: str


# Rough advance of a 12-13px label per character: enough room is kept for the longest value
# ("17.2 million US dollars") so that no text is clipped at the edge of the picture.
CHAR_WIDTH = 7.2


def bar_chart(bars: list[Bar], *, rtl: bool, title: str, narrow: bool = False) -> str:
    """Horizontal bars growing from the inline start: left to right in English, right to left in Arabic.

    Two layouts, of which the page shows one by its width (CSS): `narrow` (for phones) draws at
    about the size it is shown, each label above its bar, so its text stays 12-13 px.
    """
    value_room = round(max((len(b.display) for b in bars), default=4) * CHAR_WIDTH) + 12
    if narrow:
        width, row, label_width, bar_top = 340, 58, 0, 24
    else:
        width, row, label_width, bar_top = 660, 44, 130, 6
    gap = 12 if label_width else 0
    height = row * len(bars) + 16
    plot = width - label_width - gap - value_room
    top = max((b.value for b in bars), default=0) or 1
    title_id = "chart-title-narrow" if narrow else "chart-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}" class="chart {"chart-narrow" if narrow else "chart-wide"}">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = 8 + index * row
        length = max(2, round(plot * bar.value / top))
        label_y = y + 16 if narrow else y + 22
        if rtl:
            label_x, anchor = width, "end"
            bar_x = width - label_width - gap - length
            value_x, value_anchor = bar_x - 6, "end"
        else:
            label_x, anchor = 0, "start"
            bar_x = label_width + gap
            value_x, value_anchor = bar_x + length + 6, "start"
        parts.append(
            f'<text x="{label_x}" y="{label_y}" text-anchor="{anchor}" class="chart-label">{escape(_isolated(bar.label, rtl))}</text>'
            f'<rect x="{bar_x}" y="{y + bar_top}" width="{length}" height="24" rx="3" class="chart-bar"/>'
            f'<text x="{value_x}" y="{y + bar_top + 17}" text-anchor="{value_anchor}" class="chart-value">{escape(_isolated(bar.display, rtl))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def timeline(rows, *, start: int, end: int, rtl: bool, narrow: bool = False) -> str:
    """A Gantt-like timeline of deliverables over the plan's years, mirrored in RTL.

    `narrow` (for phones) draws at about the size it is shown, so its labels stay legible.
    """
    years = list(range(start, end + 1))
    width, label_width, row_h = (360, 64, 22) if narrow else (640, 80, 22)
    col = (width - label_width) / len(years)
    height = 24 + row_h * len(rows)
    title = _("Timeline of deliverables")
    title_id = "timeline-title-narrow" if narrow else "timeline-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id}" class="chart timeline {"chart-narrow" if narrow else "chart-wide"}">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]

    def x_of(year_index):
        offset = label_width + year_index * col
        return width - offset - col if rtl else offset

    for i, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(i) + col / 2:.1f}" y="14" text-anchor="middle" class="chart-value">{local_digits(year)}</text>'
        )
    for r, (label, first, last) in enumerate(rows):
        y = 22 + r * row_h
        label_x = width if rtl else 0
        anchor = "end" if rtl else "start"
        parts.append(
            f'<text x="{label_x}" y="{y + 14}" text-anchor="{anchor}" class="chart-label">{escape(_isolated(label, rtl))}</text>'
        )
        a, b = years.index(first), years.index(last)
        x = min(x_of(a), x_of(b))
        w = (b - a + 1) * col
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="14" rx="3" class="chart-bar"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped
