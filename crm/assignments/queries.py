"""Reading 三个一 records (under the actor's scope), for the project page, the lead's lists and 我分包的项目.

Every function here runs a fixed number of queries, however many projects it is asked about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crm.access.scoping import UNSCOPED
from crm.assignments.models import ProjectLeader, TeamMember
from crm.assignments.permissions import may_decide, may_plan, may_staff
from crm.audit.models import AuditLog
from crm.domain.access import Role
from crm.domain.projects import Rag, RagReason
from crm.domain.units import UnitType
from crm.db import one_of
from crm.extensions import db
from crm.projects.models import Project
from crm.units.models import Unit
from crm.units.queries import county_unit_ids
from crm.web.search import contains
from crm.users.models import User
from crm.web.joins import noted
EXCERPT = 60  # characters of the latest progress report shown on 我分包的项目


# --- staffing gaps (the flag) ----------------------------------------------------------------
def gap_reasons(is_key: bool, leaders: int, members: int, chiefs: int) -> list[str]:
    """Why a key project's 三个一 is incomplete: no active 分包领导, no 服务专班, or a team without 首席服务员."""
    if not is_key:
        return []
    reasons = []
    if leaders == 0:
        reasons.append(_("未明确分包县级领导"))
    if members == 0:
        reasons.append(_("未组建服务专班"))
    elif chiefs == 0:
        reasons.append(_("服务专班未明确首席服务员"))
    return reasons


def staffing_gaps(project_ids: list[int]) -> dict[int, list[str]]:
    """For the key projects among ``project_ids`` whose 三个一 is incomplete: the translated reasons.

    Projects that are not key, or are fully staffed, or are not visible, are absent. One query.
    """
    ids = list(project_ids)
    if not ids:
        return {}
    active_leader = sa.and_(ProjectLeader.project_id == Project.id, ProjectLeader.exited_on.is_(None))
    active_member = sa.and_(TeamMember.project_id == Project.id, TeamMember.exited_on.is_(None))
    leaders = sa.select(sa.func.count(ProjectLeader.id)).where(active_leader).correlate(Project).scalar_subquery()
    members = sa.select(sa.func.count(TeamMember.id)).where(active_member).correlate(Project).scalar_subquery()
    chiefs = (
        sa.select(sa.func.count(TeamMember.id)).where(active_member, TeamMember.is_chief_servant).correlate(Project).scalar_subquery()
    )
    rows = db.session.execute(sa.select(Project.id, leaders, members, chiefs).where(one_of(Project.id, ids), Project.is_key))
    gaps = {}
    for project_id, n_leaders, n_members, n_chiefs in rows:
        if reasons := gap_reasons(True, n_leaders, n_members, n_chiefs):
            gaps[project_id] = reasons
    return gaps


