"""Scheduled work: the one table of jobs, the wrapper every job runs in, and the scheduler process.

``crm scheduler`` runs APScheduler 3.x (a BlockingScheduler with cron triggers in CRM_TIMEZONE,
coalescing missed runs into one, a misfire grace of CRM_MISFIRE_GRACE_HOURS). Web workers never start
it. Only one scheduler runs jobs at a time:

- PostgreSQL: the process holds ``pg_try_advisory_lock`` on a dedicated connection for its lifetime;
- SQLite: an exclusive ``fcntl`` lock on <instance>/scheduler.lock.

A second scheduler started by mistake waits as a standby and takes over when the first one stops.
Even two schedulers running the same job at once would send nothing twice: the outbox's unique key
and its claims see to that (``crm.mail.outbox``).

Every job runs inside an app context, under the SYSTEM scope, commits once, records a ``JobRun``
row and logs its outcome. Jobs that write emails dispatch the outbox after their commit.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask

from crm.db import utcnow

log = logging.getLogger("crm.scheduler")

# Two 32-bit halves of the advisory lock key: "招商" in spirit, 0x7a73 'zs' and the job table's id.
ADVISORY_LOCK_KEY = (0x7A73, 1)


@dataclass(frozen=True)
class JobSpec:
    """One row of the schedule: a job function ``module:function(today, now)`` and its cron fields.

    ``cron`` maps APScheduler CronTrigger fields to config keys (or fixed values); ``dispatch`` sends
    the outbox right after the job's commit.
    """

    id: str
    func: str
    cron: dict[str, Any]
    dispatch: bool = False
    description: str = ""

    def function(self) -> Callable[..., Any]:
        module, name = self.func.split(":")
        return getattr(importlib.import_module(module), name)

    def trigger_fields(self, config: Any) -> dict[str, Any]:
        fields = {}
        for name, value in self.cron.items():
            value = config[value] if isinstance(value, str) and value.startswith("CRM_") else value
            if isinstance(value, (tuple, list)):
                value = ",".join(str(v) for v in value)
            fields[name] = value
        return fields


# The schedule (redash's periodic_job_definitions): every job of the application is here.
JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "daily_alerts", "crm.notifications.jobs:daily_alerts",
        {"hour": "CRM_ALERT_HOUR", "minute": "CRM_ALERT_MINUTE"}, dispatch=True,
        description="跟进到期/逾期、节点临期/逾期、问题逾期、线索长期未跟进、重点项目变红 → 站内通知（及邮件）；各单位群机器人的每日提醒",
    ),
    JobSpec(
        "weekly_digest", "crm.digests.jobs:weekly_digest",
        {"day_of_week": "CRM_DIGEST_WEEKDAY", "hour": "CRM_DIGEST_HOUR", "minute": 0}, dispatch=True,
        description="每周摘要邮件（上一自然周）；各单位群机器人的每周摘要",
    ),
    JobSpec(
        "report_reminders", "crm.submissions.jobs:report_reminders",
        {"day": "CRM_REPORT_DAYS", "hour": "CRM_REMINDER_HOUR", "minute": 5}, dispatch=True,
        description="半月报报送提醒（2日、17日），含未报单位的群机器人",
    ),
    JobSpec(
        "backup", "crm.backup.jobs:nightly_backup", {"hour": 2, "minute": 30},
        description="备份数据库与附件到 CRM_BACKUP_DIR，删除 CRM_BACKUP_RETENTION_DAYS 天前的夜间备份",
    ),
    JobSpec(
        "find_duplicates", "crm.companies.jobs:find_duplicates", {"hour": 1, "minute": 30},
        description="企业查重：为全部企业聚类，把新发现的疑似重复组加入待审核队列",
    ),
    JobSpec(
        "purge_sign_ins", "crm.auth.jobs:purge_sign_ins", {"hour": 3, "minute": 30},
        description="清理过期的登录失败记录与已结束的登录会话（CRM_SIGN_IN_RETENTION_DAYS 天前）",
    ),
    JobSpec(
        "purge_notifications", "crm.notifications.jobs:purge_notifications", {"hour": 3, "minute": 40},
        description="清理过期的站内通知（CRM_NOTIFICATION_RETENTION_DAYS 天前）",
    ),
    JobSpec(
        "purge_job_runs", "crm.mail.jobs:purge_job_runs", {"hour": 3, "minute": 50},
        description="清理过期的定时任务运行记录（CRM_JOB_RUN_RETENTION_DAYS 天前）",
    ),
    JobSpec(
        "dispatch_outbox", "crm.mail.jobs:dispatch_outbox",
        {"minute": "*/{CRM_DISPATCH_MINUTES}"},
        description="发送待发邮件和群机器人消息（含到期重试）",
    ),
)


def job_by_id(job_id: str) -> JobSpec:
    for spec in JOBS:
        if spec.id == job_id:
            return spec
    raise KeyError(job_id)


# --- the wrapper every job runs in -------------------------------------------------------------------
def local_now(app: Flask, now: datetime | None = None) -> datetime:
    return (now or utcnow()).astimezone(ZoneInfo(app.config["CRM_TIMEZONE"]))


def run_job(app: Flask, spec: JobSpec, now: datetime | None = None, *, dispatch: bool | None = None) -> Any:
    """Run one job now: app context, SYSTEM scope, one commit, a JobRun row, a log line.

    ``now`` is the clock (tests pass a fixed instant); the job gets the county's date of it too.
    Returns what the job returned. An exception is logged, recorded as an ``error`` JobRun in a
    transaction of its own, and raised again.
    """
    from crm.access.scoping import SYSTEM, set_scope
    from crm.audit.services import set_audit_actor
    from crm.db import intending_to_write
    from crm.extensions import db
    from crm.mail.models import JobRun

    instant = now or utcnow()
    today = local_now(app, instant).date()
    with app.app_context(), intending_to_write():
        session = db.session
        set_scope(session, SYSTEM)
        set_audit_actor(session, None, "定时任务")
        run = JobRun(job=spec.id, started_at=utcnow())
        started = time.monotonic()
        try:
            outcome = spec.function()(today=today, now=instant)
            run.finished_at = utcnow()
            run.outcome = "ok"
            run.detail = str(outcome)[:2000] if outcome is not None else None
            session.add(run)
            session.commit()
        except BaseException as error:
            session.rollback()
            log.exception("job %s failed", spec.id)
            try:
                session.add(JobRun(job=spec.id, started_at=run.started_at, finished_at=utcnow(), outcome="error",
                                   detail=f"{type(error).__name__}: {error}"[:2000]))
                session.commit()
            except Exception:  # the database itself may be what failed
                session.rollback()
                log.exception("job %s: could not record the failure", spec.id)
            raise
        log.info("job %s ok in %.1f s: %s", spec.id, time.monotonic() - started, run.detail or "")
        if spec.dispatch if dispatch is None else dispatch:
            from crm.mail.outbox import dispatch as send_outbox

            try:
                send_outbox(instant)
            except Exception:  # the messages stay in the outbox; the next dispatch round sends them
                session.rollback()
                log.exception("job %s: dispatch after the job failed", spec.id)
    return outcome


# --- one scheduler: the lock ----------------------------------------------------------------------------
class SchedulerLock:
    """Held by the one scheduler that runs jobs; ``acquire`` says whether this process got it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._connection: sa.Connection | None = None
        self._file: Any = None
        self.kind = "postgresql" if app.config["DATABASE_URL"].startswith("postgresql") else "file"

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def acquire(self) -> bool:
        if self.held:
            return True
        if self.kind == "postgresql":
            return self._acquire_advisory()
        return self._acquire_file()

    def _acquire_advisory(self) -> bool:
        from crm.extensions import db

        with self.app.app_context():
            engine = db.engine
        # A dedicated connection, outside the pool's reach for the process lifetime: the lock is the
        # connection's, so it is released exactly when this process (or its connection) goes away.
        connection = engine.connect()
        try:
            got = connection.execute(sa.text("SELECT pg_try_advisory_lock(:a, :b)"), {"a": ADVISORY_LOCK_KEY[0], "b": ADVISORY_LOCK_KEY[1]}).scalar()
            connection.commit()  # a session-level lock outlives the transaction
        except Exception:
            connection.close()
            raise
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def _acquire_file(self) -> bool:
        import fcntl

        path = Path(self.app.instance_path) / "scheduler.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def still_held(self) -> bool:
        """For PostgreSQL, check that the lock's connection is alive (a lost connection lost the lock)."""
        if self._connection is not None:
            try:
                self._connection.execute(sa.text("SELECT 1")).scalar()
                self._connection.commit()
            except Exception:
                return False
            return True
        return self._file is not None

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:a, :b)"), {"a": ADVISORY_LOCK_KEY[0], "b": ADVISORY_LOCK_KEY[1]})
                connection.commit()
            except Exception:
                pass
            connection.close()
        handle, self._file = self._file, None
        if handle is not None:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


