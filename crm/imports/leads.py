"""The 线索台账 kind: a row is the unit's lead of that name (and investor), new or updated through the leads
service. Defaults: 接收日期 the import day; 来源方式 has no neutral value, so a row without one is an error unless
the import was given one up front (``defaults={"source": LeadSource.…}``)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from crm.companies.models import Company
from crm.domain.imports.plan import Action, CompanyLink, RowPlan
from crm.domain.imports.problems import Code, Problem
from crm.domain.imports.records import LeadRecord
from crm.domain.leads import LeadStatus
from crm.extensions import db
from crm.imports import messages
from crm.imports.companies import Written, company_for, decision_row, plan_link, same_record
from crm.imports.context import Context, changes
from crm.leads.models import Lead
from crm.leads.services import LeadData, change_status, create_lead, schedule_next_follow_up, update_lead

FORM_ATTRS = ("source", "referrer", "construction", "land_mu", "expected_output", "expected_tax", "grade", "received_on", "assessment")
LABELS = {"chain_id": "chain", "owner_id": "owner", "amount_low": "amount", "amount_high": "amount"}


def _existing(ctx: Context, name: str, link: CompanyLink) -> Lead | None:
    assert ctx.unit is not None
    return same_record(ctx.unit_leads(name), link)


def plan_lead(ctx: Context, row: int, record: LeadRecord) -> RowPlan:
    errors: list[str] = []
    ctx.unit_of_row(row, record.unit, errors)
    link = plan_link(ctx, row, record.investor, None)
    lead = _existing(ctx, record.name, link)
    wanted: dict[str, Any] = {name: getattr(record, name) for name in FORM_ATTRS if getattr(record, name) is not None}
    if record.amount is not None:
        wanted["amount_low"], wanted["amount_high"] = record.amount
    if lead is None:
        wanted.setdefault("received_on", ctx.today)
        if "source" not in wanted and ctx.defaults.get("source") is not None:
            wanted["source"] = ctx.defaults["source"]
        if "source" not in wanted:
            errors.append(ctx.error(row, "source", messages.reason(Problem(Code.REQUIRED))))
    chain = ctx.chain_id(row, record.chain, errors)
    if chain is not None:
        wanted["chain_id"] = chain
    owner = ctx.owner_id(row, "owner", record.owner, lead.owner_id if lead else None, errors)
    if lead is None or owner != lead.owner_id:
        wanted["owner_id"] = owner
    if record.status is LeadStatus.CONVERTED:
        errors.append(ctx.error(row, "status", messages.LEAD_CONVERTED))
    elif record.status is not None and (lead is None or record.status is not lead.status):
        wanted["status"] = record.status
        if record.abandon_reason:
            wanted["abandon_reason"] = record.abandon_reason
    if lead is not None and lead.status is LeadStatus.CONVERTED:
        errors.append(ctx.error(row, "name", messages.LEAD_CONVERTED))
    if errors:
        return RowPlan(row, Action.ERROR, record.name, errors=tuple(errors), company=link)
    if link.candidates and lead is None:
        return decision_row(row, record.name, link)
    if lead is not None:
        link = CompanyLink(link.name, lead.company_id, lead.company.name)
    found = changes(ctx, lead, wanted, {name: ctx.label(field) for name, field in LABELS.items()})
    # 下次跟进日期 is a follow-up task, as on the lead form (``schedule_next_follow_up``; a past day is refused there).
    next_on = record.next_follow_up_on if record.next_follow_up_on != (lead.next_follow_up_on if lead else None) else None
    if next_on is not None:
        found += changes(ctx, lead, {"next_follow_up_on": next_on})
    values = {"wanted": wanted, "next": next_on}
    if lead is None:
        return RowPlan(row, Action.NEW, record.name, changes=tuple(found), company=link, values=values)
    return RowPlan(row, Action.UPDATE if found else Action.UNCHANGED, record.name, changes=tuple(found), company=link,
                   record_id=lead.id, values=values)


def _code(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _data(lead: Lead | None, wanted: dict[str, Any], name: str, company: Company) -> LeadData:
    def value(attr: str) -> Any:
        return _code(wanted[attr]) if attr in wanted else _code(getattr(lead, attr) if lead is not None else None)

    return LeadData(
        name=name, company_name=company.name, create_company=False, source=value("source"), referrer=value("referrer"),
        amount_low=value("amount_low"), amount_high=value("amount_high"), construction=value("construction"),
        land_mu=value("land_mu"), expected_output=value("expected_output"), expected_tax=value("expected_tax"),
        chain_id=value("chain_id"), grade=value("grade"), received_on=value("received_on"), assessment=value("assessment"),
        next_follow_up_on=None, owner_id=wanted.get("owner_id", lead.owner_id if lead is not None else None),
    )


def write_lead(ctx: Context, plan: RowPlan, record: LeadRecord) -> Written:
    written: Written = []
    wanted: dict[str, Any] = plan.values["wanted"]
    assert plan.company is not None
    if plan.action is Action.NEW:
        company = company_for(ctx, plan.row, plan.company, None, written)
        lead = create_lead(ctx.actor, _data(None, wanted, record.name, company))
        written.append(("leads", lead.id, "create"))
    else:
        lead = db.session.get(Lead, plan.record_id)
        assert lead is not None
        update_lead(ctx.actor, lead, _data(lead, wanted, lead.name, lead.company))
        written.append(("leads", lead.id, "update"))
    if "status" in wanted:
        change_status(lead, wanted["status"].value, wanted.get("abandon_reason"))
    task = schedule_next_follow_up(ctx.actor, lead, plan.values.get("next"), ctx.today)
    if task is not None:
        written.append(("follow_ups", task.id, "create"))
    return written
