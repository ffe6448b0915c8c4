"""Daily alerts and the bell: what each user is told, only what they may see, once; alert emails by
preference; the list, mark read, open the record; the demo's bell."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from crm.mail.models import OutboxMessage
from crm.notifications.alerts import build_daily_alerts
from crm.notifications.models import Notification
from tests.factories import new_issue, new_lead
from tests.helpers import count_statements, in_app

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 0, 0, tzinfo=timezone.utc)


def _scenario(app: Any, w: Any) -> dict[str, int]:
    """On top of the world (whose follow-up of 2026-11-20 is overdue and whose lead has had no activity
    since 2026-11-01): a follow-up due today, milestones due soon and overdue, an overdue issue, a red
    key project, and records of branch_a2 that branch_a1's staff must never hear about."""
    from crm.assignments.models import ProjectLeader
    from crm.domain.issues import IssueCategory, IssueSource, IssueStatus
    from crm.domain.projects import MilestoneKind
    from crm.followups.models import FollowUp
    from crm.progress.models import Milestone
    from crm.projects.models import Project

    staff, a2 = w.users["staff"], w.units["branch_a2"]
    with in_app(app) as session:
        today_task = FollowUp(unit_id=staff.unit_id, assignee_id=staff.id, lead_id=w.records["lead"], due_on=TODAY, note="今天回访荣格")
        project = session.get(Project, w.records["project"])
        project.is_key, project.planned_start_on = True, date(2026, 10, 1)  # 在谈, start date passed → red
        soon = Milestone(project_id=project.id, kind=MilestoneKind.LAND, planned_on=TODAY + timedelta(days=3))
        late = Milestone(project_id=project.id, kind=MilestoneKind.PLANNING_PERMIT, planned_on=TODAY - timedelta(days=5))
        issue = new_issue(session, unit_id=staff.unit_id, project_id=project.id, description="荣格扩产用电增容未批",
                          category=IssueCategory.UTILITIES, source=IssueSource.COMPANY, raised_on=date(2026, 10, 1),
                          deadline=date(2026, 11, 25), status=IssueStatus.IN_PROGRESS, created_by_id=staff.id)
        leader = ProjectLeader(project_id=project.id, leader_id=w.users["leader"].id, slot=1, entered_on=date(2026, 1, 1))
        # branch_a2's records that name staff (left behind by a move between units): out of staff's scope.
        hidden_lead = new_lead(session, w, unit="branch_a2", name="乙分局秘密线索")
        session.add_all([today_task, soon, late, leader])
        session.flush()
        hidden_task = FollowUp(unit_id=a2.id, assignee_id=staff.id, lead_id=hidden_lead.id, due_on=TODAY - timedelta(days=2), note="乙分局秘密回访")
        session.add(hidden_task)
        session.commit()
        return {"task": today_task.id, "soon": soon.id, "late": late.id, "issue": issue.id, "hidden_task": hidden_task.id}


def _notes(app: Any, user: Any) -> list[Notification]:
    with in_app(app) as session:
        return list(session.scalars(sa.select(Notification).where(Notification.user_id == user.id, Notification.kind != "test").order_by(Notification.id)))


def _run(app: Any, today: date = TODAY, now: datetime = NOW) -> Any:
    with in_app(app) as session:
        run = build_daily_alerts(today, now)
        session.commit()
        return run


