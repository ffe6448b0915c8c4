"""The dashboard: figures by the 统计口径, computed in SQL under the actor's scope, each linking to its records.

The scenario (``scene``), period 2026-04, county A (leader's subtree):
- 纺织城 (branch_a1): 签约 2026-03, 5 亿, key, 计划开工 2026-01-01 (late → red), funds 5 000 万 省外 in 03;
- 药业 (branch_a1): 签约 2025-03, 开工 2026-04, 3 亿, funds 2 000 万 (2025-04) and 3 000 万 省内 (2026-04);
- 地产 (K 房地产) and 本地扩建 (县内 money) signed 2026-04: not recognised; 小项目 (8 000 万) below 1 亿;
- 增资 (project 10 亿, the event's added 2 亿) signed 2026-04: counts 2 亿;
- 二次签约: signed 2025-06, signed again 2026-04: counted once, in 2025-06;
- 待审核: a 签约 report still pending;
- 乙分局纺织 (branch_a2): signed 2026-04, 6 亿, funds 4 000 万 省外;
- 乙县大项目 (county B): signed 2026-04, 90 亿 — never in county A's figures.
So county A's 1–4月 signings are 纺织城 + 增资 + 乙分局纺织 = 3, 13 亿; funds 1.2 亿 (其中省外 0.9 亿).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from crm.domain.pipeline import Stage
from tests.factories import new_issue
from tests.helpers import count_statements
from tests.world_parts.reports import add_project

S = Stage


def scene(session: Any, world: Any) -> dict[str, Any]:
    p = {}
    p["纺织城"] = add_project(session, world, "甲县纺织城", events=[(S.SIGNED, "2026-03")], total="50000", contracted="40000",
                           is_key=True, planned_start=date(2026, 1, 1), leader="leader", foreign="800",
                           funds=[("2026-03", "5000", "other_province")])
    p["药业"] = add_project(session, world, "甲县药业", events=[(S.SIGNED, "2025-03"), (S.STARTED, "2026-04")], total="30000",
                          source="in_province", funds=[("2025-04", "2000", "in_province"), ("2026-04", "3000", "in_province")])
    p["地产"] = add_project(session, world, "甲县地产", events=[(S.SIGNED, "2026-04")], total="200000", category="K")
    p["本地"] = add_project(session, world, "甲县本地扩建", events=[(S.SIGNED, "2026-04")], total="200000", source="in_county",
                          funds=[("2026-04", "7000", "in_county")])
    p["小项目"] = add_project(session, world, "甲县小项目", events=[(S.SIGNED, "2026-04")], total="8000")
    p["增资"] = add_project(session, world, "甲县增资", events=[(S.SIGNED, "2026-04")], total="100000", event_total="20000",
                          nature="capital_increase")
    p["二次"] = add_project(session, world, "甲县二次签约", events=[(S.SIGNED, "2025-06"), (S.TERMINATED, "2025-09"),
                                                           (S.TALKS, "2025-12"), (S.SIGNED, "2026-04")], total="40000")
    p["待审"] = add_project(session, world, "甲县待审核", pending=[(S.SIGNED, "2026-04")], total="40000")
    p["乙分局"] = add_project(session, world, "乙分局纺织", unit="branch_a2", owner="staff_a2", events=[(S.SIGNED, "2026-04")],
                           total="60000", funds=[("2026-04", "4000", "other_province")])
    p["乙县"] = add_project(session, world, "乙县大项目", unit="branch_b1", owner="staff_b", events=[(S.SIGNED, "2026-04")],
                          total="900000", funds=[("2026-04", "9999", "other_province")])
    session.commit()
    return p


def dashboard(client: Any, period: str = "2026-04") -> str:
    response = client.get(f"/dashboard?period={period}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start: page.index("</table>", start) if "<table" in page[start - 200: start + 50] else start + 3000]


def stage_row(page: str, stage: str) -> str:
    table = page[page.index('data-testid="flow-table"'):]
    start = table.index(f'data-stage="{stage}"')
    return table[start: table.index("</tr>", start)]


def cells(html: str) -> list[str]:
    import re

    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)]


def test_leader_sees_the_counted_figures_of_the_subtree(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    page = dashboard(client)
    signed = cells(stage_row(page, "signed"))
    # 本月: 增资 (2 亿) + 乙分局纺织 (6 亿); 1–4月: + 纺织城 (5 亿); last year's 1–4月: 药业 (3 亿).
    assert signed[1:9] == ["2", "80,000.00", "3", "130,000.00", "120,000.00", "1", "30,000.00", "333.33%"]
    started = cells(stage_row(page, "started"))
    assert started[3:5] == ["1", "30,000.00"]
    funds = page[page.index('data-testid="funds-table"'):]
    assert "12,000.00" in funds[:funds.index("</tr>", funds.index("到位资金"))]  # 5 000 + 3 000 + 4 000
    assert "9,000.00" in funds and "2,000.00" in funds  # 其中省外; last year
    assert "500.00%" in funds  # 同比 (12 000 − 2 000) ÷ 2 000
    assert "乙县大项目" not in page and "900,000" not in page
    # 签约金额 against county A's target of 100 000 万元: 130 %; 序时进度 4 ÷ 12.
    targets = page[page.index('data-testid="targets-table"'):]
    line = targets[targets.index('data-indicator="signed_amount"'):]
    assert cells(line[: line.index("</tr>")])[1:6] == ["100,000.00", "130,000.00", "130.00%", "33.33%", "+96.67"]


def test_figures_link_to_the_same_records(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    page = dashboard(client)
    assert "/projects/?event=signed&amp;start=2026-01&amp;end=2026-04" in page
    listing = client.get("/projects/?event=signed&start=2026-01&end=2026-04").get_data(as_text=True)
    for name in ("甲县纺织城", "甲县增资", "乙分局纺织"):
        assert name in listing
    for name in ("甲县地产", "甲县本地扩建", "甲县小项目", "甲县二次签约", "甲县待审核", "乙县大项目", "甲县药业"):
        assert name not in listing
    assert "按统计数据筛选" in listing and "2026-01 — 2026-04 签约（统计口径）" in listing
    assert "甲县二次签约" in client.get("/projects/?event=signed&start=2025-06&end=2025-06").get_data(as_text=True)
    funds = client.get("/reports/funds?start=2026-01&end=2026-04").get_data(as_text=True)
    assert "合计 12,000.00 万元" in funds and "甲县本地扩建" not in funds
    assert "合计 9,000.00 万元" in client.get("/reports/funds?start=2026-01&end=2026-04&source=other_province").get_data(as_text=True)
    # 亿元以上 and the funding-source breakdown have their lists too.
    yi = client.get("/projects/?yi=10").get_data(as_text=True)  # 10亿元以上
    assert "甲县地产" in yi and "甲县药业" not in yi
    assert "甲县药业" in client.get("/projects/?source=in_province").get_data(as_text=True)


def test_funnel_bars_link_to_the_stage_lists(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    page = dashboard(client)
    funnel = page[page.index('data-testid="funnel"'):page.index("</svg>", page.index('data-testid="funnel"'))]
    assert '<a href="/projects/?stage=signed" data-key="signed"' in funnel
    assert "<script" not in funnel and "http://" not in funnel.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_chiefs_dashboard_has_only_the_unit(auth, client, session, world):
    from crm.assignments.models import TeamMember

    projects = scene(session, world)
    # staff serves on branch_a2's project team: the project is visible to them, but not on their unit's dashboard
    session.add(TeamMember(project_id=projects["乙分局"].id, user_id=world.users["staff"].id, entered_on=date(2026, 1, 1)))
    session.commit()
    for who in ("chief", "staff"):
        auth.login_as(who)
        page = dashboard(client)
        assert "甲县第一招商分局" in page[page.index('data-testid="dashboard-unit"'):][:200]
        assert cells(stage_row(page, "signed"))[3:5] == ["2", "70,000.00"]  # 纺织城 + 增资
        assert "乙分局纺织" not in page and "乙县大项目" not in page
        assert "100,000.00" not in page[page.index('data-testid="targets-table"'):page.index("</table>", page.index('data-testid="targets-table"'))]
    # the unit's own target (签约金额 20 000 万元) is what a chief is measured against
    assert "20,000.00" in page[page.index('data-testid="targets-table"'):]
    assert "乙分局纺织" in client.get("/projects/").get_data(as_text=True)


def test_another_county_counts_by_its_own_settings(auth, client, session, world):
    scene(session, world)
    add_project(session, world, "乙县小项目", unit="branch_b1", owner="staff_b", events=[(S.SIGNED, "2026-04")], total="50")
    session.commit()
    auth.login_as("admin_b")
    page = dashboard(client)
    assert cells(stage_row(page, "signed"))[3:5] == ["2", "900,050.00"]  # county B's threshold is 1 万元
    assert "甲县纺织城" not in page
    auth.login_as("leader")
    assert cells(stage_row(dashboard(client), "signed"))[3] == "3"  # county A keeps 1 亿


def test_zone_figure_and_its_time_progress(auth, client, session, world):
    auth.login_as("leader")
    page = dashboard(client, "2026-11")
    targets = page[page.index('data-testid="targets-table"'):]
    line = targets[targets.index('data-indicator="fixed_asset_investment"'):]
    values = cells(line[: line.index("</tr>")])
    # typed for 1–10月: 150 000 of 600 000 = 25 %, against 10 ÷ 12 = 83.33 %
    assert values[1:6] == ["600,000.00", "150,000.00", "25.00%", "83.33%", "-58.33"]
    assert "截至 2026-10" in values[0]
    assert "777,777" not in page  # county B's


def test_key_projects_flags_and_overdue_lists(auth, client, session, world):
    from crm.domain.issues import IssueLevel, IssueSource
    from crm.domain.projects import MilestoneKind
    from crm.progress.models import Milestone

    projects = scene(session, world)
    shadow = add_project(session, world, "甲县影子项目", events=[(S.SIGNED, "2025-01")], total="30000")
    built = add_project(session, world, "甲县空巢项目", events=[(S.SIGNED, "2025-01"), (S.STARTED, "2025-03")], total="30000")
    session.add(Milestone(project_id=built.id, kind=MilestoneKind.TOPPING_OUT, planned_on=date(2025, 6, 1), actual_on=date(2025, 6, 1)))
    session.add(Milestone(project_id=projects["纺织城"].id, kind=MilestoneKind.LAND, planned_on=date(2026, 2, 1)))
    new_issue(session, unit_id=world.units["branch_a1"].id, number="WT2026-900", project_id=projects["纺织城"].id, description="供地慢",
              source=IssueSource.DISPATCH_MEETING, raised_on=date(2026, 1, 5), responsible_unit_id=world.units["county_a"].id,
              responsible_person="王主任", deadline=date(2026, 2, 1), level=IssueLevel.JOINT_MEETING)
    session.commit()
    auth.login_as("leader")
    page = dashboard(client)
    key = page[page.index('data-testid="key-table"'):]
    first_row = key[key.index("<tbody>"):key.index("</tr>", key.index("<tbody>"))]
    assert "甲县纺织城" in first_row and 'data-rag="red"' in first_row and "leader_a姓名" in first_row
    assert "计划开工日期已过仍未开工" in first_row
    for flag, name in (("shadow", "甲县影子项目"), ("empty_nest", "甲县空巢项目"), ("late_start", "甲县纺织城")):
        card = page[page.index(f'data-flag="{flag}"'):]
        assert name in card[: card.index("</ul>")]
        assert name in client.get(f"/projects/?flag={flag}").get_data(as_text=True)
    assert "甲县影子项目" not in client.get("/projects/?flag=empty_nest").get_data(as_text=True)
    assert "WT2026-900" in page and "供地摘牌" in page
    assert "甲县纺织城" in client.get("/reports/milestones").get_data(as_text=True)
    assert shadow.id and built.id


def test_the_number_of_queries_does_not_grow_with_the_projects(app, auth, client, session, world):
    from crm.domain.issues import IssueSource
    from crm.domain.projects import MilestoneKind
    from crm.progress.models import Milestone

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            project = add_project(
                session, world, f"批量项目{i}", unit="branch_a1" if i % 2 else "branch_a2", owner="staff" if i % 2 else "staff_a2",
                events=[(S.SIGNED, "2026-02"), (S.STARTED, "2026-04")], total=str(20000 + i), is_key=True, leader="leader",
                planned_start=date(2026, 1, 1), funds=[("2026-04", "100", "other_province")], chain=world.records["chain"],
            )
            session.add(Milestone(project_id=project.id, kind=MilestoneKind.LAND, planned_on=date(2026, 3, 1)))
            new_issue(session, unit_id=project.unit_id, project_id=project.id, description="问题", source=IssueSource.DISPATCH_MEETING,
                      raised_on=date(2026, 1, 5), responsible_person="王", deadline=date(2026, 2, 1))
        session.commit()

    from crm.reports.cache import STORE

    auth.login_as("leader")
    add(3, 0)
    dashboard(client)  # warm up
    with count_statements(app) as statements:
        STORE.clear()  # every figure computed, not read from the cache
        page = dashboard(client)
    with_three = len(statements)
    assert "批量项目2" in page
    add(27, 3)
    with count_statements(app) as statements:
        STORE.clear()
        page = dashboard(client)
    with_thirty = len(statements)
    assert "批量项目29" in page
    assert with_three == with_thirty, (with_three, with_thirty)
    assert with_thirty < 60


@pytest.mark.parametrize("threshold,industrial", [(None, None), ("5000", None), ("10000", "5000")])
def test_sql_counting_agrees_with_the_domain_rule(app, session, world, threshold, industrial):
    """``counted_events`` (SQL) selects exactly what ``CountingRules.counts`` and ``first_events`` say."""
    from crm.access.scoping import SYSTEM, scoped_as
    from crm.domain.projects import ReviewStatus
    from crm.domain.reports import CountingRules, EventFact, counted_amount, first_events
    from crm.extensions import db
    from crm.projects.models import Project, StageEvent
    from crm.reports.counting import counted_events

    scene(session, world)
    rules = CountingRules.from_json({k: v for k, v in {"threshold": threshold, "industrial_threshold": industrial}.items() if v})
    with app.app_context():
        with scoped_as(db.session, SYSTEM):
            from crm.access.reach import UnitSet

            units = UnitSet(frozenset(u.id for u in world.units.values()))
            sql = {r.event_id for r in db.session.execute(counted_events(rules, units))}
            rows = db.session.execute(
                sa.select(StageEvent, Project).join(Project, Project.id == StageEvent.project_id)
                .where(StageEvent.review_status == ReviewStatus.APPROVED)
            ).all()
    firsts = first_events(EventFact(e.id, e.project_id, e.to_stage, e.period) for e, _p in rows)
    expected = {
        e.id for e, p in rows
        if e.id in firsts and rules.counts(p.industry_category, p.funding_source, counted_amount(p.nature, e.total_investment, p.total_investment))
    }
    assert sql == expected and sql


def test_export_of_the_dashboard(auth, client, session, world):
    from io import BytesIO

    from openpyxl import load_workbook

    scene(session, world)
    auth.login_as("leader")
    book = load_workbook(BytesIO(client.get("/reports/dashboard.xlsx?period=2026-04").data))
    assert {"年度目标", "在库项目", "分单位", "分包领导", "三个一项目"} <= set(book.sheetnames)
    units = list(book["分单位"].iter_rows(values_only=True))
    assert "总投资（万元，不含中止）" in units[0] and units[-1][0] == "合计"
    assert all("乙县" not in str(r[0]) for r in units)


def test_a_breakdown_shows_its_largest_rows_and_links_to_all_of_them(auth, client, session, world, monkeypatch):
    """A city has hundreds of units: the dashboard lists the dimension's largest rows, its own page all of them."""
    from crm.reports import figures

    scene(session, world)
    auth.login_as("leader")
    monkeypatch.setattr(figures, "BREAKDOWN_TOP", 1)
    page = dashboard(client)
    units = page[page.index('data-breakdown="unit"'):]
    units = units[: units.index("</details>")]
    assert "甲县第一招商分局" in units and "甲县第二招商分局" not in units  # 8 projects against 1
    assert 'data-testid="breakdown-all-unit"' in units and "查看全部 2 项" in units
    full = client.get("/reports/breakdown/unit").get_data(as_text=True)
    assert "甲县第一招商分局" in full and "甲县第二招商分局" in full and "乙县第一招商分局" not in full
    assert "/projects/?unit=" in full
