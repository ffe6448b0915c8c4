"""Building each role's weekly digest (DOMAIN §c weekly row; issue 6).

- staff: my overdue and coming follow-ups, my stale leads, this week's planned visits;
- chief: the same for themselves, plus the unit's new leads and stage changes, its overdue items and
  its place in the ranking of its sibling units;
- leader: my 三个一 projects with 红黄绿, their missed milestones, their open issues;
- reviewer, admin and the county heads (县委书记, 县长): the week's stage events and funds, KPIs against
  the year's targets, what awaits review, the issue ledger's week.

Every section is read under the recipient's own scope (``crm.access.scoping``), so a digest never
shows a record its reader could not open. The county sections also filter on the recipient's subtree
explicitly; their result depends only on that subtree, so recipients with the same subtree share one
computation (``DigestCache``). The number of queries per recipient is a small constant whatever the
size of the data: lists are capped and related rows are joined, never loaded one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crm.access.reach import UnitSet, subtree_units, visible_units
from crm.access.scoping import SYSTEM, UNSCOPED, reach_of, scoped_as
from crm.domain.access import Actor, Role
from crm.domain.issues import IssueStatus
from crm.domain.kpi import months_elapsed, parse_period, period_of, time_progress
from crm.domain.pipeline import Stage
from crm.domain.projects import Rag, ReviewStatus
from crm.domain.reports import Window
from crm.domain.schedule import week_bounds
from crm.domain.units import LeaderTitle
from crm.extensions import db
from crm.users.models import User
from crm.web.labels import label, label_text
from crm.web.money import number, reading as money
from crm.web.rag_text import reasons_text
from crm.web.joins import commas, noted

LIST_LIMIT = 15  # items per list; the rest is summed up as "另有 N 项"
COUNTY_HEADS = frozenset({LeaderTitle.PARTY_SECRETARY, LeaderTitle.COUNTY_HEAD})
RAG_TONE = {Rag.RED: "red", Rag.AMBER: "amber", Rag.GREEN: "green"}


# --- what a digest is made of ----------------------------------------------------------------------
@dataclass
class Item:
    text: str
    url: str | None = None  # absolute (emails are read outside the app)
    note: str | None = None
    tone: str | None = None  # red / amber / green


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    more: int = 0  # items beyond LIST_LIMIT
    summary: str | None = None  # one line above the list (totals)

    @property
    def has_content(self) -> bool:
        return bool(self.items or self.summary)


@dataclass
class Digest:
    user: User
    period: str
    week_start: date
    week_end: date
    as_of: date  # the Monday after the week: "coming" and "overdue" are counted from here
    sections: list[Section] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(s.has_content for s in self.sections)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass
class DigestCache:
    """What recipients with the same subtree share within one run (county sections, rankings)."""

    county: dict[UnitSet, list[Section]] = field(default_factory=dict)
    visits: dict[UnitSet, Section] = field(default_factory=dict)
    ranking: dict[int | None, list[tuple[int, str, int, Decimal]]] = field(default_factory=dict)
    personal: dict[int, "Personal"] = field(default_factory=dict)  # by user id, read ahead (``read_ahead``)


@dataclass(frozen=True)
class Week:
    period: str
    start: date
    end: date
    as_of: date
    start_utc: datetime
    end_utc: datetime  # exclusive

    @classmethod
    def of(cls, period: str, tz: str) -> "Week":
        start, end = week_bounds(period)
        zone = ZoneInfo(tz)
        begin = datetime.combine(start, time.min, zone).astimezone(timezone.utc)
        finish = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(timezone.utc)
        return cls(period, start, end, end + timedelta(days=1), begin, finish)


def link(endpoint: str, **values: Any) -> str:
    anchor = values.pop("_anchor", None)
    url = url_for(endpoint, _external=True, **values)
    return f"{url}#{anchor}" if anchor else url


def _capped(items: list[Item], total: int | None = None) -> tuple[list[Item], int]:
    total = len(items) if total is None else total
    return items[:LIST_LIMIT], max(0, total - min(len(items), LIST_LIMIT))


def _days(n: int) -> str:
    return _("%(n)d 天", n=n)


# --- staff (and every unit worker) ------------------------------------------------------------------------
TASKS_READ = 4 * LIST_LIMIT  # open follow-ups read per person: enough to fill both lists


@dataclass
class Personal:
    """One recipient's own rows: open follow-ups due by the end of the coming week, and stale leads."""

    tasks: list[tuple[date, str, str]] = field(default_factory=list)  # due, note, what it is about
    stale_leads: list[tuple[int, str, date]] = field(default_factory=list)  # id, name, last activity


