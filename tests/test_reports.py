"""招商引资月报 (frozen when published, print view, .xlsx), 月评比 and 季奖惩, 三率, settings, the demo's reports."""

from __future__ import annotations

from datetime import date, datetime, timezone
from io import BytesIO
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm.domain.pipeline import Stage
from crm.reports.models import ReportSnapshot
from tests.test_dashboard import cells, scene
from tests.world_parts.reports import add_project

S = Stage


def text(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def monthly_row(page: str, stage: str) -> list[str]:
    table = page[page.index('data-testid="monthly-stages"'):]
    start = table.index(f'data-stage="{stage}"')
    return cells(table[start: table.index("</tr>", start)])


# --- 月报 ---------------------------------------------------------------------------------------
def test_publishing_freezes_the_month_and_shows_live_changes(auth, client, session, world):
    projects = scene(session, world)
    auth.login_as("reviewer")
    page = text(client, "/reports/monthly?period=2026-04")
    assert 'data-testid="live"' in page and monthly_row(page, "signed")[4:6] == ["3", "130,000.00"]
    response = client.post("/reports/monthly/publish", data={"period": "2026-04"})
    assert response.status_code == 302
    snapshot = session.scalars(sa.select(ReportSnapshot).where(ReportSnapshot.kind == "monthly_report", ReportSnapshot.period == "2026-04")).one()
    assert snapshot.unit_id == world.units["county_a"].id and snapshot.published_by_id == world.users["reviewer"].id
    assert snapshot.data["figures"]["signed.cum_total"] == "130000.00"

    # A late approval changes the live figures, never the published ones.
    add_project(session, world, "甲县迟到签约", events=[(S.SIGNED, "2026-04")], total="70000")
    projects["纺织城"].name = "甲县纺织城（改名）"
    session.commit()
    page = text(client, "/reports/monthly?period=2026-04")
    assert 'data-testid="frozen"' in page
    signed = monthly_row(page, "signed")
    assert signed[4].startswith("3") and "现 4（+1）" in signed[4]
    assert signed[5].startswith("130,000.00") and "现 200,000.00（+70000.00）" in signed[5]
    # publishing again is refused; the frozen data stay
    again = client.post("/reports/monthly/publish", data={"period": "2026-04"})
    assert again.status_code == 400 and "已发布" in again.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(ReportSnapshot).where(ReportSnapshot.period == "2026-04")) == 1
    # the print view shows the frozen figure only
    printed = text(client, "/reports/monthly/print?period=2026-04")
    assert "@media print" in printed and "live-diff" in printed
    assert monthly_row(printed, "signed")[4].startswith("3")


def test_a_month_not_begun_cannot_be_published(auth, client, world):
    auth.login_as("admin")
    response = client.post("/reports/monthly/publish", data={"period": "2099-01"})
    assert response.status_code == 400 and "尚未开始" in response.get_data(as_text=True)
    assert client.post("/reports/monthly/publish", data={"period": "2026-13"}).status_code == 400


def test_leaders_read_but_do_not_publish(auth, client, session, world):
    auth.login_as("leader")
    page = text(client, "/reports/monthly?period=2026-04")
    assert 'data-testid="publish"' not in page
    assert client.post("/reports/monthly/publish", data={"period": "2026-04"}).status_code == 403


def test_another_countys_published_report_is_not_shown(auth, client, world):
    auth.login_as("leader")
    page = text(client, "/reports/monthly?period=2026-09")
    assert 'data-testid="frozen"' not in page and "乙县" not in page