def leaders_of(project_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active 分包县级领导 of each project (slot order); projects without one are absent. One query."""
    ids = list(project_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ProjectLeader.project_id, User)
        .join(User, User.id == ProjectLeader.leader_id)
        .where(one_of(ProjectLeader.project_id, ids), ProjectLeader.exited_on.is_(None))
        .order_by(ProjectLeader.project_id, ProjectLeader.slot)
    )
    found: dict[int, list[User]] = {}
    for project_id, user in rows:
        found.setdefault(project_id, []).append(user)
    return found


# --- choices for the forms ----------------------------------------------------------------------
def slots_for(project: Project) -> int:
    from crm.assignments.services import slots_for as slots

    return slots(project)


def leader_label(user: User) -> str:
    from crm.web.labels import label_text

    title = label_text(user.title) if user.title else ""
    name = user.display_name
    if title and title not in name:
        name = noted(name, f"{title}{user.title_note or ''}")
    return name


def leader_order(user: User) -> tuple[bool, str, str]:
    """County leaders in one order wherever they are listed: those with a title first, by title, then by name."""
    return (user.title is None, str(user.title.value if user.title else ""), user.display_name)


def leader_choices(project: Project) -> list[tuple[int, str]]:
    """Active leader accounts of the project's county."""
    from crm.units.queries import county_leaders

    return [(u.id, leader_label(u)) for u in db.session.scalars(county_leaders(project.unit_id))]


CANDIDATES_SHOWN = 20


def _members(project: Project) -> sa.Select[Any]:
    """Active 招商 workers of the project's county whom the actor may see (a chief: their own unit): who may
    join its 服务专班. A county has hundreds, a city thousands, so the form asks for them by name."""
    return (
        sa.select(User.id, User.display_name, Unit.name)
        .join(Unit, Unit.id == User.unit_id)
        .where(User.role.in_((Role.STAFF, Role.CHIEF, Role.REVIEWER)), User.is_active, county_unit_ids(project.unit_id).clause(User.unit_id))
        .order_by(Unit.sort_order, Unit.id, User.display_name)
    )


def _member_label(name: str, unit: str) -> str:
    return noted(name, unit)


def member_names(project: Project, ids: list[int]) -> dict[int, str]:
    """The ids among ``ids`` that may join the project's team, with their labels."""
    return {uid: _member_label(name, unit) for uid, name, unit in db.session.execute(_members(project).where(User.id.in_(ids)))}


def member_candidates(project: Project, q: str) -> list[tuple[int, str]]:
    """The first few who may join, whose name, account or unit contains ``q``."""
    q = q.strip()[:40]
    if not q:
        return []
    stmt = _members(project).where(sa.or_(contains(User.display_name, q), contains(User.username, q), contains(Unit.name, q)))
    return [(uid, _member_label(name, unit)) for uid, name, unit in db.session.execute(stmt.limit(CANDIDATES_SHOWN))]


def unit_choices(project: Project) -> list[tuple[int, str]]:
    """Active units of the project's county that can lead (the county itself excluded)."""
    units = db.session.scalars(
        sa.select(Unit)
        .where(county_unit_ids(project.unit_id).clause(Unit.id), Unit.is_active, Unit.type != UnitType.COUNTY)
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(u.id, u.name) for u in units]


# --- the project page ---------------------------------------------------------------------------
@dataclass
class KeyChange:
    at: Any
    entered: bool
    actor: str


def _rows_with_users(model: Any, user_column: Any, project_id: int) -> list[tuple[Any, User]]:
    """All rows of the project (active and past) with their people. The caller has checked the project;
    colleagues of another unit on its team are shown although the viewer cannot open their accounts."""
    rows = db.session.execute(
        sa.select(model, User)
        .join(User, User.id == user_column)
        .where(model.project_id == project_id)
        .order_by(model.exited_on.is_not(None), model.entered_on.desc(), model.id.desc())
        .execution_options(**UNSCOPED)
    )
    return [(row, user) for row, user in rows]


def member_name(row: TeamMember) -> str:
    """The name of a 服务专班 member: a colleague of another unit is named, though their account is not the
    viewer's to open (the caller has checked the project)."""
    stmt = sa.select(User.display_name).where(User.id == row.user_id).execution_options(**UNSCOPED)
    return db.session.scalar(stmt) or ""


def key_history(project_id: int) -> list[KeyChange]:
    """纳入/退出 三个一 as the audit log recorded them (the project has been checked already)."""
    rows = db.session.scalars(
        sa.select(AuditLog)
        .where(AuditLog.record_type == Project.__tablename__, AuditLog.record_id == project_id, AuditLog.field == "is_key")
        .order_by(AuditLog.id.desc())
        .execution_options(**UNSCOPED)
    )
    changes = []
    for row in rows:
        if row.new_value == row.old_value or (row.action == "create" and row.new_value != "true"):
            continue
        changes.append(KeyChange(at=row.at, entered=row.new_value == "true", actor=row.actor_label))
    return changes


def project_section(project: Any) -> dict[str, Any]:
    """What the project page shows of 三个一, and which forms the viewer may use (rendered by
    templates/assignments/_project_section.html). A fixed number of queries."""
    from crm.assignments import forms
    from crm.clock import local_today

    leader_rows = _rows_with_users(ProjectLeader, ProjectLeader.leader_id, project.id)
    member_rows = _rows_with_users(TeamMember, TeamMember.user_id, project.id)
    leaders = [(row, user) for row, user in leader_rows if row.exited_on is None]
    members = [(row, user) for row, user in member_rows if row.exited_on is None]
    members.sort(key=lambda pair: (not pair[0].is_chief_servant, pair[0].id))
    past = sorted(
        [("leader", row, user) for row, user in leader_rows if row.exited_on is not None]
        + [("member", row, user) for row, user in member_rows if row.exited_on is not None],
        key=lambda item: (item[1].exited_on, item[1].id),
        reverse=True,
    )
    can_decide, can_staff = may_decide(project), may_staff(project)
    can_plan = may_plan(project, {row.leader_id for row, _user in leaders})
    from crm.assignments.letters import letters_of

    section: dict[str, Any] = {
        "project": project,
        "is_key": project.is_key,
        "letters": letters_of(project.id) if project.is_key else [],
        "leader_names": {user.id: user.display_name for _row, user in leader_rows},
        "lead_unit": project.lead_unit,
        "leaders": leaders,
        "members": members,
        "past": past,
        "key_history": key_history(project.id),
        "gaps": gap_reasons(project.is_key, len(leaders), len(members), sum(1 for row, _u in members if row.is_chief_servant)),
        "plan": project.plan,
        "can_decide": can_decide,
        "can_staff": can_staff,
        "can_plan": can_plan,
    }
    today = local_today()
    if can_decide and not project.is_key:
        section["enter_form"] = forms.enter_form(project, unit_choices(project))
    if can_decide and project.is_key and len(leaders) < slots_for(project):  # a full project changes leaders by exit first
        section["leader_form"] = forms.leader_form(leader_choices(project), today)
    if can_staff and project.is_key:
        section["member_form"] = forms.member_form(project, today)
    return section


# --- 我分包的项目 -----------------------------------------------------------------------------------
@dataclass
class LeaderProject:
    project: Project
    rag: tuple[Rag, list[RagReason]] | None = None
    next_milestone: Any = None  # Milestone or None
    open_issues: int = 0
    overdue_issues: int = 0
    latest_report: Any = None  # ProgressReport or None
    excerpt: str = ""
    gaps: list[str] = field(default_factory=list)


def active_projects_of(leader_id: int, *options: Any) -> list[Project]:
    """The projects the leader 分包 now, by name (one query)."""
    return list(
        db.session.scalars(
            sa.select(Project)
            .join(ProjectLeader, ProjectLeader.project_id == Project.id)
            .where(ProjectLeader.leader_id == leader_id, ProjectLeader.exited_on.is_(None))
            .options(*options)
            .order_by(Project.name, Project.id)
        ).unique()
    )


def my_project_list(leader_id: int, today: date) -> list[LeaderProject]:
    """The leader's active 分包 projects with stage, 红黄绿, the next open milestone, open and overdue
    issues, the latest progress report and the staffing flag. Nine queries, whatever the count."""
    from crm.issues.queries import open_issue_counts
    from crm.progress.models import ProgressReport
    from crm.progress.queries import next_open_milestones
    from crm.projects.rag import project_rags

    projects = active_projects_of(leader_id, joinedload(Project.company), joinedload(Project.unit))
    if not projects:
        return []
    ids = [p.id for p in projects]
    rags = project_rags(projects, today)
    next_milestones = next_open_milestones(ids)

    issue_counts = open_issue_counts(ids, today)

    latest_period = (
        sa.select(ProgressReport.project_id, sa.func.max(ProgressReport.period).label("period"))
        .where(ProgressReport.project_id.in_(ids))
        .group_by(ProgressReport.project_id)
        .subquery()
    )
    reports = {
        report.project_id: report
        for report in db.session.scalars(
            sa.select(ProgressReport).join(
                latest_period,
                sa.and_(latest_period.c.project_id == ProgressReport.project_id, latest_period.c.period == ProgressReport.period),
            )
        )
    }
    gaps = staffing_gaps(ids)

    result = []
    for project in projects:
        report = reports.get(project.id)
        text = (report.description or "").strip() if report else ""
        open_count, overdue_count = issue_counts.get(project.id, (0, 0))
        result.append(
            LeaderProject(
                project=project,
                rag=rags.get(project.id),
                next_milestone=next_milestones.get(project.id),
                open_issues=open_count,
                overdue_issues=overdue_count,
                latest_report=report,
                excerpt=text if len(text) <= EXCERPT else text[:EXCERPT] + "…",
                gaps=gaps.get(project.id, []),
            )
        )
    return result
