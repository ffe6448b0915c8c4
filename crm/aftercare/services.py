"""企业诉求 and 挂牌保护: register, edit and move along. Services validate and flush; the view commits once.

- A 诉求 is kept by the unit that 受理s it (the signed-in user's); its 责任单位 is a unit of the county.
- The 办理时限 is a date, or N 工作日 after the 受理日期 on the official calendar (``crm.followups.calendar``).
- 办结 needs the 办理结果; 回访 needs the 满意度. 上报问题台账 makes one 问题 (``crm.issues.services.create_issue``)
  and links it back; a 诉求 is escalated once.
- 挂牌保护 is the county's list (``Resource.PROTECTION``): one active row per company.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.aftercare.models import CompanyProtection, CompanyRequest
from crm.companies.services import find_company_by_name
from crm.access.policy import check_in_service
from crm.domain.access import Action, Actor, Resource, Role, Target, can
from crm.domain.aftercare import (
    HANDLER_MOVES,
    MAX_WORKDAYS,
    OPEN,
    RequestKind,
    RequestMove,
    RequestStatus,
    Satisfaction,
    move_allowed,
    status_after_revisit,
)
from crm.domain.issues import IssueCategory, IssueLevel, IssueSource
from crm.domain.workdays import add_workdays
from crm.errors import FieldError
from crm.extensions import db
from crm.followups.calendar import is_workday
from crm.issues.models import Issue
from crm.issues.services import IssueData, create_issue
from crm.reports.scope import county_rows
from crm.units.models import Unit
from crm.units.queries import county_unit_ids
from crm.users.models import User

FORM = "form"


class AftercareError(FieldError):
    pass


def request_target(unit_id: int) -> Target:
    return Target(Resource.COMPANY_REQUEST, unit_id=unit_id)


def protection_target(county_id: int) -> Target:
    return Target(Resource.PROTECTION, unit_id=county_id)


@dataclass
class RequestData:
    company_name: str
    kind: RequestKind | None
    category: IssueCategory | None
    subject: str
    description: str | None
    received_on: date | None
    responsible_unit_id: int | None
    responsible_person: str | None
    deadline: date | None
    deadline_workdays: int | None


def _county_unit(unit_id: int | None, near_unit_id: int, field: str, keep: int | None = None) -> Unit:
    """A unit of the county of ``near_unit_id`` (a closed one only when the record names it already)."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.id not in county_unit_ids(near_unit_id).ids or (not unit.is_active and unit.id != keep):
        raise AftercareError(field, _("请从列表中选择"))
    return unit


def deadline_of(data: RequestData) -> date:
    """The 办理时限: N 工作日 after the 受理日期 when given, else the date typed."""
    assert data.received_on is not None
    if data.deadline_workdays is not None:
        if not 1 <= data.deadline_workdays <= MAX_WORKDAYS:
            raise AftercareError("deadline_workdays", _("工作日应在 1 到 %(max)d 之间", max=MAX_WORKDAYS))
        return add_workdays(data.received_on, data.deadline_workdays, is_workday)
    if data.deadline is None:
        raise AftercareError("deadline", _("须明确办理时限（日期或工作日）"))
    if data.deadline < data.received_on:
        raise AftercareError("deadline", _("办理时限不能早于受理日期"))
    return data.deadline


def _apply(actor: Actor, row: CompanyRequest, data: RequestData, today: date) -> None:
    company = find_company_by_name(data.company_name)
    if company is None:
        raise AftercareError("company_name", _("企业库中没有「%(name)s」，请从提示中选择", name=data.company_name))
    if data.received_on is None:
        raise AftercareError("received_on", _("请填写日期"))
    if data.received_on > today:
        raise AftercareError("received_on", _("受理日期不能晚于今天"))
    if not (data.responsible_person or "").strip():
        raise AftercareError("responsible_person", _("须明确负责人"))
    unit = _county_unit(data.responsible_unit_id, row.unit_id or actor.unit_id, "responsible_unit_id", keep=row.responsible_unit_id)
    row.deadline = deadline_of(data)
    row.deadline_workdays = data.deadline_workdays
    row.company_id, row.company = company.id, company
    row.kind = data.kind or RequestKind.REQUEST
    row.category = data.category or IssueCategory.POLICY
    row.subject = data.subject.strip()
    row.description = data.description
    row.received_on = data.received_on
    row.responsible_unit_id, row.responsible_unit = unit.id, unit
    row.responsible_person = (data.responsible_person or "").strip()


def _require(actor: Actor, action: Action, target: Target) -> None:
    check_in_service(actor, action, target, AftercareError)


def create_request(actor: Actor, data: RequestData, today: date) -> CompanyRequest:
    _require(actor, Action.CREATE, request_target(actor.unit_id))
    row = CompanyRequest(unit_id=actor.unit_id, status=RequestStatus.ACCEPTED, created_by_id=actor.user_id)
    _apply(actor, row, data, today)
    db.session.add(row)
    db.session.flush()
    return row


def update_request(actor: Actor, row: CompanyRequest, data: RequestData, today: date) -> None:
    _require(actor, Action.EDIT, row.access_target())
    if row.status not in OPEN:
        raise AftercareError(FORM, _("该诉求已办结，不能再修改"))
    _apply(actor, row, data, today)
    db.session.flush()


