"""The server-drawn charts (crm/reports/charts.py): round axis values with their unit, a tooltip and an accessible
name on every bar, a legend where two series share the plot, and nothing that would reach outside the page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from crm.reports.charts import Bar, columns, funnel, hbars, nice_ticks


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (37, ["0", "10", "20", "30", "40"]),
        (123, ["0", "50", "100", "150"]),
        (3.7, ["0", "1", "2", "3", "4"]),
        (0.3, ["0", "0.1", "0.2", "0.3"]),
        (2_400_000, ["0", "1000000", "2000000", "3000000"]),
        (0, ["0", "0.5", "1"]),  # an empty chart still has an axis
    ],
)
def test_ticks_are_round_and_reach_the_top(top, expected):
    ticks = nice_ticks(top)
    assert [str(t) for t in ticks] == expected
    assert ticks[-1] >= Decimal(str(top))


def _bars(*values):
    return [Bar(f"{i + 1}月", Decimal(v), f"/projects/?m={i + 1}", key=str(i + 1)) for i, v in enumerate(values)]


def _links(svg: str) -> list[str]:
    return re.findall(r"<a [^>]*>.*?</a>", svg)


def test_columns_have_an_axis_with_unit_a_tooltip_per_bar_and_a_legend_for_two_series():
    svg = str(columns("逐月签约", _bars("3.5", "12", "0"), line=[Decimal("1"), Decimal("7.25"), Decimal("0")],
                      unit="亿元", line_name="到位资金", bar_name="签约总投资"))
    assert re.findall(r'class="crm-chart-tick">([^<]*)<', svg) == ["0", "5", "10", "15"]
    assert 'class="crm-chart-unit">亿元<' in svg
    links = _links(svg)
    assert len(links) == 3
    assert 'aria-label="2月 签约总投资 12 亿元"' in links[1] and "<title>2月 签约总投资 12 亿元</title>" in links[1]
    assert all("<title>" in link and "aria-label=" in link for link in links)
    legend = re.search(r'<g class="crm-chart-legend">(.*?)</g>', svg).group(1)
    assert "签约总投资" in legend and "到位资金" in legend
    assert svg.count("<circle") == 3 and "<title>2月 到位资金 7.25 亿元</title>" in svg


def test_one_series_needs_no_legend():
    svg = str(columns("逐月签约", _bars("1", "2"), unit="亿元"))
    assert "crm-chart-legend" not in svg
    assert re.findall(r'class="crm-chart-tick">([^<]*)<', svg) == ["0", "0.50", "1", "1.50", "2"]


def test_a_bar_scales_to_the_top_tick_not_to_the_largest_value():
    """A 37 bar against an axis to 40 ends at 37/40 of the plot, where the 40 line is the top: the ticks tell the truth."""
    svg = str(columns("t", _bars("37", "40")))
    heights = [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]
    assert heights[0] / heights[1] == pytest.approx(37 / 40, abs=0.01)


def test_funnel_and_hbars_name_every_bar_and_escape_labels():
    svg = str(funnel("漏斗", [Bar("签约<b>", 3, "/p?stage=signed", note="1.20 亿元", key="signed"), Bar("开工", 0, "/p?s=started")]))
    links = _links(svg)
    assert len(links) == 2
    assert 'aria-label="签约&lt;b&gt; 3 · 1.20 亿元"' in links[0] and "<title>签约&lt;b&gt; 3 · 1.20 亿元</title>" in links[0]
    assert "<b>" not in svg
    svg = str(hbars("各单位", [Bar("第一招商分局", 5, "/p?unit=1")], unit="个"))
    assert 'aria-label="第一招商分局 5个"' in svg and "<title>第一招商分局 5个</title>" in svg


def test_charts_make_no_request_and_need_no_script():
    for svg in (columns("t", _bars("1"), line=[Decimal(1)], line_name="x"), funnel("f", _bars("2")), hbars("h", _bars("3"))):
        text = str(svg).replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "<script" not in text and "http" not in text and "href=\"/" in text


def test_twelve_months_show_short_labels_under_the_columns_and_full_ones_in_the_tooltip():
    bars = [Bar(f"{m}月", Decimal(m), f"/p?m={m}", key=str(m), axis_label=str(m)) for m in range(1, 13)]
    svg = str(columns("逐月", bars, unit="亿元", bar_name="签约总投资"))
    under = re.findall(r'text-anchor="middle" font-size="11" fill="#495057">([^<]*)</text></a>', svg)
    assert under == [str(m) for m in range(1, 13)]
    assert "<title>12月 签约总投资 12 亿元</title>" in svg


def test_the_legend_fits_the_chart_in_english_too():
    svg = str(columns("Monthly", _bars("1"), line=[Decimal(1)], unit="100M CNY", line_name="Funds in place",
                      bar_name="Signed total investment"))
    legend = re.search(r'<g class="crm-chart-legend">(.*?)</g>', svg).group(1)
    last_x = float(re.findall(r'<text x="([^"]+)"', legend)[-1])
    assert last_x + 0.58 * 11 * len("Funds in place") < 360


def test_a_latin_unit_is_set_off_by_a_space_and_a_funnel_bar_holds_its_label():
    svg = str(hbars("By unit", [Bar("Bureau 1", 7, "/p?unit=1")], unit="projects"))
    assert "<title>Bureau 1 7 projects</title>" in svg and ">7 projects</text>" in svg
    assert "7个" in str(hbars("各单位", [Bar("一局", 7, "/p?unit=1")], unit="个"))
    label = "In production 2 · 6.70 (100M CNY)"
    svg = str(funnel("Funnel", [Bar("Talks", 100, "/p?s=talks"), Bar("In production", 2, "/p?s=p", note="6.70 (100M CNY)")]))
    width = float(re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)[1])
    assert width >= 0.58 * 13 * len(label)
