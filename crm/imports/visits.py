"""The 走访记录 kind: a row is one visit of the unit to one company, logged through the visits service.

The visit met again (same unit, day and company) is updated instead. Defaults: 走访类型 外出拜访 (what a 走访记录
mostly holds), 走访成果 无. The company is matched like an investor (and created when it is new); the 带队领导
is one of the leaders the visit form offers, the 参加人员 are the unit's people, the 关联线索 the unit's lead.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from crm.domain.imports.plan import Action, RowPlan
from crm.domain.imports.problems import Code, Problem
from crm.domain.imports.records import VisitRecord
from crm.domain.visits import VisitOutcome, VisitType
from crm.extensions import db
from crm.imports import messages
from crm.imports.companies import Written, company_for, decision_row, plan_link
from crm.imports.context import Context, changes
from crm.imports.queries import unit_visit
from crm.visits.models import Visit
from crm.visits.services import Stop, VisitData, leaders, log_visit, update_visit

DEFAULT_TYPE = VisitType.OUTBOUND
DEFAULT_OUTCOME = VisitOutcome.NONE
ATTRS = ("type", "end_on", "destination", "leader_kind", "outcome", "notes")


def _people(ctx: Context, row: int, record: VisitRecord, errors: list[str]) -> dict[str, Any]:
    assert ctx.unit is not None
    found: dict[str, Any] = {}
    if record.leader:
        chosen = [u for u in leaders(ctx.unit.id) if u.display_name == record.leader]
        if not chosen:
            errors.append(ctx.error(row, "leader", messages.NOT_FOUND_LEADER % {"name": record.leader}))
        else:
            found["leader_id"] = chosen[0].id
    ids = [ctx.person_id(row, "participants", name, errors, frozenset({ctx.unit.id})) for name in record.participants]
    found["participant_ids"] = [i for i in ids if i is not None]
    if record.lead:
        leads = ctx.unit_leads(record.lead)
        if not leads:
            errors.append(ctx.error(row, "lead", messages.NOT_FOUND_LEAD % {"name": record.lead}))
        else:
            found["lead_ids"] = [leads[0].id]
    return found


def plan_visit(ctx: Context, row: int, record: VisitRecord) -> RowPlan:
    assert ctx.unit is not None
    errors: list[str] = []
    ctx.unit_of_row(row, record.unit, errors)
    people = _people(ctx, row, record, errors)
    title = f"{record.start_on} {record.company or ''}".strip()
    if not record.company:
        errors.append(ctx.error(row, "company", messages.reason(Problem(Code.REQUIRED))))
        return RowPlan(row, Action.ERROR, title, errors=tuple(errors))
    link = plan_link(ctx, row, record.company, None)
    if errors:
        return RowPlan(row, Action.ERROR, title, errors=tuple(errors), company=link)
    if link.candidates:
        return decision_row(row, title, link)
    visit = unit_visit(ctx.unit.id, record.start_on, link.company_id) if link.company_id else None
    wanted: dict[str, Any] = {name: getattr(record, name) for name in ATTRS if getattr(record, name) is not None}
    if visit is None:
        wanted.setdefault("type", DEFAULT_TYPE)
        wanted.setdefault("outcome", DEFAULT_OUTCOME)
    found = changes(ctx, visit, wanted)
    if visit is not None and "leader_id" in people and people["leader_id"] != visit.leader_id:
        found += changes(ctx, None, {"leader": record.leader})
    if visit is not None and set(people["participant_ids"]) - {u.id for u in visit.participants}:
        found += changes(ctx, None, {"participants": record.participants})
    values = {"wanted": wanted, "people": people}
    if visit is None:
        return RowPlan(row, Action.NEW, title, changes=tuple(found), company=link, values=values)
    return RowPlan(row, Action.UPDATE if found else Action.UNCHANGED, title, changes=tuple(found), company=link,
                   record_id=visit.id, values=values)


def _code(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _data(visit: Visit | None, wanted: dict[str, Any], people: dict[str, Any], record: VisitRecord, company_name: str) -> VisitData:
    def value(name: str) -> Any:
        return _code(wanted[name]) if name in wanted else _code(getattr(visit, name) if visit is not None else None)

    if visit is not None:
        stops = [Stop(s.company.name, False, s.contact_name, s.contact_title) for s in visit.stops]
        participants = list(dict.fromkeys([u.id for u in visit.participants] + people["participant_ids"]))
        leads = list(dict.fromkeys([lead.id for lead in visit.leads] + people.get("lead_ids", [])))
        leader = people.get("leader_id", visit.leader_id)
    else:
        stops = [Stop(company_name, False, record.contact_name, record.contact_title)]
        participants, leads, leader = people["participant_ids"], people.get("lead_ids", []), people.get("leader_id")
    return VisitData(type=value("type"), start_on=record.start_on, end_on=value("end_on"), destination=value("destination"),
                     leader_id=leader, leader_kind=value("leader_kind"), participant_ids=participants, stops=stops,
                     lead_ids=leads, outcome=value("outcome"), notes=value("notes"))


def write_visit(ctx: Context, plan: RowPlan, record: VisitRecord) -> Written:
    written: Written = []
    assert plan.company is not None
    if plan.action is Action.NEW:
        company = company_for(ctx, plan.row, plan.company, None, written)
        visit = log_visit(ctx.actor, _data(None, plan.values["wanted"], plan.values["people"], record, company.name), ctx.today)
        written.append(("visits", visit.id, "create"))
    else:
        visit = db.session.get(Visit, plan.record_id)
        assert visit is not None
        update_visit(ctx.actor, visit, _data(visit, plan.values["wanted"], plan.values["people"], record, ""))
        written.append(("visits", visit.id, "update"))
    return written
