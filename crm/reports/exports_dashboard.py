"""The dashboard as .xlsx (年度目标, 在库项目, every 分类统计 in full, 三个一项目), and the lists behind its figures
(到位资金, 逾期节点) streamed as they are read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.companies import FundingSource
from crm.domain.pipeline import Stage
from crm.domain.projects import FundPurpose, MilestoneKind
from crm.reports.exports import Sheet, book_response, percent_cell
from crm.reports.figures import Breakdown, BreakdownRow, IndicatorRow, StockRow
from crm.reports.watch import KeyRow
from crm.web.labels import label, label_text, label_texts
from crm.web.rag_text import reasons_text
from crm.web.xlsx import Column, Field, fields_response, query_rows

LIST_LIMIT = 50_000
# Each breakdown's sheet title and the header of its first column.
BREAKDOWN_TITLES = {"unit": (_l("分单位"), _l("单位")), "chain": (_l("分产业链"), _l("产业链")),
                    "category": (_l("分行业门类"), _l("行业门类")), "band": (_l("分规模档"), _l("规模档")),
                    "tag": (_l("分企业标签"), _l("企业标签")), "leader": (_l("分包领导"), _l("包领导")),
                    "source": (_l("分资金来源地"), _l("资金来源地"))}


def target_fields(n: str) -> list[Field[IndicatorRow]]:
    """``n`` names the months counted ("1–4月")."""
    return [
        Field(Column(_l("指标"), 26), lambda r: label_text(r.indicator)),
        Field(Column(_l("年度目标"), 14), lambda r: r.progress.target),
        Field(Column(_l("%(months)s完成", months=n), 14), lambda r: r.progress.actual),
        Field(Column(_l("完成率（%）"), 12), lambda r: percent_cell(r.progress.completion)),
        Field(Column(_l("序时进度（%）"), 12), lambda r: percent_cell(r.progress.schedule)),
        Field(Column(_l("超（欠）进度（百分点）"), 18), lambda r: percent_cell(r.progress.ahead)),
        Field(Column(_l("同比（%）"), 10), lambda r: percent_cell(r.yoy)),
        Field(Column(_l("统计月份"), 10), lambda r: r.period),
    ]


STOCK_FIELDS: list[Field[StockRow]] = [
    Field(Column(_l("阶段"), 10), lambda r: label_text(r.stage)),
    Field(Column(_l("项目（个）"), 10, total=True), lambda r: r.count),
    Field(Column(_l("总投资（万元）"), 16, total=True), lambda r: r.total),
    Field(Column(_l("合同引资额（万元）"), 18, total=True), lambda r: r.contracted),
]


def breakdown_fields(title: str, stages: list[Stage]) -> list[Field[BreakdownRow]]:
    return [
        Field(Column(title, 20), lambda r: r.label or _("未填")),
        *(Field(Column(_l("%(stage)s（个）", stage=label(s)), 10, total=True), lambda r, s=s: r.by_stage.get(s, 0)) for s in stages),
        Field(Column(_l("合计（个，不含中止）"), 14, total=True), lambda r: r.count),
        Field(Column(_l("总投资（万元，不含中止）"), 18, total=True), lambda r: r.total),
    ]


KEY_FIELDS: list[Field[KeyRow]] = [
    Field(Column(_l("项目"), 28), lambda r: r.project.name),
    Field(Column(_l("跟踪单位"), 18), lambda r: r.project.unit.name),
    Field(Column(_l("阶段"), 8), lambda r: label_text(r.project.stage)),
    Field(Column(_l("红黄绿"), 6), lambda r: label_text(r.rag[0])),
    Field(Column(_l("原因"), 30), lambda r: reasons_text(r.rag[1])),
    Field(Column(_l("分包县级领导"), 16), lambda r: "、".join(u.display_name for u in r.leaders)),
    Field(Column(_l("总投资（万元）"), 16, total=True), lambda r: r.project.total_investment),
]


def dashboard_book(root_name: str, period: str, months: int, indicators: list[IndicatorRow], stocks: dict[Stage, StockRow],
                   stages: list[Stage], breakdowns: dict[str, Breakdown], keys: list[KeyRow]) -> Response:
    """``stages``: the 在库 columns (every stage shown, 暂缓 and 中止 last); a stage without projects is a row of zeros."""
    sheets = [
        Sheet.of(_("年度目标"), target_fields(_("1–%(n)d月", n=months)), indicators, heading=f"{root_name} {period}"),
        Sheet.of(_("在库项目"), STOCK_FIELDS, [stocks.get(s, StockRow(s)) for s in stages]),
    ]
    for key, part in breakdowns.items():
        title, first_column = BREAKDOWN_TITLES[key]
        sheets.append(Sheet.of(str(title), breakdown_fields(str(first_column), stages), part.rows))
    sheets.append(Sheet.of(_("三个一项目"), KEY_FIELDS, keys))
    return book_response(f"工作台-{period}.xlsx", sheets)


# --- the lists behind the figures ------------------------------------------------------------------
class FundLine(NamedTuple):
    period: str
    project: str
    unit: str
    amount: Decimal
    source: FundingSource
    purpose: FundPurpose
    note: str | None


def funds_export(listed: sa.Select[Any]) -> Response:
    """``listed``: the fund list's query of 到位资金 joined to their projects, in the list's order."""
    from crm.progress.models import FundArrival
    from crm.projects.models import Project
    from crm.units.models import Unit

    stmt = (
        listed.with_only_columns(FundArrival.period, Project.name, Unit.name, FundArrival.amount, FundArrival.source,
                                 FundArrival.purpose, FundArrival.note, maintain_column_froms=True)
        .join(Unit, Unit.id == Project.unit_id)
        .limit(LIST_LIMIT)
    )
    text = label_texts()
    fields: list[Field[FundLine]] = [
        Field(Column(_l("期间"), 10), lambda l: l.period),
        Field(Column(_l("项目"), 28), lambda l: l.project),
        Field(Column(_l("跟踪单位"), 18), lambda l: l.unit),
        Field(Column(_l("本期到位（万元）"), 16, total=True), lambda l: l.amount),
        Field(Column(_l("来源地"), 12), lambda l: text(l.source)),
        Field(Column(_l("用途"), 10), lambda l: text(l.purpose)),
        Field(Column(_l("备注"), 30), lambda l: l.note),
    ]
    return fields_response("到位资金.xlsx", _("到位资金"), fields, query_rows(stmt, FundLine._make, objects=False))


class MilestoneLine(NamedTuple):
    """A line of ``crm.reports.watch.overdue_milestone_lines``, in its columns' order."""

    project: str
    unit: str
    kind: MilestoneKind
    planned_on: date
    responsible: str | None


def milestones_export(lines: sa.Select[Any], today: date) -> Response:
    """``lines``: ``overdue_milestone_lines`` as of ``today`` (at most ``LIST_LIMIT``)."""
    text = label_texts()
    fields: list[Field[MilestoneLine]] = [
        Field(Column(_l("项目"), 28), lambda l: l.project),
        Field(Column(_l("跟踪单位"), 18), lambda l: l.unit),
        Field(Column(_l("节点"), 12), lambda l: text(l.kind)),
        Field(Column(_l("计划日期"), 12), lambda l: l.planned_on),
        Field(Column(_l("逾期天数"), 10, total=True), lambda l: (today - l.planned_on).days),
        Field(Column(_l("责任单位"), 18), lambda l: l.responsible or ""),
    ]
    # Streamed as plain rows (a city's 30,000 逾期节点 were objects held whole: +50 MB, 2 s to the first byte).
    return fields_response("逾期节点.xlsx", _("逾期节点"), fields, query_rows(lines, MilestoneLine._make, objects=False))
