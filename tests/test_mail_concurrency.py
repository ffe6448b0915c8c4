"""Two schedulers, two dispatchers, two digest runs at once: each message is sent exactly once, on SQLite
and on PostgreSQL (whichever the suite runs on).

These tests need real concurrent transactions, which the per-test savepoint cannot give, so they run
on a database of their own: a fresh SQLite file, or a fresh PostgreSQL database beside the test one,
migrated to head and dropped afterwards.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterator

import pytest
import sqlalchemy as sa

from crm import create_app
from crm.access.scoping import SYSTEM, set_scope
from crm.extensions import db
from crm.mail.models import JobRun, OutboxMessage, OutboxStatus
from crm.mail.outbox import Email, dispatch, enqueue
from crm.migrate import run as run_alembic
from tests.helpers import new_postgres_database
from tests.test_mail_server import SmtpServer

NOW = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)  # Monday 08:00 in Asia/Shanghai


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = os.environ.get("CRM_TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("concurrency") / "crm.db")
        return
    with new_postgres_database(base, "conc") as url:
        yield url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    smtp = SmtpServer(tmp_path_factory.getbasetemp()).start()
    yield smtp
    smtp.stop()


@pytest.fixture(scope="module")
def conc_app(own_database: str, server: SmtpServer) -> Iterator[Any]:
    app = create_app({
        "TESTING": True, "DATABASE_URL": own_database, "SECRET_KEY": "x", "CRM_ARGON2_TIME_COST": 1, "CRM_ARGON2_MEMORY_COST": 1024,
        **server.config,
    })
    with app.app_context():
        run_alembic(db.engine, "upgrade", "head")
        _people(db.session)
    yield app
    with app.app_context():
        db.engine.dispose()


def _people(session: Any) -> None:
    """A county with one branch: twelve staff, each with an overdue follow-up (a non-empty digest)."""
    from crm.audit.services import set_audit_actor
    from crm.companies.models import Company
    from crm.domain.access import Role
    from crm.domain.units import UnitType
    from crm.followups.models import FollowUp
    from crm.units.models import Unit
    from crm.users.models import User

    set_scope(session, SYSTEM)
    set_audit_actor(session, None, "测试")
    county = Unit(name="并发县", type=UnitType.COUNTY)
    session.add(county)
    session.flush()
    branch = Unit(name="并发县第一招商分局", type=UnitType.BRANCH, parent_id=county.id)
    company = Company(name="并发测试实业有限公司")
    session.add_all([branch, company])
    session.flush()
    for n in range(12):
        user = User(username=f"conc{n}", display_name=f"并发专员{n}", role=Role.STAFF, unit_id=branch.id,
                    email=f"conc{n}@lushan.example", password_hash="x")
        session.add(user)
        session.flush()
        session.add(FollowUp(unit_id=branch.id, assignee_id=user.id, created_by_id=user.id, company_id=company.id,
                             due_on=date(2026, 11, 20), note=f"回访并发测试企业{n}"))
    session.commit()


@pytest.fixture
def clean(conc_app: Any, server: SmtpServer) -> Iterator[None]:
    def wipe() -> None:
        with conc_app.app_context():
            db.session.execute(sa.delete(OutboxMessage))
            db.session.execute(sa.delete(JobRun))
            db.session.commit()
        server.handler.messages.clear()
        server.handler.raw.clear()
        server.handler.replies.clear()

    wipe()
    yield
    wipe()


def _at_once(*jobs: Callable[[], Any]) -> list[Any]:
    """Start the jobs in threads at the same moment; their results (or exceptions, raised here)."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def runner(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]
    return results


def _dispatcher(app: Any) -> Callable[[], Any]:
    def run() -> Any:
        with app.app_context():  # each thread: its own app context, session and connection
            set_scope(db.session, SYSTEM)
            return dispatch(NOW)

    return run


def _sent_to(server: SmtpServer) -> list[str]:
    return sorted(m["To"] for m in server.handler.messages)


def test_two_dispatchers_send_each_message_once(conc_app, server, clean) -> None:
    with conc_app.app_context():
        set_scope(db.session, SYSTEM)
        users = db.session.execute(sa.text("SELECT id, email FROM users ORDER BY id")).all()
        for user_id, address in users:
            for period in ("2026-W46", "2026-W47", "2026-W48"):
                enqueue(Email("weekly_digest", user_id, period, address, f"摘要 {period}", "正文"), NOW)
        db.session.commit()
    first, second, third = _at_once(_dispatcher(conc_app), _dispatcher(conc_app), _dispatcher(conc_app))
    assert first.sent + second.sent + third.sent == 36
    ids = [m["Message-ID"].strip() for m in server.handler.messages]
    assert len(ids) == 36 and len(set(ids)) == 36
    with conc_app.app_context():
        statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
        assert set(statuses) == {OutboxStatus.SENT}


def test_two_digest_jobs_at_once_send_one_digest_each(conc_app, server, clean) -> None:
    """Two schedulers that both fire the weekly digest (the lock bypassed): twelve digests, not 24."""
    from crm.scheduler import job_by_id, run_job

    spec = job_by_id("weekly_digest")
    runs = _at_once(lambda: run_job(conc_app, spec, NOW), lambda: run_job(conc_app, spec, NOW))
    assert sum(r.queued for r in runs) == 12
    assert _sent_to(server) == sorted(f"conc{n}@lushan.example" for n in range(12))
    assert all("回访并发测试企业" in m.get_body(("plain",)).get_content() for m in server.handler.messages)
    # And again, later: the week's digests are all in the outbox, nothing is sent twice.
    run_job(conc_app, spec, NOW + timedelta(hours=1))
    assert len(server.handler.messages) == 12
    with conc_app.app_context():
        outcomes = db.session.scalars(sa.select(JobRun.outcome).where(JobRun.job == "weekly_digest")).all()
        assert outcomes == ["ok", "ok", "ok"]


def test_only_one_scheduler_holds_the_lock_the_other_waits(conc_app, clean) -> None:
    from crm.scheduler import SchedulerLock, wait_for_lock

    first, second = SchedulerLock(conc_app), SchedulerLock(conc_app)
    assert first.kind == ("postgresql" if os.environ.get("CRM_TEST_DATABASE_URL") else "file")
    assert first.acquire() is True
    try:
        assert second.acquire() is False  # a standby
        assert first.still_held()
        got: list[bool] = []
        waiter = threading.Thread(target=lambda: got.append(wait_for_lock(second, 0.05)))
        waiter.start()
        time.sleep(0.3)
        assert got == []  # still waiting
        first.release()
        waiter.join(5)
        assert got == [True]  # took over
        assert SchedulerLock(conc_app).acquire() is False
    finally:
        first.release()
        second.release()


def test_a_standby_scheduler_runs_no_job_and_stops_cleanly(conc_app, server, clean) -> None:
    """`crm scheduler` started twice: the second one (serve) waits without running anything."""
    from crm.scheduler import SchedulerLock, serve

    holder = SchedulerLock(conc_app)
    assert holder.acquire()
    stop = threading.Event()
    try:
        conc_app.config["CRM_SCHEDULER_STANDBY_SECONDS"] = 0.05
        outcome: list[int] = []
        standby = threading.Thread(target=lambda: outcome.append(serve(conc_app, stop)))
        standby.start()
        time.sleep(0.3)
        assert standby.is_alive() and outcome == []
        stop.set()
        standby.join(5)
        assert outcome == [0]
        with conc_app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 0
    finally:
        holder.release()