def personal_rows(user_ids: list[int], week: Week, stale_days: int) -> dict[int, Personal]:
    """The ``Personal`` rows of several people in two queries, read under the current scope.

    Each person's rows are ranked within their own (``row_number`` per assignee or owner), so one
    query gives everyone the first rows they would get alone. Plain columns, not objects: a unit's
    staff hold hundreds of open tasks.
    """
    from crm.companies.models import Company
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead

    found = {user_id: Personal() for user_id in user_ids}
    horizon = week.as_of + timedelta(days=6)
    rank = sa.func.row_number().over(partition_by=FollowUp.assignee_id, order_by=(FollowUp.due_on, FollowUp.id))
    open_tasks = (
        sa.select(FollowUp.id, rank.label("rank"))
        .where(FollowUp.assignee_id.in_(user_ids), FollowUp.done_at.is_(None), FollowUp.due_on <= horizon)
        .subquery()
    )
    for assignee_id, due_on, note, lead_name, company_name in db.session.execute(
        sa.select(FollowUp.assignee_id, FollowUp.due_on, FollowUp.note, Lead.name, Company.name)
        .outerjoin(Lead, Lead.id == FollowUp.lead_id)
        .outerjoin(Company, Company.id == FollowUp.company_id)
        .where(FollowUp.id.in_(sa.select(open_tasks.c.id).where(open_tasks.c.rank <= TASKS_READ)))
        .order_by(FollowUp.assignee_id, FollowUp.due_on, FollowUp.id)
    ):
        found[assignee_id].tasks.append((due_on, note, lead_name or company_name or ""))

    since = Lead.quiet_since()
    rank = sa.func.row_number().over(partition_by=Lead.owner_id, order_by=(since, Lead.id))
    stale = (
        sa.select(Lead.id, Lead.owner_id, Lead.name, since.label("since"), rank.label("rank"))
        .where(Lead.owner_id.in_(user_ids), Lead.stale_on(week.as_of, stale_days))
        .subquery()
    )
    for lead_id, owner_id, name, last in db.session.execute(
        sa.select(stale.c.id, stale.c.owner_id, stale.c.name, stale.c.since)
        .where(stale.c.rank <= LIST_LIMIT + 1)
        .order_by(stale.c.owner_id, stale.c.rank)
    ):
        found[owner_id].stale_leads.append((lead_id, name, last))
    return found


def my_follow_up_sections(personal: Personal, week: Week) -> list[Section]:
    """The recipient's overdue and coming week's follow-ups."""
    todo = link("followups.todo")
    late, days = _("逾期 %(days)s（%(due)s）"), _("%(n)d 天")  # translated once for the whole list
    overdue, coming = [], []
    for due_on, note, subject in personal.tasks:
        text = noted(note[:80], subject) if subject else note[:80]
        if due_on < week.as_of:
            overdue.append(Item(text, todo, late % {"days": days % {"n": (week.as_of - due_on).days}, "due": due_on.isoformat()}, "red"))
        else:
            coming.append(Item(text, todo, due_on.isoformat()))
    sections = []
    items, more = _capped(overdue)
    sections.append(Section("my_overdue", _("我的逾期跟进"), items, more))
    items, more = _capped(coming)
    sections.append(Section("my_coming", _("本周待跟进"), items, more))
    return sections


