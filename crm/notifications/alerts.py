"""The daily alerts (DESIGN §3, issue 6): what each user is told in the morning.

- 跟进任务 due today or overdue (the assignee);
- 工期节点 due within CRM_RAG_DUE_SOON_DAYS, and overdue (the project's 跟踪人 and its 服务专班);
- 问题台账 items overdue (whoever raised them, the project's 跟踪人 and 服务专班, the unit's 分局长);
- leads without a visit or follow-up for CRM_STALE_LEAD_DAYS (the 跟进人);
- key projects that turned red: a 提醒函 with the reasons to each active 分包县级领导.

Each user's alerts are built under that user's own scope (``ActorBuilder``), so nobody is told about a
record they may not open. Keys carry the date the record is due (or the cause of a red light), so a
rerun the same day, or the next day for the same overdue item, adds nothing: an item is announced
once per due date (once when it comes due, once when it becomes overdue, for milestones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from crm.access.scoping import scoped_as
from crm.domain.access import Role
from crm.domain.projects import NOT_STARTED, Rag
from crm.extensions import db
from crm.access.policy import ActorBuilder
from crm.assignments.letters import log_letters
from crm.notifications.services import Alert, links, notify
from crm.users.models import User
from crm.web.labels import label
from crm.web.rag_text import reasons_text

KIND_LABELS = {
    "follow_up_due": _l("跟进到期"),
    "milestone_due": _l("节点临期"),
    "milestone_overdue": _l("节点逾期"),
    "issue_overdue": _l("问题逾期"),
    "lead_stale": _l("线索久未跟进"),
    "project_red": _l("提醒函"),
    "report_due": _l("半月报"),
}


@dataclass(frozen=True)
class AlertSettings:
    stale_lead_days: int = 30
    due_soon_days: int = 7

    @classmethod
    def from_config(cls) -> "AlertSettings":
        config = current_app.config
        return cls(stale_lead_days=int(config.get("CRM_STALE_LEAD_DAYS", 30)), due_soon_days=int(config.get("CRM_RAG_DUE_SOON_DAYS", 7)))


@dataclass
class AlertRun:
    users: int = 0
    created: int = 0
    emails: int = 0
    posts: int = 0  # group-robot posts (the job adds them: crm.notifications.jobs)
    by_kind: dict[str, int] = field(default_factory=dict)
    new_by_user: dict[int, list[Alert]] = field(default_factory=dict)

    def __str__(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.by_kind.items()))
        text = f"{self.created} notifications for {len(self.new_by_user)} of {self.users} users ({kinds or 'none'}); {self.emails} emails queued"
        return text + (f"; {self.posts} group posts queued" if self.posts else "")


def _days(n: int) -> str:
    return _("%(n)d 天", n=n)


# --- each kind, for one user under their own scope -------------------------------------------------------
def follow_up_alerts(user: User, today: date) -> list[Alert]:
    from crm.followups.models import FollowUp

    tasks = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.assignee_id == user.id, FollowUp.done_at.is_(None), FollowUp.due_on <= today)
        .options(joinedload(FollowUp.lead), joinedload(FollowUp.company))
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    alerts = []
    for task in tasks:
        subject = task.lead.name if task.lead else (task.company.name if task.company else "")
        if task.due_on == today:
            title = _("今日到期的跟进：%(note)s", note=task.note[:60])
        else:
            title = _("跟进已逾期 %(days)s：%(note)s", days=_days((today - task.due_on).days), note=task.note[:60])
        body = _("%(subject)s · 截止 %(due)s", subject=subject, due=task.due_on.isoformat())
        alerts.append(Alert("follow_up_due", f"{task.id}:{task.due_on.isoformat()}", title, body, url_for("followups.todo")))
    return alerts


def stale_lead_alerts(user: User, today: date, settings: AlertSettings) -> list[Alert]:
    from crm.leads.models import Lead

    since = Lead.quiet_since()
    leads = db.session.execute(
        sa.select(Lead, since)
        .where(Lead.owner_id == user.id, Lead.stale_on(today, settings.stale_lead_days))
        .order_by(since, Lead.id)
    ).all()
    alerts = []
    for lead, last in leads:
        idle = (today - last).days
        alerts.append(
            Alert(
                "lead_stale", f"{lead.id}:{last.isoformat()}",
                _("线索已 %(days)s未跟进：%(name)s", days=_days(idle), name=lead.name),
                _("最近一次走访或跟进：%(day)s", day=last.isoformat()) if lead.last_activity_on else _("接收后尚无走访或跟进（接收于 %(day)s）", day=last.isoformat()),
                url_for("leads.detail", lead_id=lead.id),
            )
        )
    return alerts


def _served_project_ids(user: User) -> sa.Select[Any]:
    """Projects the user answers for day to day: as 跟踪人 or on the 服务专班."""
    from crm.assignments.models import TeamMember
    from crm.projects.models import Project

    return sa.select(Project.id).where(Project.owner_id == user.id).union(
        sa.select(TeamMember.project_id).where(TeamMember.user_id == user.id, TeamMember.exited_on.is_(None))
    )


def milestone_alerts(user: User, today: date, settings: AlertSettings) -> list[Alert]:
    from crm.progress.models import Milestone

    milestones = db.session.scalars(
        sa.select(Milestone)
        .where(Milestone.project_id.in_(_served_project_ids(user)), Milestone.is_open(),
               Milestone.planned_on <= today + timedelta(days=settings.due_soon_days))
        .options(joinedload(Milestone.project))
        .order_by(Milestone.planned_on, Milestone.id)
    ).all()
    alerts = []
    for m in milestones:
        link = url_for("projects.detail", project_id=m.project_id) + "#milestones"
        what = f"{m.project.name} · {label(m.kind)}"
        if m.planned_on < today:
            alerts.append(Alert("milestone_overdue", f"{m.id}:{m.planned_on.isoformat()}",
                                _("节点已逾期 %(days)s：%(what)s", days=_days((today - m.planned_on).days), what=what),
                                _("计划 %(day)s 完成，尚未完成", day=m.planned_on.isoformat()), link))
        else:
            alerts.append(Alert("milestone_due", f"{m.id}:{m.planned_on.isoformat()}",
                                _("节点将于 %(day)s 到期：%(what)s", day=m.planned_on.isoformat(), what=what),
                                _("距计划完成日还有 %(days)s", days=_days((m.planned_on - today).days)), link))
    return alerts


def issue_alerts(user: User, today: date) -> list[Alert]:
    from crm.issues.models import Issue
    from crm.projects.models import Project

    mine = sa.or_(Issue.created_by_id == user.id, Issue.project_id.in_(_served_project_ids(user)))
    if user.role is Role.CHIEF:
        mine = sa.or_(mine, Issue.unit_id == user.unit_id)
    issues = db.session.scalars(
        sa.select(Issue)
        .where(mine, Issue.overdue_on(today))
        .options(joinedload(Issue.project).load_only(Project.id, Project.name))
        .order_by(Issue.deadline, Issue.id)
    ).all()
    return [
        Alert(
            "issue_overdue", f"{issue.id}:{issue.deadline.isoformat()}",
            _("问题逾期未办结：%(number)s %(text)s", number=issue.number, text=issue.description[:40]),
            _("办理期限 %(day)s，已逾期 %(days)s；责任人：%(person)s", day=issue.deadline.isoformat(),
              days=_days((today - issue.deadline).days), person=issue.responsible_person)
            + (f" · {issue.project.name}" if issue.project else ""),
            url_for("issues.detail", issue_id=issue.id),
        )
        for issue in issues
    ]


def red_project_alerts(user: User, today: date) -> list[Alert]:
    """提醒函 to a 分包县级领导 whose key project is red. The key names each cause with the date it
    started (计划开工, the earliest overdue milestone, the earliest overdue issue), so a project
    that stays red for the same reasons is announced once, and a new cause brings a new letter."""
    from crm.assignments.models import ProjectLeader
    from crm.issues.models import Issue
    from crm.progress.models import Milestone
    from crm.projects.models import Project
    from crm.projects.rag import project_rags

    projects = db.session.scalars(
        sa.select(Project)
        .join(ProjectLeader, ProjectLeader.project_id == Project.id)
        .where(ProjectLeader.leader_id == user.id, ProjectLeader.exited_on.is_(None), Project.is_key)
        .order_by(Project.name, Project.id)
    ).unique().all()
    if not projects:
        return []
    rags = project_rags(projects, today)
    red = [p for p in projects if rags[p.id][0] is Rag.RED]
    if not red:
        return []
    ids = [p.id for p in red]
    first_milestone = dict(db.session.execute(
        sa.select(Milestone.project_id, sa.func.min(Milestone.planned_on))
        .where(Milestone.project_id.in_(ids), Milestone.overdue_on(today))
        .group_by(Milestone.project_id)
    ).all())
    first_issue = dict(db.session.execute(
        sa.select(Issue.project_id, sa.func.min(Issue.deadline))
        .where(Issue.project_id.in_(ids), Issue.overdue_on(today))
        .group_by(Issue.project_id)
    ).all())
    alerts = []
    for p in red:
        causes = []
        if p.stage in NOT_STARTED and p.planned_start_on is not None and p.planned_start_on < today:
            causes.append(f"start{p.planned_start_on.isoformat()}")
        if p.id in first_milestone:
            causes.append(f"ms{first_milestone[p.id].isoformat()}")
        if p.id in first_issue:
            causes.append(f"is{first_issue[p.id].isoformat()}")
        reasons = reasons_text(rags[p.id][1])
        alerts.append(
            Alert(
                "project_red", f"{p.id}:{','.join(causes)}"[:120],
                _("提醒函：您分包的重点项目「%(name)s」亮红灯", name=p.name),
                _("原因：%(reasons)s。请督促牵头单位和服务专班尽快推进。", reasons=reasons),
                url_for("assignments.reminder", project_id=p.id, leader=user.id),
            )
        )
    return alerts


def alerts_for(user: User, today: date, settings: AlertSettings) -> list[Alert]:
    """Everything to tell one user today; the caller has put the session under the user's scope."""
    alerts: list[Alert] = []
    if user.role in (Role.STAFF, Role.CHIEF, Role.REVIEWER):
        alerts += follow_up_alerts(user, today)
        alerts += stale_lead_alerts(user, today, settings)
        alerts += milestone_alerts(user, today, settings)
        alerts += issue_alerts(user, today)
    if user.role is Role.LEADER:
        alerts += red_project_alerts(user, today)
    return alerts


def active_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.is_active).order_by(User.id)))


def build_daily_alerts(today: date, now: datetime | None = None, users: list[User] | None = None) -> AlertRun:
    """Notify every active user of today's alerts (new ones only) and queue the alert emails of those
    who chose them. Inserts; the job commits once."""
    from crm.notifications.mailing import queue_alert_email

    settings = AlertSettings.from_config()
    run = AlertRun()
    users = users if users is not None else active_users()
    actor_for = ActorBuilder([u.id for u in users])
    session = db.session
    with links():
        for user in users:
            run.users += 1
            with scoped_as(session, actor_for(user)):
                alerts = alerts_for(user, today, settings)
            new = notify(user.id, alerts, now)
            if not new:
                continue
            log_letters(user, new, today)  # the 提醒函 among them are logged on their projects
            run.new_by_user[user.id] = new
            run.created += len(new)
            for alert in new:
                run.by_kind[alert.kind] = run.by_kind.get(alert.kind, 0) + 1
            if user.alert_email and user.email and queue_alert_email(user, new, today, now):
                run.emails += 1
    return run