def may_move(actor: Actor | None, row: CompanyRequest, move: RequestMove) -> bool:
    """The unit that 受理d the 诉求 makes every move; its 责任单位 办理s and 办结s it (``HANDLER_MOVES``)."""
    if can(actor, Action.EDIT, row.access_target()):
        return True
    return move in HANDLER_MOVES and can(actor, Action.EDIT, row.handler_target())


def move_request(actor: Actor, row: CompanyRequest, move: RequestMove, today: date, *, result: str | None = None,
                 satisfaction: Satisfaction | None = None, note: str | None = None) -> None:
    """受理 → 办理 → 办结 (with its 办理结果) → 回访 (with the 满意度). 不满意 sends it back to 办理: the 办结日期 is
    cleared (it is not 办结 any more), the 回访's 满意度 and note stay on the record."""
    if not may_move(actor, row, move):
        raise AftercareError(FORM, _("您没有权限进行此操作"))
    if not move_allowed(move, row.status):
        raise AftercareError(FORM, _("当前状态下不能进行此操作"))
    if move is RequestMove.FINISH:
        if not (result or "").strip():
            raise AftercareError("result", _("请填写办理结果"))
        row.result, row.done_on = result.strip(), today  # type: ignore[union-attr]
    elif move is RequestMove.REVISIT:
        if satisfaction is None:
            raise AftercareError("satisfaction", _("请选择满意度"))
        row.satisfaction, row.revisited_on, row.revisit_note = satisfaction, today, (note or "").strip() or None
    if move is RequestMove.REVISIT:
        row.status = status_after_revisit(satisfaction)  # type: ignore[arg-type]
        if row.status is RequestStatus.HANDLING:
            row.done_on = None
    else:
        row.status = RequestStatus.HANDLING if move is RequestMove.HANDLE else RequestStatus.DONE
    db.session.flush()


def escalate_request(actor: Actor, row: CompanyRequest, today: date) -> Issue:
    """上报问题台账: a 问题 from 企业反映 with the 诉求's 责任单位, 负责人 and 时限 (today at the earliest)."""
    _require(actor, Action.EDIT, row.access_target())
    if row.issue_id is not None:
        raise AftercareError(FORM, _("该诉求已上报问题台账"))
    if row.status not in OPEN:
        raise AftercareError(FORM, _("该诉求已办结，不必上报"))
    description = f"{row.company.name}：{row.subject}" + (f"\n{row.description}" if row.description else "")
    issue = create_issue(actor, IssueData(
        project_id=None, description=description[:2000], category=row.category.value, source=IssueSource.COMPANY.value,
        raised_on=today, responsible_unit_id=row.responsible_unit_id, responsible_person=row.responsible_person,
        deadline=max(row.deadline, today), level=IssueLevel.ZONE.value), today)
    row.issue_id, row.issue = issue.id, issue
    db.session.flush()
    return issue


# --- 挂牌保护 ---------------------------------------------------------------------------------------------
@dataclass
class ProtectionData:
    company_name: str
    listed_on: date | None
    leader_id: int | None
    contact_unit_id: int | None
    notes: str | None
    is_active: bool = True


def county_protections(county_id: int, active_only: bool = False) -> list[CompanyProtection]:
    """The county's list, newest 挂牌 first (the county's list: ``county_rows``; callers check VIEW)."""
    stmt = sa.select(CompanyProtection).order_by(CompanyProtection.is_active.desc(), CompanyProtection.listed_on.desc(), CompanyProtection.id)
    if active_only:
        stmt = stmt.where(CompanyProtection.is_active)
    return list(db.session.scalars(county_rows(stmt, CompanyProtection.unit_id, county_id)))


def _apply_protection(row: CompanyProtection, county_id: int, data: ProtectionData, today: date) -> None:
    company = find_company_by_name(data.company_name)
    if company is None:
        raise AftercareError("company_name", _("企业库中没有「%(name)s」，请从提示中选择", name=data.company_name))
    if data.is_active and any(p.company_id == company.id and p.is_active and p.id != row.id for p in county_protections(county_id)):
        raise AftercareError("company_name", _("该企业已在挂牌保护名单中"))
    if data.listed_on is None:
        raise AftercareError("listed_on", _("请填写日期"))
    if data.listed_on > today:
        raise AftercareError("listed_on", _("挂牌日期不能晚于今天"))
    leader = db.session.get(User, data.leader_id) if data.leader_id else None
    if leader is None or leader.role is not Role.LEADER or leader.unit_id not in county_unit_ids(county_id).ids:
        raise AftercareError("leader_id", _("请从列表中选择"))
    unit = _county_unit(data.contact_unit_id, county_id, "contact_unit_id", keep=row.contact_unit_id)
    row.company_id, row.company = company.id, company
    row.listed_on = data.listed_on
    row.leader_id, row.leader = leader.id, leader
    row.contact_unit_id, row.contact_unit = unit.id, unit
    row.notes = data.notes
    row.is_active = data.is_active


def add_protection(actor: Actor, county_id: int, data: ProtectionData, today: date) -> CompanyProtection:
    _require(actor, Action.CREATE, protection_target(county_id))
    row = CompanyProtection(unit_id=county_id)
    _apply_protection(row, county_id, data, today)
    db.session.add(row)
    db.session.flush()
    return row


def update_protection(actor: Actor, row: CompanyProtection, data: ProtectionData, today: date) -> None:
    _require(actor, Action.EDIT, row.access_target())
    _apply_protection(row, row.unit_id, data, today)
    db.session.flush()