def my_stale_leads(personal: Personal, week: Week, stale_days: int) -> Section:
    idle, days = _("%(days)s未跟进"), _("%(n)d 天")  # translated once for the whole list
    items = [Item(name, link("leads.detail", lead_id=lead_id), idle % {"days": days % {"n": (week.as_of - last).days}}, "amber")
             for lead_id, name, last in personal.stale_leads]
    items, more = _capped(items)
    return Section("my_stale_leads", _("长期未跟进的线索（%(n)d 天以上）", n=stale_days), items, more)


def planned_visits(week: Week, units: UnitSet) -> Section:
    """The unit's visits that start in the coming week (外出招商 and 客商来访 alike)."""
    from crm.visits.models import Visit

    horizon = week.as_of + timedelta(days=6)
    visits = db.session.scalars(
        sa.select(Visit)
        .where(units.clause(Visit.unit_id), Visit.start_on >= week.as_of, Visit.start_on <= horizon)
        .options(joinedload(Visit.leader))
        .order_by(Visit.start_on, Visit.id)
        .limit(LIST_LIMIT + 1)
    ).all()
    items = []
    for visit in visits:
        where = visit.destination or ""
        led = _("%(name)s带队", name=visit.leader.display_name) if visit.leader else ""
        text = commas(part for part in (label_text(visit.type), where, led) if part)
        items.append(Item(text, link("visits.detail", visit_id=visit.id), visit.start_on.isoformat()))
    items, more = _capped(items)
    return Section("planned_visits", _("本周走访安排"), items, more)


# --- chief: the unit -----------------------------------------------------------------------------------------
def unit_new_leads(unit_id: int, week: Week) -> Section:
    from crm.leads.models import Lead

    rows = db.session.execute(
        sa.select(Lead.id, Lead.name, Lead.received_on, Lead.amount_high, User.display_name)
        .join(User, User.id == Lead.owner_id)
        .where(Lead.unit_id == unit_id, Lead.received_on >= week.start, Lead.received_on <= week.end)
        .order_by(Lead.received_on, Lead.id)
        .limit(LIST_LIMIT + 1)
    ).all()
    items = [Item(name, link("leads.detail", lead_id=lead_id), f"{received.isoformat()} · {owner}" + (f" · {money(amount)}" if amount else ""))
             for lead_id, name, received, amount, owner in rows]
    items, more = _capped(items)
    return Section("unit_new_leads", _("本单位本周新增线索"), items, more)


def _approved_events(units: UnitSet, week: Week, limit: int) -> list[Any]:
    from crm.projects.models import Project, StageEvent

    return list(
        db.session.execute(
            sa.select(StageEvent.project_id, Project.name, StageEvent.from_stage, StageEvent.to_stage, StageEvent.total_investment,
                      StageEvent.contracted_amount, StageEvent.reviewed_at)
            .join(Project, Project.id == StageEvent.project_id)
            .where(units.clause(Project.unit_id), StageEvent.review_status == ReviewStatus.APPROVED,
                   StageEvent.reviewed_at >= week.start_utc, StageEvent.reviewed_at < week.end_utc)
            .order_by(StageEvent.reviewed_at, StageEvent.id)
            .limit(limit)
        ).all()
    )


def _event_item(row: Any) -> Item:
    project_id, name, from_stage, to_stage, total, contracted, _reviewed = row
    amount = contracted if contracted is not None else total
    note = f"{label(from_stage)} → {label(to_stage)}" + (f" · {money(amount)}" if amount is not None else "")
    return Item(name, link("projects.detail", project_id=project_id), note, "red" if to_stage in (Stage.PAUSED, Stage.TERMINATED) else None)


def unit_stage_changes(unit_id: int, week: Week) -> Section:
    rows = _approved_events(UnitSet(frozenset({unit_id})), week, LIST_LIMIT + 1)
    items, more = _capped([_event_item(r) for r in rows])
    return Section("unit_stage_changes", _("本单位本周阶段变化（审核通过）"), items, more)


