"""我的待办: open tasks in buckets, and the count the navigation shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crm.extensions import db
from crm.followups.models import FollowUp
from crm.leads.signals import lead_timeline


GROUPS = ("overdue", "today", "this_week", "later")
PER_GROUP = 20  # the page shows this many of each group; "全部" opens one group a page at a time


@dataclass
class Todo:
    """Open tasks by group, the first ``PER_GROUP`` of each, with each group's full count."""

    tasks: dict[str, list[FollowUp]] = field(default_factory=lambda: {g: [] for g in GROUPS})
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))

    @property
    def overdue(self) -> list[FollowUp]:
        return self.tasks["overdue"]

    @property
    def today(self) -> list[FollowUp]:
        return self.tasks["today"]

    @property
    def this_week(self) -> list[FollowUp]:
        return self.tasks["this_week"]

    @property
    def later(self) -> list[FollowUp]:
        return self.tasks["later"]


def end_of_week(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def group_of(today: date) -> sa.ColumnElement[str]:
    """Which group a task is in: overdue, due today, later this week (to Sunday), or after."""
    return sa.case(
        (FollowUp.due_on < today, "overdue"),
        (FollowUp.due_on == today, "today"),
        (FollowUp.due_on <= end_of_week(today), "this_week"),
        else_="later",
    )


def _open_tasks_of(user_id: int) -> tuple[sa.ColumnElement[bool], ...]:
    return FollowUp.assignee_id == user_id, FollowUp.done_at.is_(None)


def my_todo(user_id: int, today: date, per_group: int = PER_GROUP) -> Todo:
    """Two queries whatever the number of tasks: the count of each group, and the first tasks of each."""
    group = group_of(today)
    todo = Todo()
    for name, count in db.session.execute(sa.select(group, sa.func.count()).where(*_open_tasks_of(user_id)).group_by(group)):
        todo.counts[name] = count
    ranked = (
        sa.select(FollowUp.id, group.label("task_group"),
                  sa.func.row_number().over(partition_by=group, order_by=(FollowUp.due_on, FollowUp.id)).label("nth"))
        .where(*_open_tasks_of(user_id))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(FollowUp, ranked.c.task_group)
        .join(ranked, ranked.c.id == FollowUp.id)
        .where(ranked.c.nth <= per_group)
        .options(joinedload(FollowUp.company), joinedload(FollowUp.lead))
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    for task, name in rows:
        todo.tasks[name].append(task)
    return todo


def todo_group(user_id: int, today: date, name: str) -> sa.Select[Any]:
    """One group's open tasks in order, for paging through all of them."""
    return (
        sa.select(FollowUp)
        .where(*_open_tasks_of(user_id), group_of(today) == name)
        .options(joinedload(FollowUp.company), joinedload(FollowUp.lead))
        .order_by(FollowUp.due_on, FollowUp.id)
    )


def urgent_count(user_id: int, today: date) -> int:
    """Overdue + due today: the badge in the navigation."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(FollowUp)
        .where(FollowUp.assignee_id == user_id, FollowUp.done_at.is_(None), FollowUp.due_on <= today)
    ) or 0


def _newest_first() -> sa.Select[Any]:
    return sa.select(FollowUp).options(joinedload(FollowUp.assignee)).order_by(FollowUp.due_on.desc(), FollowUp.id.desc())


def tasks_for(lead_id: int) -> list[FollowUp]:
    """A lead's tasks, newest first."""
    return list(db.session.scalars(_newest_first().where(FollowUp.lead_id == lead_id)))


def company_tasks(company_id: int) -> sa.Select[Any]:
    """The follow-ups about a company that belong to no lead, newest first (the company page pages through
    them: a company the whole city follows has thousands)."""
    return _newest_first().where(FollowUp.company_id == company_id, FollowUp.lead_id.is_(None))


@lead_timeline.connect
def lead_tasks_timeline(lead):  # type: ignore[no-untyped-def]
    from crm.leads.queries import TimelineEntry

    entries = []
    for task in tasks_for(lead_id=lead.id):
        entries.append(TimelineEntry(task.created_at, "follow_up", _("安排跟进（%(due)s）：%(note)s", due=task.due_on.isoformat(), note=task.note)))
        if task.done_at:
            entries.append(TimelineEntry(task.done_at, "follow_up_done", _("完成跟进：%(note)s", note=task.done_note or task.note)))
    return entries


@dataclass(frozen=True)
class Load:
    """One person's open tasks in the unit: 团队待办's row per person, and the chief's box on the 工作台."""

    user_id: int
    name: str
    overdue: int
    today: int
    open: int
    in_unit: bool  # False: no longer an active member, their tasks wait to be handed over


def team_load(unit_id: int, today: date) -> list[Load]:
    """Every active member of the unit, and anyone else still holding its open tasks, with their counts."""
    from crm.users.models import User

    counts = {
        assignee: (overdue or 0, due_today or 0, total)
        for assignee, overdue, due_today, total in db.session.execute(
            sa.select(
                FollowUp.assignee_id,
                sa.func.sum(sa.case((FollowUp.due_on < today, 1), else_=0)),
                sa.func.sum(sa.case((FollowUp.due_on == today, 1), else_=0)),
                sa.func.count(),
            )
            .where(FollowUp.unit_id == unit_id, FollowUp.done_at.is_(None))
            .group_by(FollowUp.assignee_id)
        )
    }
    people = db.session.scalars(
        sa.select(User)
        .where(sa.or_(sa.and_(User.unit_id == unit_id, User.is_active), User.id.in_(list(counts))))
        .order_by(User.display_name)
    )
    return [
        Load(u.id, u.display_name, *counts.get(u.id, (0, 0, 0)), in_unit=u.unit_id == unit_id and u.is_active)
        for u in people
    ]


TEAM_STATES = ("open", "overdue", "today", "this_week", "done")


@dataclass(frozen=True)
class TeamFilters:
    assignee_id: int | None = None
    state: str = "open"
    due_from: date | None = None
    due_to: date | None = None


def team_tasks(unit_id: int, f: TeamFilters, today: date) -> sa.Select[Any]:
    """The unit's tasks for 团队待办: open ones by due date, done ones newest first."""
    stmt = (
        sa.select(FollowUp)
        .where(FollowUp.unit_id == unit_id)
        .options(joinedload(FollowUp.company), joinedload(FollowUp.lead), joinedload(FollowUp.assignee))
    )
    if f.assignee_id is not None:
        stmt = stmt.where(FollowUp.assignee_id == f.assignee_id)
    if f.due_from is not None:
        stmt = stmt.where(FollowUp.due_on >= f.due_from)
    if f.due_to is not None:
        stmt = stmt.where(FollowUp.due_on <= f.due_to)
    if f.state == "done":
        return stmt.where(FollowUp.done_at.is_not(None)).order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
    stmt = stmt.where(FollowUp.done_at.is_(None))
    if f.state == "overdue":
        stmt = stmt.where(FollowUp.due_on < today)
    elif f.state == "today":
        stmt = stmt.where(FollowUp.due_on == today)
    elif f.state == "this_week":
        stmt = stmt.where(FollowUp.due_on >= today, FollowUp.due_on <= end_of_week(today))
    return stmt.order_by(FollowUp.due_on, FollowUp.id)
