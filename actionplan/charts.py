"""Server-rendered SVG charts that mirror for right-to-left pages (no JavaScript)."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


@dataclass
class Bar:
    label: str
    value: float
    display: str


def bar_chart(bars: list[Bar], *, rtl: bool, title: str, width: int = 640) -> str:
    """Horizontal bars growing from the inline start: left to right in English, right to left in Arabic."""
    row, label_width, gap = 44, 230, 12
    height = row * len(bars) + 16
    plot = width - label_width - gap - 90
    top = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = 8 + index * row
        length = max(2, round(plot * bar.value / top))
        if rtl:
            label_x, anchor = width, "end"
            bar_x = width - label_width - gap - length
            value_x, value_anchor = bar_x - 6, "end"
        else:
            label_x, anchor = 0, "start"
            bar_x = label_width + gap
            value_x, value_anchor = bar_x + length + 6, "start"
        parts.append(
            f'<text x="{label_x}" y="{y + 22}" text-anchor="{anchor}" class="chart-label">{escape(bar.label)}</text>'
            f'<rect x="{bar_x}" y="{y + 6}" width="{length}" height="24" rx="3" class="chart-bar"/>'
            f'<text x="{value_x}" y="{y + 23}" text-anchor="{value_anchor}" class="chart-value">{escape(bar.display)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def timeline(rows, *, start: int, end: int, rtl: bool) -> str:
    """A Gantt-like timeline of deliverables over the plan's years, mirrored in RTL."""
    years = list(range(start, end + 1))
    width, label_width, row_h = 640, 70, 22
    col = (width - label_width) / len(years)
    height = 24 + row_h * len(rows)
    title = _("Timeline of deliverables")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="timeline-title" class="chart timeline">',
        f'<title id="timeline-title">{escape(title)}</title>',
    ]

    def x_of(year_index):
        offset = label_width + year_index * col
        return width - offset - col if rtl else offset

    for i, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(i) + col / 2:.1f}" y="14" text-anchor="middle" class="chart-value">{year}</text>'
        )
    for r, (label, first, last) in enumerate(rows):
        y = 22 + r * row_h
        label_x = width if rtl else 0
        anchor = "end" if rtl else "start"
        parts.append(
            f'<text x="{label_x}" y="{y + 14}" text-anchor="{anchor}" class="chart-label">{escape(label)}</text>'
        )
        a, b = years.index(first), years.index(last)
        x = min(x_of(a), x_of(b))
        w = (b - a + 1) * col
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="14" rx="3" class="chart-bar"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped
