"""The dashboard as .xlsx (年度目标, 在库项目, every 分类统计 in full, 三个一项目), and the lists behind its figures
(到位资金, 逾期节点) streamed as they are read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import Response

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
BREAKDOWN_TITLES = {"unit": "分单位", "chain": "分产业链", "category": "分行业门类", "band": "分规模档", "tag": "分企业标签",
                    "leader": "分包领导", "source": "分资金来源地"}


def target_fields(n: str) -> list[Field[IndicatorRow]]:
    """``n`` names the months counted ("1–4月")."""
    return [
        Field(Column("指标", 26), lambda r: label_text(r.indicator)),
        Field(Column("年度目标", 14), lambda r: r.progress.target),
        Field(Column(f"{n}完成", 14), lambda r: r.progress.actual),
        Field(Column("完成率（%）", 12), lambda r: percent_cell(r.progress.completion)),
        Field(Column("序时进度（%）", 12), lambda r: percent_cell(r.progress.schedule)),
        Field(Column("超（欠）进度（百分点）", 18), lambda r: percent_cell(r.progress.ahead)),
        Field(Column("同比（%）", 10), lambda r: percent_cell(r.yoy)),
        Field(Column("统计月份", 10), lambda r: r.period),
    ]


STOCK_FIELDS: list[Field[StockRow]] = [
    Field(Column("阶段", 10), lambda r: label_text(r.stage)),
    Field(Column("项目（个）", 10, total=True), lambda r: r.count),
    Field(Column("总投资（万元）", 16, total=True), lambda r: r.total),
    Field(Column("合同引资额（万元）", 18, total=True), lambda r: r.contracted),
]


def breakdown_fields(title: str, stages: list[Stage]) -> list[Field[BreakdownRow]]:
    return [
        Field(Column(title[1:], 20), lambda r: r.label or "未填"),  # "分单位" → "单位"
        *(Field(Column(f"{label(s)}（个）", 10, total=True), lambda r, s=s: r.by_stage.get(s, 0)) for s in stages),
        Field(Column("合计（个，不含中止）", 14, total=True), lambda r: r.count),
        Field(Column("总投资（万元，不含中止）", 18, total=True), lambda r: r.total),
    ]


KEY_FIELDS: list[Field[KeyRow]] = [
    Field(Column("项目", 28), lambda r: r.project.name),
    Field(Column("跟踪单位", 18), lambda r: r.project.unit.name),
    Field(Column("阶段", 8), lambda r: label_text(r.project.stage)),
    Field(Column("红黄绿", 6), lambda r: label_text(r.rag[0])),
    Field(Column("原因", 30), lambda r: reasons_text(r.rag[1])),
    Field(Column("分包县级领导", 16), lambda r: "、".join(u.display_name for u in r.leaders)),
    Field(Column("总投资（万元）", 16, total=True), lambda r: r.project.total_investment),
]


def dashboard_book(root_name: str, period: str, months: int, indicators: list[IndicatorRow], stocks: dict[Stage, StockRow],
                   stages: list[Stage], breakdowns: dict[str, Breakdown], keys: list[KeyRow]) -> Response:
    """``stages``: the 在库 columns (every stage shown, 暂缓 and 中止 last); a stage without projects is a row of zeros."""
    sheets = [
        Sheet.of("年度目标", target_fields(f"1–{months}月"), indicators, heading=f"{root_name} {period}"),
        Sheet.of("在库项目", STOCK_FIELDS, [stocks.get(s, StockRow(s)) for s in stages]),
    ]
    for key, part in breakdowns.items():
        title = BREAKDOWN_TITLES[key]
        sheets.append(Sheet.of(title, breakdown_fields(title, stages), part.rows))
    sheets.append(Sheet.of("三个一项目", KEY_FIELDS, keys))
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
        Field(Column("期间", 10), lambda l: l.period),
        Field(Column("项目", 28), lambda l: l.project),
        Field(Column("跟踪单位", 18), lambda l: l.unit),
        Field(Column("本期到位（万元）", 16, total=True), lambda l: l.amount),
        Field(Column("来源地", 12), lambda l: text(l.source)),
        Field(Column("用途", 10), lambda l: text(l.purpose)),
        Field(Column("备注", 30), lambda l: l.note),
    ]
    return fields_response("到位资金.xlsx", "到位资金", fields, query_rows(stmt, FundLine._make, objects=False))


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
        Field(Column("项目", 28), lambda l: l.project),
        Field(Column("跟踪单位", 18), lambda l: l.unit),
        Field(Column("节点", 12), lambda l: text(l.kind)),
        Field(Column("计划日期", 12), lambda l: l.planned_on),
        Field(Column("逾期天数", 10, total=True), lambda l: (today - l.planned_on).days),
        Field(Column("责任单位", 18), lambda l: l.responsible or ""),
    ]
    # Streamed as plain rows (a city's 30,000 逾期节点 were objects held whole: +50 MB, 2 s to the first byte).
    return fields_response("逾期节点.xlsx", "逾期节点", fields, query_rows(lines, MilestoneLine._make, objects=False))