def test_the_print_view_has_the_domain_layout(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    page = text(client, "/reports/monthly/print?period=2026-04")
    assert "甲县招商引资月报" in page and "2026年1–4月" in page
    for heading in ("一、项目推进情况", "二、到位资金与外资", "三、年度目标完成情况", "其中：省外资金", "外资（万美元）",
                    "完成年度目标%", "超（欠）进度", "同比", "@page { size: A4 landscape"):
        assert heading in page
    assert "<nav" not in page  # no app navigation on paper
    assert monthly_row(page, "started")[4:6] == ["1", "30,000.00"]
    # The tab has the app's icon, and the page a 打印 button (a script file: the CSP refuses inline handlers).
    assert 'rel="icon"' in page and "data-print" in page and "/static/print.js" in page and "onclick" not in page
    monthly = text(client, "/reports/monthly?period=2026-04")
    link = monthly[monthly.index('data-testid="print-link"'):]
    assert "<svg" in link[: link.index("</a>")]


def test_monthly_xlsx(auth, client, session, world):
    scene(session, world)
    add_project(session, world, "=HYPERLINK(\"http://x\")", events=[(S.SIGNED, "2026-04")], total="20000")
    session.commit()
    auth.login_as("leader")
    response = client.get("/reports/monthly.xlsx?period=2026-04")
    assert response.headers["Content-Disposition"].endswith("%E6%9C%88%E6%8A%A5-2026-04.xlsx")
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["项目推进", "到位资金", "年度目标", "分单位"]
    stages = list(book["项目推进"].iter_rows(values_only=True))
    assert stages[0][0].startswith("甲县招商引资月报（2026年1–4月）")
    header = stages[2]
    assert "本月总投资（万元）" in header and "1–4月合同引资额（万元）" in header
    signed = next(r for r in stages if r[0] == "签约")
    assert signed[4] == 4 and signed[5] == 150000  # 纺织城, 增资, 乙分局纺织 and the formula-named project
    units = list(book["分单位"].iter_rows(values_only=True))
    assert units[-1][0] == "合计" and units[-1][2] == 150000
    funds = list(book["到位资金"].iter_rows(values_only=True))
    assert next(r for r in funds if r[0] == "其中：省外资金")[2] == 9000
    # a name that a spreadsheet would run as a formula is text
    from crm.reports.exports import Sheet, build_book
    from crm.web.xlsx import Column

    raw = load_workbook(BytesIO(build_book([Sheet("x", [Column("项目")], [["=HYPERLINK(\"http://x\")"], ["+1"], ["@SUM(A1)"]])])))
    values = [r[0] for r in raw.active.iter_rows(values_only=True)]
    assert values[1:] == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)"]


def test_a_unit_monthly_report_is_its_own(auth, client, session, world):
    scene(session, world)
    auth.login_as("chief")
    page = text(client, "/reports/monthly?period=2026-04")
    assert monthly_row(page, "signed")[4:6] == ["2", "70,000.00"]
    assert "乙分局纺织" not in page and 'data-testid="publish"' not in page


# --- 月评比 -------------------------------------------------------------------------------------
def ranking_rows(page: str) -> list[tuple[str, str, str]]:
    import re

    table = page[page.index('data-testid="ranking-table"'): page.index("</table>", page.index('data-testid="ranking-table"'))]
    found = []
    for tr in re.findall(r"<tr data-unit=.*?</tr>", table, re.S):
        values = cells(tr)
        found.append((values[0], values[1], values[2]))
    return found


