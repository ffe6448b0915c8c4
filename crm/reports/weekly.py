"""周督查 weekly report for the Monday meeting (DOMAIN §c Weekly; issue 16): the week's new 线索 and projects and its
stage changes with amounts, 到位资金, the 三个一 projects in 红 or 黄 with their missed 节点, the 问题 lists (新增,
逾期, 销号), projects without an update for 7 days, next week's 外出招商 and 客商来访, and each 分包领导's activity.

For the county (the reader's report scope) or one unit of it (its subtree). The sections the weekly digest has too
are the digest's own (``crm.digests.build``), so the Monday email and the meeting's paper never disagree.
Read under the reader's scope; every list is capped, with the rest counted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crm.access.reach import UnitSet, unit_subtree
from crm.digests.build import (LIST_LIMIT, RAG_TONE, Item, Section, Week, _capped, funds_section, issue_week_conditions, link,
                               planned_visits, stage_events_section)
from crm.domain.issues import IssueActionKind
from crm.domain.pipeline import Stage
from crm.domain.projects import Rag
from crm.extensions import db
from crm.reports.scope import ReportScope
from crm.units.models import Unit
from crm.web.joins import enumeration, semicolons
from crm.web.labels import label_text
from crm.web.money import reading as money
from crm.web.rag_text import reasons_text

STALE_DAYS = 7  # "projects with no update in 7 days" (DOMAIN §c)
ACTIVE_STAGES = (Stage.TALKS, Stage.SIGNED, Stage.REGISTERED, Stage.STARTED)


@dataclass(frozen=True)
class WeeklyReport:
    root_name: str  # the county or the unit the report is about
    week: Week
    sections: list[Section]

    @property
    def title(self) -> str:
        return _("%(name)s招商引资周督查报告", name=self.root_name)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def unit_scope(scope: ReportScope, unit: Unit) -> ReportScope | None:
    """The report of one unit of ``scope`` (its subtree), or None for a unit outside it."""
    if unit.id not in scope.units:
        return None
    units = unit_subtree(unit.id, unit.path)
    return ReportScope(unit.id, unit.name, scope.county_id, units, True, units)


def weekly_report(scope: ReportScope, week: Week) -> WeeklyReport:
    units = scope.units
    sections = [
        new_this_week(units, week),
        stage_events_section(units, week),
        funds_section(units, week),
        key_projects_section(scope, week),
        missed_milestones_section(scope, week),
        issues_section(units, week),
        stale_projects_section(units, week),
        replace(planned_visits(week, units), key="next_week_visits", title=_("下周外出招商和客商来访")),
        leader_activity_section(units, week),
    ]
    return WeeklyReport(scope.root_name, week, sections)


def new_this_week(units: UnitSet, week: Week) -> Section:
    """新增线索 and 新入库项目 (在谈) of the week, counted with their amounts."""
    from crm.leads.models import Lead
    from crm.projects.models import Project

    leads, lead_amount = db.session.execute(
        sa.select(sa.func.count(Lead.id), sa.func.coalesce(sa.func.sum(Lead.amount_high), 0))
        .where(units.clause(Lead.unit_id), Lead.received_on >= week.start, Lead.received_on <= week.end)
    ).one()
    projects = db.session.execute(
        sa.select(Project.id, Project.name, Project.total_investment)
        .where(units.clause(Project.unit_id), Project.tracked_since >= week.start, Project.tracked_since <= week.end)
        .order_by(Project.total_investment.desc().nulls_last(), Project.id)
    ).all()
    total = sum((amount or 0 for _pid, _name, amount in projects), 0)
    summary = _("新增线索 %(leads)d 条（拟投资 %(lead_amount)s）；新入库项目（在谈）%(projects)d 个（总投资 %(amount)s）",
                leads=leads, lead_amount=money(lead_amount), projects=len(projects), amount=money(total))
    items, more = _capped([Item(name, link("projects.detail", project_id=pid), money(amount) if amount is not None else None)
                           for pid, name, amount in projects])
    return Section("new_this_week", _("本周新增线索和项目"), items, more, summary)


def key_projects_section(scope: ReportScope, week: Week) -> Section:
    """三个一 projects in 红 or 黄, red first, with why (the dashboard's judgement of the same projects)."""
    from crm.reports.watch import key_projects

    table = key_projects(scope, week.as_of, shown=None)
    rows = [row for row in table.rows if row.rag[0] in (Rag.RED, Rag.AMBER)]
    items = []
    for row in rows:
        colour, reasons = row.rag
        leaders = enumeration(user.display_name for user in row.leaders)
        note = " · ".join(part for part in (label_text(colour), reasons_text(reasons), _("分包：%(names)s", names=leaders) if leaders else "") if part)
        items.append(Item(row.project.name, link("projects.detail", project_id=row.project.id), note, RAG_TONE.get(colour)))
    items, more = _capped(items)
    summary = _("红 %(red)d 个，黄 %(amber)d 个（三个一项目共 %(total)d 个）", red=table.counts[Rag.RED], amber=table.counts[Rag.AMBER], total=table.total)
    return Section("key_red_amber", _("三个一项目红黄牌"), items, more, summary)


def missed_milestones_section(scope: ReportScope, week: Week) -> Section:
    """The dashboard's 逾期节点 (``watch.overdue_milestone_where``), of the 三个一 projects."""
    from crm.progress.models import Milestone
    from crm.projects.models import Project
    from crm.reports.watch import overdue_milestone_where

    where = (*overdue_milestone_where(scope, week.as_of), Project.is_key)
    count = db.session.scalar(sa.select(sa.func.count(Milestone.id)).join(Project, Project.id == Milestone.project_id).where(*where)) or 0
    rows = db.session.execute(
        sa.select(Milestone, Project.name).join(Project, Project.id == Milestone.project_id).where(*where)
        .order_by(Milestone.planned_on, Milestone.id).limit(LIST_LIMIT)
    ).all()
    items = [Item(f"{name} · {label_text(m.kind)}", link("projects.detail", project_id=m.project_id, _anchor="milestones"),
                  _("计划 %(day)s，逾期 %(days)d 天", day=m.planned_on.isoformat(), days=(week.as_of - m.planned_on).days), "red")
             for m, name in rows]
    items, more = _capped(items, count)
    return Section("missed_milestones", _("三个一项目未按期完成的节点"), items, more)


def issues_section(units: UnitSet, week: Week) -> Section:
    """The 问题台账's week as three lists: raised this week, overdue now, closed (销号) this week."""
    from crm.issues.models import Issue

    raised, overdue, closed = issue_week_conditions(week)
    lists = ((_("新增"), raised, None), (_("逾期"), overdue, "red"), (_("销号"), closed, "green"))
    items: list[Item] = []
    counts = []
    for name, where, tone in lists:
        count = db.session.scalar(sa.select(sa.func.count(Issue.id)).where(units.clause(Issue.unit_id), where)) or 0
        counts.append(_("%(list)s %(n)d 个", list=name, n=count))
        for issue in db.session.scalars(sa.select(Issue).where(units.clause(Issue.unit_id), where).order_by(Issue.deadline, Issue.id).limit(LIST_LIMIT)):
            note = _("%(list)s · 期限 %(day)s", list=name, day=issue.deadline.isoformat())
            items.append(Item(f"{issue.number} {issue.description[:60]}", link("issues.detail", issue_id=issue.id), note, tone))
    return Section("issues", _("问题台账：新增、逾期、销号"), items, 0, semicolons(counts))


def stale_projects_section(units: UnitSet, week: Week) -> Section:
    """Projects under way with no progress report or stage event for ``STALE_DAYS`` days (or never)."""
    from crm.projects.models import Project

    since = week.as_of - timedelta(days=STALE_DAYS)
    where = (units.clause(Project.unit_id), Project.stage.in_(ACTIVE_STAGES),
             sa.or_(Project.last_progress_on.is_(None), Project.last_progress_on < since))
    count = db.session.scalar(sa.select(sa.func.count(Project.id)).where(*where)) or 0
    rows = db.session.scalars(
        sa.select(Project).where(*where).options(joinedload(Project.unit))
        .order_by(Project.is_key.desc(), Project.last_progress_on.nulls_first(), Project.id).limit(LIST_LIMIT)
    ).all()
    items = [Item(p.name, link("projects.detail", project_id=p.id),
                  " · ".join(part for part in (p.unit.short_name or p.unit.name, label_text(p.stage), _last_update(p.last_progress_on, week.as_of)) if part),
                  "amber" if p.is_key else None)
             for p in rows]
    items, more = _capped(items, count)
    return Section("stale_projects", _("7 天以上未更新进度的项目"), items, more)


def _last_update(day: date | None, as_of: date) -> str:
    return _("从未更新") if day is None else _("最近更新 %(day)s（%(days)d 天前）", day=day.isoformat(), days=(as_of - day).days)


def leader_activity_section(units: UnitSet, week: Week) -> Section:
    """Each 分包县级领导 of the scope's projects: the visits they led and the 现场办公/交办 they logged this week,
    and their projects with the red ones counted."""
    from crm.assignments.models import ProjectLeader
    from crm.assignments.queries import leader_label, leader_order
    from crm.issues.models import Issue, IssueAction
    from crm.projects.models import Project
    from crm.projects.rag import project_rags
    from crm.users.models import User
    from crm.visits.models import Visit

    pairs = db.session.execute(
        sa.select(ProjectLeader.leader_id, Project.id)
        .join(Project, Project.id == ProjectLeader.project_id)
        .where(units.clause(Project.unit_id), ProjectLeader.exited_on.is_(None), Project.stage != Stage.TERMINATED)
    ).all()
    leader_ids = sorted({uid for uid, _pid in pairs})
    if not leader_ids:
        return Section("leader_activity", _("分包县级领导本周活动"))
    visits = dict(db.session.execute(
        sa.select(Visit.leader_id, sa.func.count(Visit.id))
        .where(Visit.leader_id.in_(leader_ids), Visit.start_on >= week.start, Visit.start_on <= week.end).group_by(Visit.leader_id)
    ).all())
    onsite = dict(db.session.execute(
        sa.select(IssueAction.actor_id, sa.func.count(IssueAction.id)).join(Issue, Issue.id == IssueAction.issue_id)
        .where(IssueAction.actor_id.in_(leader_ids), IssueAction.at >= week.start_utc, IssueAction.at < week.end_utc,
               IssueAction.kind.in_((IssueActionKind.ONSITE, IssueActionKind.ASSIGN, IssueActionKind.NOTE)))
        .group_by(IssueAction.actor_id)
    ).all())
    projects = {p.id: p for p in db.session.scalars(sa.select(Project).where(Project.id.in_(sorted({pid for _uid, pid in pairs}))))}
    rags = project_rags(list(projects.values()), week.as_of)
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(leader_ids)))}
    items = []
    for uid in sorted(leader_ids, key=lambda u: leader_order(people[u])):
        mine = [pid for leader, pid in pairs if leader == uid]
        red = sum(1 for pid in mine if rags[pid][0] is Rag.RED)
        note = _("带队走访 %(visits)d 次，现场办公/交办 %(onsite)d 次；分包项目 %(projects)d 个，其中红 %(red)d 个",
                 visits=visits.get(uid, 0), onsite=onsite.get(uid, 0), projects=len(mine), red=red)
        quiet = not visits.get(uid) and not onsite.get(uid)
        items.append(Item(leader_label(people[uid]), None, note, "amber" if quiet and red else None))
    items, more = _capped(items)
    return Section("leader_activity", _("分包县级领导本周活动"), items, more)