def unit_overdue(unit_id: int, week: Week) -> Section:
    """The unit's overdue work in four counts (follow-ups, milestones, issues, the 企业诉求 it 受理d)."""
    from crm.aftercare.models import CompanyRequest
    from crm.followups.models import FollowUp
    from crm.issues.models import Issue
    from crm.progress.models import Milestone
    from crm.projects.models import Project

    follow_ups = sa.select(sa.func.count(FollowUp.id)).where(
        FollowUp.unit_id == unit_id, FollowUp.overdue_on(week.as_of)
    ).scalar_subquery()
    milestones = sa.select(sa.func.count(Milestone.id)).join(Project, Project.id == Milestone.project_id).where(
        Project.unit_id == unit_id, Milestone.overdue_on(week.as_of)
    ).scalar_subquery()
    issues = sa.select(sa.func.count(Issue.id)).where(
        Issue.unit_id == unit_id, Issue.overdue_on(week.as_of)
    ).scalar_subquery()
    requests = sa.select(sa.func.count(CompanyRequest.id)).where(
        CompanyRequest.unit_id == unit_id, CompanyRequest.is_open(), CompanyRequest.deadline < week.as_of
    ).scalar_subquery()
    n_follow_ups, n_milestones, n_issues, n_requests = db.session.execute(sa.select(follow_ups, milestones, issues, requests)).one()
    items = []
    if n_follow_ups:
        items.append(Item(_("逾期跟进任务 %(n)d 项", n=n_follow_ups), link("followups.todo"), tone="red"))
    if n_milestones:
        items.append(Item(_("逾期工期节点 %(n)d 个", n=n_milestones), link("projects.index"), tone="red"))
    if n_issues:
        items.append(Item(_("逾期未办结问题 %(n)d 个", n=n_issues), link("issues.index", status="open", overdue=1), tone="red"))
    if n_requests:
        items.append(Item(_("超过办理时限的企业诉求 %(n)d 件", n=n_requests), link("aftercare.requests", overdue=1), tone="red"))
    from crm.approvals.queries import overdue_of_unit  # 审批手续 of the unit's projects past their 承诺时限

    if n_procedures := overdue_of_unit(unit_id, week.as_of):
        items.append(Item(_("超过承诺时限的审批手续 %(n)d 项", n=n_procedures), link("approvals.report", status="overdue"), tone="red"))
    return Section("unit_overdue", _("本单位逾期事项"), items)


def report_window(week: Week) -> Window:
    """The 月报 window of the month the week ends in: the digest's figures are the dashboard's for that month."""
    return Window(period_of(week.as_of - timedelta(days=1)))


def sibling_ranking(unit_id: int, parent_id: int | None, window: Window, cache: DigestCache) -> list[tuple[int, str, int, Decimal]]:
    """Units under the same parent ranked by 1–N月 签约 (count, then amount) as the county counts them: the
    per-unit figures of the dashboard and the 月报 (``grouped_figures`` under the county's counting rules).

    Read across units on purpose, like the cross-unit hints: only unit names and totals, never records
    (DESIGN §1: a chief sees the unit's ranking). Computed once per parent per run.
    """
    if parent_id in cache.ranking:
        return cache.ranking[parent_id]
    from crm.reports.figures import grouped_figures
    from crm.reports.scope import county_scope, home_county
    from crm.reports.settings import load_settings
    from crm.units.models import Unit

    county_id = home_county(unit_id)
    # Under the whole installation's view, not the chief's: the recipient's scope would count their own unit
    # alone, and rank every sibling at 0.
    with scoped_as(db.session, SYSTEM):
        figures = grouped_figures(county_scope(county_id), load_settings(county_id).counting, window, "unit")
    same_parent = Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
    siblings = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(same_parent, Unit.is_active, Unit.type == _unit_type(unit_id))
        .order_by(Unit.sort_order, Unit.id)
        .execution_options(**UNSCOPED)
    ).all()
    rows = []
    for uid, name in siblings:
        counted = figures.get(uid)
        rows.append((uid, name, counted.signed_count if counted else 0, counted.signed_total if counted else Decimal(0)))
    rows.sort(key=lambda row: (-row[2], -row[3]))  # stable: ties keep the tree's order
    cache.ranking[parent_id] = rows
    return rows


