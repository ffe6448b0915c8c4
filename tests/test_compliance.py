"""履约 against a 正式合同's commitments (issue 17): the list (scoped, filtered, drill-down), the project card, the
export, the county setting for the 三率's 履约率 (both settings), and the digest line."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook

from crm.clock import local_today
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.domain.pipeline import Stage
from crm.reports.models import ReportSettings
from tests.test_dashboard import cells, scene
from tests.world_parts.reports import add_project

S = Stage


def _text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _today(app: Any) -> date:
    with app.app_context():
        return local_today()


def contract(session: Any, world: Any, project: Any, *, unit: str = "branch_a1", type: AgreementType = AgreementType.CONTRACT,
             signed_on: date = date(2025, 3, 1), status: AgreementStatus = AgreementStatus.ACTIVE, **commitments: Any) -> Any:
    from crm.agreements.models import Agreement

    a = Agreement(type=type, signed_on=signed_on, party_a="甲县人民政府", company_id=world.records["company"], unit_id=world.units[unit].id,
                  project_id=project.id, name=f"{project.name}投资合同", status=status,
                  termination_reason="协商终止" if status is AgreementStatus.TERMINATED else None, **commitments)
    session.add(a)
    session.flush()
    return a


def late_scene(app: Any, session: Any, world: Any) -> dict[str, Any]:
    today = _today(app)
    p = {
        "late": add_project(session, world, "甲县逾期项目", events=[(S.SIGNED, "2025-03")], total="50000"),
        "fine": add_project(session, world, "甲县按期项目", events=[(S.SIGNED, "2025-03")], total="50000"),
        "weak": add_project(session, world, "甲县强度不足", events=[(S.SIGNED, "2025-03"), (S.STARTED, "2025-06"), (S.PRODUCING, "2026-01")],
                            total="50000", funds=[("2025-06", "20000", "other_province")]),
        "other": add_project(session, world, "乙分局逾期", unit="branch_a2", owner="staff_a2", events=[(S.SIGNED, "2025-03")], total="50000"),
        "county_b": add_project(session, world, "乙县逾期", unit="branch_b1", owner="staff_b", events=[(S.SIGNED, "2025-03")], total="50000"),
        "plain": add_project(session, world, "甲县只有意向书", events=[(S.SIGNED, "2025-03")], total="50000"),
    }
    p["weak"].land_mu = Decimal("100")
    contract(session, world, p["late"], planned_start_on=today - timedelta(days=30), planned_production_on=today + timedelta(days=300))
    contract(session, world, p["fine"], planned_start_on=today + timedelta(days=30), investment_intensity=Decimal("300"))
    contract(session, world, p["weak"], planned_start_on=date(2025, 5, 1), planned_production_on=date(2025, 12, 31),
             investment_intensity=Decimal("300"), tax_per_mu=Decimal("30"), jobs=200)
    contract(session, world, p["other"], unit="branch_a2", planned_start_on=today - timedelta(days=10))
    contract(session, world, p["county_b"], unit="branch_b1", planned_start_on=today - timedelta(days=10))
    contract(session, world, p["plain"], type=AgreementType.INTENT, planned_start_on=today - timedelta(days=10))
    # a terminated 正式合同 does not count
    contract(session, world, p["plain"], status=AgreementStatus.TERMINATED, planned_start_on=today - timedelta(days=10),
             terminated_on=today)
    session.commit()
    return p


def test_the_list_shows_each_readers_projects_with_status_and_figures(app, client, login_as, session, world):
    p = late_scene(app, session, world)
    login_as("staff")
    page = _text(client.get("/compliance/"))
    assert "甲县逾期项目" in page and "甲县按期项目" in page and "甲县强度不足" in page
    assert "乙分局逾期" not in page and "乙县逾期" not in page and "甲县只有意向书" not in page  # other units; no 正式合同 in force
    assert 'data-status="commitment_late_start"' in page and "逾期 30 天" in page
    # 投资强度: 到位资金 20,000 ÷ 100 亩 = 200 < 300; 亩均税收 and 用工 not yet due (a year after 约定投产)
    assert "承诺 300.00 万元/亩，实际 200.00 万元/亩" in page
    assert f'href="/projects/{p["late"].id}#compliance"' in page
    late_only = _text(client.get("/compliance/?status=late"))
    assert "甲县逾期项目" in late_only and "甲县强度不足" in late_only and "甲县按期项目" not in late_only
    by_status = _text(client.get("/compliance/?status=commitment_intensity_short"))
    assert "甲县强度不足" in by_status and "甲县逾期项目" not in by_status
    assert _text(client.get("/compliance/?status=nonsense&unit=abc")).count("data-project=") == 3  # bad filters are ignored

    login_as("leader")
    page = _text(client.get("/compliance/"))
    assert "甲县逾期项目" in page and "乙分局逾期" in page and "乙县逾期" not in page
    login_as("staff_b")
    page = _text(client.get("/compliance/"))
    assert "乙县逾期" in page and "甲县逾期项目" not in page


def test_the_project_card(app, client, login_as, session, world):
    p = late_scene(app, session, world)
    login_as("staff")
    page = _text(client.get(f"/projects/{p['weak'].id}"))
    card = page[page.index('data-testid="compliance-section"'):]
    assert "投资强度未达" in card and "到位资金 20,000.00 万元 ÷ 用地 100.00 亩" in card
    assert 'data-check="tax"' in card and "未到考核时间" in card
    fine = _text(client.get(f"/projects/{p['fine'].id}"))
    assert 'data-status="commitments_on_schedule"' in fine and "尚未到期" in fine
    assert 'data-testid="compliance-section"' not in _text(client.get(f"/projects/{p['plain'].id}"))
    # another unit's project stays closed
    assert client.get(f"/projects/{p['other'].id}").status_code == 404


def test_no_actual_figure_says_so(app, client, login_as, session, world):
    p = add_project(session, world, "甲县无用地", events=[(S.SIGNED, "2024-03"), (S.STARTED, "2024-06"), (S.PRODUCING, "2025-01")], total="5000")
    contract(session, world, p, planned_production_on=date(2024, 12, 31), investment_intensity=Decimal("300"), jobs=100)
    session.commit()
    login_as("staff")
    card = _text(client.get(f"/projects/{p.id}"))
    card = card[card.index('data-testid="compliance-section"'):]
    assert "无实际数据" in card and "缺到位资金或用地面积" in card and "项目未填报用工人数" in card
    assert 'data-status="commitments_on_schedule"' in card


def test_export(app, client, login_as, session, world):
    late_scene(app, session, world)
    login_as("staff")
    response = client.get("/compliance/export.xlsx?status=late")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "项目")
    body = [r for r in rows[header + 1:] if r and r[0]]
    names = {r[0] for r in body}
    assert names == {"甲县逾期项目", "甲县强度不足"}
    weak = next(r for r in body if r[0] == "甲县强度不足")
    assert weak[5] == "投资强度未达" and weak[8] == "300.00 万元/亩" and weak[9] == "200.00 万元/亩"


def cohort_2026(client: Any) -> list[str]:
    page = _text(client.get("/reports/cohorts"))
    table = page[page.index('data-testid="cohort-years"'):]
    line = table[table.index('data-cohort="2026"'):]
    return cells(line[: line.index("</tr>")])


def test_the_county_setting_decides_the_performance_rate(app, client, login_as, session, world):
    projects = scene(session, world)
    today = _today(app)
    contract(session, world, projects["纺织城"], planned_start_on=today - timedelta(days=5))  # 签约, past its 约定开工
    contract(session, world, projects["增资"], planned_start_on=today + timedelta(days=5))  # not due yet
    session.commit()
    login_as("leader")
    # default: the stage alone (test_reports.test_cohort_rates's figures)
    assert cohort_2026(client)[:3] == ["2026", "3", "3"] and cohort_2026(client)[8] == "100.00%"
    assert client.post("/compliance/settings", data={"uses_commitments": "y"}).status_code == 403
    assert "只看项目阶段" in _text(client.get("/compliance/settings"))

    login_as("reviewer")
    assert client.post("/compliance/settings", data={"uses_commitments": "y"}).status_code == 302
    row = session.scalars(sa.select(ReportSettings).where(ReportSettings.key == "compliance")).one()
    assert row.value == {"commitments_in_performance": True} and row.unit_id == world.units["county_a"].id
    login_as("leader")
    values = cohort_2026(client)
    assert values[:3] == ["2026", "3", "2"] and values[8] == "66.67%"  # 纺织城 is 逾期未开工: not 履约
    assert "按合同约定判断" in _text(client.get("/compliance/"))

    # a stale form is refused; turning it off brings the stage rule back
    login_as("reviewer")
    stale = client.post("/compliance/settings", data={"version": str(row.version - 1) if row.version > 1 else "99"})
    assert stale.status_code == 400 and "已被他人修改" in stale.get_data(as_text=True)
    assert client.post("/compliance/settings", data={"version": str(row.version)}).status_code == 302
    login_as("leader")
    assert cohort_2026(client)[:3] == ["2026", "3", "3"]


def test_a_hand_edited_setting_falls_back_to_the_stage(app, session, world):
    from crm.compliance.settings import uses_commitments

    session.add(ReportSettings(unit_id=world.units["county_a"].id, key="compliance", value={"commitments_in_performance": "yes"}))
    session.commit()
    with app.test_request_context():
        from crm.access.scoping import SYSTEM, set_scope
        from crm.extensions import db

        set_scope(db.session, SYSTEM)
        assert uses_commitments(world.units["county_a"].id) is False


def test_the_weekly_digest_names_the_chiefs_and_the_leaders_late_projects(app, world, isolated) -> None:
    from crm.assignments.models import ProjectLeader
    from tests.helpers import in_app
    from tests.test_digests import _digest

    with in_app(app) as session:
        mine = add_project(session, world, "甲县合同逾期", events=[(S.SIGNED, "2025-03")], total="50000")
        other = add_project(session, world, "乙分局合同逾期", unit="branch_a2", owner="staff_a2", events=[(S.SIGNED, "2025-03")], total="50000")
        contract(session, world, mine, planned_start_on=date(2026, 6, 30))
        contract(session, world, other, unit="branch_a2", planned_start_on=date(2026, 6, 30))
        session.add(ProjectLeader(project_id=mine.id, leader_id=world.users["leader"].id, entered_on=date(2025, 4, 1)))
        session.commit()
    digest = _digest(app, world, "chief")  # the week of 2026-W48: as of 2026-11-30
    (item,) = digest.section("commitments_late").items
    assert item.text == "甲县合同逾期" and item.url.endswith("#compliance") and item.tone == "red"
    assert "逾期未开工" in item.note and "约定 2026-06-30 开工，至今未开工（逾期 153 天）" in item.note
    leader = _digest(app, world, "leader").section("commitments_late")
    assert [i.text for i in leader.items] == ["甲县合同逾期"]
    assert _digest(app, world, "staff").section("commitments_late") is None