def test_ranking_explains_every_point(auth, client, session, world):
    from crm.domain.issues import IssueCategory, IssueLevel, IssueSource
    from crm.issues.models import Issue
    from crm.submissions.models import Submission

    scene(session, world)
    a1, a2 = world.units["branch_a1"].id, world.units["branch_a2"].id
    # branch_a2: two late 报送 in April (one late, one never sent) and an overdue issue → loses 1 + 1 points
    session.add_all([
        Submission(unit_id=a2, report_type="half_monthly", period="2026-04-1", due_on=date(2026, 4, 17),
                   submitted_at=datetime(2026, 4, 20, 2, 0, tzinfo=timezone.utc)),
        Submission(unit_id=a2, report_type="half_monthly", period="2026-04-2", due_on=date(2026, 4, 30)),
        Submission(unit_id=a1, report_type="half_monthly", period="2026-04-1", due_on=date(2026, 4, 17),
                   submitted_at=datetime(2026, 4, 16, 2, 0, tzinfo=timezone.utc)),
        Issue(number="WT2026-901", description="用电", category=IssueCategory.UTILITIES, source=IssueSource.COMPANY,
              raised_on=date(2026, 3, 1), responsible_unit_id=a2, responsible_person="李", deadline=date(2026, 4, 10),
              level=IssueLevel.ZONE, unit_id=a2),
    ])
    session.commit()
    auth.login_as("leader")
    page = text(client, "/reports/ranking?period=2026-04")
    rows = ranking_rows(page)
    names = [name for _rank, name, _total in rows]
    assert set(names) == {"甲县第一招商分局", "甲县第二招商分局"}  # branches of the leader's subtree only
    detail = page[page.index('id="unit-%d"' % a2):]
    detail = detail[: detail.index("</section>")]
    assert "本月报表迟报或未报 2 次，扣 1.00 分" in detail
    assert "本月逾期未办结问题 1 个，扣 1.00 分" in detail
    assert "主要失分" in page
    # branch_a1 has a 签约金额 target of 20 000 万元: 序时目标 20 000 × 4 ÷ 12
    own = page[page.index('id="unit-%d"' % a1):]
    assert "序时目标 6,666.67 万元" in own[: own.index("</section>")]
    method = text(client, "/reports/ranking?period=2026-04&method=efficacy")
    assert "功效系数法：" in method


def test_ranking_bonus_for_a_big_project_of_a_top_company(auth, client, session, world):
    from crm.companies.models import CompanyTagRow
    from crm.domain.companies import CompanyTag

    session.add(CompanyTagRow(company_id=world.records["other_company"], tag=CompanyTag.GLOBAL_500))
    add_project(session, world, "甲县世界500强项目", events=[(S.SIGNED, "2026-04")], total="150000", company=world.records["other_company"])
    session.commit()
    auth.login_as("reviewer")
    page = text(client, "/reports/ranking?period=2026-04")
    a1 = page[page.index('id="unit-%d"' % world.units["branch_a1"].id):]
    a1 = a1[: a1.index("</section>")]
    assert "加分：500强/央企/龙头亿元以上项目" in a1 and "加分：10亿元以上项目" in a1
    assert a1.count("甲县世界500强项目") == 2


def test_published_ranking_is_frozen_and_a_chief_sees_only_their_line(auth, client, session, world):
    scene(session, world)
    auth.login_as("reviewer")
    assert client.post("/reports/ranking/publish", data={"period": "2026-04"}).status_code == 302
    frozen = text(client, "/reports/ranking?period=2026-04")
    assert 'data-testid="frozen"' in frozen
    auth.login_as("chief")
    own = text(client, "/reports/ranking")
    assert "2026-04：第" in own and "共 2 个单位" in own
    assert "甲县第二招商分局" not in own
    assert client.get("/reports/ranking.xlsx?period=2026-04").status_code == 403


