"""The schedule table, the scheduler's settings, and the wrapper every job runs in."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from crm.access.scoping import SYSTEM, get_scope
from crm.extensions import db
from crm.mail.models import JobRun
from crm.scheduler import JOBS, JobSpec, build_scheduler, job_by_id, next_runs, run_job

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)  # Monday 08:00 in Asia/Shanghai


def test_every_job_of_the_table_exists_and_takes_the_clock(app) -> None:
    import inspect

    assert {spec.id for spec in JOBS} == {"daily_alerts", "weekly_digest", "report_reminders", "purge_sign_ins", "purge_notifications", "purge_job_runs", "dispatch_outbox", "backup", "find_duplicates"}
    for spec in JOBS:
        assert list(inspect.signature(spec.function()).parameters) == ["today", "now"]
    assert job_by_id("weekly_digest").dispatch and not job_by_id("dispatch_outbox").dispatch
    with pytest.raises(KeyError):
        job_by_id("nope")


def test_the_scheduler_uses_the_county_time_zone_coalesces_and_forgives_hours_of_delay(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "CRM_DIGEST_WEEKDAY", "tue")
    monkeypatch.setitem(app.config, "CRM_ALERT_HOUR", 7)
    monkeypatch.setitem(app.config, "CRM_REPORT_DAYS", (3, 18))
    scheduler = build_scheduler(app, BackgroundScheduler)
    assert str(scheduler.timezone) == "Asia/Shanghai"
    scheduler.start(paused=True)  # the job defaults apply once started; paused: nothing runs
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    assert set(jobs) == {spec.id for spec in JOBS}
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time >= 3600  # hours, not APScheduler's 1-second default
        assert isinstance(job.trigger, CronTrigger) and str(job.trigger.timezone) == "Asia/Shanghai"
    assert "day_of_week='tue'" in str(jobs["weekly_digest"].trigger) and "hour='8'" in str(jobs["weekly_digest"].trigger)
    assert "hour='7'" in str(jobs["daily_alerts"].trigger)
    assert "day='3,18'" in str(jobs["report_reminders"].trigger)
    assert "minute='*/2'" in str(jobs["dispatch_outbox"].trigger)
    runs = dict(next_runs(app))
    assert runs["daily_alerts"].hour == 7 and runs["weekly_digest"].weekday() == 1


def test_web_workers_never_start_a_scheduler(app, client) -> None:
    """Building the app and serving requests starts no scheduler thread (only `crm scheduler` does)."""
    from crm import create_app

    def scheduler_threads() -> int:
        return sum("APScheduler" in t.name for t in threading.enumerate() if t.is_alive())

    before = scheduler_threads()
    create_app({"DATABASE_URL": app.config["DATABASE_URL"], "SECRET_KEY": "x"})
    client.get("/login")
    assert scheduler_threads() == before
    assert "apscheduler" not in repr(app.extensions).lower()


SEEN: dict[str, Any] = {}


def ok_job(today, now):  # type: ignore[no-untyped-def]
    """A job that writes something: the wrapper must commit it, once."""
    from crm.notifications.models import Notification

    SEEN.update(today=today, now=now, scope=get_scope(db.session))
    db.session.add(Notification(user_id=SEEN["user_id"], kind="test", key=str(now), title="定时任务测试"))
    db.session.flush()
    return "did it"


def failing_job(today, now):  # type: ignore[no-untyped-def]
    from crm.notifications.models import Notification

    db.session.add(Notification(user_id=SEEN["user_id"], kind="test", key="failed", title="不应保存"))
    db.session.flush()
    raise RuntimeError("boom")


def _count(app: Any, **filters: Any) -> int:
    from crm.notifications.models import Notification

    with app.app_context():
        from crm.access.scoping import set_scope

        set_scope(db.session, SYSTEM)
        return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).filter_by(**filters)) or 0


def test_a_job_runs_in_an_app_context_under_the_system_scope_and_commits_once(app, world, isolated) -> None:
    SEEN.clear()
    SEEN["user_id"] = world.users["staff"].id
    spec = JobSpec("test_ok", f"{__name__}:ok_job", {"hour": 8})
    assert run_job(app, spec, NOW) == "did it"
    assert SEEN["scope"] is SYSTEM and SEEN["now"] == NOW
    assert str(SEEN["today"]) == "2026-11-30"  # the county's date of the instant, not the server's
    assert _count(app, kind="test") == 1
    with app.app_context():
        run = db.session.scalars(sa.select(JobRun).where(JobRun.job == "test_ok")).one()
        assert run.outcome == "ok" and run.detail == "did it" and run.finished_at is not None


def test_a_failing_job_keeps_nothing_and_records_the_error(app, world, isolated, caplog) -> None:
    SEEN["user_id"] = world.users["staff"].id
    spec = JobSpec("test_fail", f"{__name__}:failing_job", {"hour": 8})
    with pytest.raises(RuntimeError):
        run_job(app, spec, NOW)
    assert _count(app, key="failed") == 0  # rolled back: no half-done work
    with app.app_context():
        run = db.session.scalars(sa.select(JobRun).where(JobRun.job == "test_fail")).one()
        assert run.outcome == "error" and "RuntimeError: boom" in run.detail
    assert "job test_fail failed" in caplog.text


def test_the_scheduler_wrapper_survives_a_failing_job(app, world, isolated) -> None:
    """Run by APScheduler, a failure is logged and recorded; the scheduler goes on to the next run."""
    from crm.scheduler import _job_runner

    SEEN["user_id"] = world.users["staff"].id
    _job_runner(app, JobSpec("test_fail", f"{__name__}:failing_job", {"hour": 8}))()  # does not raise


def test_cli_lists_the_jobs(app) -> None:
    result = app.test_cli_runner().invoke(args=["scheduler", "--list"])
    assert result.exit_code == 0, result.output
    for spec in JOBS:
        assert spec.id in result.output
