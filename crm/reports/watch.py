"""What needs a leader's attention: the 三个一 projects with their 红黄绿, overdue 节点 and issues, and the
影子 / 空巢 / 逾期未开工 flags. A fixed number of queries each, whatever the number of projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from crm.domain.pipeline import Stage
from crm.domain.projects import Rag, RagReason
from crm.domain.reports import Flag, FlagSettings
from crm.extensions import db
from crm.projects.models import Project
from crm.reports.cache import cached_figure
from crm.reports.counting import built_on, flag_clause
from crm.reports.scope import ReportScope

KEY_LIMIT = 100  # 三个一 projects judged for the dashboard's 红黄绿 counts; the list behind has them all
KEY_SHOWN = 20  # of which the dashboard shows the first, red first
LIST_LIMIT = 10
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


@dataclass
class KeyRow:
    project: Project
    rag: tuple[Rag, list[RagReason]]
    leaders: list[Any]


@dataclass
class KeyTable:
    rows: list[KeyRow]
    counts: dict[Rag, int]
    total: int  # how many were judged (rows holds the first of them)


def _by_id(model: Any, ids: list[int], *options: Any) -> dict[int, Any]:
    """The records of ``ids`` (a few, by primary key), read again in this session from the cached ids."""
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(sa.select(model).where(model.id.in_(ids)).options(*options))}


@cached_figure
def _key_rows(scope: ReportScope, today: date) -> list[tuple[int, tuple[Rag, list[RagReason]], list[int]]]:
    """(project id, 红黄绿, leader ids) of the key projects, red first; kept per change of the data."""
    from crm.assignments.queries import leaders_of
    from crm.projects.rag import project_rags

    projects = list(
        db.session.scalars(
            sa.select(Project)
            .where(Project.is_key, scope.units.clause(Project.unit_id), Project.stage != Stage.TERMINATED)
            .order_by(Project.total_investment.desc().nulls_last(), Project.id)
            .limit(KEY_LIMIT)
        )
    )
    rags = project_rags(projects, today)
    leaders = leaders_of([p.id for p in projects])
    projects.sort(key=lambda p: (RAG_ORDER[rags[p.id][0]], -(p.total_investment or 0), p.name))
    return [(p.id, rags[p.id], [u.id for u in leaders.get(p.id, [])]) for p in projects]


def key_projects(scope: ReportScope, today: date, shown: int | None = KEY_SHOWN) -> KeyTable:
    """三个一 (key) projects not terminated, red first: the counts of all of them, the first ``shown`` read."""
    from crm.users.models import User

    judged = _key_rows(scope, today)
    found = judged if shown is None else judged[:shown]
    projects = _by_id(Project, [pid for pid, _rag, _leaders in found], joinedload(Project.unit), joinedload(Project.company))
    users = _by_id(User, sorted({uid for _pid, _rag, leaders in found for uid in leaders}))
    rows = [KeyRow(projects[pid], rag, [users[u] for u in leaders if u in users]) for pid, rag, leaders in found if pid in projects]
    counts = {colour: sum(1 for _pid, rag, _leaders in judged if rag[0] is colour) for colour in Rag}
    return KeyTable(rows, counts, len(judged))


@dataclass
class Listing:
    count: int
    rows: list[Any] = field(default_factory=list)


def overdue_milestone_where(scope: ReportScope, today: date) -> tuple[Any, ...]:
    """逾期节点: not reached, past the planned date, of a project of the scope not 中止 (the query joins Project)."""
    from crm.progress.models import Milestone

    return (Milestone.overdue_on(today), scope.units.clause(Project.unit_id), Project.stage != Stage.TERMINATED)


def overdue_milestone_lines(scope: ReportScope, today: date, limit: int) -> sa.Select[Any]:
    """The export's lines of ``overdue_milestones``, as plain columns in the same order: project, its unit, the
    节点's kind, the planned date and the responsible unit's name."""
    from crm.progress.models import Milestone
    from crm.units.models import Unit

    tracking, responsible = aliased(Unit), aliased(Unit)
    return (
        sa.select(Project.name, tracking.name, Milestone.kind, Milestone.planned_on, responsible.name)
        .join(Project, Project.id == Milestone.project_id)
        .join(tracking, tracking.id == Project.unit_id)
        .outerjoin(responsible, responsible.id == Milestone.responsible_unit_id)
        .where(*overdue_milestone_where(scope, today))
        .order_by(Milestone.planned_on, Milestone.id)
        .limit(limit)
    )


@cached_figure
def _overdue_milestone_ids(scope: ReportScope, today: date, limit: int | None, offset: int) -> tuple[int, list[int]]:
    from crm.progress.models import Milestone

    where = overdue_milestone_where(scope, today)
    count = db.session.scalar(sa.select(sa.func.count(Milestone.id)).join(Project, Project.id == Milestone.project_id).where(*where)) or 0
    stmt = (
        sa.select(Milestone.id).join(Project, Project.id == Milestone.project_id).where(*where)
        .order_by(Milestone.planned_on, Milestone.id).offset(offset)
    )
    return count, list(db.session.scalars(stmt if limit is None else stmt.limit(limit)))


def overdue_milestones(scope: ReportScope, today: date, limit: int | None = LIST_LIMIT, offset: int = 0) -> Listing:
    """节点 past their planned date and not done, earliest first; ``offset`` for a page further on."""
    from crm.progress.models import Milestone

    count, ids = _overdue_milestone_ids(scope, today, limit, offset)
    found = _by_id(Milestone, ids, joinedload(Milestone.project).joinedload(Project.unit), joinedload(Milestone.responsible_unit))
    return Listing(count, [found[i] for i in ids if i in found])


@cached_figure
def _overdue_issue_ids(scope: ReportScope, today: date) -> tuple[int, list[int]]:
    from crm.issues.models import Issue

    where = (Issue.overdue_on(today), scope.units.clause(Issue.unit_id))
    count = db.session.scalar(sa.select(sa.func.count(Issue.id)).where(*where)) or 0
    return count, list(db.session.scalars(sa.select(Issue.id).where(*where).order_by(Issue.deadline, Issue.id).limit(LIST_LIMIT)))


def overdue_issues(scope: ReportScope, today: date) -> Listing:
    """Open issues past their 办理期限 kept by the scope's units, earliest first."""
    from crm.issues.models import Issue

    count, ids = _overdue_issue_ids(scope, today)
    found = _by_id(Issue, ids, joinedload(Issue.project), joinedload(Issue.responsible_unit))
    return Listing(count, [found[i] for i in ids if i in found])


