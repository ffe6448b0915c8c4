"""Follow-up tasks. Services validate and flush; the view commits.

A task belongs to the creator's unit; its assignee is someone of that unit
(staff assign themselves, a chief may reassign within the unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from crm.db import utcnow
from crm.domain.access import Actor, Role
from crm.errors import FieldError
from crm.extensions import db
from crm.followups.calendar import holiday_name, shift_to_workday
from crm.followups.models import FollowUp
from crm.leads.models import Lead
from crm.leads.services import touch, unit_members
from crm.notifications.services import Alert, notify

MAX_AHEAD_DAYS = 3 * 365


class FollowUpError(FieldError):
    pass


@dataclass
class Subject:
    company_id: int | None = None
    lead_id: int | None = None


def _check_due(due_on: date, today: date, field: str = "due_on") -> None:
    if due_on > today + timedelta(days=MAX_AHEAD_DAYS):
        raise FollowUpError(field, _("跟进日期不能晚于 3 年以后"))


def _assignee(actor: Actor, wanted: int | None) -> int:
    if wanted is None or wanted == actor.user_id:
        return actor.user_id
    if actor.role is not Role.CHIEF:
        raise FollowUpError("assignee_id", _("只有分局长可以把跟进任务交给别人"))
    if wanted not in {u.id for u in unit_members(actor.unit_id)}:
        raise FollowUpError("assignee_id", _("请从本单位人员中选择"))
    return wanted


def schedule(
    actor: Actor,
    subject: Subject,
    due_on: date,
    note: str,
    today: date,
    assignee_id: int | None = None,
    move_off_holiday: bool = False,
    field: str = "due_on",
) -> FollowUp:
    """A new task; with ``move_off_holiday`` a due date on a public holiday moves to the next working day.
    ``field`` is the form field a refused date is shown at."""
    _check_due(due_on, today, field)
    company_id = subject.company_id
    if subject.lead_id is not None:
        lead = db.session.get(Lead, subject.lead_id)
        if lead is None or lead.unit_id != actor.unit_id:
            raise FollowUpError("due_on", _("找不到该线索"))
        company_id = company_id or lead.company_id
    if company_id is None:
        raise FollowUpError("due_on", _("跟进任务须关联企业或线索"))
    task = FollowUp(
        unit_id=actor.unit_id,
        assignee_id=_assignee(actor, assignee_id),
        created_by_id=actor.user_id,
        company_id=company_id,
        lead_id=subject.lead_id,
        due_on=shift_to_workday(due_on) if move_off_holiday else due_on,
        note=note,
    )
    db.session.add(task)
    db.session.flush()
    refresh_next_follow_up(task.lead_id)
    _tell_assignee(actor, task)
    return task


def _tell_assignee(actor: Actor, task: FollowUp) -> None:
    """Someone handed a task by another (a chief's 交办 or 改派) hears of it in the bell, once per hand-over."""
    if task.assignee_id == actor.user_id:
        return
    notify(task.assignee_id, [Alert(
        "follow_up_assigned", f"{task.id}:{task.version}", _("您有一项新的跟进任务：%(note)s", note=task.note),
        _("截止 %(day)s", day=task.due_on.isoformat()), url_for("followups.todo"),
    )])


def refresh_next_follow_up(lead_id: int | None) -> None:
    """A lead's 下次跟进 is the due date of its earliest open task: kept on the lead (the list shows and sorts by
    it) and set here only, whenever a task is added, done or moved."""
    if lead_id is None or (lead := db.session.get(Lead, lead_id)) is None:
        return
    lead.next_follow_up_on = db.session.scalar(
        sa.select(sa.func.min(FollowUp.due_on)).where(FollowUp.lead_id == lead_id, FollowUp.done_at.is_(None))
    )
    db.session.flush()


def complete(task: FollowUp, note: str | None, today: date) -> None:
    if task.is_done:
        raise FollowUpError("note", _("该任务已完成"))
    task.done_at = utcnow()
    task.done_note = note
    touch(task.lead_id, today)
    db.session.flush()
    refresh_next_follow_up(task.lead_id)


def snooze(task: FollowUp, new_due: date, today: date) -> None:
    if task.is_done:
        raise FollowUpError("due_on", _("该任务已完成"))
    if new_due < today:
        raise FollowUpError("due_on", _("推迟后的日期不能早于今天"))
    _check_due(new_due, today)
    task.due_on = new_due
    db.session.flush()
    refresh_next_follow_up(task.lead_id)


def reassign(actor: Actor, task: FollowUp, assignee_id: int | None) -> None:
    if actor.role is not Role.CHIEF:
        raise FollowUpError("assignee_id", _("只有分局长可以改派跟进任务"))
    wanted = _assignee(actor, assignee_id)
    if wanted == task.assignee_id:
        return
    task.assignee_id = wanted
    db.session.flush()
    _tell_assignee(actor, task)


def reassign_many(actor: Actor, tasks: list[FollowUp], assignee_id: int | None) -> int:
    """团队待办's bulk 改派: every ticked open task to one person (each told once); the number that changed hands."""
    moved = 0
    for task in tasks:
        if task.is_done or task.assignee_id == assignee_id:
            continue
        reassign(actor, task, assignee_id)
        moved += 1
    return moved


def holiday_warning(day: date) -> str | None:
    """A note when a date falls on a public holiday, with the working day it would move to."""
    name = holiday_name(day)
    if name is None:
        return None
    return _("%(day)s 是%(holiday)s假期，顺延到 %(next)s", day=day.isoformat(), holiday=name, next=shift_to_workday(day).isoformat())


def scheduled_message(task: FollowUp, asked: date) -> str:
    """What the user is told once a task is set: its day, and why it moved when ``asked`` was a holiday."""
    message = _("已安排 %(day)s 跟进。", day=task.due_on.isoformat())
    if task.due_on != asked and (warning := holiday_warning(asked)):
        message += " " + warning
    return message
