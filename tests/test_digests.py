"""The weekly digest: content per role, only what the recipient may see, nothing for an empty one,
once per week (reruns and interrupted runs), the admin preview, a constant number of queries per
recipient, and the done-criterion: `crm demo load` + `crm digests send` against a local SMTP server."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from crm.access.scoping import SYSTEM, scoped_as
from crm.extensions import db
from crm.mail.models import OutboxMessage, OutboxStatus
from tests.factories import new_issue, new_lead, new_project
from tests.helpers import count_statements, in_app
from tests.test_mail_server import smtp_server  # noqa: F401 (fixture)

PERIOD = "2026-W48"  # Monday 2026-11-23 … Sunday 2026-11-29; sent Monday 2026-11-30
IN_WEEK = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)
SECRET = "乙分局机密"  # in every record of branch_a2 and county B below


def _email_everyone(session: Any, w: Any) -> None:
    from crm.users.models import User

    for key, user in w.users.items():
        session.get(User, user.id).email = f"{user.username}@lushan.example"


def _week(app: Any, w: Any) -> dict[str, int]:
    """A week of branch_a1 (staff's and chief's unit), and the same kinds of records, marked SECRET, in
    branch_a2 and county B — some of them naming branch_a1's staff, as data left behind by a move does."""
    from crm.domain.issues import IssueCategory, IssueSource, IssueStatus
    from crm.domain.leads import LeadSource
    from crm.domain.pipeline import Stage
    from crm.domain.projects import FundPurpose, MilestoneKind, ReviewStatus
    from crm.domain.companies import FundingSource
    from crm.domain.visits import VisitType
    from crm.followups.models import FollowUp
    from crm.progress.models import FundArrival, Milestone
    from crm.projects.models import StageEvent
    from crm.visits.models import Visit

    staff = w.users["staff"]
    a1 = staff.unit_id
    with in_app(app) as session:
        _email_everyone(session, w)
        this_weeks_lead = new_lead(session, w, name="本周新线索甲", source=LeadSource.EXPO, received_on=date(2026, 11, 25),
                                   amount_low=Decimal("20000"), amount_high=Decimal("20000"), last_activity_on=date(2026, 11, 25))
        coming = FollowUp(unit_id=a1, assignee_id=staff.id, lead_id=w.records["lead"], due_on=date(2026, 12, 2), note="约荣格再谈")
        visit = Visit(unit_id=a1, type=VisitType.OUTBOUND, start_on=date(2026, 12, 1), destination="东莞")
        event = StageEvent(project_id=w.records["project"], from_stage=Stage.TALKS, to_stage=Stage.SIGNED, period="2026-11",
                           total_investment=Decimal("60000"), contracted_amount=Decimal("60000"), review_status=ReviewStatus.APPROVED,
                           reviewed_at=IN_WEEK)
        funds = FundArrival(project_id=w.records["project"], period="2026-11", amount=Decimal("1500"), source=FundingSource.OTHER_PROVINCE,
                            purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.APPROVED, reviewed_at=IN_WEEK)
        missed = Milestone(project_id=w.records["assignments_project"], kind=MilestoneKind.LAND, planned_on=date(2026, 11, 10))
        key_issue = new_issue(session, unit_id=a1, number="WT2026-801", project_id=w.records["assignments_project"],
                              description="三个一项目供电未落实", category=IssueCategory.UTILITIES, source=IssueSource.COMPANY,
                              raised_on=date(2026, 11, 24), deadline=date(2026, 11, 27), status=IssueStatus.IN_PROGRESS,
                              created_by_id=staff.id)
        session.add_all([coming, visit, event, funds, missed])
        # The SECRET records.
        for unit_key, owner in (("branch_a2", staff), ("branch_a2", w.users["staff_a2"]), ("branch_b1", w.users["staff_b"])):
            unit_id = w.units[unit_key].id
            lead = new_lead(session, w, unit=unit_key, owner_id=owner.id, name=f"{SECRET}线索{unit_key}", received_on=date(2026, 11, 24))
            project = new_project(session, w, unit=unit_key, owner_id=owner.id, name=f"{SECRET}项目{unit_key}{owner.id}", stage=Stage.TALKS)
            session.add_all([
                FollowUp(unit_id=unit_id, assignee_id=owner.id, lead_id=lead.id, due_on=date(2026, 11, 20), note=f"{SECRET}回访"),
                FollowUp(unit_id=unit_id, assignee_id=owner.id, lead_id=lead.id, due_on=date(2026, 12, 1), note=f"{SECRET}约见"),
                Visit(unit_id=unit_id, type=VisitType.OUTBOUND, start_on=date(2026, 12, 2), destination=f"{SECRET}目的地"),
            ])
            session.flush()
            session.add(StageEvent(project_id=project.id, from_stage=Stage.LEAD, to_stage=Stage.TALKS, period="2026-11",
                                   review_status=ReviewStatus.APPROVED, reviewed_at=IN_WEEK))
        session.commit()
        return {"new_lead": this_weeks_lead.id, "visit": visit.id, "missed": missed.id, "key_issue": key_issue.id}


