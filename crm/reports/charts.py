"""Charts drawn on the server as inline SVG: no script, no external request, readable on a phone.

Every bar is a link to the records behind it. The SVG scales with its container (``viewBox``,
width 100 %); labels are escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from crm.web.money import chart_value
from markupsafe import Markup, escape

COLOURS = ["#0d6efd", "#3d8bfd", "#6ea8fe", "#198754", "#20c997", "#ffc107", "#fd7e14", "#6c757d"]
FONT = "system-ui, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    href: str
    note: str = ""  # shown after the value, e.g. "12.30 亿元"
    key: str = ""  # data-key, for tests and styling


def _svg(width: int, height: int, title: str, body: str) -> Markup:
    return Markup(
        f'<svg class="crm-chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" style="max-width:{width}px;font-family:{FONT}">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def funnel(title: str, bars: list[Bar]) -> Markup:
    """Centred bars, widest first stage on top; the width follows the count (never narrower than a label)."""
    width, row, gap = 360, 34, 6
    height = len(bars) * (row + gap) + gap
    top = max((float(b.value) for b in bars), default=0) or 1
    parts = []
    for index, bar in enumerate(bars):
        w = 90 + (width - 100) * float(bar.value) / top
        x, y = (width - w) / 2, gap + index * (row + gap)
        colour = COLOURS[index % len(COLOURS)]
        text = f"{escape(bar.label)} {chart_value(bar.value)}" + (f" · {escape(bar.note)}" if bar.note else "")
        parts.append(
            f'<a href="{escape(bar.href)}" data-key="{escape(bar.key)}" class="crm-chart-link">'
            f"<title>{text}</title>"
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row}" rx="4" fill="{colour}"></rect>'
            f'<text x="{width / 2}" y="{y + row / 2 + 5}" text-anchor="middle" font-size="13" fill="#fff">{text}</text></a>'
        )
    return _svg(width, height, title, "".join(parts))


def hbars(title: str, bars: list[Bar], unit: str = "") -> Markup:
    """Horizontal bars with the label on the left and the value on the right."""
    width, row, gap, label_w, value_w = 360, 22, 6, 110, 80
    height = max(1, len(bars)) * (row + gap) + gap
    top = max((float(b.value) for b in bars), default=0) or 1
    parts = []
    for index, bar in enumerate(bars):
        y = gap + index * (row + gap)
        w = max(1.0, (width - label_w - value_w) * float(bar.value) / top)
        label = bar.label if len(bar.label) <= 8 else bar.label[:7] + "…"
        parts.append(
            f'<a href="{escape(bar.href)}" data-key="{escape(bar.key)}" class="crm-chart-link">'
            f"<title>{escape(bar.label)} {chart_value(bar.value)}{escape(unit)}</title>"
            f'<text x="{label_w - 4}" y="{y + row / 2 + 4}" text-anchor="end" font-size="12" fill="#212529">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row}" rx="3" fill="{COLOURS[0]}"></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + row / 2 + 4}" font-size="12" fill="#212529">{chart_value(bar.value)}{escape(unit)}</text></a>'
        )
    return _svg(width, height, title, "".join(parts))


def columns(title: str, bars: list[Bar], line: list[Decimal] | None = None, unit: str = "", line_name: str = "") -> Markup:
    """Monthly columns (e.g. 签约金额), with an optional second series drawn as a line (e.g. 到位资金)."""
    width, height, bottom, left = 360, 180, 24, 8
    plot_h = height - bottom - 16
    n = max(1, len(bars))
    step = (width - left * 2) / n
    top = max([float(b.value) for b in bars] + [float(v) for v in (line or [])] + [0]) or 1
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#adb5bd"></line>']
    for index, bar in enumerate(bars):
        h = plot_h * float(bar.value) / top
        x = left + index * step + step * 0.15
        y = height - bottom - h
        parts.append(
            f'<a href="{escape(bar.href)}" data-key="{escape(bar.key)}" class="crm-chart-link">'
            f"<title>{escape(bar.label)} {chart_value(bar.value)}{escape(unit)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{max(h, 0.5):.1f}" fill="{COLOURS[0]}"></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="11" fill="#495057">{escape(bar.label)}</text></a>'
        )
    if line:
        points = " ".join(
            f"{left + i * step + step / 2:.1f},{height - bottom - plot_h * float(v) / top:.1f}" for i, v in enumerate(line)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{COLOURS[6]}" stroke-width="2"><title>{escape(line_name)}</title></polyline>')
        for i, v in enumerate(line):
            cx, cy = left + i * step + step / 2, height - bottom - plot_h * float(v) / top
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{COLOURS[6]}"><title>{escape(line_name)} {chart_value(v)}</title></circle>')
    return _svg(width, height, title, "".join(parts))
