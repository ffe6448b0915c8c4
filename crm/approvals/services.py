"""审批手续: add, edit, 上报问题台账. Services validate and flush; the view commits once.

- A procedure is its project's (seen and kept as the project is: ``ProjectOwned``); one per kind per project.
- Its kind is a name of the county's 审批事项清单 (``crm.approvals.kinds``); its 承诺时限 defaults to the kind's.
- The deadline is the 承诺时限 in 工作日 after the 受理/申报日期 on the official calendar (``crm.followups.calendar``).
- 上报问题台账 makes one 问题 (``crm.issues.services.create_issue``) for the project, with the 代办单位 as its
  责任单位, and links it back; a procedure is raised once, and only while it is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.approvals.kinds import county_kinds
from crm.approvals.models import ApprovalProcedure
from crm.access.policy import check_in_service
from crm.domain.access import Action, Actor
from crm.domain.approvals import MAX_WORKDAYS, deadline_of, date_problem, is_overdue, status_for
from crm.domain.issues import IssueCategory, IssueLevel, IssueSource
from crm.domain.workdays import add_workdays
from crm.errors import FieldError
from crm.extensions import db
from crm.followups.calendar import is_workday
from crm.issues.models import Issue
from crm.issues.services import IssueData, create_issue
from crm.projects.models import Project
from crm.units.models import Unit
from crm.units.queries import county_unit_ids
from crm.users.models import User

FORM = "form"
ESCALATION_WORKDAYS = 5  # the 问题's 时限: a week of working days from the day it is raised


class ApprovalError(FieldError):
    pass


@dataclass
class ProcedureData:
    kind: str | None
    agent_unit_id: int | None
    agent_user_id: int | None
    agent_name: str | None
    promised_workdays: int | None
    filed_on: date | None
    finished_on: date | None
    not_applicable: bool = False
    note: str | None = None


def _date_refusal(problem: str) -> ApprovalError:
    """The refusal of ``crm.domain.approvals.date_problem``'s code, next to its field."""
    match problem:
        case "filed_future":
            return ApprovalError("filed_on", _("受理/申报日期不能晚于今天"))
        case "finished_future":
            return ApprovalError("finished_on", _("办结日期不能晚于今天"))
        case "finished_unfiled":
            return ApprovalError("filed_on", _("已办结的事项须填写受理/申报日期"))
    return ApprovalError("finished_on", _("办结日期不能早于受理/申报日期"))


def _require(actor: Actor, action: Action, project: Project) -> None:
    check_in_service(actor, action, project.access_target(), ApprovalError)


def _apply(row: ApprovalProcedure, project: Project, data: ProcedureData, today: date) -> None:
    kinds = {k.name: k for k in county_kinds(county_of(project))}
    kind = (data.kind or "").strip()
    if kind not in kinds and kind != row.kind:  # a kind dropped from the list since stays on the rows that name it
        raise ApprovalError("kind", _("请从列表中选择"))
    if any(p.kind == kind and p.id != row.id for p in project_procedures(project.id)):
        raise ApprovalError("kind", _("该项目已有这项审批手续"))
    unit = db.session.get(Unit, data.agent_unit_id) if data.agent_unit_id else None
    if unit is None or unit.id not in county_unit_ids(project.unit_id).ids or (not unit.is_active and unit.id != row.agent_unit_id):
        raise ApprovalError("agent_unit_id", _("请从列表中选择"))
    user = db.session.get(User, data.agent_user_id) if data.agent_user_id else None
    if data.agent_user_id and (user is None or user.unit_id not in county_unit_ids(project.unit_id).ids):
        raise ApprovalError("agent_user_id", _("请从列表中选择"))
    promised = data.promised_workdays if data.promised_workdays is not None else kinds[kind].workdays if kind in kinds else row.promised_workdays
    if promised is None or not 1 <= promised <= MAX_WORKDAYS:
        raise ApprovalError("promised_workdays", _("工作日应在 1 到 %(max)d 之间", max=MAX_WORKDAYS))
    if problem := date_problem(data.filed_on, data.finished_on, today):
        raise _date_refusal(problem)
    row.kind = kind
    row.agent_unit_id, row.agent_unit = unit.id, unit
    row.agent_user_id, row.agent_user = (user.id, user) if user is not None else (None, None)
    row.agent_name = (data.agent_name or "").strip() or None
    row.promised_workdays = promised
    row.filed_on, row.finished_on = data.filed_on, data.finished_on
    row.deadline = deadline_of(data.filed_on, promised, is_workday)
    row.status = status_for(data.filed_on, data.finished_on, data.not_applicable)
    row.note = (data.note or "").strip() or None


def county_of(project: Project) -> int:
    from crm.reports.scope import home_county

    return home_county(project.unit_id)


def project_procedures(project_id: int) -> list[ApprovalProcedure]:
    """The project's procedures in the county list's order is the page's; here by id (the order they were added)."""
    return list(db.session.scalars(sa.select(ApprovalProcedure).where(ApprovalProcedure.project_id == project_id)
                                   .order_by(ApprovalProcedure.id)))


def create_procedure(actor: Actor, project: Project, data: ProcedureData, today: date) -> ApprovalProcedure:
    _require(actor, Action.EDIT, project)
    row = ApprovalProcedure(project_id=project.id, project=project)
    _apply(row, project, data, today)
    db.session.add(row)
    db.session.flush()
    return row


def update_procedure(actor: Actor, row: ApprovalProcedure, data: ProcedureData, today: date) -> None:
    _require(actor, Action.EDIT, row.project)
    _apply(row, row.project, data, today)
    db.session.flush()


def escalate_procedure(actor: Actor, row: ApprovalProcedure, today: date) -> Issue:
    """上报问题台账: a 问题 of the project (审批手续), with the 代办单位 as 责任单位, due in a week of working days."""
    _require(actor, Action.EDIT, row.project)
    if row.issue_id is not None:
        raise ApprovalError(FORM, _("该审批手续已上报问题台账"))
    if not is_overdue(row.status, row.deadline, today):
        raise ApprovalError(FORM, _("该审批手续未逾期，不必上报"))
    assert row.deadline is not None and row.filed_on is not None
    description = _("%(project)s：%(kind)s 于 %(filed)s 受理，承诺 %(days)d 个工作日内（%(deadline)s 前）办结，已逾期。",
                    project=row.project.name, kind=row.kind, filed=row.filed_on.isoformat(), days=row.promised_workdays,
                    deadline=row.deadline.isoformat()) + (f"\n{row.note}" if row.note else "")
    issue = create_issue(actor, IssueData(
        project_id=row.project_id, description=description[:2000], category=IssueCategory.APPROVALS.value,
        source=IssueSource.WEEKLY_INSPECTION.value, raised_on=today, responsible_unit_id=row.agent_unit_id,
        responsible_person=row.agent or _("代办员"), deadline=add_workdays(today, ESCALATION_WORKDAYS, is_workday),
        level=IssueLevel.ZONE.value), today)
    row.issue_id, row.issue = issue.id, issue
    db.session.flush()
    return issue