def test_quarter_view(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    page = text(client, "/reports/ranking/quarter?year=2026&quarter=2")
    assert "通报表扬" in page and "2026-04" in page and "2026-06" in page
    book = load_workbook(BytesIO(client.get("/reports/ranking/quarter.xlsx?year=2026&quarter=2").data))
    rows = list(book["季度评比"].iter_rows(values_only=True))
    assert rows[2][:2] == ("名次", "单位") and "季度平均分" in rows[2]
    assert client.get("/reports/ranking/quarter?year=2026&quarter=9").status_code == 404


def test_quarter_export_names_the_units_and_projects_behind_on_their_milestones(app, auth, client, session, world):
    from crm.clock import local_today
    from crm.domain.kpi import first_day, period_of, quarter_of, quarter_periods, shift_period
    from crm.domain.projects import MilestoneKind
    from crm.progress.models import Milestone

    with app.app_context():
        last_quarter = shift_period(period_of(local_today()), -3)
    year, q = int(last_quarter[:4]), quarter_of(last_quarter)
    due = first_day(quarter_periods(year, q)[0])
    late = add_project(session, world, "甲县节点滞后项目", events=[(S.SIGNED, "2026-01")])
    session.add_all([Milestone(project_id=late.id, kind=kind, planned_on=due, responsible_unit_id=world.units["county_a"].id)
                     for kind in (MilestoneKind.LAND, MilestoneKind.REGISTRATION)])
    session.commit()
    auth.login_as("leader")
    book = load_workbook(BytesIO(client.get(f"/reports/ranking/quarter.xlsx?year={year}&quarter={q}").data))
    units = list(book["节点逾期单位"].iter_rows(values_only=True))
    assert units == [("责任单位", "逾期节点（个）"), (world.units["county_a"].name, 2), ("合计", 2)]
    projects = list(book["推进缓慢项目"].iter_rows(values_only=True))
    assert projects[1] == ("甲县节点滞后项目", world.units["branch_a1"].name, 2)


def test_ranking_export(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    rows = list(load_workbook(BytesIO(client.get("/reports/ranking.xlsx?period=2026-04").data)).active.iter_rows(values_only=True))
    assert rows[2][:3] == ("名次", "单位", "总分") and "得分说明" in rows[2]
    assert {r[1] for r in rows[3:]} == {"甲县第一招商分局", "甲县第二招商分局"}


# --- 三率 ---------------------------------------------------------------------------------------
def test_cohort_rates(auth, client, session, world):
    scene(session, world)
    add_project(session, world, "甲县暂缓项目", events=[(S.SIGNED, "2026-02"), (S.STARTED, "2026-03"), (S.PAUSED, "2026-04")],
                stage=S.PAUSED, paused_from=S.STARTED, total="20000", funds=[("2026-04", "1000", "other_province")])
    session.commit()
    auth.login_as("leader")
    page = text(client, "/reports/cohorts")
    table = page[page.index('data-testid="cohort-years"'):]
    line = table[table.index('data-cohort="2026"'):]
    values = cells(line[: line.index("</tr>")])
    # 2026 cohort: 纺织城 (签约), 增资 (签约), 乙分局纺织 (签约), 暂缓 (paused after starting)
    assert values[:6] == ["2026", "4", "3", "1", "0", "1"]
    assert values[6:8] == ["10,000.00", "140,000.00"]  # 5 000 + 4 000 + 1 000 arrived; 4 + 2 + 6 + 2 亿 contracted
    assert values[8:] == ["75.00%", "25.00%", "7.14%", "0.00%", "25.00%"]
    listing = text(client, "/projects/?event=signed&start=2026-01&end=2026-12&phase=active")
    assert "甲县纺织城" in listing and "甲县暂缓项目" not in listing
    assert "甲县暂缓项目" in text(client, "/projects/?event=signed&start=2026-01&end=2026-12&phase=started")
    book = load_workbook(BytesIO(client.get("/reports/cohorts.xlsx").data))
    assert book.sheetnames == ["按签约年度", "按签约活动", "按单位", "按分包县级领导"]


def test_cohort_by_signing_event(auth, client, session, world):
    from crm.agreements.models import Agreement
    from crm.domain.agreements import AgreementType
    from crm.projects.models import StageEvent

    projects = scene(session, world)
    agreement = Agreement(type=AgreementType.CONTRACT, signed_on=date(2026, 3, 10), party_a="甲县人民政府", company_id=world.records["company"],
                          unit_id=world.units["branch_a1"].id, signing_event="三个一批第一期", name="纺织城协议")
    session.add(agreement)
    session.flush()
    event = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == projects["纺织城"].id)).one()
    event.agreement_id = agreement.id
    session.commit()
    auth.login_as("leader")
    page = text(client, "/reports/cohorts")
    table = page[page.index('data-testid="cohort-events"'):]
    line = table[table.index('data-cohort="三个一批第一期"'):]
    assert cells(line[: line.index("</tr>")])[:2] == ["三个一批第一期", "1"]
    listing = text(client, "/projects/?signing_event=三个一批第一期")
    assert "甲县纺织城" in listing and "甲县增资" not in listing


