"""同比 as shown (issue 14): a rate where there is one; 新增 where last year had nothing and this year has something;
"—" where both are nothing or last year's base is too tiny to compare (crm.domain.kpi.yoy gives no rate then)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from flask import render_template_string

from crm.domain.kpi import yoy
from crm.web.money import year_on_year


def test_a_rate_reads_as_a_percentage():
    assert year_on_year(yoy(150, 100), 150, 100) == "50.00%"


def test_nothing_last_year_and_something_now_is_new():
    assert yoy(350, 0) is None
    assert year_on_year(yoy(350, 0), 350, 0) == "新增"
    assert year_on_year(None, Decimal("12.5"), None) == "新增"


def test_a_tiny_base_or_nothing_at_all_is_a_dash():
    assert year_on_year(yoy(3_717_000, 30_000), 3_717_000, 30_000) == "—"  # under 1 % of this year's
    assert year_on_year(yoy(0, 0), 0, 0) == "—"
    assert year_on_year(None) == "—"


def test_the_monthly_report_cell_says_new_for_a_stage_with_nothing_last_year(app):
    cell = SimpleNamespace
    cells = {"signed.yoy_total": cell(frozen=None, live=None, changed=False),
             "signed.cum_total": cell(frozen=Decimal(35_000), live=Decimal(35_000), changed=False),
             "signed.ly_cum_total": cell(frozen=Decimal(0), live=Decimal(0), changed=False),
             "started.yoy_total": cell(frozen=None, live=None, changed=False),
             "started.cum_total": cell(frozen=Decimal(0), live=Decimal(0), changed=False),
             "started.ly_cum_total": cell(frozen=Decimal(0), live=Decimal(0), changed=False)}
    source = ('{% from "reports/_monthly_tables.html" import cell %}'
              "{{ cell(cells, s ~ '.yoy_total', percent=True, yoy_of=(s ~ '.cum_total', s ~ '.ly_cum_total')) }}")
    with app.test_request_context("/"):
        assert render_template_string(source, cells=cells, s="signed").strip() == "新增"
        assert render_template_string(source, cells=cells, s="started").strip() == "—"