def test_each_user_is_told_what_is_due_for_them(app, world, isolated) -> None:
    ids = _scenario(app, world)
    run = _run(app)
    staff = {(n.kind, n.key): n for n in _notes(app, world.users["staff"])}
    assert ("follow_up_due", f"{ids['task']}:2026-12-01") in staff
    assert staff[("follow_up_due", f"{ids['task']}:2026-12-01")].title == "今日到期的跟进：今天回访荣格"
    # The world's follow-up of 2026-11-20 was announced before (tests/world_parts/notifications.py): not again.
    assert [n.key for n in _notes(app, world.users["staff"])].count(f"{world.records['follow_up']}:2026-11-20") == 1
    assert staff[("lead_stale", f"{world.records['lead']}:2026-11-01")].link == f"/leads/{world.records['lead']}"
    assert ("milestone_due", f"{ids['soon']}:2026-12-04") in staff
    assert ("milestone_overdue", f"{ids['late']}:2026-11-26") in staff
    assert staff[("issue_overdue", f"{ids['issue']}:2026-11-25")].link == f"/issues/{ids['issue']}"
    # The 分包 leader gets a 提醒函 with the reasons; staff does not.
    (letter,) = [n for n in _notes(app, world.users["leader"]) if n.kind == "project_red"]
    assert "荣格精工扩产项目" in letter.title and "计划开工日期已过仍未开工" in letter.body and "个节点逾期" in letter.body
    assert letter.link == f"/projects/{world.records['project']}/reminder?leader={world.users['leader'].id}"  # the letter itself
    assert not any(kind == "project_red" for kind, _key in staff)
    # The chief hears of the unit's overdue issue, not of staff's follow-ups.
    chief = {n.kind for n in _notes(app, world.users["chief"])}
    assert "issue_overdue" in chief and "follow_up_due" not in chief
    assert run.created == sum(run.by_kind.values())


def test_nobody_is_told_about_records_they_may_not_see(app, world, isolated) -> None:
    ids = _scenario(app, world)
    _run(app)
    notes = _notes(app, world.users["staff"])
    assert not any("乙分局秘密" in f"{n.title} {n.body}" for n in notes)
    assert not any(n.kind == "follow_up_due" and n.key.startswith(f"{ids['hidden_task']}:") for n in notes)
    assert not any("乙县" in n.title for n in _notes(app, world.users["staff"]))


def test_a_rerun_and_the_next_day_add_nothing_new(app, world, isolated) -> None:
    _scenario(app, world)
    first = _run(app)
    assert first.created > 5
    assert _run(app).created == 0  # same day: unique (user, kind, key)
    next_day = _run(app, TODAY + timedelta(days=1), NOW + timedelta(days=1))
    # Next day: the same overdue items are not announced again; only what changed state is new
    # (today's task became overdue under the same key; the milestone due on 12-04 is still "due soon").
    assert next_day.created == 0


def test_alert_email_only_for_those_who_chose_it(app, world, isolated) -> None:
    _scenario(app, world)
    with in_app(app) as session:
        for who, choice in (("staff", True), ("leader", False)):
            user = session.get(type(world.users[who]), world.users[who].id)
            user.email, user.alert_email = f"{who}@lushan.example", choice
        session.commit()
    run = _run(app)
    assert run.emails == 1
    with in_app(app) as session:
        (mail,) = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "daily_alerts")).all()
        assert mail.to_address == "staff@lushan.example" and mail.period == "2026-12-01"
        assert "今日到期的跟进：今天回访荣格" in mail.body_text and "http://127.0.0.1:5000/todo" in mail.body_text
        assert "今日提醒" in mail.subject and "<a href=\"http://127.0.0.1:5000/notifications\"" in mail.body_html
    assert _run(app).emails == 0


