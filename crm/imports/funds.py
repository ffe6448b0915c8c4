"""The 到位资金 kind: a row is one project's money in one month (月份 + 本期到位) or several (a column per month).

The project is the unit's project of that name (and investor, when the row gives one). Each month becomes a
到位资金 entry through the progress service, waiting for review like one typed in (it counts once approved).
A month the project already has with the same money is unchanged; with other money, the entry not yet approved
is corrected. Defaults: 来源地 the project's (else its investor's), 用途 固定资产.
"""

from __future__ import annotations

from typing import Any

from crm.domain.imports.plan import Action, Change, RowPlan
from crm.domain.imports.problems import Code, Problem
from crm.domain.imports.records import FundRecord
from crm.domain.projects import FundPurpose, ReviewStatus
from crm.extensions import db
from crm.imports import messages
from crm.imports.companies import Written
from crm.imports.context import Context, shown
from crm.imports.queries import project_funds
from crm.progress.models import FundArrival
from crm.progress.services import FundData, create_fund, update_fund
from crm.projects.models import Project

DEFAULT_PURPOSE = FundPurpose.FIXED_ASSETS


def _project(ctx: Context, row: int, record: FundRecord, errors: list[str]) -> Project | None:
    assert ctx.unit is not None
    found = ctx.unit_projects(record.project)
    if record.investor and len(found) > 1:
        found = [p for p in found if p.company.name == record.investor] or found
    if not found:
        errors.append(ctx.error(row, "project", messages.NOT_FOUND_PROJECT % {"name": record.project}))
        return None
    return found[0]


def _same(fund: FundArrival, entry: dict[str, Any]) -> bool:
    return (fund.amount, fund.source, fund.purpose) == (entry["amount"], entry["source"], entry["purpose"])


def plan_fund(ctx: Context, row: int, record: FundRecord) -> RowPlan:
    errors: list[str] = []
    ctx.unit_of_row(row, record.unit, errors)
    project = _project(ctx, row, record, errors)
    source = record.source or ctx.defaults.get("source")
    if project is not None and source is None:
        source = project.funding_source or project.company.funding_source
    if project is not None and source is None:
        errors.append(ctx.error(row, "source", messages.reason(Problem(Code.REQUIRED))))
    for entry in record.entries:
        if entry.period > ctx.import_month:
            errors.append(ctx.error(row, "period", messages.FUTURE_MONTH % {"value": entry.period}))
    if errors or project is None:
        return RowPlan(row, Action.ERROR, record.project, errors=tuple(errors))
    purpose = record.purpose or ctx.defaults.get("purpose") or DEFAULT_PURPOSE
    entries: list[dict[str, Any]] = []
    found: list[Change] = []
    for entry in record.entries:
        wanted = {"period": entry.period, "amount": entry.amount, "source": source, "purpose": purpose, "note": record.note, "fund_id": None}
        existing = project_funds(project.id, entry.period)
        if any(_same(f, wanted) for f in existing):
            continue
        open_ones = [f for f in existing if f.review_status is not ReviewStatus.APPROVED]
        if existing and not open_ones:
            return RowPlan(row, Action.ERROR, record.project, errors=(ctx.error(row, "amount", messages.FUND_APPROVED % {"period": entry.period}),))
        if open_ones:
            wanted["fund_id"] = open_ones[0].id
        entries.append(wanted)
        found.append(Change("amount", entry.period, shown(open_ones[0].amount) if open_ones else "", shown(entry.amount)))
    values = {"project_id": project.id, "entries": entries}
    if not entries:
        return RowPlan(row, Action.UNCHANGED, record.project, record_id=project.id, values=values)
    action = Action.NEW if all(e["fund_id"] is None for e in entries) else Action.UPDATE
    return RowPlan(row, action, record.project, changes=tuple(found), record_id=project.id, values=values)


def write_fund(ctx: Context, plan: RowPlan, record: FundRecord) -> Written:
    written: Written = []
    project = db.session.get(Project, plan.values["project_id"])
    assert project is not None
    for entry in plan.values["entries"]:
        data = FundData(period=entry["period"], amount=entry["amount"], source=entry["source"].value, purpose=entry["purpose"].value,
                        note=entry["note"])
        if entry["fund_id"] is None:
            fund = create_fund(project, data, ctx.today, ctx.actor.user_id)
            written.append(("fund_arrivals", fund.id, "create"))
        else:
            fund = db.session.get(FundArrival, entry["fund_id"])
            assert fund is not None
            update_fund(fund, data, ctx.today, ctx.actor.user_id)
            written.append(("fund_arrivals", fund.id, "update"))
    return written
