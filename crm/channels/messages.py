"""What a unit's group robot is told, as markdown (the subset 企业微信 and 钉钉 both render: headings, bold, links,
quotes). Every figure comes from the query that the bell, the email or the digest uses for it:

- 每日提醒 (daily_alerts): the unit's overdue follow-ups (``FollowUp.overdue_on``), 节点 (``Milestone.overdue_on``) and
  问题 (``Issue.overdue_on``) — the digest's 本单位逾期事项 counted on the day — and its projects that turned 红 today:
  those to whose 分包县级领导 the same job has just issued a 提醒函 (``ReminderLetter``, issued today);
- 每周摘要 (weekly_digest): the 分局长's unit sections of the weekly digest (``crm.digests.build``): new 线索, stage
  changes, overdue items, next week's visits;
- 半月报提醒 (report_reminder): the reminder of ``crm.submissions.jobs.remind``, to the units it reminds.

Scope: one unit, not its subtree. Every query filters on the unit's own id (a project's unit is its 牵头单位), so
a unit's group is never told of another unit's records; a county's robot is told of the county's own records,
its 分局 have robots of their own. Links are absolute, on CRM_BASE_URL; call inside ``links()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from crm.digests.build import Item, Section, Week, link
from crm.extensions import db
from crm.units.models import Unit
from crm.web.labels import label

LIST_LIMIT = 8  # items per section in a post: a group message is read on a phone, and 企业微信 takes 4096 bytes


@dataclass(frozen=True)
class Message:
    title: str
    markdown: str


def _text(value: str) -> str:
    """One line of a record's text, safe inside a markdown link: no line breaks, no brackets that close it."""
    return " ".join(value.split()).replace("[", "【").replace("]", "】")


def render(title: str, sections: list[Section], footer: Item | None = None) -> Message:
    lines = [f"### {_text(title)}"]
    for section in sections:
        if not section.has_content:
            continue
        lines.append("")
        lines.append(f"**{_text(section.title)}**")
        if section.summary:
            lines.append(_text(section.summary))
        for item in section.items:
            text = f"[{_text(item.text)}]({item.url})" if item.url else _text(item.text)
            lines.append(f"> {text}" + (f"　{_text(item.note)}" if item.note else ""))
        if section.more:
            lines.append(_("> 另有 %(n)d 项", n=section.more))
    if footer is not None:
        lines.append("")
        lines.append(f"[{_text(footer.text)}]({footer.url})")
    return Message(title, "\n".join(lines))


def _days(n: int) -> str:
    return _("%(n)d 天", n=n)


def _section(key: str, title: str, items: list[Item], total: int) -> Section:
    return Section(key, title, items[:LIST_LIMIT], max(0, total - min(len(items), LIST_LIMIT)))


def _count(statement: sa.Select) -> int:  # type: ignore[type-arg]
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0


# --- 每日提醒 -----------------------------------------------------------------------------------------------
def overdue_follow_ups(unit_id: int, today: date) -> Section:
    from crm.followups.models import FollowUp

    where = sa.select(FollowUp.id).where(FollowUp.unit_id == unit_id, FollowUp.overdue_on(today))
    tasks = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.id.in_(where))
        .options(joinedload(FollowUp.lead), joinedload(FollowUp.company), joinedload(FollowUp.assignee))
        .order_by(FollowUp.due_on, FollowUp.id).limit(LIST_LIMIT)
    ).all()
    items = []
    for task in tasks:
        if task.lead is not None:
            subject, url = task.lead.name, link("leads.detail", lead_id=task.lead_id)
        else:
            subject, url = (task.company.name if task.company else ""), link("companies.detail", company_id=task.company_id)
        note = _("逾期 %(days)s · %(person)s", days=_days((today - task.due_on).days), person=task.assignee.display_name)
        items.append(Item(f"{subject}：{task.note[:40]}", url, note, "red"))
    return _section("overdue_follow_ups", _("逾期跟进任务"), items, _count(where))


def overdue_milestones(unit_id: int, today: date) -> Section:
    from crm.progress.models import Milestone
    from crm.projects.models import Project

    where = sa.select(Milestone.id).join(Project, Project.id == Milestone.project_id).where(
        Project.unit_id == unit_id, Milestone.overdue_on(today))
    rows = db.session.execute(
        sa.select(Milestone.project_id, Project.name, Milestone.kind, Milestone.planned_on)
        .join(Project, Project.id == Milestone.project_id)
        .where(Milestone.id.in_(where)).order_by(Milestone.planned_on, Milestone.id).limit(LIST_LIMIT)
    ).all()
    items = [Item(f"{name} · {label(kind)}", link("projects.detail", project_id=project_id, _anchor="milestones"),
                  _("计划 %(day)s，逾期 %(days)s", day=planned.isoformat(), days=_days((today - planned).days)), "red")
             for project_id, name, kind, planned in rows]
    return _section("overdue_milestones", _("逾期工期节点"), items, _count(where))


