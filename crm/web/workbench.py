"""工作台: the home page of those who work the unit's records (staff and chiefs) — today's tasks, the quick
actions, the records they touched last, and for a chief the team's load. The figures are one tap away, on the
dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from crm.audit.models import AuditLog
from crm.audit.queries import audited_models
from crm.domain.access import Actor, Gate, passes
from crm.extensions import db
from crm.followups.queries import Todo, my_todo, team_load
from crm.web.urls import RECORD_PAGES, record_url

URGENT_SHOWN = 10  # overdue and today's tasks on the first screen; 我的待办 has them all
RECENT_SHOWN = 6
RECENT_WINDOW = 300  # the user's last audit rows the recent records are read from (a busy user has thousands)


@dataclass(frozen=True)
class RecentRecord:
    kind: Any  # 线索, 项目 … (the model's audit name)
    label: str
    at: datetime
    url: str


@dataclass
class Workbench:
    todo: Todo
    recent: list[RecentRecord]
    team: list[Any]  # a chief's (person, overdue, today, open) rows; empty for staff

    @property
    def urgent(self) -> list[Any]:
        return (self.todo.overdue + self.todo.today)[:URGENT_SHOWN]

    @property
    def urgent_total(self) -> int:
        return self.todo.counts["overdue"] + self.todo.counts["today"]


def recent_records(user_id: int, limit: int = RECENT_SHOWN) -> list[RecentRecord]:
    """The records the user changed last, newest first, one line each (from the audit log: it already names who
    changed what)."""
    window = (
        sa.select(AuditLog.id, AuditLog.record_type, AuditLog.record_id, AuditLog.record_label, AuditLog.at)
        .where(AuditLog.actor_id == user_id, AuditLog.record_type.in_(RECORD_PAGES))
        .order_by(AuditLog.id.desc())
        .limit(RECENT_WINDOW)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(window.c.record_type, window.c.record_id, sa.func.max(window.c.record_label), sa.func.max(window.c.at))
        .group_by(window.c.record_type, window.c.record_id)
        .order_by(sa.func.max(window.c.id).desc())
        .limit(limit)
    )
    models = audited_models()
    recent = []
    for record_type, record_id, label, at in rows:
        recent.append(RecentRecord(models[record_type].__audit_name__, label or "", at, record_url(record_type, record_id) or ""))
    return recent


def workbench(actor: Actor, today: date) -> Workbench:
    team = team_load(actor.unit_id, today) if passes(actor, Gate.TEAM_TASKS) else []
    return Workbench(todo=my_todo(actor.user_id, today, per_group=URGENT_SHOWN), recent=recent_records(actor.user_id),
                     team=team)