# --- settings ------------------------------------------------------------------------------------
def settings_form(**changes: Any) -> dict[str, Any]:
    data = {
        "threshold": "10000", "industrial_threshold": "", "excluded_categories": ["K"], "excluded_sources": ["in_county"],
        "shadow_months": "6", "empty_nest_months": "3", "method": "target", "signing": "30", "starts": "25", "funds": "20",
        "basics": "15", "issues": "10", "late_report_penalty": "0.5", "overdue_issue_penalty": "1", "bonus_top_company": "3",
        "bonus_ten_yi": "4", "unit_types": ["branch"], "praise_top": "1", "criticise_bottom": "2", "summon_after_last": "2", "account_after_last": "3",
        "v_counting_rules": "0", "v_scorecard": "0", "v_flags": "0",
    }
    data.update(changes)
    return data


def test_settings_change_what_counts(auth, client, session, world):
    from crm.reports.models import ReportSettings

    scene(session, world)
    auth.login_as("reviewer")
    page = text(client, "/reports/settings")
    assert 'name="threshold"' in page and 'value="10000' in page
    response = client.post("/reports/settings", data=settings_form(industrial_threshold="5000", excluded_sources=[]))
    assert response.status_code == 302
    stored = session.scalars(sa.select(ReportSettings).where(ReportSettings.key == "counting_rules")
                             .where(ReportSettings.unit_id == world.units["county_a"].id)).one()
    assert stored.value["industrial_threshold"] == "5000" and stored.value["excluded_sources"] == []
    auth.login_as("leader")
    listing = text(client, "/projects/?event=signed&start=2026-04&end=2026-04")
    assert "甲县小项目" in listing and "甲县本地扩建" in listing and "甲县地产" not in listing


