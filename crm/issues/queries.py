"""Reading issues (under the actor's scope): the list, the period report, the project page section,
the counts the project list shows, and the choices of the forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from crm.access.policy import allowed, current_actor
from crm.access.reach import in_team_projects
from crm.clock import local_today
from crm.domain.access import Action
from crm.domain.issues import (
    OPEN_STATUSES,
    IssueCategory,
    IssueLevel,
    IssueStatus,
    ReportList,
    is_overdue,
)
from crm.extensions import db
from crm.issues.models import Issue, IssueAction, issue_target
from crm.projects.models import Project
from crm.web.search import contains, parse_enum
from crm.web.ids import optional_int

OPEN = "open"  # the list's pseudo-status 未办结 (待交办 + 办理中)

SORTS: dict[str, Any] = {
    "-raised": (Issue.raised_on.desc(), Issue.id.desc()),
    "raised": (Issue.raised_on.asc(), Issue.id.asc()),
    "deadline": (Issue.deadline.asc(), Issue.id.asc()),
    "-updated": (Issue.updated_at.desc(), Issue.id.desc()),
    "number": (Issue.number.asc(),),
}



# --- projects for the forms ---------------------------------------------------------------
def creatable_projects() -> list[tuple[int, str]]:
    """Projects the signed-in user may raise issues for: their unit's and those whose 服务专班 they serve on."""
    actor = current_actor()
    if actor is None:
        return []
    rows = db.session.execute(
        sa.select(Project.id, Project.name)
        .where(sa.or_(Project.unit_id == actor.unit_id, in_team_projects(Project.id, actor)))
        .order_by(Project.name, Project.id)
    )
    return [(pid, name) for pid, name in rows]


def unit_projects(unit_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """Projects of one unit (for moving an issue to another project of the same unit)."""
    rows = db.session.execute(
        sa.select(Project.id, Project.name)
        .where(sa.or_(Project.unit_id == unit_id, Project.id == keep))
        .order_by(Project.name, Project.id)
    )
    return [(pid, name) for pid, name in rows]


# --- the list -------------------------------------------------------------------------------
@dataclass
class IssueFilters:
    q: str = ""  # 编号 or words of the 问题描述
    status: str = ""
    category: str = ""
    level: str = ""
    unit: int | None = None  # 责任单位
    project: str = ""  # words of the project's name
    project_id: int | None = None
    overdue: bool = False
    sort: str = "-raised"

    @classmethod
    def from_args(cls, args: Any) -> "IssueFilters":
        status = args.get("status", "")
        return cls(
            q=args.get("q", "").strip()[:60],
            status=status if status == OPEN or parse_enum(IssueStatus, status) else "",
            category=args.get("category", "") if parse_enum(IssueCategory, args.get("category")) else "",
            level=args.get("level", "") if parse_enum(IssueLevel, args.get("level")) else "",
            unit=optional_int(args.get("unit")),
            project=args.get("project", "").strip()[:60],
            project_id=optional_int(args.get("project_id")),
            overdue=args.get("overdue") in ("1", "on", "true"),
            sort=args.get("sort", "-raised") if args.get("sort") in SORTS else "-raised",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.status, self.category, self.level, self.unit, self.project, self.project_id, self.overdue))


def issue_list_query(f: IssueFilters, today: date) -> sa.Select[Any]:
    """Issues the user may see (the session's scope), filtered and sorted."""
    stmt = sa.select(Issue)
    if f.q:
        stmt = stmt.where(sa.or_(contains(Issue.description, f.q), contains(Issue.number, f.q)))
    if f.status == OPEN:
        stmt = stmt.where(Issue.is_open())
    elif f.status:
        stmt = stmt.where(Issue.status == IssueStatus(f.status))
    if f.category:
        stmt = stmt.where(Issue.category == IssueCategory(f.category))
    if f.level:
        stmt = stmt.where(Issue.level == IssueLevel(f.level))
    if f.unit:
        stmt = stmt.where(Issue.responsible_unit_id == f.unit)
    if f.project:
        stmt = stmt.where(Issue.project_id.in_(sa.select(Project.id).where(contains(Project.name, f.project))))
    if f.project_id:
        stmt = stmt.where(Issue.project_id == f.project_id)
    if f.overdue:
        stmt = stmt.where(Issue.overdue_on(today))
    return stmt.options(
        selectinload(Issue.project), selectinload(Issue.responsible_unit), selectinload(Issue.unit)
    ).order_by(*SORTS[f.sort])


def overdue_count(today: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Issue).where(Issue.overdue_on(today))) or 0


