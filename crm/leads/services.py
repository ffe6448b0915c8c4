"""Leads: create, edit, status. Services validate and flush; the view commits once.

The following unit is always the signed-in user's unit; the 跟进人 is the user
themself unless a chief assigns someone of the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.companies.services import pick_or_create_company
from crm.domain.access import Actor, Role
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus, amount_problem, status_problem
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.leads.models import Lead
from crm.users.models import User


class LeadError(FieldError):
    pass


@dataclass
class LeadData(FormData):
    name: str
    company_name: str
    create_company: bool
    source: str
    referrer: str | None
    amount_low: Decimal | None
    amount_high: Decimal | None
    construction: str | None
    land_mu: Decimal | None
    expected_output: Decimal | None
    expected_tax: Decimal | None
    chain_id: int | None
    grade: str | None
    received_on: date
    assessment: str | None
    next_follow_up_on: date | None
    owner_id: int | None


def unit_members(unit_id: int) -> list[User]:
    return list(
        db.session.scalars(sa.select(User).where(User.unit_id == unit_id, User.is_active).order_by(User.display_name))
    )


def _owner(actor: Actor, wanted: int | None, current: int | None) -> int:
    """Staff follow their own leads; a chief may hand one to anyone active in the unit."""
    if actor.role is not Role.CHIEF:
        return current or actor.user_id
    if wanted is None:
        return current or actor.user_id
    members = {u.id for u in unit_members(actor.unit_id)}
    if wanted not in members:
        raise LeadError("owner_id", _("请从本单位人员中选择跟进人"))
    return wanted


def _apply(lead: Lead, data: LeadData) -> None:
    if problem := amount_problem(data.amount_low, data.amount_high):
        raise LeadError("amount_high", problem)
    lead.name = data.name
    lead.source = LeadSource(data.source)
    lead.referrer = data.referrer
    lead.amount_low = data.amount_low
    lead.amount_high = data.amount_high if data.amount_high is not None else data.amount_low
    lead.construction = data.construction
    lead.land_mu = data.land_mu
    lead.expected_output = data.expected_output
    lead.expected_tax = data.expected_tax
    lead.chain_id = data.chain_id
    lead.grade = LeadGrade(data.grade) if data.grade else None
    lead.received_on = data.received_on
    lead.assessment = data.assessment


def create_lead(actor: Actor, data: LeadData) -> Lead:
    company = pick_or_create_company(actor, "company_name", data.company_name, data.create_company)
    lead = Lead(unit_id=actor.unit_id, company_id=company.id, status=LeadStatus.NEW)
    lead.owner_id = _owner(actor, data.owner_id, None)
    _apply(lead, data)
    db.session.add(lead)
    db.session.flush()
    return lead


def update_lead(actor: Actor, lead: Lead, data: LeadData) -> None:
    if lead.status is LeadStatus.CONVERTED:
        raise LeadError("name", _("已转项目的线索不能再修改，请到项目中修改"))
    company = pick_or_create_company(actor, "company_name", data.company_name, data.create_company)
    lead.company_id = company.id
    lead.owner_id = _owner(actor, data.owner_id, lead.owner_id)
    _apply(lead, data)
    db.session.flush()


def schedule_next_follow_up(actor: Actor, lead: Lead, due: date | None, today: date) -> Any:
    """A 下次跟进日期 (the lead form's, a 线索台账's) becomes a follow-up task — a lead's 下次跟进 is read from its open
    tasks — when it names a day the lead has no task for yet. The task, or None."""
    from crm.followups.services import Subject, schedule

    if due is None or due == lead.next_follow_up_on:
        return None
    return schedule(actor, Subject(lead_id=lead.id), due, _("跟进线索：%(name)s", name=lead.name), today,
                    assignee_id=lead.owner_id if actor.role is Role.CHIEF else None, field="next_follow_up_on")


def change_status(lead: Lead, wanted: str, reason: str | None) -> None:
    target = LeadStatus(wanted)
    if problem := status_problem(lead.status, target, reason):
        raise LeadError("reason" if "原因" in problem else "status", problem)
    lead.status = target
    lead.abandon_reason = reason if target is LeadStatus.ABANDONED else None
    db.session.flush()


def touch(lead_id: int | None, day: date) -> None:
    """Record activity on a lead (a visit or a done follow-up), for the "stale" filter."""
    if lead_id is None:
        return
    lead = db.session.get(Lead, lead_id)
    if lead is not None and (lead.last_activity_on is None or lead.last_activity_on < day):
        lead.last_activity_on = day
        if lead.status is LeadStatus.NEW:
            lead.status = LeadStatus.FOLLOWING
