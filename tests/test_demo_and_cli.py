"""The demo scenario and the `crm` command group."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from crm.access.scoping import SYSTEM, set_scope
from crm.cli import main
from crm.companies.models import DuplicateGroup
from crm.demo.agreements import AGREEMENTS
from crm.demo.companies import CHAINS, COMPANIES, DUPLICATES
from crm.demo.leads import FOLLOW_UPS, LEADS
from crm.demo.projects import PROJECTS
from crm.demo.scenario import ACCOUNTS, DEMO_PASSWORD, UNITS
from crm.clock import local_today
from crm.demo.ratings import demo_periods
from crm.demo.services import load_demo
from crm.domain.access import Role
from crm.extensions import db
from crm.units.models import Unit
from crm.users.models import User


def test_demo_scenario(app, session):
    # The app context's session shares the test's connection (see conftest.isolated).
    with app.app_context():
        set_scope(db.session, SYSTEM)
        report = load_demo()
        db.session.commit()
        again = load_demo()
        db.session.commit()
        rated_months = len(demo_periods(local_today()))
    created = dict(report.created)
    # What the alert job finds overdue depends on the day's calendar; that it finds something is the point.
    assert created.pop("notifications") > 0
    assert created == {
        "units": len(UNITS),
        "users": len(ACCOUNTS),
        "chains": len(CHAINS),
        "companies": len(COMPANIES) + len(DUPLICATES),
        "duplicate groups": len(DUPLICATES),
        "leads": len(LEADS),
        "follow-ups": len(FOLLOW_UPS),
        "agreements": len(AGREEMENTS),
        "visits": 1,
        "projects": len(PROJECTS),
        "key projects": 10,
        "project leaders": 10,
        "team members": 16,
        "milestones": 84,
        "progress reports": 16,
        "fund arrivals": 16,
        "issues": 5,
        "submissions": 2,
        "targets": 23,
        "zone metrics": 12,
        "published reports": 2,
        "rating criteria": 4,  # 服务单位评议: 3 raters × 5 服务单位 × each month rated
        "service ratings": 3 * 5 * rated_months,
        "company requests": 4,  # 安商: 用电、融资担保、人才引进、招工培训, one at each step
        "protected companies": 2,
        "quiet day settings": 1,
        "admission reviews": 1,  # 准入评审: 荣格集团项目's 会审, 有条件通过
        "approval kind lists": 1,
        "approval procedures": 12,
        "zones": 1,  # 园区: 鲁山县产业集聚区 (DOMAIN §d)
        "zone land lines": 2,
        "zone buildings": 3,
        "email addresses": len(ACCOUNTS),
    }
    assert again.nothing_new
    # Each planted duplicate waits in the review queue beside its original.
    groups = session.scalars(sa.select(DuplicateGroup)).all()
    pairs = {frozenset(m.company.name for m in g.members) for g in groups}
    assert frozenset({"海威纺织有限公司", "东莞市海伟纺织有限公司"}) in pairs
    assert frozenset({"平顶山方圆碳素有限公司", "方圆碳素（平顶山）有限公司"}) in pairs
    assert frozenset({"河南靖焜丝绸有限公司", "靖焜丝绸有限公司"}) in pairs
    # Dates are anchored to the load day: staff1 always has something overdue, due today and this week.
    from crm.followups.queries import my_todo

    with app.app_context():
        set_scope(db.session, SYSTEM)
        staff1 = session.scalars(sa.select(User).where(User.username == "staff1")).one()
        todo = my_todo(staff1.id, local_today())
        assert todo.overdue and todo.today
        assert todo.this_week or local_today().weekday() == 6  # on a Sunday the week has no days left
    county = session.scalars(sa.select(Unit).where(Unit.name == "鲁山县")).one()
    branches = session.scalars(sa.select(Unit).where(Unit.name.like("第%招商分局"))).all()
    assert len(branches) == 9
    assert all(b.parent.parent_id == county.id for b in branches)
    leader = session.scalars(sa.select(User).where(User.username == "leader")).one()
    assert leader.role is Role.LEADER and leader.title.value == "county_head" and leader.unit_id == county.id
    chief = session.scalars(sa.select(User).where(User.username == "chief1")).one()
    assert chief.unit.name == "第一招商分局"


def test_cli_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "users", "run"):
        assert command in result.output


def _cli_env(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CRM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("CRM_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("CRM_ARGON2_MEMORY_COST", "1024")


def test_cli_end_to_end(tmp_path, monkeypatch):
    _cli_env(tmp_path, monkeypatch)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(main, ["demo", "load", "--if-empty"])
    assert result.exit_code == 0 and "demo scenario loaded" in result.output
    assert "admin" in result.output and DEMO_PASSWORD in result.output
    result = runner.invoke(main, ["demo", "load"])
    assert "nothing changed" in result.output
    result = runner.invoke(main, ["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
    result = runner.invoke(
        main,
        ["users", "create", "--username", "zhangsan", "--name", "张三", "--role", "staff", "--unit", "第一招商分局", "--password", "Zhang-san2025"],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main,
        ["users", "create", "--username", "zhangsan", "--name", "张三", "--role", "staff", "--unit", "第一招商分局", "--password", "Zhang-san2025"],
    )
    assert result.exit_code != 0 and "该用户名已被使用" in result.output
    result = runner.invoke(main, ["users", "create", "--username", "x1", "--name", "X", "--role", "staff", "--unit", "没有这个单位", "--password", "Zhang-san2025"])
    assert result.exit_code != 0 and "no unit named" in result.output
    assert runner.invoke(main, ["db", "check"]).exit_code == 0


def test_first_admin_on_an_empty_database(tmp_path, monkeypatch):
    _cli_env(tmp_path, monkeypatch)
    runner = CliRunner()
    runner.invoke(main, ["db", "upgrade"])
    result = runner.invoke(
        main, ["users", "create", "--username", "root", "--name", "管理员", "--role", "admin", "--unit", "某某县", "--password", "Admin-2025x"]
    )
    assert result.exit_code == 0, result.output
    assert "某某县" in result.output