def test_settings_refusals_keep_what_was_typed(auth, client, session, world):
    auth.login_as("admin")
    response = client.post("/reports/settings", data=settings_form(signing="40", threshold="-5", shadow_months="0"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "五项分值之和须为 100 分" in page or "不能为负数" in page
    assert "金额不能为负数" in page and "请输入 1 到 60 之间的整数" in page
    assert 'value="40"' in page
    # stale: someone saved meanwhile
    assert client.post("/reports/settings", data=settings_form()).status_code == 302
    stale = client.post("/reports/settings", data=settings_form(threshold="20000"))
    assert stale.status_code == 400 and "已被他人修改" in stale.get_data(as_text=True)
    weights = client.post("/reports/settings", data=settings_form(signing="40", v_counting_rules="1", v_scorecard="1", v_flags="1"))
    assert weights.status_code == 400 and "五项分值之和须为 100 分" in weights.get_data(as_text=True)


def test_a_broken_stored_setting_falls_back_to_the_defaults(auth, client, session, world):
    from crm.reports.models import ReportSettings

    scene(session, world)
    session.add(ReportSettings(unit_id=world.units["county_a"].id, key="counting_rules", value={"threshold": "lots"}))
    session.commit()
    auth.login_as("leader")
    page = text(client, "/dashboard?period=2026-04")
    assert "总投资 10,000 万元以上" in page
    auth.login_as("reviewer")
    assert "无法识别" in text(client, "/reports/settings")


# --- the demo ------------------------------------------------------------------------------------
@pytest.fixture
def demo(app, isolated):  # type: ignore[no-untyped-def]
    from crm.access.scoping import SYSTEM, set_scope
    from crm.audit.services import set_audit_actor
    from crm.demo.assignments import load_assignments
    from crm.demo.issues import load_issues
    from crm.demo.progress import load_progress
    from crm.demo.reports import load_reports
    from crm.demo.services import load_demo
    from crm.extensions import db

    today = date(2025, 5, 21)
    with app.app_context():
        set_scope(db.session, SYSTEM)
        set_audit_actor(db.session, None, "测试")
        report = load_demo(today)
        for loader in (load_assignments, load_progress, load_issues):
            loader(report, today)
        load_reports(report, today)
        db.session.commit()
        again = type(report)()
        load_reports(again, today)
        assert again.nothing_new  # idempotent
        db.session.rollback()
    return today


def test_demo_reports_show_the_seed_figures(app, client, demo, monkeypatch):
    import crm.clock

    monkeypatch.setattr(crm.clock, "local_today", lambda: date(2025, 5, 21))
    for module in ("crm.web.views", "crm.reports.views", "crm.targets.views", "crm.reports.drilldown"):
        monkeypatch.setattr(f"{module}.local_today", lambda: date(2025, 5, 21))
    client.post("/login", data={"username": "leader", "password": "zhaoshang2025"})
    page = text(client, "/dashboard?period=2025-04")
    targets = page[page.index('data-testid="targets-table"'):]
    line = targets[targets.index('data-indicator="fixed_asset_investment"'):]
    assert cells(line[: line.index("</tr>")])[1:6] == ["600,000.00", "150,000.00", "25.00%", "33.33%", "-8.33"]
    line = targets[targets.index('data-indicator="revenue"'):]
    assert cells(line[: line.index("</tr>")])[3] == "28.33%"
    march = text(client, "/reports/monthly?period=2025-03")
    assert 'data-testid="frozen"' in march and "17.00%" in march  # 102 000 of 600 000, as published
    ranking = text(client, "/reports/ranking?period=2025-03")
    assert 'data-testid="frozen"' in ranking and "第一招商分局" in ranking
    key = page[page.index('data-testid="key-table"'):]
    assert key.index("鲁山县石材建材工业城") < key.index("中德纺织科技园")  # the red ones first


def test_a_citys_ranking_is_read_one_county_at_a_time(auth, client, session, world):
    """Above the counties (a city's 招商局), 月评比 and 季奖惩 first list the counties; each opens its own ranking,
    with its own units only. A county outside the actor's subtree is ignored."""
    from crm.domain.access import Role
    from crm.domain.units import UnitType
    from tests.factories import UnitFactory, UserFactory

    scene(session, world)
    city = UnitFactory(name="平顶山市", type=UnitType.CITY)
    for key in ("county_a", "county_b"):
        world.units[key].parent = city
    session.flush()
    world.users["city_reviewer"] = UserFactory(username="city_reviewer", role=Role.REVIEWER, unit=city)
    session.commit()
    auth.login_as("city_reviewer")
    choice = text(client, "/reports/ranking?period=2026-04")
    assert 'data-testid="county-choice"' in choice and "甲县" in choice and "乙县" in choice
    assert "甲县第一招商分局" not in choice
    ranking = text(client, f"/reports/ranking?period=2026-04&county={world.units['county_a'].id}")
    assert "甲县第一招商分局" in ranking and "乙县第一招商分局" not in ranking
    assert f"county={world.units['county_a'].id}" in ranking  # its links stay in the county
    quarter = text(client, f"/reports/ranking/quarter?year=2026&quarter=2&county={world.units['county_b'].id}")
    assert "乙县" in quarter and "甲县第一招商分局" not in quarter
    auth.login_as("reviewer")  # county A's own reviewer: nothing to choose, and county B stays out of reach
    own = text(client, f"/reports/ranking?period=2026-04&county={world.units['county_b'].id}")
    assert "甲县第一招商分局" in own and "乙县第一招商分局" not in own


def test_the_funds_export_has_the_lists_rows_and_total(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    response = client.get("/reports/funds.xlsx?start=2026-01&end=2026-04")
    assert response.is_streamed
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("期间", "项目", "跟踪单位", "本期到位（万元）")
    assert {r[1] for r in rows[1:-1]} == {"甲县纺织城", "甲县药业", "乙分局纺织"}  # not 本地扩建 (县内), not another county's
    assert rows[-1][0] == "合计" and rows[-1][3] == 12000


def test_the_overdue_milestones_export_streams_the_lists_rows(app, auth, client, session, world):
    from datetime import timedelta

    from crm.clock import local_today
    from crm.domain.projects import MilestoneKind
    from crm.progress.models import Milestone

    with app.app_context():
        today = local_today()
    late = add_project(session, world, "甲县逾期节点项目", events=[(Stage.SIGNED, "2026-01")])
    other = add_project(session, world, "乙县逾期节点项目", unit="branch_b1", owner="staff_b", events=[(Stage.SIGNED, "2026-01")])
    done = add_project(session, world, "甲县已完成节点项目", events=[(Stage.SIGNED, "2026-01")])
    session.add_all([
        Milestone(project_id=late.id, kind=MilestoneKind.LAND, planned_on=today - timedelta(days=30),
                  responsible_unit_id=world.units["county_a"].id),
        Milestone(project_id=late.id, kind=MilestoneKind.REGISTRATION, planned_on=today - timedelta(days=3)),
        Milestone(project_id=other.id, kind=MilestoneKind.LAND, planned_on=today - timedelta(days=10)),
        Milestone(project_id=done.id, kind=MilestoneKind.LAND, planned_on=today - timedelta(days=10), actual_on=today - timedelta(days=12)),
    ])
    session.commit()
    auth.login_as("leader")
    response = client.get("/reports/milestones.xlsx")
    assert response.is_streamed
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("项目", "跟踪单位", "节点", "计划日期", "逾期天数", "责任单位")
    mine = [r for r in rows[1:-1] if r[0] == "甲县逾期节点项目"]
    assert [(r[2], r[4], r[5]) for r in mine] == [("供地摘牌", 30, world.units["county_a"].name), ("注册", 3, "")]
    assert mine[0][1] == world.units["branch_a1"].name
    names = {r[0] for r in rows[1:-1]}
    assert "乙县逾期节点项目" not in names and "甲县已完成节点项目" not in names
    page = text(client, "/reports/milestones")
    assert all(name in page for name in names)  # the export holds the list's rows


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_months_and_the_quarters_notices_are_documents_in_the_usual_layout(auth, client, session, world):
    scene(session, world)
    auth.login_as("reviewer")
    month = client.get("/reports/ranking/notice.docx?period=2026-04")
    assert month.status_code == 200 and "wordprocessingml" in month.headers["Content-Type"]
    text = _docx_text(month.data)
    assert "甲县招商引资工作领导小组办公室文件" in text and "招领办〔2026〕" in text
    assert "关于2026年4月招商引资工作月评比情况的通报" in text and "附件：2026年4月招商引资工作月评比得分表" in text
    assert "甲县第一招商分局" in text and "通报表扬" in text
    quarter = _docx_text(client.get("/reports/ranking/quarter/notice.docx?year=2026&quarter=2").data)
    assert "关于2026年第2季度招商引资工作奖惩情况的通报" in quarter
    for heading in ("通报表扬", "通报批评", "约谈", "问责", "未按期完成节点的建设单位", "推进缓慢的项目"):
        assert heading in quarter, heading
    assert "2026-04 得分" in quarter and "季度平均" in quarter
    auth.login_as("chief")
    assert client.get("/reports/ranking/quarter/notice.docx?year=2026&quarter=2").status_code == 403