def wait_for_lock(lock: SchedulerLock, poll_seconds: float, stop: threading.Event | None = None) -> bool:
    """Standby: try the lock until it is ours (True) or ``stop`` is set (False)."""
    announced = False
    stop = stop or threading.Event()
    while not stop.is_set():
        if lock.acquire():
            if announced:
                log.warning("scheduler: the other scheduler is gone; this one takes over")
            return True
        if not announced:
            log.warning("scheduler: another scheduler holds the lock (%s); waiting as a standby, retrying every %s s", lock.kind, poll_seconds)
            announced = True
        stop.wait(poll_seconds)
    return False


# --- the scheduler ----------------------------------------------------------------------------------
def build_scheduler(app: Flask, scheduler_class: Any = None, lock: SchedulerLock | None = None) -> Any:
    """An APScheduler 3 scheduler with every job of ``JOBS`` (and a lock watchdog when a lock is given)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    config = app.config
    timezone = ZoneInfo(config["CRM_TIMEZONE"])
    scheduler = (scheduler_class or BlockingScheduler)(
        timezone=timezone,
        job_defaults={
            "coalesce": True,  # after downtime, a job missed several times runs once
            "misfire_grace_time": int(config.get("CRM_MISFIRE_GRACE_HOURS", 6)) * 3600,
            "max_instances": 1,
        },
    )
    for spec in JOBS:
        fields = {name: (value.format(**config) if isinstance(value, str) and "{" in value else value)
                  for name, value in spec.trigger_fields(config).items()}
        scheduler.add_job(_job_runner(app, spec), CronTrigger(timezone=timezone, **fields), id=spec.id, name=spec.description or spec.id)
    if lock is not None and lock.kind == "postgresql":
        def watchdog() -> None:
            if not lock.still_held():
                log.error("scheduler: lost the database connection holding the lock; stopping (restart me)")
                scheduler.lost_lock = True
                scheduler.shutdown(wait=False)

        scheduler.add_job(watchdog, "interval", seconds=60, id="lock_watchdog")
    return scheduler


def _job_runner(app: Flask, spec: JobSpec) -> Callable[[], None]:
    def run() -> None:
        try:
            run_job(app, spec)
        except Exception:  # already logged and recorded; keep the scheduler alive for the next run
            pass

    run.__name__ = spec.id
    return run


def serve(app: Flask, stop: threading.Event | None = None) -> int:
    """``crm scheduler``: wait for the lock (standby), then run the jobs until stopped."""
    lock = SchedulerLock(app)
    poll = float(app.config.get("CRM_SCHEDULER_STANDBY_SECONDS", 30))
    if not wait_for_lock(lock, poll, stop):
        return 0
    scheduler = build_scheduler(app, lock=lock)
    log.info("scheduler: running %d jobs (%s, timezone %s)", len(JOBS), lock.kind, app.config["CRM_TIMEZONE"])
    for job in scheduler.get_jobs():
        log.info("  %s: %s", job.id, job.trigger)
    try:
        scheduler.start()  # blocks until shutdown (SIGINT / SIGTERM end the process)
    except (KeyboardInterrupt, SystemExit):
        if scheduler.running:
            scheduler.shutdown(wait=True)  # let the job in progress finish and commit
    finally:
        lock.release()
    # Exit non-zero after losing the lock, so that systemd (Restart=on-failure) starts a fresh one.
    return 1 if getattr(scheduler, "lost_lock", False) else 0


def next_runs(app: Flask, today: date | None = None) -> list[tuple[str, datetime | None]]:
    """When each job of the table runs next (for the docs and `crm scheduler --list`)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = build_scheduler(app, BackgroundScheduler)
    now = local_now(app)
    result = []
    for job in scheduler.get_jobs():
        result.append((job.id, job.trigger.get_next_fire_time(None, now)))
    return result
