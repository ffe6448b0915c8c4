"""年度目标 (county, unit, leader) and 园区指标: who reads and edits, refusals, stale edits, progress."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from crm.domain.kpi import Indicator, TargetScope
from crm.domain.pipeline import Stage
from crm.targets.models import Target, ZoneMetric
from tests.test_dashboard import cells, scene


def section(page: str, owner: str) -> str:
    start = page.index(f'data-owner="{owner}"')
    return page[start: page.index("</section>", start)]


def indicator_cells(html: str, indicator: str) -> list[str]:
    start = html.index(f'data-indicator="{indicator}"')
    return cells(html[start: html.index("</tr>", start)])


def test_targets_page_shows_progress_per_owner(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    page = client.get("/targets/?year=2026").get_data(as_text=True)
    county = section(page, "county")
    assert indicator_cells(county, "signed_amount")[:2] == ["签约金额（万元）", "100,000.00"]
    unit = section(page, f"unit:{world.units['branch_a1'].id}")
    values = indicator_cells(unit, "signed_amount")
    assert values[1] == "20,000.00" and values[2] == "70,000.00"  # 纺织城 + 增资, counted 1–N月 of 2026
    assert "999,999" not in page  # county B's target
    assert 'data-testid="edit-picker"' not in page  # leaders read only


def test_a_chief_reads_the_units_targets_only(auth, client, session, world):
    auth.login_as("chief")
    page = client.get("/targets/?year=2026").get_data(as_text=True)
    assert "20,000.00" in page and 'data-owner="county"' not in page and "600,000" not in page
    assert client.get(f"/targets/edit?year=2026&owner=unit:{world.units['branch_a1'].id}").status_code == 403


def test_a_reviewer_sets_county_targets(auth, client, session, world):
    auth.login_as("reviewer")
    page = client.get("/targets/edit?year=2026&owner=county").get_data(as_text=True)
    assert 'name="fixed_asset_investment"' in page and 'value="600000.00"' in page
    existing = session.scalars(sa.select(Target).where(Target.owner_key == f"unit:{world.units['county_a'].id}",
                                                       Target.indicator == Indicator.SIGNED_AMOUNT)).one()
    data = {"signed_amount": "1800000", "v_signed_amount": str(existing.version), "yi_projects": "20", "v_yi_projects": "0",
            "fixed_asset_investment": "", "v_fixed_asset_investment": "1"}
    response = client.post("/targets/edit?year=2026&owner=county", data=data)
    assert response.status_code == 302
    session.expire_all()
    rows = {t.indicator: t for t in session.scalars(sa.select(Target).where(Target.unit_id == world.units["county_a"].id, Target.year == 2026))}
    assert rows[Indicator.SIGNED_AMOUNT].value == Decimal("1800000") and rows[Indicator.YI_PROJECTS].value == 20
    assert Indicator.FIXED_ASSET_INVESTMENT not in rows  # emptied: removed
    assert rows[Indicator.YI_PROJECTS].scope is TargetScope.COUNTY


def test_negative_and_fractional_counts_are_refused_next_to_the_field(auth, client, session, world):
    auth.login_as("admin")
    unit = world.units["branch_a1"].id
    response = client.post(f"/targets/edit?year=2026&owner=unit:{unit}", data={"signed_amount": "-100", "v_signed_amount": "1",
                                                                                "yi_projects": "2.5", "v_yi_projects": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "目标值不能为负数" in page and 'value="-100"' in page
    response = client.post(f"/targets/edit?year=2026&owner=unit:{unit}", data={"signed_amount": "100", "v_signed_amount": "1",
                                                                                "yi_projects": "2.5", "v_yi_projects": "0"})
    assert response.status_code == 400 and "个数、人数须为整数" in response.get_data(as_text=True)


def test_a_stale_target_edit_is_refused(auth, client, session, world):
    auth.login_as("admin")
    unit = world.units["branch_a1"].id
    target = session.scalars(sa.select(Target).where(Target.owner_key == f"unit:{unit}")).one()
    target.value = Decimal("25000")
    session.commit()  # someone else saved: version 2
    response = client.post(f"/targets/edit?year=2026&owner=unit:{unit}", data={"signed_amount": "30000", "v_signed_amount": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "已被他人修改" in page and 'data-testid="stale-differences"' in page
    assert "25000" in page and 'value="30000"' in page
    session.expire_all()
    assert session.get(Target, target.id).value == Decimal("25000")


def test_leader_targets_measure_their_projects(auth, client, session, world):
    scene(session, world)  # 纺织城 (5 亿, signed 2026-03) is leader_a's
    auth.login_as("admin")
    leader = world.users["leader"].id
    assert client.post(f"/targets/edit?year=2026&owner=leader:{leader}", data={"signed_amount": "100000", "v_signed_amount": "0"}).status_code == 302
    row = session.scalars(sa.select(Target).where(Target.owner_key == f"leader:{leader}")).one()
    assert row.scope is TargetScope.LEADER and row.leader_id == leader and row.unit_id == world.units["county_a"].id
    page = client.get("/targets/?year=2026").get_data(as_text=True)
    assert indicator_cells(section(page, f"leader:{leader}"), "signed_amount")[1:3] == ["100,000.00", "50,000.00"]
    assert client.get(f"/targets/edit?year=2026&owner=leader:{world.users['staff'].id}").status_code == 404


def test_targets_export(auth, client, world):
    auth.login_as("leader")
    rows = list(load_workbook(BytesIO(client.get("/targets/export.xlsx?year=2026").data)).active.iter_rows(values_only=True))
    assert rows[2][:4] == ("对象", "类别", "指标", "年度目标")
    assert ("甲县", "全县", "固定资产投资（万元）", 600000) in [r[:4] for r in rows]


def test_zone_figures_are_typed_by_reviewers(auth, client, session, world):
    auth.login_as("reviewer")
    page = client.get("/targets/zone?year=2026").get_data(as_text=True)
    assert "150,000.00" in page and "61.30%" in page and "777,777" not in page
    existing = session.scalars(sa.select(ZoneMetric).where(ZoneMetric.unit_id == world.units["county_a"].id)).one()
    data = {"fixed_asset_investment": "150000", "yoy_fixed_asset_investment": "61.3", "v_fixed_asset_investment": str(existing.version),
            "revenue": "170000", "yoy_revenue": "-3.5", "v_revenue": "0", "employment": "4350.5", "v_employment": "0"}
    response = client.post("/targets/zone/edit?period=2026-10", data=data)
    assert response.status_code == 400 and "个数、人数须为整数" in response.get_data(as_text=True)
    data["employment"] = "4350"
    assert client.post("/targets/zone/edit?period=2026-10", data=data).status_code == 302
    rows = {m.indicator: m for m in session.scalars(sa.select(ZoneMetric).where(ZoneMetric.period == "2026-10",
                                                                             ZoneMetric.unit_id == world.units["county_a"].id))}
    assert rows[Indicator.REVENUE].yoy_pct == Decimal("-3.5") and rows[Indicator.EMPLOYMENT].value == 4350
    refused = client.post("/targets/zone/edit?period=2026-10", data={"tax": "-1", "v_tax": "0"})
    assert refused.status_code == 400 and "不能为负数" in refused.get_data(as_text=True)
    assert client.get("/targets/zone/edit?period=2026-1").status_code == 404
    auth.login_as("leader")
    assert client.get("/targets/zone/edit?period=2026-10").status_code == 403
    book = load_workbook(BytesIO(client.get("/targets/zone.xlsx?year=2026").data))
    assert list(book.active.iter_rows(values_only=True))[3][0] == "2026-10"


def test_dashboard_uses_the_stage_drill_down(auth, client, session, world):
    """Every 年度目标 row of the dashboard links to its records (counted events or the zone page)."""
    scene(session, world)
    auth.login_as("leader")
    page = client.get("/dashboard?period=2026-11").get_data(as_text=True)
    targets = page[page.index('data-testid="targets-table"'):]
    assert "/projects/?event=signed&amp;start=2026-01&amp;end=2026-11" in targets[: targets.index("</table>")]
    assert "/targets/zone?year=2026" in targets[: targets.index("</table>")]
    assert Stage.SIGNED


def test_a_citys_targets_are_read_one_county_at_a_time(auth, client, session, world):
    from crm.domain.access import Role
    from crm.domain.units import UnitType
    from tests.factories import UnitFactory, UserFactory

    city = UnitFactory(name="平顶山市", type=UnitType.CITY)
    for key in ("county_a", "county_b"):
        world.units[key].parent = city
    world.users["city_leader"] = UserFactory(username="city_leader", role=Role.LEADER, unit=city)
    session.commit()
    auth.login_as("city_leader")
    choice = client.get("/targets/?year=2026").get_data(as_text=True)
    assert 'data-testid="county-choice"' in choice and "甲县" in choice and "乙县" in choice
    county = client.get(f"/targets/?year=2026&county={world.units['county_a'].id}").get_data(as_text=True)
    assert "county-choice" not in county and "甲县第一招商分局" in county and "乙县第一招商分局" not in county