def overdue_issues(unit_id: int, today: date) -> Section:
    from crm.issues.models import Issue

    where = sa.select(Issue.id).where(Issue.unit_id == unit_id, Issue.overdue_on(today))
    issues = db.session.scalars(
        sa.select(Issue).where(Issue.id.in_(where)).order_by(Issue.deadline, Issue.id).limit(LIST_LIMIT)
    ).all()
    items = [Item(f"{i.number} {i.description[:40]}", link("issues.detail", issue_id=i.id),
                  _("期限 %(day)s，逾期 %(days)s；责任人：%(person)s", day=i.deadline.isoformat(),
                    days=_days((today - i.deadline).days), person=i.responsible_person), "red")
             for i in issues]
    return _section("overdue_issues", _("逾期未办结问题"), items, _count(where))


def turned_red(unit_id: int, today: date) -> Section:
    """The unit's key projects that turned 红 today: a 提醒函 went to their 分包县级领导 today (one line a project)."""
    from crm.assignments.models import ReminderLetter
    from crm.projects.models import Project

    rows = db.session.execute(
        sa.select(Project.id, Project.name, sa.func.min(ReminderLetter.summary))
        .join(ReminderLetter, ReminderLetter.project_id == Project.id)
        .where(Project.unit_id == unit_id, ReminderLetter.issued_on == today)
        .group_by(Project.id, Project.name).order_by(Project.name, Project.id)
    ).all()
    items = [Item(name, link("projects.detail", project_id=pid), summary, "red") for pid, name, summary in rows]
    return _section("turned_red", _("今日亮红灯的重点项目"), items, len(items))


def daily_message(unit: Unit, today: date) -> Message | None:
    """The unit's alerts of ``today``; None when there is nothing to tell."""
    sections = [turned_red(unit.id, today), overdue_follow_ups(unit.id, today),
                overdue_milestones(unit.id, today), overdue_issues(unit.id, today)]
    if not any(s.has_content for s in sections):
        return None
    title = _("【招商引资】%(unit)s 今日提醒（%(day)s）", unit=unit.name, day=today.isoformat())
    return render(title, sections, Item(_("打开招商引资系统"), link("web.home")))


# --- 每周摘要 -----------------------------------------------------------------------------------------------
def weekly_message(unit: Unit, week: Week) -> Message | None:
    """The unit sections of a 分局长's weekly digest, for the unit's group; None when the week had nothing."""
    from crm.access.reach import UnitSet
    from crm.digests.build import planned_visits, unit_new_leads, unit_overdue, unit_stage_changes
    from crm.web.dates import month_day_text

    sections = [unit_new_leads(unit.id, week), unit_stage_changes(unit.id, week), unit_overdue(unit.id, week),
                planned_visits(week, UnitSet(frozenset({unit.id})))]
    if not any(s.has_content for s in sections):
        return None
    for section in sections:  # a post shows fewer lines than an email
        shown = section.items[:LIST_LIMIT]
        section.more += len(section.items) - len(shown)
        section.items = shown
    year, number = week.period.split("-W")
    title = _("【招商引资】%(unit)s 每周摘要 %(year)s年第%(week)s周（%(start)s—%(end)s）", unit=unit.name, year=year,
              week=int(number), start=month_day_text(week.start), end=month_day_text(week.end))
    return render(title, sections, Item(_("打开招商引资系统"), link("web.home")))


# --- 半月报提醒 ---------------------------------------------------------------------------------------------
def reminder_message(unit: Unit, period_label: str, due: date, submit_url: str) -> Message:
    title = _("【招商引资】半月报报送提醒：%(period)s（%(due)s 截止）", period=period_label, due=due.isoformat())
    body = _("%(unit)s 尚未报送 %(period)s 半月报，请于 %(due)s 前报送：基础设施建设情况、新入驻企业及新上项目情况、争取上级资金情况。",
             unit=unit.name, period=period_label, due=due.isoformat())
    section = Section("report_due", _("半月报"), [Item(_("去报送"), submit_url)], summary=body)
    return render(title, [section])
