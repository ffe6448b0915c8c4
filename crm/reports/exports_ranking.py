"""月评比 and 季奖惩 as .xlsx: a unit per row, the scorecard's items as columns."""

from __future__ import annotations

from decimal import Decimal

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.reports import Item, QuarterRow, UnitScore
from crm.reports import labels as L
from crm.reports.exports import Sheet, book_response
from crm.reports.ranking import LateUnit, QuarterView, SlowProject
from crm.web.joins import semicolons
from crm.web.xlsx import Column, Field


def _points(score: UnitScore, item: Item) -> Decimal | None:
    return next((line.points for line in reversed(score.lines) if line.item == item), None)


def score_fields() -> list[Field[UnitScore]]:
    return [
        Field(Column(_l("名次"), 6), lambda s: s.rank),
        Field(Column(_l("单位"), 20), lambda s: s.name),
        Field(Column(_l("总分"), 8), lambda s: s.total),
        *(Field(Column(str(L.ITEM_LABELS[item]), 14), lambda s, item=item: _points(s, item)) for item in L.ITEM_LABELS),
        Field(Column(_l("得分说明"), 60),
              lambda s: semicolons(_("%(item)s %(points)s 分：%(why)s", item=L.ITEM_LABELS[l.item], points=L.points(l.points),
                                     why=L.explain(l)) for l in s.lines)),
    ]


def ranking_book(root_name: str, period: str, scores: list[UnitScore], published: bool) -> Response:
    status = _("已发布") if published else _("实时计算（未发布）")
    return book_response(f"月评比-{period}.xlsx", [
        Sheet.of(_("月评比"), score_fields(), scores, heading=f"{root_name} {period} " + _("月评比（%(status)s）", status=status)),
    ])


def quarter_fields(periods: tuple[str, ...]) -> list[Field[QuarterRow]]:
    return [
        Field(Column(_l("名次"), 6), lambda r: r.rank),
        Field(Column(_l("单位"), 20), lambda r: r.name),
        *(Field(Column(_l("%(period)s 得分", period=p), 12), lambda r, month=month: r.monthly[month]) for month, p in enumerate(periods)),
        Field(Column(_l("季度平均分"), 12), lambda r: r.average),
        Field(Column(_l("结论"), 12), lambda r: str(L.VERDICT_LABELS[r.verdict]) if r.verdict else ""),
    ]


LATE_UNIT_FIELDS: list[Field[LateUnit]] = [
    Field(Column(_l("责任单位"), 24), lambda u: u.name),
    Field(Column(_l("逾期节点（个）"), 14, total=True), lambda u: u.missed),
]
SLOW_PROJECT_FIELDS: list[Field[SlowProject]] = [
    Field(Column(_l("项目"), 28), lambda p: p.project.name),
    Field(Column(_l("跟踪单位"), 20), lambda p: p.project.unit.name),
    Field(Column(_l("逾期节点（个）"), 14, total=True), lambda p: p.overdue),
]


def quarter_book(root_name: str, view: QuarterView) -> Response:
    year, q = view.year, view.quarter
    return book_response(f"季度奖惩-{year}Q{q}.xlsx", [
        Sheet.of(_("季度评比"), quarter_fields(view.periods), view.rows,
                 heading=f"{root_name} " + _("%(year)s年第%(q)s季度评比", year=year, q=q)),
        Sheet.of(_("节点逾期单位"), LATE_UNIT_FIELDS, view.late_milestone_units),
        Sheet.of(_("推进缓慢项目"), SLOW_PROJECT_FIELDS, view.slow_projects),
    ])