def _digest(app: Any, w: Any, who: str, period: str = PERIOD) -> Any:
    from crm.digests.send import preview

    with in_app(app) as session:
        from crm.users.models import User

        return preview(session.get(User, w.users[who].id), period)


def _rendered(app: Any, digest: Any) -> str:
    from crm.digests.send import render_digest
    from crm.notifications.services import links

    with app.app_context(), links():
        subject, text, html = render_digest(digest)
    return "\n".join((subject, text, html))


def _texts(digest: Any, key: str) -> list[str]:
    section = digest.section(key)
    return [item.text for item in section.items] if section else []


def test_staff_get_their_follow_ups_stale_leads_and_the_weeks_visits(app, world, isolated, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "CRM_STALE_LEAD_DAYS", 21)
    ids = _week(app, world)
    digest = _digest(app, world, "staff")
    assert digest.as_of == date(2026, 11, 30)
    assert _texts(digest, "my_overdue") == ["电话回访（荣格精工扩产线索）"]
    assert digest.section("my_overdue").items[0].note.startswith("逾期 10 天")
    assert "约荣格再谈（荣格精工扩产线索）" in _texts(digest, "my_coming")
    assert _texts(digest, "my_stale_leads") == ["荣格精工扩产线索"]  # received 2026-11-01, no activity since
    assert digest.section("my_stale_leads").title == "长期未跟进的线索（21 天以上）"
    (visit,) = digest.section("planned_visits").items
    assert "东莞" in visit.text and visit.url.endswith(f"/visits/{ids['visit']}")
    assert visit.url.startswith("http://127.0.0.1:5000/")  # absolute, on CRM_BASE_URL
    assert digest.section("unit_new_leads") is None and digest.section("county_kpi") is None


def test_chiefs_get_the_units_week_overdue_items_and_ranking(app, world, isolated) -> None:
    _week(app, world)
    digest = _digest(app, world, "chief")
    assert _texts(digest, "unit_new_leads") == ["本周新线索甲"]
    (change,) = digest.section("unit_stage_changes").items
    assert change.text == "荣格精工扩产项目" and "在谈 → 签约" in change.note and "6.00 亿元" in change.note
    overdue = " ".join(_texts(digest, "unit_overdue"))
    assert "逾期跟进任务 1 项" in overdue and "逾期工期节点 1 个" in overdue and "逾期未办结问题 1 个" in overdue
    ranking = digest.section("unit_ranking")
    assert ranking.summary.startswith("2026 年 1–11 月签约排名（按全县统计口径）：本单位第 1 名，共 2 个单位")
    assert [i.text for i in ranking.items] == ["1. 甲县第一招商分局", "2. 甲县第二招商分局"]
    assert [i.note for i in ranking.items] == ["签约 1 个 · 6.00 亿元", "签约 0 个 · 0 万元"]


def test_the_digests_unit_ranking_counts_as_the_county_counts(app, world, isolated) -> None:
    """A threshold above the week's 6 亿 signing takes it out of the ranking as it does out of the dashboard
    (the ranking once counted every approved 签约 event, whatever the county's 统计口径)."""
    from crm.reports.models import ReportSettings

    _week(app, world)
    with in_app(app) as session:
        session.add(ReportSettings(unit_id=world.units["county_a"].id, key="counting_rules", value={"threshold": "70000"}))
        session.commit()
    ranking = _digest(app, world, "chief").section("unit_ranking")
    assert [i.note for i in ranking.items] == ["签约 0 个 · 0 万元", "签约 0 个 · 0 万元"]