# --- the period report ---------------------------------------------------------------------
@dataclass
class PeriodReport:
    start: date
    end: date
    lists: dict[ReportList, list[Issue]] = field(default_factory=dict)  # the first of each list, or all of them
    counts: dict[ReportList, int] = field(default_factory=dict)  # how many each list holds

    @property
    def new(self) -> list[Issue]:
        return self.lists.get(ReportList.NEW, [])

    @property
    def progress(self) -> list[Issue]:
        return self.lists.get(ReportList.PROGRESS, [])

    @property
    def finished(self) -> list[Issue]:
        return self.lists.get(ReportList.FINISHED, [])


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as instants: from ``start`` 00:00 to the day after ``end`` 00:00, in the county's time zone."""
    zone = ZoneInfo(current_app.config["CRM_TIMEZONE"])
    return datetime.combine(start, time.min, zone), datetime.combine(end + timedelta(days=1), time.min, zone)


def report_list_clauses(start: date, end: date) -> dict[ReportList, sa.ColumnElement[bool]]:
    """The SQL twin of ``crm.domain.issues.report_lists``: which issues each list of the period holds."""
    begin, finish = local_bounds(start, end)
    acted = Issue.id.in_(sa.select(IssueAction.issue_id).where(IssueAction.at >= begin, IssueAction.at < finish))
    finished_on = sa.func.coalesce(Issue.resolved_on, Issue.closed_on)  # 办结 comes first; 销号 alone stands for it
    raised = Issue.raised_on <= end
    return {
        ReportList.NEW: sa.and_(Issue.raised_on >= start, raised),
        ReportList.PROGRESS: sa.and_(
            raised,
            sa.or_(finished_on.is_(None), finished_on >= start),
            sa.or_(acted, finished_on.is_(None), finished_on > end),
        ),
        ReportList.FINISHED: sa.and_(raised, sa.or_(Issue.resolved_on.between(start, end), Issue.closed_on.between(start, end))),
    }


def period_report(start: date, end: date, limit: int | None = None) -> PeriodReport:
    """新增, 推进落实, 已办结销号 for ``start``–``end``, each list counted and read (its first ``limit``) in SQL:
    a city's report holds thousands of open issues."""
    report = PeriodReport(start=start, end=end)
    for kind, clause in report_list_clauses(start, end).items():
        report.counts[kind] = db.session.scalar(sa.select(sa.func.count(Issue.id)).where(clause)) or 0
        stmt = (
            sa.select(Issue).where(clause)
            .options(selectinload(Issue.project), selectinload(Issue.responsible_unit))
            .order_by(Issue.raised_on, Issue.id)
        )
        report.lists[kind] = list(db.session.scalars(stmt if limit is None else stmt.limit(limit)))
    return report


# --- the project page and the project list --------------------------------------------------
def open_issue_counts(project_ids: Iterable[int], today: date | None = None) -> dict[int, tuple[int, int]]:
    """(未办结, 其中逾期) per project, for every id asked (zeros included), in one grouped query.

    未办结 = 待交办 or 办理中 (an 已办结 issue waiting for 销号 is done by its unit).
    """
    ids = sorted(set(project_ids))
    if not ids:
        return {}
    today = today or local_today()
    overdue = sa.case((Issue.deadline < today, 1), else_=0)
    rows = db.session.execute(
        sa.select(Issue.project_id, sa.func.count(), sa.func.coalesce(sa.func.sum(overdue), 0))
        .where(Issue.project_id.in_(ids), Issue.is_open())
        .group_by(Issue.project_id)
    ).all()
    counts = {pid: (0, 0) for pid in ids}
    counts.update({pid: (int(n), int(late)) for pid, n, late in rows})
    return counts


def project_section(project: Any) -> dict[str, Any]:
    """What the project page shows of the issue ledger (templates/issues/_project_section.html).

    Not yet 销号 first (with 责任单位, 负责人, 期限, 逾期), the 已销号 ones apart; three queries in all.
    """
    today = local_today()
    issues = db.session.scalars(
        sa.select(Issue)
        .where(Issue.project_id == project.id)
        .options(selectinload(Issue.responsible_unit))
        .order_by(Issue.deadline, Issue.id)
    ).all()
    current = [i for i in issues if i.status is not IssueStatus.CLOSED]
    closed = sorted((i for i in issues if i.status is IssueStatus.CLOSED), key=lambda i: (i.closed_on or i.raised_on), reverse=True)
    return {
        "project": project,
        "current": current,
        "closed": closed,
        "overdue_ids": {i.id for i in current if is_overdue(i.deadline, i.status, today)},
        "open_count": sum(1 for i in current if i.status in OPEN_STATUSES),
        "can_create": allowed(Action.CREATE, issue_target(project.unit_id, project.id)),
    }