def _unit_type(unit_id: int) -> Any:
    from crm.units.models import Unit

    return sa.select(Unit.type).where(Unit.id == unit_id).scalar_subquery()


def unit_ranking(user: User, week: Week, cache: DigestCache) -> Section:
    window = report_window(week)
    ranking = sibling_ranking(user.unit_id, user.unit.parent_id, window, cache)
    if len(ranking) < 2:
        return Section("unit_ranking", _("单位排名"))
    position = next((i for i, row in enumerate(ranking, start=1) if row[0] == user.unit_id), None)
    year, month = parse_period(window.period)
    items = [Item(f"{i}. {name}", note=_("签约 %(n)d 个 · %(amount)s", n=n, amount=money(amount)), tone="green" if uid == user.unit_id else None)
             for i, (uid, name, n, amount) in enumerate(ranking[:LIST_LIMIT], start=1)]
    summary = _("%(year)d 年 1–%(month)d 月签约排名（按全县统计口径）：本单位第 %(pos)d 名，共 %(total)d 个单位",
                year=year, month=month, pos=position or 0, total=len(ranking))
    return Section("unit_ranking", _("单位排名"), items, max(0, len(ranking) - LIST_LIMIT), summary)


# --- leader: my 三个一 projects ---------------------------------------------------------------------------
def leader_sections(user: User, week: Week) -> list[Section]:
    from crm.assignments.queries import active_projects_of
    from crm.progress.queries import next_open_milestones
    from crm.issues.models import Issue
    from crm.progress.models import Milestone
    from crm.projects.rag import project_rags

    listed = active_projects_of(user.id)
    mine = [project.id for project in listed]
    rags = project_rags(listed, week.as_of)
    next_milestones = next_open_milestones(mine) if mine else {}
    projects = []
    for project in listed:
        colour, reasons = rags[project.id]
        note = f"{label(project.stage)} · {label(colour)}"
        if reasons:
            note += _("（%(reasons)s）", reasons=reasons_text(reasons))
        upcoming = next_milestones.get(project.id)
        if upcoming is not None:
            note += " · " + _("下一节点 %(kind)s %(day)s", kind=label(upcoming.kind), day=upcoming.planned_on.isoformat())
        projects.append(Item(project.name, link("projects.detail", project_id=project.id), note, RAG_TONE.get(colour)))
    projects.sort(key=lambda item: {"red": 0, "amber": 1}.get(item.tone or "", 2))
    items, more = _capped(projects)
    sections = [Section("leader_projects", _("我分包的三个一项目"), items, more)]

    # By the ids just listed: as a subquery PostgreSQL would walk every overdue milestone of the city.
    names = {project.id: project.name for project in listed}
    missed = db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.project_id.in_(mine), Milestone.overdue_on(week.as_of))
        .order_by(Milestone.planned_on, Milestone.id)
        .limit(LIST_LIMIT + 1)
    ).all()
    items, more = _capped([
        Item(f"{names[m.project_id]} · {label(m.kind)}", link("projects.detail", project_id=m.project_id, _anchor="milestones"),
             _("计划 %(day)s，逾期 %(days)s", day=m.planned_on.isoformat(), days=_days((week.as_of - m.planned_on).days)), "red")
        for m in missed
    ])
    sections.append(Section("leader_missed_milestones", _("未按期完成的节点"), items, more))

    issues = db.session.scalars(
        sa.select(Issue)
        .where(Issue.project_id.in_(mine), Issue.is_open())
        .order_by(Issue.deadline, Issue.id)
        .limit(LIST_LIMIT + 1)
    ).all()
    items, more = _capped([
        Item(f"{i.number} {i.description[:60]}", link("issues.detail", issue_id=i.id),
             names[i.project_id] + " · " + _("期限 %(day)s", day=i.deadline.isoformat())
             + (" · " + _("已逾期") if i.deadline < week.as_of else ""),
             "red" if i.deadline < week.as_of else None)
        for i in issues
    ])
    sections.append(Section("leader_open_issues", _("分包项目未办结问题"), items, more))
    if mine:
        sections.append(leader_commitments(mine, week))
    return sections


