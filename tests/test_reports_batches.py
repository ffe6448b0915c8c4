"""三个一批 for a quarter (issue 16): the projects whose first approved 签约 / 开工 / 投产 falls in the quarter, counted
as the monthly report counts; 意向书 and 框架协议 tallied on their own lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm.agreements.models import Agreement
from crm.domain.agreements import AgreementType
from crm.domain.pipeline import Stage as S
from tests.helpers import in_app
from tests.world_parts.reports import add_project


def _quarter(app, world) -> None:
    with in_app(app) as session:
        add_project(session, world, "甲县签约一批项目", events=[(S.SIGNED, "2026-10")], total="50000")
        add_project(session, world, "甲县开工一批项目", events=[(S.SIGNED, "2026-05"), (S.STARTED, "2026-11")], total="30000")
        add_project(session, world, "甲县上季度签约项目", events=[(S.SIGNED, "2026-09")], total="40000")
        add_project(session, world, "甲县小项目", events=[(S.SIGNED, "2026-10")], total="5000")  # under the 1 亿 of 统计口径
        add_project(session, world, "乙县签约项目", unit="branch_b1", owner="staff_b", events=[(S.SIGNED, "2026-10")], total="90000")
        unit = world.units["branch_a1"].id
        for kind, day, amount in ((AgreementType.INTENT, date(2026, 10, 15), "30000"), (AgreementType.FRAMEWORK, date(2026, 12, 1), "8000"),
                                  (AgreementType.INTENT, date(2026, 9, 30), "99999")):
            session.add(Agreement(unit_id=unit, type=kind, signed_on=day, party_a="甲县人民政府", company_id=world.records["company"],
                                  investment_amount=Decimal(amount), created_by_id=world.users["staff"].id))
        session.commit()


def test_the_quarters_batches_and_the_intents_on_their_own_lines(app, client, login_as, world):
    _quarter(app, world)
    login_as("reviewer")
    page = client.get("/reports/batches?year=2026&quarter=4").get_data(as_text=True)
    assert "甲县2026年第4季度三个一批" in page
    assert "签约一批：1 个，总投资 5.00 亿元" in page and "甲县签约一批项目" in page
    assert "开工一批：1 个，总投资 3.00 亿元" in page and "甲县开工一批项目" in page
    assert "投产一批：0 个" in page
    for absent in ("甲县上季度签约项目", "甲县小项目", "乙县签约项目"):
        assert absent not in page, absent
    assert "签订投资意向书 1 份，达成 3.00 亿元的投资意向" in page
    assert "签订投资框架协议 1 份，达成 8,000 万元的投资意向" in page
    export = client.get("/reports/batches.xlsx?year=2026&quarter=4")
    assert export.status_code == 200 and "spreadsheetml" in export.headers["Content-Type"]
    assert client.get("/reports/batches?year=2026&quarter=5").status_code == 404


def test_a_chief_sees_the_batches_of_the_unit_only(app, client, login_as, world):
    _quarter(app, world)
    login_as("staff_b")
    page = client.get("/reports/batches?year=2026&quarter=4").get_data(as_text=True)
    assert "乙县签约项目" in page and "甲县签约一批项目" not in page


def test_the_three_rates_by_unit_and_by_leader(app, client, login_as, world, auth):
    with in_app(app) as session:
        add_project(session, world, "甲县分包项目", events=[(S.SIGNED, "2026-03"), (S.STARTED, "2026-06")], total="50000",
                    contracted="40000", leader="leader", funds=[("2026-07", "10000", "other_province")])
        add_project(session, world, "甲县二分局项目", unit="branch_a2", owner="staff_a2", events=[(S.SIGNED, "2026-04")], total="30000")
        session.commit()
    login_as("reviewer")
    page = client.get("/reports/cohorts").get_data(as_text=True)
    assert 'data-testid="cohort-units"' in page and 'data-testid="cohort-leaders"' in page
    units = page.split('data-testid="cohort-units"')[1].split("</table>")[0]
    assert "甲县第一招商分局" in units and "甲县第二招商分局" in units
    leaders = page.split('data-testid="cohort-leaders"')[1].split("</table>")[0]
    assert "leader_a姓名" in leaders and f"leader={world.users['leader'].id}" in leaders and "25.00%" in leaders  # 1 亿 of 4 亿 in place
    auth.logout()
    login_as("chief")  # a unit's own 三率: no table by unit, the leaders of its projects named
    own = client.get("/reports/cohorts").get_data(as_text=True)
    assert 'data-testid="cohort-units"' not in own and "leader_a姓名" in own.split('data-testid="cohort-leaders"')[1]
    assert client.get("/reports/cohorts.xlsx").status_code == 200
