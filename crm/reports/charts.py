"""Charts drawn on the server as inline SVG: no script, no external request, readable on a phone.

Every bar is a link to the records behind it, says what it is when hovered (its ``<title>``) and to a screen reader
(``aria-label``). A chart with a value axis shows a few round tick values and its unit; one with two series has a
legend. The SVG scales with its container (``viewBox``, width 100 %); labels are escaped.
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
    axis_label: str = ""  # a shorter label under a column when many share the axis ("3" for 3月); else ``label``


def nice_ticks(top: float, count: int = 4) -> list[Decimal]:
    """Round axis values from 0 to at least ``top``: a step of 1, 2 or 5 × 10ⁿ, about ``count`` steps.

    ``nice_ticks(37)`` is 0, 10, 20, 30, 40; ``nice_ticks(0)`` is 0, 0.5, 1 (an empty chart still has an axis)."""
    top = Decimal(str(top)) if top > 0 else Decimal(1)
    rough = top / count
    magnitude = Decimal(10) ** rough.adjusted()  # the power of ten at or below the rough step
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    ticks = [Decimal(0)]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    # 10 and not 1E+1: whole ticks lose the exponent normalize() would give them, others their trailing zeros.
    return [t.to_integral_value() if t == t.to_integral_value() else t.normalize() for t in ticks]


def _bar_link(bar: Bar, text: str) -> str:
    """The opening of a bar: a link to its records, its text as tooltip and as accessible name."""
    return (f'<a href="{escape(bar.href)}" data-key="{escape(bar.key)}" class="crm-chart-link" aria-label="{text}">'
            f"<title>{text}</title>")


def _text_width(text: str, size: int = 11) -> float:
    """About how wide ``text`` is drawn: a CJK character is as wide as the font size, a Latin one a little over half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def _with_unit(value: Decimal | int, unit: str) -> Markup:
    """"7个" in Chinese, "7 projects" in English: a unit in Latin letters is set off by a space."""
    gap = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    return escape(f"{chart_value(value)}{gap}{unit}")


def _legend(x: float, y: float, entries: list[tuple[str, str, bool]]) -> str:
    """A legend row: (colour, name, is_line) per series, a swatch (or a stroke for a line) then the name."""
    parts, at = [], x
    for colour, name, is_line in entries:
        swatch = (f'<line x1="{at:.1f}" y1="{y - 4}" x2="{at + 14:.1f}" y2="{y - 4}" stroke="{colour}" stroke-width="2"></line>'
                  if is_line else f'<rect x="{at:.1f}" y="{y - 9}" width="14" height="10" fill="{colour}"></rect>')
        parts.append(f'{swatch}<text x="{at + 18:.1f}" y="{y}" font-size="11" fill="#495057">{escape(name)}</text>')
        at += 18 + _text_width(name) + 14
    return f'<g class="crm-chart-legend">{"".join(parts)}</g>'


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
        plain = f"{bar.label} {chart_value(bar.value)}" + (f" · {bar.note}" if bar.note else "")
        text = escape(plain)
        # White text must lie on its bar: a bar is at least as wide as its label (long in English).
        w = min(width, max(90 + (width - 100) * float(bar.value) / top, _text_width(plain, 13) + 16))
        x, y = (width - w) / 2, gap + index * (row + gap)
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            _bar_link(bar, text)
            + f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row}" rx="4" fill="{colour}"></rect>'
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
            _bar_link(bar, f"{escape(bar.label)} {_with_unit(bar.value, unit)}")
            + f'<text x="{label_w - 4}" y="{y + row / 2 + 4}" text-anchor="end" font-size="12" fill="#212529">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row}" rx="3" fill="{COLOURS[0]}"></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + row / 2 + 4}" font-size="12" fill="#212529">{_with_unit(bar.value, unit)}</text></a>'
        )
    return _svg(width, height, title, "".join(parts))


def columns(title: str, bars: list[Bar], line: list[Decimal] | None = None, unit: str = "", line_name: str = "",
            bar_name: str = "") -> Markup:
    """Monthly columns (e.g. 签约金额), with an optional second series drawn as a line (e.g. 到位资金) on the same
    axis: round tick values on the left with the unit above them, the months below, a legend when there are two."""
    width, height, bottom, left, right = 360, 200, 24, 44, 8
    legend_h = 18 if line else 0
    plot_top = 26 + legend_h  # room for the unit (and the legend) above the plot
    plot_h = height - bottom - plot_top
    base = height - bottom
    n = max(1, len(bars))
    step = (width - left - right) / n
    ticks = nice_ticks(max([float(b.value) for b in bars] + [float(v) for v in (line or [])] + [0]))
    top = float(ticks[-1])

    def y_of(value: Decimal | int | float) -> float:
        return base - plot_h * float(value) / top

    parts = []
    if line:
        parts.append(_legend(left, 12, [(COLOURS[0], bar_name or title, False), (COLOURS[6], line_name, True)]))
    parts.append(f'<text x="2" y="{plot_top - 12}" font-size="11" fill="#495057" '  # from the left edge: "100M CNY" too
                 f'class="crm-chart-unit">{escape(unit)}</text>')
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{"#adb5bd" if not tick else "#e9ecef"}"></line>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#495057" class="crm-chart-tick">'
                     f"{chart_value(tick)}</text>")
    for index, bar in enumerate(bars):
        h = base - y_of(bar.value)
        x = left + index * step + step * 0.15
        parts.append(
            _bar_link(bar, f"{escape(bar.label)} {escape(bar_name)} {chart_value(bar.value)} {escape(unit)}".replace("  ", " "))
            + f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{max(h, 0.5):.1f}" fill="{COLOURS[0]}"></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{base + 14}" text-anchor="middle" font-size="11" fill="#495057">{escape(bar.axis_label or bar.label)}</text></a>'
        )
    if line:
        points = " ".join(f"{left + i * step + step / 2:.1f},{y_of(v):.1f}" for i, v in enumerate(line))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{COLOURS[6]}" stroke-width="2"><title>{escape(line_name)}</title></polyline>')
        for i, v in enumerate(line):
            month = escape(bars[i].label) + " " if i < len(bars) else ""
            text = f"{month}{escape(line_name)} {chart_value(v)} {escape(unit)}"
            parts.append(f'<circle cx="{left + i * step + step / 2:.1f}" cy="{y_of(v):.1f}" r="3" fill="{COLOURS[6]}" '
                         f'role="img" aria-label="{text}"><title>{text}</title></circle>')
    return _svg(width, height, title, "".join(parts))