@dataclass
class FlagRow:
    project: Project
    since: Any  # 签约月 / 主体封顶日期 / 计划开工日期


@cached_figure
def _flagged_ids(scope: ReportScope, flag: Flag, today: date, settings: FlagSettings, limit: int | None) -> tuple[int, list[tuple[int, Any]]]:
    where = (flag_clause(flag, today, settings), scope.units.clause(Project.unit_id))
    count = db.session.scalar(sa.select(sa.func.count(Project.id)).where(*where)) or 0
    since: Any = {Flag.SHADOW: Project.signed_month, Flag.EMPTY_NEST: built_on(), Flag.LATE_START: Project.planned_start_on}[flag]
    stmt = sa.select(Project.id, since.label("since")).where(*where).order_by(since, Project.id)
    return count, [(pid, s) for pid, s in db.session.execute(stmt if limit is None else stmt.limit(limit))]


def flagged(scope: ReportScope, flag: Flag, today: date, settings: FlagSettings, limit: int | None = LIST_LIMIT) -> Listing:
    """Projects carrying one flag, longest-standing first."""
    count, rows = _flagged_ids(scope, flag, today, settings, limit)
    projects = _by_id(Project, [pid for pid, _since in rows], joinedload(Project.unit))
    return Listing(count, [FlagRow(projects[pid], since) for pid, since in rows if pid in projects])