def test_leaders_get_their_three_ones_projects_missed_milestones_and_open_issues(app, world, isolated) -> None:
    _week(app, world)
    digest = _digest(app, world, "leader")
    (project,) = digest.section("leader_projects").items
    assert project.text == "星河三个一测试项目" and project.tone == "red" and "1 个节点逾期" in project.note
    (missed,) = digest.section("leader_missed_milestones").items
    assert "供地摘牌" in missed.text and missed.url.endswith("#milestones") and "逾期 20 天" in missed.note
    assert any(t.startswith("WT2026-801") for t in _texts(digest, "leader_open_issues"))
    # The world's leader is the 县长: the county view too.
    assert digest.section("county_stage_events") is not None


def test_county_roles_get_the_weeks_events_funds_kpis_and_reviews(app, world, isolated) -> None:
    _week(app, world)
    admin = _digest(app, world, "admin")
    events = admin.section("county_stage_events")
    assert "签约 1 个（总投资 6.00 亿元）" in events.summary
    assert "荣格精工扩产项目" in [i.text for i in events.items]
    assert admin.section("county_funds").summary == "合计 1,500 万元，1 笔"
    kpi = {i.text: i for i in admin.section("county_kpi").items}
    # 6 亿 of the 10 亿 target: 60 %, behind the 序时进度 of 1–11 月 (91.67 %).
    assert kpi["签约金额（万元）"].note == "6.00 亿元 / 10.00 亿元 · 完成 60.00%" and kpi["签约金额（万元）"].tone == "amber"
    assert "序时进度 91.67%（1–11 月）" in admin.section("county_kpi").summary
    assert "150,000" in kpi["固定资产投资（万元）"].note or "15.00 亿元" in kpi["固定资产投资（万元）"].note
    reviewer = _digest(app, world, "reviewer")
    assert reviewer.section("county_stage_events").summary == events.summary  # bureau_a's subtree holds branch_a1
    # The 县招商局 reviewer answers for the county's targets, kept on the county above the bureau.
    reviewer_kpi = {i.text: i for i in reviewer.section("county_kpi").items}
    assert reviewer_kpi["签约金额（万元）"].note == kpi["签约金额（万元）"].note
    assert "999,999" not in _rendered(app, reviewer) and "777,777" not in _rendered(app, reviewer)
    assert "999,999" not in _rendered(app, admin) and "777,777" not in _rendered(app, admin)  # county B's figures


@pytest.mark.parametrize("rules", [{}, {"threshold": "70000"}, {"threshold": "1000", "excluded_sources": []}])
def test_the_digests_kpis_are_the_dashboards_under_the_countys_counting_rules(app, client, auth, world, isolated, rules) -> None:
    """One definition: the Monday email's 完成率 is the dashboard's for the month the week ends in, under the
    county's 统计口径 (a threshold above the week's 6 亿 signing takes it out of both)."""
    import re

    from crm.reports.models import ReportSettings
    from tests.test_dashboard import cells

    _week(app, world)
    with in_app(app) as session:
        session.add(ReportSettings(unit_id=world.units["county_a"].id, key="counting_rules", value=rules))
        session.commit()
    kpi = {i.text: i.note for i in _digest(app, world, "admin").section("county_kpi").items}
    auth.login_as("admin")
    page = client.get("/dashboard?period=2026-11").get_data(as_text=True)
    table = page[page.index('data-testid="targets-table"'):]
    compared = 0
    for text, note in kpi.items():
        at = table.index(f">{text}")
        line = table[table.rindex("<tr", 0, at):]
        completion = cells(line[: line.index("</tr>")])[3]
        assert re.search(r"完成 ([\d.]+)%", note).group(1) + "%" == completion, (rules, text)
        compared += 1
    assert compared >= 2
    signed = kpi["签约金额（万元）"]
    assert ("完成 0.00%" in signed) == (rules.get("threshold") == "70000"), signed