# --- county view: reviewer, admin, county heads ---------------------------------------------------------------
def county_sections(actor: Actor, week: Week, cache: DigestCache) -> list[Section]:
    """The week across the recipient's subtree. Filtered on the subtree explicitly (as well as by the
    scope), so recipients with the same subtree get the same sections: computed once per subtree."""
    from crm.zones.digest import zone_land_section  # 园区 (issue 17): its open leads' land against the zone

    units = subtree_units(actor)
    if units in cache.county:
        return cache.county[units]
    sections = [
        stage_events_section(units, week),
        funds_section(units, week),
        kpi_section(actor, week),
        review_section(units),
        issues_week_section(units, week),
        zone_land_section(actor),
    ]
    cache.county[units] = sections
    return sections


def stage_events_section(units: UnitSet, week: Week) -> Section:
    from crm.projects.models import Project, StageEvent

    totals = db.session.execute(
        sa.select(StageEvent.to_stage, sa.func.count(StageEvent.id), sa.func.coalesce(sa.func.sum(StageEvent.total_investment), 0))
        .join(Project, Project.id == StageEvent.project_id)
        .where(units.clause(Project.unit_id), StageEvent.review_status == ReviewStatus.APPROVED,
               StageEvent.reviewed_at >= week.start_utc, StageEvent.reviewed_at < week.end_utc)
        .group_by(StageEvent.to_stage)
    ).all()
    order = {stage: i for i, stage in enumerate(Stage)}
    parts = [_("%(stage)s %(n)d 个（总投资 %(amount)s）", stage=label(stage), n=n, amount=money(amount))
             for stage, n, amount in sorted(totals, key=lambda r: order[r[0]])]
    rows = _approved_events(units, week, LIST_LIMIT + 1)
    total = sum(n for _stage, n, _amount in totals)
    items, more = _capped([_event_item(r) for r in rows], total)
    return Section("county_stage_events", _("本周阶段变化（审核通过）"), items, more, "；".join(parts) or None)


def funds_section(units: UnitSet, week: Week) -> Section:
    from crm.progress.models import FundArrival
    from crm.projects.models import Project

    rows = db.session.execute(
        sa.select(Project.id, Project.name, FundArrival.period, FundArrival.amount)
        .join(Project, Project.id == FundArrival.project_id)
        .where(units.clause(Project.unit_id), FundArrival.review_status == ReviewStatus.APPROVED,
               FundArrival.reviewed_at >= week.start_utc, FundArrival.reviewed_at < week.end_utc)
        .order_by(FundArrival.amount.desc(), FundArrival.id)
    ).all()
    if not rows:
        return Section("county_funds", _("本周确认到位资金"))
    total = sum((amount for *_rest, amount in rows), Decimal(0))
    items, more = _capped([Item(name, link("projects.detail", project_id=pid), f"{period} · {money(amount)}") for pid, name, period, amount in rows])
    return Section("county_funds", _("本周确认到位资金"), items, more, _("合计 %(amount)s，%(n)d 笔", amount=money(total), n=len(rows)))


def kpi_section(actor: Actor, week: Week) -> Section:
    """The year's targets against the figures so far, 完成率 and 序时进度: the dashboard's own rows
    (``crm.reports.figures.target_progress``, under the county's counting rules) for the month the week ends in,
    so the Monday email and the dashboard never disagree."""
    from crm.reports.dashboard import full_capacity
    from crm.reports.figures import flow, flow_stages, funds, target_progress
    from crm.reports.scope import report_scope
    from crm.reports.settings import load_settings

    scope = report_scope(actor)
    rules = load_settings(scope.county_id).counting
    window = report_window(week)
    flows = flow(scope, rules, window, flow_stages(full_capacity()))  # (the dashboard's call: one cached figure)
    rows = [row for row in target_progress(scope, window, flows, funds(scope, rules, window)) if row.progress.target is not None]
    items = []
    for row in rows:
        done, target, rate = row.progress.actual, row.progress.target, row.progress.completion
        if rate is None:
            continue
        shown = f"{number(done, 0)} / {number(target, 0)}" if row.is_count else money(done) + " / " + money(target)
        items.append(Item(label_text(row.indicator), None, _("%(shown)s · 完成 %(rate)s%%", shown=shown, rate=f"{rate:.2f}"),
                          "amber" if rate < row.progress.schedule else "green"))
    if not items:
        return Section("county_kpi", _("年度目标完成情况"))
    months = months_elapsed(window.period)
    summary = _("序时进度 %(p)s%%（1–%(m)d 月）；低于序时进度的指标标为黄色", p=f"{time_progress(months):.2f}", m=months)
    return Section("county_kpi", _("年度目标完成情况"), items, 0, summary)


