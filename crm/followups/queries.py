"""我的待办: open tasks in buckets, and the count the navigation shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.followups.models import FollowUp


@dataclass
class Todo:
    overdue: list[FollowUp] = field(default_factory=list)
    today: list[FollowUp] = field(default_factory=list)
    this_week: list[FollowUp] = field(default_factory=list)
    later: list[FollowUp] = field(default_factory=list)


def end_of_week(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def my_todo(user_id: int, today: date) -> Todo:
    tasks = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.assignee_id == user_id, FollowUp.done_at.is_(None))
        .options(joinedload(FollowUp.company), joinedload(FollowUp.lead))
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    todo = Todo()
    sunday = end_of_week(today)
    for task in tasks:
        if task.due_on < today:
            todo.overdue.append(task)
        elif task.due_on == today:
            todo.today.append(task)
        elif task.due_on <= sunday:
            todo.this_week.append(task)
        else:
            todo.later.append(task)
    return todo


def urgent_count(user_id: int, today: date) -> int:
    """Overdue + due today: the badge in the navigation."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FollowUp)
        .where(FollowUp.assignee_id == user_id, FollowUp.done_at.is_(None), FollowUp.due_on <= today)
    ) or 0


def tasks_for(lead_id: int | None = None, company_id: int | None = None) -> list[FollowUp]:
    stmt = sa.select(FollowUp).options(joinedload(FollowUp.assignee)).order_by(FollowUp.due_on.desc(), FollowUp.id.desc())
    if lead_id is not None:
        stmt = stmt.where(FollowUp.lead_id == lead_id)
    if company_id is not None:
        stmt = stmt.where(FollowUp.company_id == company_id)
    return list(db.session.scalars(stmt))


def lead_tasks_timeline(lead):  # type: ignore[no-untyped-def]
    from crm.leads.queries import TimelineEntry

    entries = []
    for task in tasks_for(lead_id=lead.id):
        entries.append(TimelineEntry(task.created_at, "follow_up", f"安排跟进（{task.due_on.isoformat()}）：{task.note}"))
        if task.done_at:
            entries.append(TimelineEntry(task.done_at, "follow_up_done", f"完成跟进：{task.done_note or task.note}"))
    return entries


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    from crm.leads.queries import TIMELINE_SOURCES

    TIMELINE_SOURCES.append(lead_tasks_timeline)
