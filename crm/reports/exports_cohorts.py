"""三率 as .xlsx: each signing cohort (a year, a 签约活动) with where its projects stand now and its rates."""

from __future__ import annotations

from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.reports import CountingRules
from crm.reports.cohorts import Breakdowns, CohortRow
from crm.reports.exports import Sheet, book_response, percent_cell
from crm.reports.labels import rules_note
from crm.web.xlsx import Column, Field

COHORT_FIELDS: list[Field[CohortRow]] = [
    Field(Column(_l("签约批次"), 24), lambda r: r.key),
    Field(Column(_l("签约项目（个）"), 12, total=True), lambda r: r.cohort.signed),
    Field(Column(_l("履约（个）"), 10, total=True), lambda r: r.cohort.active),
    Field(Column(_l("开工含投产（个）"), 14, total=True), lambda r: r.cohort.started),
    Field(Column(_l("投产（个）"), 10, total=True), lambda r: r.cohort.producing),
    Field(Column(_l("落地（个）"), 10, total=True), lambda r: r.cohort.landed),
    Field(Column(_l("累计到位资金（万元）"), 18, total=True), lambda r: r.cohort.funds_arrived),
    Field(Column(_l("合同引资额（万元）"), 18, total=True), lambda r: r.cohort.contracted),
    Field(Column(_l("履约率（%）"), 10), lambda r: percent_cell(r.rates.performance)),
    Field(Column(_l("开工率（%）"), 10), lambda r: percent_cell(r.rates.start)),
    Field(Column(_l("资金到位率（%）"), 14), lambda r: percent_cell(r.rates.funds)),
    Field(Column(_l("投产率（%）"), 10), lambda r: percent_cell(r.rates.production)),
    Field(Column(_l("落地率（%）"), 10), lambda r: percent_cell(r.rates.landing)),
]


def cohorts_book(root_name: str, years: list[CohortRow], events: list[CohortRow], by: Breakdowns, rules: CountingRules) -> Response:
    notes = [rules_note(rules.to_json())]
    return book_response("三率.xlsx", [
        Sheet.of(_("按签约年度"), COHORT_FIELDS, years, heading=f"{root_name} " + _("三率（按签约年度）"), notes=notes),
        Sheet.of(_("按签约活动"), COHORT_FIELDS, events, heading=f"{root_name} " + _("三率（按签约活动）"), notes=notes),
        Sheet.of(_("按单位"), COHORT_FIELDS, by.units, heading=f"{root_name} " + _("三率（按单位）"), notes=notes),
        Sheet.of(_("按分包县级领导"), COHORT_FIELDS, by.leaders, heading=f"{root_name} " + _("三率（按分包县级领导）"), notes=notes),
    ])
