"""招商引资月报 as .xlsx: the sheets of the printed report (项目推进, 到位资金, 年度目标, 分单位), read from the report's
flat map of figures (``crm.reports.monthly``) into one typed line per row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.kpi import Indicator
from crm.domain.pipeline import Stage
from crm.reports.exports import Sheet, book_response, percent_cell
from crm.reports.labels import rules_note
from crm.reports.models import ReportSnapshot
from crm.reports.monthly import MonthlyReport
from crm.web.labels import label_text
from crm.web.xlsx import Column, Field


def _count(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


class StageLine(NamedTuple):
    stage: Stage
    month_count: int | None
    month_total: Decimal | None
    month_contracted: Decimal | None
    cum_count: int | None
    cum_total: Decimal | None
    cum_contracted: Decimal | None
    ly_cum_count: int | None
    ly_cum_total: Decimal | None
    yoy_count: Decimal | None
    yoy_total: Decimal | None

    @classmethod
    def read(cls, report: MonthlyReport, stage: Stage) -> "StageLine":
        def get(measure: str) -> Decimal | None:
            return report.get(f"{stage.value}.{measure}")

        return cls(stage, _count(get("month_count")), get("month_total"), get("month_contracted"), _count(get("cum_count")),
                   get("cum_total"), get("cum_contracted"), _count(get("ly_cum_count")), get("ly_cum_total"), get("yoy_count"),
                   get("yoy_total"))


class FundLine(NamedTuple):
    name: str
    month: Decimal | None
    cum: Decimal | None
    ly_month: Decimal | None
    ly_cum: Decimal | None
    yoy: Decimal | None

    @classmethod
    def read(cls, report: MonthlyReport) -> list["FundLine"]:
        g = report.get
        return [
            cls(_("到位资金"), g("funds.month"), g("funds.cum"), g("funds.ly_month"), g("funds.ly_cum"), g("funds.yoy")),
            cls(_("其中：省外资金"), g("funds.oop_month"), g("funds.oop_cum"), g("funds.oop_ly_month"), g("funds.oop_ly_cum"), g("funds.oop_yoy")),
            # 外资 has no 去年同月 in the printed report
            cls(_("外资（万美元）"), g("foreign.month"), g("foreign.cum"), None, g("foreign.ly_cum"), g("foreign.yoy")),
        ]


class TargetLine(NamedTuple):
    indicator: Indicator
    target: Decimal | None
    actual: Decimal | None
    completion: Decimal | None
    schedule: Decimal | None
    ahead: Decimal | None
    yoy: Decimal | None
    period: str  # the month the indicator was last reported for

    @classmethod
    def read(cls, report: MonthlyReport, indicator: Indicator, row: dict[str, Any]) -> "TargetLine":
        def get(measure: str) -> Decimal | None:
            return report.get(f"ind.{indicator.value}.{measure}")

        return cls(indicator, get("target"), get("actual"), get("completion"), get("schedule"), get("ahead"), get("yoy"), row["period"])


class UnitLine(NamedTuple):
    name: str
    signed_count: int
    signed_total: Decimal | None
    started_count: int
    funds: Decimal | None
    out_of_province: Decimal | None

    @classmethod
    def read(cls, row: dict[str, Any]) -> "UnitLine":
        return cls(row["name"], int(row["signed_count"] or 0), row["signed_total"], int(row["started_count"] or 0), row["funds"],
                   row["out_of_province"])


def stage_fields(n: str) -> list[Field[StageLine]]:
    """``n`` names the months counted ("1–4月")."""
    return [
        Field(Column(_l("阶段"), 10), lambda l: label_text(l.stage)),
        Field(Column(_l("本月个数"), 10), lambda l: l.month_count),
        Field(Column(_l("本月总投资（万元）"), 16), lambda l: l.month_total),
        Field(Column(_l("本月合同引资额（万元）"), 18), lambda l: l.month_contracted),
        Field(Column(_l("%(months)s个数", months=n), 10), lambda l: l.cum_count),
        Field(Column(_l("%(months)s总投资（万元）", months=n), 16), lambda l: l.cum_total),
        Field(Column(_l("%(months)s合同引资额（万元）", months=n), 18), lambda l: l.cum_contracted),
        Field(Column(_l("去年同期%(months)s个数", months=n), 14), lambda l: l.ly_cum_count),
        Field(Column(_l("去年同期%(months)s总投资（万元）", months=n), 20), lambda l: l.ly_cum_total),
        Field(Column(_l("个数同比（%）"), 12), lambda l: percent_cell(l.yoy_count)),
        Field(Column(_l("总投资同比（%）"), 14), lambda l: percent_cell(l.yoy_total)),
    ]


def fund_fields(n: str) -> list[Field[FundLine]]:
    return [
        Field(Column(_l("项目"), 22), lambda l: l.name),
        Field(Column(_l("本月（万元）"), 14), lambda l: l.month),
        Field(Column(_l("%(months)s（万元）", months=n), 14), lambda l: l.cum),
        Field(Column(_l("去年同月（万元）"), 16), lambda l: l.ly_month),
        Field(Column(_l("去年同期%(months)s（万元）", months=n), 20), lambda l: l.ly_cum),
        Field(Column(_l("同比（%）"), 10), lambda l: percent_cell(l.yoy)),
    ]


def target_fields(n: str) -> list[Field[TargetLine]]:
    return [
        Field(Column(_l("指标"), 26), lambda l: label_text(l.indicator)),
        Field(Column(_l("年度目标"), 14), lambda l: l.target),
        Field(Column(_l("%(months)s完成", months=n), 14), lambda l: l.actual),
        Field(Column(_l("完成年度目标（%）"), 16), lambda l: percent_cell(l.completion)),
        Field(Column(_l("序时进度（%）"), 14), lambda l: percent_cell(l.schedule)),
        Field(Column(_l("超（欠）进度（百分点）"), 18), lambda l: percent_cell(l.ahead)),
        Field(Column(_l("同比（%）"), 10), lambda l: percent_cell(l.yoy)),
        Field(Column(_l("统计月份"), 10), lambda l: l.period),
    ]


def unit_fields(n: str) -> list[Field[UnitLine]]:
    return [
        Field(Column(_l("单位"), 20), lambda l: l.name),
        Field(Column(_l("%(months)s签约个数", months=n), 12, total=True), lambda l: l.signed_count),
        Field(Column(_l("%(months)s签约总投资（万元）", months=n), 18, total=True), lambda l: l.signed_total),
        Field(Column(_l("%(months)s新开工个数", months=n), 14, total=True), lambda l: l.started_count),
        Field(Column(_l("%(months)s到位资金（万元）", months=n), 16, total=True), lambda l: l.funds),
        Field(Column(_l("%(months)s其中省外资金（万元）", months=n), 20, total=True), lambda l: l.out_of_province),
    ]


def monthly_book(report: MonthlyReport, period: str, snapshot: ReportSnapshot | None, stages: list[Stage],
                 indicators: list[tuple[Indicator, dict[str, Any]]]) -> Response:
    """The report shown for ``period`` (the published one when ``snapshot``), its ``stages`` and ``indicators``."""
    n = _("1–%(n)d月", n=report.months)
    status = _("已发布（%(at)s）", at=snapshot.published_at.strftime("%Y-%m-%d")) if snapshot else _("实时数据（未发布）")
    heading = _("%(unit)s招商引资月报（%(y)s年%(months)s）", unit=report.unit_name, y=period[:4], months=n) + f"  {status}"
    return book_response(f"招商引资月报-{period}.xlsx", [
        Sheet.of(_("项目推进"), stage_fields(n), [StageLine.read(report, s) for s in stages], heading=heading,
                 notes=[rules_note(report.rules)]),
        Sheet.of(_("到位资金"), fund_fields(n), FundLine.read(report), heading=heading),
        Sheet.of(_("年度目标"), target_fields(n), [TargetLine.read(report, i, row) for i, row in indicators], heading=heading),
        Sheet.of(_("分单位"), unit_fields(n), [UnitLine.read(u) for u in report.units], heading=heading),
    ])