def review_section(units: UnitSet) -> Section:
    from crm.progress.models import FundArrival
    from crm.projects.models import Project, StageEvent

    pending_events = sa.select(sa.func.count(StageEvent.id)).join(Project, Project.id == StageEvent.project_id).where(
        units.clause(Project.unit_id), StageEvent.review_status == ReviewStatus.PENDING).scalar_subquery()
    pending_funds = sa.select(sa.func.count(FundArrival.id)).join(Project, Project.id == FundArrival.project_id).where(
        units.clause(Project.unit_id), FundArrival.review_status == ReviewStatus.PENDING).scalar_subquery()
    from crm.issues.models import Issue

    resolved_issues = sa.select(sa.func.count(Issue.id)).where(units.clause(Issue.unit_id), Issue.status == IssueStatus.RESOLVED).scalar_subquery()
    from crm.admission.models import AdmissionReview
    from crm.domain.admission import ReviewStatus as AdmissionStatus

    awaiting_joint = sa.select(sa.func.count(AdmissionReview.id)).where(
        units.clause(AdmissionReview.unit_id), AdmissionReview.status == AdmissionStatus.AWAITING_JOINT).scalar_subquery()
    events, funds, issues, admissions = db.session.execute(sa.select(pending_events, pending_funds, resolved_issues, awaiting_joint)).one()
    items = []
    if events:
        items.append(Item(_("阶段申报待审核 %(n)d 件", n=events), link("reviews.queue")))
    if funds:
        items.append(Item(_("到位资金待审核 %(n)d 笔", n=funds), link("progress.fund_reviews") if _has_endpoint("progress.fund_reviews") else None))
    if issues:
        items.append(Item(_("已办结待销号问题 %(n)d 个", n=issues), link("issues.index", status="resolved")))
    if admissions:
        items.append(Item(_("准入评审待会审 %(n)d 个项目", n=admissions), link("admission.index", status="awaiting_joint")))
    return Section("county_reviews", _("待审核事项"), items)


def _has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def issue_week_conditions(week: Week) -> tuple[Any, Any, Any]:
    """The 问题台账's week: raised in it (新增), open past the deadline at its end (逾期), closed in it (销号) — for the
    digest's counts and the 周督查's lists alike."""
    from crm.issues.models import Issue

    return (sa.and_(Issue.raised_on >= week.start, Issue.raised_on <= week.end), Issue.overdue_on(week.as_of),
            sa.and_(Issue.closed_on >= week.start, Issue.closed_on <= week.end))


def issues_week_section(units: UnitSet, week: Week) -> Section:
    from crm.issues.models import Issue

    new, overdue, closed = (sa.select(sa.func.count(Issue.id)).where(units.clause(Issue.unit_id), condition).scalar_subquery()
                            for condition in issue_week_conditions(week))
    n_new, n_overdue, n_closed = db.session.execute(sa.select(new, overdue, closed)).one()
    items = []
    if n_new:
        items.append(Item(_("本周新增问题 %(n)d 个", n=n_new), link("issues.report", start=week.start.isoformat(), end=week.end.isoformat())))
    if n_overdue:
        items.append(Item(_("逾期未办结问题 %(n)d 个", n=n_overdue), link("issues.index", status="open", overdue=1), tone="red"))
    if n_closed:
        items.append(Item(_("本周销号问题 %(n)d 个", n=n_closed), link("issues.report", start=week.start.isoformat(), end=week.end.isoformat()), tone="green"))
    return Section("county_issues", _("问题台账本周情况"), items)