def test_a_staff_members_digest_never_contains_another_units_records(app, world, isolated) -> None:
    _week(app, world)
    for who in ("staff", "chief"):
        text = _rendered(app, _digest(app, world, who))
        assert SECRET not in text, who
    # … whereas county A's admin sees branch_a2's (its subtree), never county B's.
    admin = _rendered(app, _digest(app, world, "admin"))
    assert f"{SECRET}项目branch_a2" in admin and "branch_b1" not in admin
    staff_a2 = _rendered(app, _digest(app, world, "staff_a2"))
    assert f"{SECRET}回访" in staff_a2 and "荣格" not in staff_a2


def test_the_email_is_chinese_html_and_text_with_absolute_links(app, world, isolated) -> None:
    from crm.digests.send import queue_digests
    from crm.users.models import User

    _week(app, world)
    with in_app(app) as session:
        run = queue_digests(PERIOD, NOW, users=[session.get(User, world.users["staff"].id)])
        session.commit()
        (mail,) = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.period == PERIOD)).all()
    assert run.queued == 1
    assert mail.subject == "【招商引资】每周摘要 2026年第48周（11月23日—11月29日）"
    assert "【我的逾期跟进】" in mail.body_text and "http://127.0.0.1:5000/todo" in mail.body_text
    assert '<a href="http://127.0.0.1:5000/visits/' in mail.body_html and "<!doctype html>" in mail.body_html
    assert "http://127.0.0.1:5000/account" in mail.body_text  # where to opt out


def test_empty_digests_and_opted_out_users_get_nothing(app, world, isolated) -> None:
    from crm.digests.send import queue_digests, recipients
    from crm.users.models import User

    with in_app(app) as session:
        _email_everyone(session, world)
        session.get(User, world.users["chief"].id).digest_email = False
        session.commit()
        people = recipients()
        assert world.users["chief"].id not in {u.id for u in people}
        assert world.users["staff"].id in {u.id for u in people}
        quiet = session.get(User, world.users["staff_squad"].id)  # nothing to report for squad_a1 this week
        run = queue_digests(PERIOD, NOW, users=[quiet])
        session.commit()
        assert run.empty == 1 and run.queued == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.period == PERIOD)) == 0


def test_rerun_and_interrupted_run_send_each_digest_once(app, world, isolated, monkeypatch, smtp_server) -> None:
    from crm.digests.send import queue_digests
    from crm.mail.outbox import dispatch

    for key, value in smtp_server.config.items():
        monkeypatch.setitem(app.config, key, value)
    _week(app, world)
    with in_app(app) as session:
        first = queue_digests(PERIOD, NOW)
        session.commit()
        assert first.queued >= 6
        interrupted = dispatch(NOW, limit=2)  # the process stops after two messages
    assert interrupted.sent == 2
    with in_app(app) as session:
        again = queue_digests(PERIOD, NOW + timedelta(minutes=30))  # `crm digests send` run again
        session.commit()
        assert again.queued == 0 and again.already == first.queued
        rest = dispatch(NOW + timedelta(minutes=30))
    assert rest.sent == first.queued - 2
    received = [m["To"] for m in smtp_server.handler.messages]
    assert len(received) == len(set(received)) == first.queued
    with in_app(app) as session:
        assert dispatch(NOW + timedelta(hours=2)).sent == 0
        statuses = session.scalars(sa.select(OutboxMessage.status).where(OutboxMessage.period == PERIOD)).all()
        assert set(statuses) == {OutboxStatus.SENT}


def test_dry_run_builds_but_queues_nothing(app, world, isolated) -> None:
    from crm.digests.send import dry_run_lines, queue_digests

    _week(app, world)
    with in_app(app) as session:
        run = queue_digests(PERIOD, NOW, dry_run=True)
        session.commit()
        assert run.queued == 0 and len(run.built) >= 6
        assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.period == PERIOD)) == 0
    lines = dry_run_lines(run)
    assert any("staff_a1" in line and "我的逾期跟进" in line for line in lines)