def test_the_bell_counts_unread_and_the_list_marks_them_read(app, client, auth, world) -> None:
    _scenario(app, world)
    _run(app)
    auth.login_as("staff")
    unread = len([n for n in _notes(app, world.users["staff"]) if n.read_at is None])
    page = client.get("/").get_data(as_text=True)
    assert f'data-testid="bell-count">{unread}<' in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "今日到期的跟进：今天回访荣格" in listing and "乙县项目环评未批" not in listing  # staff_b's is not listed
    first = _notes(app, world.users["staff"])[0]
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert f'data-testid="bell-count">{unread - 1}<' in client.get("/").get_data(as_text=True)
    task_note = next(n for n in _notes(app, world.users["staff"]) if n.read_at is None and n.kind == "issue_overdue")
    response = client.post(f"/notifications/{task_note.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == task_note.link
    assert client.get("/notifications?show=unread").get_data(as_text=True).count('data-testid="notification"') == unread - 2
    client.post("/notifications/read-all")
    assert 'data-testid="bell-count"' not in client.get("/").get_data(as_text=True)
    assert all(n.read_at is not None for n in _notes(app, world.users["staff"]))
    # Another user's notification does not exist for staff.
    assert client.post(f"/notifications/{world.records['notification_b']}/read").status_code == 404


def test_the_bell_is_one_query_per_page(app, client, auth, world) -> None:
    auth.login_as("staff")
    with count_statements(app) as sent:
        client.get("/leads/")
    counted = [s.sql for s in sent if "FROM notifications" in s.sql]
    assert len(counted) == 1 and "count(" in counted[0].lower()


def test_email_preferences_are_the_users_own(app, client, auth, world) -> None:
    auth.login_as("staff")
    page = client.get("/account").get_data(as_text=True)
    assert "接收每周摘要邮件" in page and '<input checked class="form-check-input" id="mail-digest_email"' in page
    assert '<input class="form-check-input" id="mail-alert_email"' in page  # alert email is off by default
    assert client.post("/account/email", data={"mail-alert_email": "y"}).status_code == 302  # digest unticked
    with in_app(app) as session:
        user = session.get(type(world.users["staff"]), world.users["staff"].id)
        assert user.digest_email is False and user.alert_email is True


def test_demo_bells_show_the_overdue_items(app, app_session) -> None:
    from crm.demo.notifications import load_notifications
    from crm.demo.services import LoadReport, load_demo
    from crm.users.models import User

    today = date(2026, 11, 27)
    report = load_demo(today)
    for name in ("assignments", "progress", "issues"):  # the scenario's 三个一, 工期 and 问题台账
        getattr(importlib.import_module(f"crm.demo.{name}"), f"load_{name}")(report, today)
    load_notifications(report, today)
    app_session.flush()
    users = {u.username: u for u in app_session.scalars(sa.select(User))}
    assert all(u.email and u.email.endswith("@lushan.example") for u in users.values())

    def bell(username: str) -> list[Notification]:
        return list(app_session.scalars(sa.select(Notification).where(Notification.user_id == users[username].id, Notification.read_at.is_(None))))

    staff1 = [n.title for n in bell("staff1")]
    assert any(t.startswith("跟进已逾期") for t in staff1) and any(t.startswith("今日到期的跟进") for t in staff1)
    assert any(n.kind == "project_red" and "鲁山县石材建材工业城" in n.title for n in bell("leader"))
    assert any(n.kind == "project_red" and "海亮" in n.title for n in bell("exec_deputy"))
    assert any(n.kind == "issue_overdue" for n in bell("chief1"))
    again = LoadReport()
    load_notifications(again, today)
    assert "notifications" not in again.created and "email addresses" not in again.created


def test_old_notifications_and_job_runs_are_purged_daily(app, world, isolated) -> None:
    """notifications and job_runs grew forever: purge_notifications and purge_job_runs (in JOBS) keep
    CRM_NOTIFICATION_RETENTION_DAYS and CRM_JOB_RUN_RETENTION_DAYS of them."""
    from datetime import timedelta

    import sqlalchemy as sa

    from crm.access.scoping import SYSTEM, set_scope
    from crm.db import utcnow
    from crm.extensions import db
    from crm.mail.models import JobRun
    from crm.notifications.models import Notification
    from crm.scheduler import job_by_id, run_job

    user_id = world.users["staff"].id
    now = utcnow()
    with app.app_context():
        set_scope(db.session, SYSTEM)
        db.session.add_all([
            Notification(user_id=user_id, kind="purge_test", key="old", title="old", created_at=now - timedelta(days=181)),
            Notification(user_id=user_id, kind="purge_test", key="new", title="new", created_at=now - timedelta(days=179)),
            JobRun(job="purge_test", started_at=now - timedelta(days=91), outcome="ok"),
            JobRun(job="purge_test", started_at=now - timedelta(days=89), outcome="ok"),
        ])
        db.session.commit()
    assert run_job(app, job_by_id("purge_notifications")) == "1 notifications deleted"
    assert run_job(app, job_by_id("purge_job_runs")) == "1 job runs deleted"
    with app.app_context():
        set_scope(db.session, SYSTEM)
        assert db.session.scalars(sa.select(Notification.key).where(Notification.kind == "purge_test")).all() == ["new"]
        days = [now - r.started_at.replace(tzinfo=r.started_at.tzinfo or now.tzinfo) for r in db.session.scalars(sa.select(JobRun).where(JobRun.job == "purge_test"))]
        assert len(days) == 1 and days[0] < timedelta(days=90)
