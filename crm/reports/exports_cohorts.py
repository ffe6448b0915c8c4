"""三率 as .xlsx: each signing cohort (a year, a 签约活动) with where its projects stand now and its rates."""

from __future__ import annotations

from flask import Response

from crm.domain.reports import CountingRules
from crm.reports.cohorts import CohortRow
from crm.reports.exports import Sheet, book_response, percent_cell
from crm.reports.labels import rules_note
from crm.web.xlsx import Column, Field

COHORT_FIELDS: list[Field[CohortRow]] = [
    Field(Column("签约批次", 24), lambda r: r.key),
    Field(Column("签约项目（个）", 12, total=True), lambda r: r.cohort.signed),
    Field(Column("履约（个）", 10, total=True), lambda r: r.cohort.active),
    Field(Column("开工含投产（个）", 14, total=True), lambda r: r.cohort.started),
    Field(Column("投产（个）", 10, total=True), lambda r: r.cohort.producing),
    Field(Column("落地（个）", 10, total=True), lambda r: r.cohort.landed),
    Field(Column("累计到位资金（万元）", 18, total=True), lambda r: r.cohort.funds_arrived),
    Field(Column("合同引资额（万元）", 18, total=True), lambda r: r.cohort.contracted),
    Field(Column("履约率（%）", 10), lambda r: percent_cell(r.rates.performance)),
    Field(Column("开工率（%）", 10), lambda r: percent_cell(r.rates.start)),
    Field(Column("资金到位率（%）", 14), lambda r: percent_cell(r.rates.funds)),
    Field(Column("投产率（%）", 10), lambda r: percent_cell(r.rates.production)),
    Field(Column("落地率（%）", 10), lambda r: percent_cell(r.rates.landing)),
]


def cohorts_book(root_name: str, years: list[CohortRow], events: list[CohortRow], rules: CountingRules) -> Response:
    notes = [rules_note(rules.to_json())]
    return book_response("三率.xlsx", [
        Sheet.of("按签约年度", COHORT_FIELDS, years, heading=f"{root_name} 三率（按签约年度）", notes=notes),
        Sheet.of("按签约活动", COHORT_FIELDS, events, heading=f"{root_name} 三率（按签约活动）", notes=notes),
    ])