def test_admin_preview_of_a_users_digest(app, client, auth, world) -> None:
    _week(app, world)
    auth.login_as("admin")
    page = client.get(f"/admin/users/{world.users['staff'].id}/digest?period={PERIOD}").get_data(as_text=True)
    assert "每周摘要 2026年第48周" in page and "电话回访（荣格精工扩产线索）" in page and SECRET not in page
    empty = client.get(f"/admin/users/{world.users['staff_squad'].id}/digest?period={PERIOD}").get_data(as_text=True)
    assert 'data-testid="digest-empty"' in empty
    assert client.get(f"/admin/users/{world.users['staff_b'].id}/digest").status_code == 404  # county B
    auth.login_as("admin_b")
    assert client.get(f"/admin/users/{world.users['staff'].id}/digest").status_code == 404


def test_read_ahead_gives_each_person_what_they_would_get_alone_and_nothing_of_another_unit(app, world, isolated) -> None:
    """The personal rows read for a whole unit at once equal each member's own, under each one's scope:
    staff and staff_a2 share no reach, so the 乙分局 follow-ups that name staff stay out of staff's."""
    from crm.access.policy import ActorBuilder
    from crm.access.scoping import reach_of
    from crm.digests.build import DigestCache, personal_rows, read_ahead
    from crm.digests.send import week_of
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead
    from crm.users.models import User

    _week(app, world)
    keys = ("staff", "chief", "staff_a2", "staff_b", "leader", "reviewer")
    with in_app(app) as session:
        people = [session.get(User, world.users[key].id) for key in keys]
        actor_for = ActorBuilder([user.id for user in people])
        todo = [(user, actor_for(user)) for user in people]
        week = week_of(PERIOD)
        cache = DigestCache()
        read_ahead(todo, week, 21, cache)
        assert set(cache.personal) == {world.users[key].id for key in ("staff", "chief", "staff_a2", "staff_b")}  # staff and chiefs only
        for user, actor in todo[:4]:
            with scoped_as(session, actor):
                alone = personal_rows([user.id], week, 21)[user.id]
            assert cache.personal[user.id] == alone, user.username
        mine = cache.personal[world.users["staff"].id]
        assert mine.tasks and not any(SECRET in note for _due, note, _about in mine.tasks)
        assert not any(SECRET in name for _id, name, _last in mine.stale_leads)
        assert any(SECRET in note for _due, note, _about in cache.personal[world.users["staff_a2"].id].tasks)

        reach = {user.username: reach_of(actor, (FollowUp, Lead)) for user, actor in todo}
        staff, staff_a2 = world.users["staff"].username, world.users["staff_a2"].username
        assert reach[staff] != reach[staff_a2] and reach[staff] != reach[world.users["staff_b"].username]
        assert reach_of(SYSTEM, (FollowUp, Lead)) == ("SYSTEM",)


# --- queries per recipient -------------------------------------------------------------------------------------
def _count_queries(app: Any, users: list[Any]) -> int:
    from crm.digests.send import queue_digests
    from crm.reports.cache import STORE

    STORE.clear()  # every run from cold: the county's figures are read once per run, as on a Monday

    from crm.users.models import User

    with in_app(app) as session:
        users = list(session.scalars(sa.select(User).where(User.id.in_([u.id for u in users])).order_by(User.id)))
        with count_statements(db.engine) as statements:
            run = queue_digests(PERIOD, NOW, users=users, dry_run=True)
    assert run.empty + len(run.built) == len(users)
    return len(statements)


def _people(app: Any, w: Any, role: str, n: int, per_person: int) -> list[Any]:
    """``n`` users of ``role`` in one new unit of county A, each with ``per_person`` records to report."""
    from crm.assignments.models import ProjectLeader
    from crm.domain.access import Role
    from crm.domain.projects import MilestoneKind
    from crm.domain.units import UnitType
    from crm.followups.models import FollowUp
    from crm.progress.models import Milestone
    from crm.units.models import Unit
    from crm.users.models import User

    with in_app(app) as session:
        unit = Unit(name=f"计数分局{role}{n}{per_person}", type=UnitType.BRANCH, parent_id=w.units["bureau_a"].id)
        session.add(unit)
        session.flush()
        people = []
        for i in range(n):
            home = unit.id if role != "leader" else w.units["county_a"].id
            user = User(username=f"q{role}{n}{per_person}_{i}", display_name=f"计数{i}", role=Role(role), unit_id=home,
                        email=f"q{i}@lushan.example", password_hash="x")
            session.add(user)
            session.flush()
            for j in range(per_person):
                lead = new_lead(session, w, unit_id=unit.id, owner_id=user.id, name=f"计数线索{i}-{j}")
                session.add(FollowUp(unit_id=unit.id, assignee_id=user.id, lead_id=lead.id, due_on=date(2026, 11, 1 + j % 28), note=f"计数{j}"))
                if role == "leader":
                    project = new_project(session, w, unit_id=unit.id, name=f"计数项目{i}-{j}", is_key=True)
                    session.add_all([
                        ProjectLeader(project_id=project.id, leader_id=user.id, slot=1, entered_on=date(2026, 1, 1)),
                        Milestone(project_id=project.id, kind=MilestoneKind.LAND, planned_on=date(2026, 11, 1)),
                    ])
            people.append(user)
        session.commit()
        return people