# --- 履约: projects past what their 正式合同 promised -------------------------------------------------------------
def commitments_section(project_ids: Any, week: Week) -> Section:
    """The recipient's projects (``project_ids``: a condition on the plain projects table, within their scope) whose
    正式合同 commitments are not 按期 on the Monday after the week (``crm.compliance``)."""
    from crm.compliance.queries import load, worst_first
    from crm.compliance.texts import reasons

    late = [r for r in worst_first(load(project_ids, week.as_of)) if not r.assessment.on_schedule]
    items, more = _capped([Item(r.name, link("projects.detail", project_id=r.project_id, _anchor="compliance"),
                                "、".join(label_text(s) for s in r.assessment.statuses) + _("（%(reasons)s）", reasons=reasons(r.assessment.checks, r.actuals)),
                                "red") for r in late])
    return Section("commitments_late", _("未按合同约定履约的项目"), items, more)


def unit_commitments(actor: Actor, unit_id: int, week: Week) -> Section:
    from crm.projects.models import Project, visible_project_ids

    p = Project.__table__
    return commitments_section(sa.and_(p.c.unit_id == unit_id, p.c.id.in_(visible_project_ids(actor))), week)


def leader_commitments(project_ids: list[int], week: Week) -> Section:
    from crm.projects.models import Project

    return commitments_section(Project.__table__.c.id.in_(sorted(project_ids)), week)


# --- one digest -------------------------------------------------------------------------------------------------
def is_county_view(user: User) -> bool:
    return user.role in (Role.REVIEWER, Role.ADMIN) or (user.role is Role.LEADER and user.title in COUNTY_HEADS)


def read_ahead(people: list[tuple[User, Actor]], week: Week, stale_days: int, cache: DigestCache) -> None:
    """Read the personal rows of every staff member and chief ahead, two queries per group of people who
    reach the same rows (usually a unit), each group read under its first member's scope."""
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead

    groups: dict[tuple[str, ...], list[tuple[User, Actor]]] = {}
    for user, actor in people:
        if user.role in (Role.STAFF, Role.CHIEF):
            groups.setdefault(reach_of(actor, (FollowUp, Lead)), []).append((user, actor))
    for members in groups.values():
        with scoped_as(db.session, members[0][1]):
            cache.personal.update(personal_rows([user.id for user, _actor in members], week, stale_days))


def build_digest(user: User, actor: Actor, week: Week, cache: DigestCache, stale_days: int) -> Digest:
    """One recipient's digest, every query under the recipient's scope."""
    digest = Digest(user, week.period, week.start, week.end, week.as_of)
    with scoped_as(db.session, actor):
        if user.role in (Role.STAFF, Role.CHIEF):
            personal = cache.personal.pop(user.id, None) or personal_rows([user.id], week, stale_days)[user.id]
            digest.sections += my_follow_up_sections(personal, week)
            digest.sections.append(my_stale_leads(personal, week, stale_days))
            # The unit's schedule is the same for everyone who sees exactly these units: read once per run.
            units = visible_units(actor)
            if units not in cache.visits:
                cache.visits[units] = planned_visits(week, units)
            digest.sections.append(cache.visits[units])
        if user.role is Role.CHIEF:
            digest.sections.append(unit_new_leads(user.unit_id, week))
            digest.sections.append(unit_stage_changes(user.unit_id, week))
            digest.sections.append(unit_overdue(user.unit_id, week))
            digest.sections.append(unit_commitments(actor, user.unit_id, week))
        if user.role is Role.LEADER:
            digest.sections += leader_sections(user, week)
        if is_county_view(user):
            digest.sections += county_sections(actor, week, cache)
        if user.role is Role.CHIEF:
            ranking = unit_ranking(user, week, cache)
            # The ranking alone is no reason to send a digest: it is shown with the unit's news.
            if any(s.has_content for s in digest.sections):
                digest.sections.append(ranking)
    return digest
