"""The nightly duplicate scan (a scheduled job) and what the review queue says is new since a reviewer's visit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from crm.companies.models import DuplicateGroup, DuplicateQueueVisit
from crm.mail.models import JobRun
from crm.scheduler import job_by_id, run_job
from tests.factories import new_company

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc)


def _new_rows(html: str) -> int:
    return len(re.findall(r'data-new="1"', html))


def _shift(session, hours: float) -> None:
    """Move what has happened back in time (the clock the view reads is the real one)."""
    delta = timedelta(hours=hours)
    session.expire_all()
    for group in session.scalars(sa.select(DuplicateGroup)):
        group.created_at -= delta
    for visit in session.scalars(sa.select(DuplicateQueueVisit)):
        visit.seen_at -= delta
        if visit.baseline is not None:
            visit.baseline -= delta
    session.commit()


def test_the_scan_is_a_scheduled_job_that_queues_new_groups_once(app, app_session, world) -> None:
    new_company(app_session, "东莞市海威纺织有限公司")
    new_company(app_session, "海伟纺织有限公司")
    app_session.commit()
    spec = job_by_id("find_duplicates")
    assert run_job(app, spec, NOW) == "1 candidate group(s) queued"
    assert run_job(app, spec, NOW) == "0 candidate group(s) queued"  # a rerun adds nothing
    runs = app_session.scalars(sa.select(JobRun).where(JobRun.job == "find_duplicates")).all()
    assert [r.outcome for r in runs] == ["ok", "ok"]
    assert app_session.scalar(sa.select(sa.func.count()).select_from(DuplicateGroup)) == 2  # the world's + one


def test_the_queue_marks_what_was_found_since_the_last_visit(app, auth, client, app_session, world) -> None:
    auth.login_as("reviewer")
    first = client.get("/companies/duplicates").get_data(as_text=True)
    assert "首次查看" in first  # a first visit: everything is new to this reviewer, nothing is marked
    _shift(app_session, 3)  # the visit and the world's group were hours ago

    new_company(app_session, "东莞市海威纺织有限公司")
    new_company(app_session, "海伟纺织有限公司")
    app_session.commit()
    assert run_job(app, job_by_id("find_duplicates"), NOW) == "1 candidate group(s) queued"

    page = client.get("/companies/duplicates").get_data(as_text=True)
    assert "自上次查看以来新增 1 组" in page
    assert _new_rows(page) == 1  # the scan's group, not the world's old one
    assert _new_rows(client.get("/companies/duplicates").get_data(as_text=True)) == 1  # one visit: a reload keeps it

    _shift(app_session, 1)  # the next visit, an hour after that one
    again = client.get("/companies/duplicates").get_data(as_text=True)
    assert _new_rows(again) == 0 and "自上次查看以来新增" not in again


def _login(auth, role: str) -> None:
    """Sign in as another user.  ``app_session`` holds an app context that the client's requests share,
    so the actor the last request put on ``g`` is dropped first."""
    from flask import g

    for cached in ("actor", "_login_user"):
        g.pop(cached, None)
    auth.login_as(role)


def test_visits_are_per_reviewer(app, auth, client, app_session, world) -> None:
    auth.login_as("reviewer")
    client.get("/companies/duplicates")
    _shift(app_session, 3)
    new_company(app_session, "东莞市海威纺织有限公司")
    new_company(app_session, "海伟纺织有限公司")
    app_session.commit()
    run_job(app, job_by_id("find_duplicates"), NOW)
    _login(auth, "admin")  # never visited: the count is of every open group, none marked
    page = client.get("/companies/duplicates").get_data(as_text=True)
    assert "首次查看：共 2 组待审核" in page, re.findall(r"<h1.*?</p>\s*<p.*?</p>", page, re.S)
    assert _new_rows(page) == 0
    _login(auth, "reviewer")
    assert _new_rows(client.get("/companies/duplicates").get_data(as_text=True)) == 1


def test_only_reviewers_see_the_queue_and_leave_a_visit(app, auth, client, app_session, world) -> None:
    for role in ("staff", "chief", "leader"):
        _login(auth, role)
        assert client.get("/companies/duplicates").status_code == 403
    assert app_session.scalar(sa.select(sa.func.count()).select_from(DuplicateQueueVisit)) == 0


def test_rebuild_keys_renews_what_an_older_matcher_stored_and_a_rerun_changes_nothing(app, app_session, world) -> None:
    """After an upgrade changes the matcher, ``crm companies rebuild-keys`` makes the stored keys today's."""
    from crm.companies.duplicates import keys_for
    from crm.companies.models import Company, CompanyNameKey

    company = new_company(app_session, "Xinkang Compressor Company Limited")
    app_session.commit()
    app_session.execute(sa.delete(CompanyNameKey).where(CompanyNameKey.company_id == company.id))
    app_session.add(CompanyNameKey(company_id=company.id, key="p2:stale"))
    app_session.get(Company, company.id).search_text = "stale"
    app_session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["companies", "rebuild-keys"])
    assert first.exit_code == 0 and "of 1 company" in first.output, first.output
    app_session.expire_all()
    stored = set(app_session.scalars(sa.select(CompanyNameKey.key).where(CompanyNameKey.company_id == company.id)))
    assert stored == {k[:80] for k in keys_for([company.name])} and "stale" not in app_session.get(Company, company.id).search_text
    assert "of 0 company" in runner.invoke(args=["companies", "rebuild-keys"]).output
