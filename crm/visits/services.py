"""Logging visits. Services validate and flush; the view commits once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.access.scoping import UNSCOPED
from crm.companies.services import pick_or_create_company
from crm.domain.access import Actor
from crm.domain.visits import LeaderKind, VisitOutcome, VisitType, date_problem
from crm.errors import FieldError
from crm.extensions import db
from crm.followups.services import Subject, schedule
from crm.leads.queries import unit_leads
from crm.leads.services import touch, unit_members
from crm.units.models import Unit
from crm.users.models import User
from crm.visits.models import Visit, VisitCompany


class VisitError(FieldError):
    pass


@dataclass
class Stop:
    company_name: str | None
    create_company: bool = False
    contact_name: str | None = None
    contact_title: str | None = None


@dataclass
class VisitData:
    type: str
    start_on: date
    end_on: date | None
    destination: str | None
    leader_id: int | None
    leader_kind: str | None
    participant_ids: list[int]
    stops: list[Stop]
    lead_ids: list[int]
    outcome: str
    notes: str | None
    next_follow_up_on: date | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_form(cls, form) -> "VisitData":  # type: ignore[no-untyped-def]
        return cls(
            type=form.type.data,
            start_on=form.start_on.data,
            end_on=form.end_on.data,
            destination=form.destination.data,
            leader_id=form.leader_id.data,
            leader_kind=form.leader_kind.data,
            participant_ids=list(form.participant_ids.data or []),
            stops=[Stop(**entry.data) for entry in form.stops.entries],
            lead_ids=list(form.lead_ids.data or []),
            outcome=form.outcome.data,
            notes=form.notes.data,
            next_follow_up_on=form.next_follow_up_on.data,
        )


def leaders(unit_id: int) -> list[User]:
    """Who may lead a visit of ``unit_id``: the leaders of its county and of the city or province above it."""
    from crm.units.queries import county_leaders

    return list(db.session.scalars(county_leaders(unit_id, with_those_above=True)))


def _apply(actor: Actor, visit: Visit, data: VisitData) -> None:
    if problem := date_problem(data.start_on, data.end_on):
        raise VisitError("end_on", problem)
    if data.leader_id is not None and data.leader_id not in {u.id for u in leaders(actor.unit_id)}:
        raise VisitError("leader_id", _("请从列表中选择带队领导"))
    members = {u.id: u for u in unit_members(actor.unit_id)}
    if any(pid not in members for pid in data.participant_ids):
        raise VisitError("participant_ids", _("参加人员须为本单位人员"))
    allowed_leads = {lead.id: lead for lead in unit_leads(actor.unit_id, data.lead_ids)}
    if any(lid not in allowed_leads for lid in data.lead_ids):
        raise VisitError("lead_ids", _("请从列表中选择线索"))
    stops = [(i, s) for i, s in enumerate(data.stops) if s.company_name]
    if not stops:
        raise VisitError("stops.0.company_name", _("至少填写一家拜访企业"))
    for i, stop in enumerate(data.stops):
        if not stop.company_name and (stop.contact_name or stop.contact_title):
            raise VisitError(f"stops.{i}.company_name", _("填写了接洽人，请同时填写企业"))
    visit.type = VisitType(data.type)
    visit.start_on = data.start_on
    visit.end_on = data.end_on
    visit.destination = data.destination
    visit.leader_id = data.leader_id
    visit.leader_kind = LeaderKind(data.leader_kind) if data.leader_kind else None
    visit.outcome = VisitOutcome(data.outcome)
    visit.notes = data.notes
    visit.participants = [members[pid] for pid in dict.fromkeys(data.participant_ids)]
    visit.leads = [allowed_leads[lid] for lid in dict.fromkeys(data.lead_ids)]
    visit.stops = [
        VisitCompany(
            company_id=pick_or_create_company(actor, f"stops.{i}.company_name", stop.company_name or "", stop.create_company).id,
            contact_name=stop.contact_name,
            contact_title=stop.contact_title,
        )
        for i, stop in stops
    ]


def log_visit(actor: Actor, data: VisitData, today: date) -> Visit:
    """A new visit of the actor's unit; a next follow-up date becomes a task for the actor."""
    visit = Visit(unit_id=actor.unit_id, created_by_id=actor.user_id)
    _apply(actor, visit, data)
    db.session.add(visit)
    db.session.flush()
    for lead in visit.leads:
        touch(lead.id, data.end_on or data.start_on)
    if data.next_follow_up_on:
        subject = Subject(lead_id=visit.leads[0].id) if visit.leads else Subject(company_id=visit.stops[0].company_id)
        names = "、".join(stop.company.name for stop in visit.stops[:2])
        schedule(actor, subject, data.next_follow_up_on, _("走访后跟进：%(names)s", names=names), today)
    return visit


def update_visit(actor: Actor, visit: Visit, data: VisitData) -> None:
    _apply(actor, visit, data)
    db.session.flush()


def recent_visits_by_others(company_ids: list[int], unit_id: int, since: date) -> list[tuple[str, date]]:
    """Other units' visits to these companies since ``since``: which unit and when, nothing more (DESIGN §1)."""
    if not company_ids:
        return []
    rows = db.session.execute(
        sa.select(Unit.name, sa.func.max(Visit.start_on))
        .join(VisitCompany, VisitCompany.visit_id == Visit.id)
        .join(Unit, Unit.id == Visit.unit_id)
        .where(VisitCompany.company_id.in_(company_ids), Visit.unit_id != unit_id, Visit.start_on >= since)
        .group_by(Unit.name)
        .order_by(sa.func.max(Visit.start_on).desc())
        .execution_options(**UNSCOPED)
    )
    return [(name, day) for name, day in rows]


def hint_since(today: date, days: int) -> date:
    return today - timedelta(days=days)