@pytest.mark.parametrize(("role", "most"), [("staff", 3), ("chief", 8), ("leader", 12), ("reviewer", 1)])
def test_queries_per_recipient_are_a_small_constant(app, world, isolated, role: str, most: int) -> None:
    """Building N digests costs setup + N × c queries, with c the same for 2 and 6 recipients and for
    little or much data (what bench/digests.py measures at 10 000 users)."""
    small = _people(app, world, role, 6, 1)
    large = _people(app, world, role, 6, 8)
    two, three, six = (_count_queries(app, small[:k]) for k in (2, 3, 6))
    per_recipient = three - two
    assert six - two == 4 * per_recipient
    assert per_recipient <= most
    assert _count_queries(app, large[:6]) == six  # eight times the data, the same number of queries


# --- the done criterion ------------------------------------------------------------------------------------------
def test_demo_then_digests_send_delivers_one_digest_per_demo_user_once(tmp_path, monkeypatch, smtp_server) -> None:
    """`crm demo load` (with the scenario's 三个一, 工期, 问题台账 and this issue's loaders), then
    `crm digests send` against a local SMTP server: one digest per demo user, matching the role;
    the second run delivers nothing."""
    import importlib

    from click.testing import CliRunner

    from crm import create_app
    from crm.cli import main, system_session
    from crm.clock import local_today

    monkeypatch.setenv("CRM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path}/demo.db")
    monkeypatch.setenv("CRM_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("CRM_ARGON2_MEMORY_COST", "1024")
    for key, value in smtp_server.config.items():
        if value is not None:
            monkeypatch.setenv(key, "1" if value is True else str(value))
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, ["demo", "load"]).exit_code == 0
    demo_app = create_app()
    with demo_app.app_context(), system_session("演示数据"):
        from crm.demo.services import LoadReport

        report, today = LoadReport(), local_today()
        for name in ("assignments", "progress", "issues", "submissions", "notifications"):  # until the lead wires them in
            getattr(importlib.import_module(f"crm.demo.{name}"), f"load_{name}")(report, today)
    result = runner.invoke(main, ["digests", "send"])
    assert result.exit_code == 0, result.output
    assert "outbox: sent 11" in result.output
    received = {m["To"]: m for m in smtp_server.handler.messages}
    assert len(received) == len(smtp_server.handler.messages) == 11
    body = {to.split("@")[0]: m.get_body(("plain",)).get_content() for to, m in received.items()}
    assert "【本周待跟进】" in body["staff1"] or "【我的逾期跟进】" in body["staff1"]
    assert "【单位排名】" in body["chief1"] and "【本单位逾期事项】" in body["chief1"]
    assert "【我分包的三个一项目】" in body["leader"] and "鲁山县石材建材工业城" in body["leader"]
    assert "【我分包的三个一项目】" in body["exec.deputy"] and "海亮" in body["exec.deputy"]
    assert "【待审核事项】" in body["reviewer"] and "【我分包的三个一项目】" not in body["reviewer"]
    assert "第二招商分局" not in body["staff1"] and "荣格集团项目" in body["staff2"] and "海威" not in body["staff2"]
    again = runner.invoke(main, ["digests", "send"])
    assert again.exit_code == 0 and "outbox: sent 0" in again.output and "11 already queued" in again.output
    assert len(smtp_server.handler.messages) == 11
    dry = runner.invoke(main, ["digests", "send", "--period", "2026-W99"])
    assert dry.exit_code != 0 and "2026 has no week 99" in dry.output
