"""What needs a leader's attention: the 三个一 projects with their 红黄绿, overdue 节点 and issues, and the
影子 / 空巢 / 逾期未开工 flags. A fixed number of queries each, whatever the number of projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.domain.pipeline import Stage
from crm.domain.projects import Rag
from crm.domain.reports import Flag, FlagSettings
from crm.extensions import db
from crm.projects.models import Project
from crm.reports.counting import built_on, flag_clause
from crm.reports.scope import ReportScope

KEY_LIMIT = 100  # 三个一 projects judged for the dashboard's 红黄绿 counts; the list behind has them all
KEY_SHOWN = 20  # of which the dashboard shows the first, red first
LIST_LIMIT = 10
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


@dataclass
class KeyRow:
    project: Project
    rag: tuple[Rag, list[str]]
    leaders: list[Any]


@dataclass
class KeyTable:
    rows: list[KeyRow]
    counts: dict[Rag, int]
    total: int
    shown: int = KEY_SHOWN


def key_projects(scope: ReportScope, today: date) -> KeyTable:
    """三个一 (key) projects not terminated, red first (five queries)."""
    from crm.assignments.queries import leaders_of
    from crm.projects.rag import project_rags

    projects = list(
        db.session.scalars(
            sa.select(Project)
            .where(Project.is_key, scope.units.clause(Project.unit_id), Project.stage != Stage.TERMINATED)
            .options(joinedload(Project.unit), joinedload(Project.company))
            .order_by(Project.total_investment.desc().nulls_last(), Project.id)
            .limit(KEY_LIMIT)
        )
    )
    rags = project_rags(projects, today)
    leaders = leaders_of([p.id for p in projects])
    rows = [KeyRow(p, rags[p.id], leaders.get(p.id, [])) for p in projects]
    rows.sort(key=lambda r: (RAG_ORDER[r.rag[0]], -(r.project.total_investment or 0), r.project.name))
    counts = {colour: sum(1 for r in rows if r.rag[0] is colour) for colour in Rag}
    return KeyTable(rows, counts, len(rows))


@dataclass
class Listing:
    count: int
    rows: list[Any] = field(default_factory=list)


def overdue_milestones(scope: ReportScope, today: date, limit: int | None = LIST_LIMIT, offset: int = 0) -> Listing:
    """节点 past their planned date and not done, earliest first (two queries); ``offset`` for a page further on."""
    from crm.progress.models import Milestone

    where = (Milestone.actual_on.is_(None), Milestone.planned_on < today, scope.units.clause(Project.unit_id),
             Project.stage != Stage.TERMINATED)
    count = db.session.scalar(sa.select(sa.func.count(Milestone.id)).join(Project, Project.id == Milestone.project_id).where(*where)) or 0
    stmt = (
        sa.select(Milestone)
        .join(Project, Project.id == Milestone.project_id)
        .where(*where)
        .options(joinedload(Milestone.project).joinedload(Project.unit), joinedload(Milestone.responsible_unit))
        .order_by(Milestone.planned_on, Milestone.id)
        .offset(offset)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return Listing(count, list(db.session.scalars(stmt)))


def overdue_issues(scope: ReportScope, today: date) -> Listing:
    """Open issues past their 办理期限 kept by the scope's units, earliest first (two queries)."""
    from crm.issues.models import Issue
    from crm.issues.queries import overdue_clause

    where = (overdue_clause(today), scope.units.clause(Issue.unit_id))
    count = db.session.scalar(sa.select(sa.func.count(Issue.id)).where(*where)) or 0
    rows = db.session.scalars(
        sa.select(Issue)
        .where(*where)
        .options(joinedload(Issue.project), joinedload(Issue.responsible_unit))
        .order_by(Issue.deadline, Issue.id)
        .limit(LIST_LIMIT)
    )
    return Listing(count, list(rows))


@dataclass
class FlagRow:
    project: Project
    since: Any  # 签约月 / 主体封顶日期 / 计划开工日期


def flagged(scope: ReportScope, flag: Flag, today: date, settings: FlagSettings, limit: int | None = LIST_LIMIT) -> Listing:
    """Projects carrying one flag, longest-standing first (two queries)."""
    clause = flag_clause(flag, today, settings)
    where = (clause, scope.units.clause(Project.unit_id))
    count = db.session.scalar(sa.select(sa.func.count(Project.id)).where(*where)) or 0
    since: Any = {Flag.SHADOW: Project.signed_month, Flag.EMPTY_NEST: built_on(), Flag.LATE_START: Project.planned_start_on}[flag]
    stmt = sa.select(Project, since.label("since")).where(*where).options(joinedload(Project.unit)).order_by(since, Project.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return Listing(count, [FlagRow(p, s) for p, s in db.session.execute(stmt)])
