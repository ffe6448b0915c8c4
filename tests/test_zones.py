"""园区 (issue 17): the county's zones with their 分区, land ledger in 亩 and 标准化厂房 in m²; bad input refused
beside its field with what was typed kept; stale edits refused; history kept; another county's zones never shown;
the leads' 用地需求 against the zone's land; the exports (records: tests/world_parts/zones.py)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from crm.clock import local_today
from crm.zones.models import Zone, ZoneLand
from tests.test_demo_pages import demo  # noqa: F401  (the demo world fixture)


def _text(response) -> str:
    return response.get_data(as_text=True)


def _land(**extra):
    return {"part_id": "", "as_of": "2025-05-21", "reserve_mu": "9000", "acquired_mu": "8700", "approving_mu": "5000", "supplied_mu": "1900",
            "notes": "鲁山土地台账", **extra}


def test_bad_land_figures_are_refused_beside_their_field_and_kept(app, client, login_as, world, session):
    login_as("reviewer")
    url = f"/zones/{world.records['zone']}/land/new"
    with app.app_context():
        tomorrow = (local_today() + timedelta(days=1)).isoformat()
    for extra, message in (
        ({"supplied_mu": "9000"}, "供地面积不能大于已征"),
        ({"approving_mu": "9000"}, "报批面积是已征土地的一部分，不能大于已征"),
        ({"supplied_mu": "3701"}, "报批与供地之和不能大于已征"),
        ({"acquired_mu": "-5"}, "亩数不能为负数"),
        ({"acquired_mu": "八千"}, "请输入数字"),
        ({"as_of": "2025-02-30"}, "请输入日期"),
        ({"as_of": tomorrow}, "截至日期不能晚于今天"),
        ({"part_id": str(world.records["zone_part"])}, "该分区已有台账，请修改原有记录"),
        ({"part_id": "999999"}, "请从列表中选择"),
    ):
        response = client.post(url, data=_land(**extra))
        page = _text(response)
        assert response.status_code == 400 and message in page, (extra, page[page.find("invalid-feedback"):][:300])
        assert "鲁山土地台账" in page  # what was typed stays
    assert session.scalar(sa.select(sa.func.count()).select_from(ZoneLand).where(ZoneLand.notes == "鲁山土地台账")) == 0
    assert client.post(url, data=_land()).status_code == 302
    twice = client.post(url, data=_land())
    assert twice.status_code == 400 and "全园区已有台账" in _text(twice)
    page = _text(client.get(f"/zones/{world.records['zone']}"))
    # the zone's totals: the 全园区 line plus 北区's (500 / 300 / 100 / 50)
    for figure in ("9,500", "9,000", "5,100", "1,950", "7,050"):
        assert figure in page, figure


def test_zone_and_building_rules(client, login_as, world, session):
    login_as("admin")
    bad = client.post("/zones/new", data={"name": "新园区", "planned_km2": "5", "built_km2": "6"})
    assert bad.status_code == 400 and "建成区不能大于规划面积" in _text(bad) and 'value="6"' in _text(bad)
    negative = client.post("/zones/new", data={"name": "新园区", "planned_km2": "-1"})
    assert negative.status_code == 400 and "面积不能为负数" in _text(negative)
    nameless = client.post("/zones/new", data={"name": "  ", "planned_km2": "3"})
    assert nameless.status_code == 400 and "必填项" in _text(nameless)
    made = client.post("/zones/new", data={"name": "新园区", "planned_km2": "5", "built_km2": "2", "firms": "3"})
    assert made.status_code == 302
    zone = session.scalars(sa.select(Zone).where(Zone.name == "新园区")).one()
    assert zone.unit_id == world.units["county_a"].id and zone.planned_km2 == Decimal(5)
    part = client.post(f"/zones/{zone.id}/parts/new", data={"name": "东区", "planned_km2": "6"})
    assert part.status_code == 400 and "各分区规划面积之和不能大于园区规划面积" in _text(part)
    assert client.post(f"/zones/{zone.id}/parts/new", data={"name": "东区", "planned_km2": "3"}).status_code == 302
    same = client.post(f"/zones/{zone.id}/parts/new", data={"name": "东区"})
    assert same.status_code == 400 and "该园区已有名为“东区”的分区" in _text(same)
    url = f"/zones/{zone.id}/buildings/new"
    over = client.post(url, data={"name": "一期", "status": "built", "total_m2": "1000", "let_m2": "1200", "tenants": "某企业"})
    assert over.status_code == 400 and "已出租面积不能大于建筑面积" in _text(over) and "某企业" in _text(over)
    early = client.post(url, data={"name": "一期", "status": "building", "total_m2": "1000", "let_m2": "10"})
    assert early.status_code == 400 and "厂房建成后才能出租" in _text(early)
    missing = client.post(url, data={"name": "一期", "status": "built"})
    assert missing.status_code == 400 and "请填写建筑面积" in _text(missing)
    assert client.post(url, data={"name": "一期", "status": "built", "total_m2": "1,000", "let_m2": "400"}).status_code == 302
    page = _text(client.get(f"/zones/{zone.id}"))
    assert "空置率 60.0%" in page


def test_a_stale_edit_is_refused_and_history_is_kept(client, login_as, world, session):
    login_as("admin")  # the county's admin: the rows are the county's, inside the admin's subtree
    line = world.records["zone_land"]
    url = f"/zones/{world.records['zone']}/land/{line}"
    data = _land(part_id=str(world.records["zone_part"]), reserve_mu="600", acquired_mu="300", approving_mu="100", supplied_mu="80")
    stale = client.post(url, data={**data, "version": "0"})
    assert stale.status_code == 400 and "该记录已被他人修改" in _text(stale)
    assert client.post(url, data={**data, "version": "1"}).status_code == 302
    session.expire_all()
    assert session.get(ZoneLand, line).supplied_mu == Decimal(80)
    history = client.get(f"/history/zone_land/{line}")
    assert history.status_code == 200 and "50" in _text(history) and "80" in _text(history)


def test_everyone_of_the_county_reads_only_its_keepers_keep(client, login_as, world, auth):
    login_as("staff")
    page = _text(client.get("/zones/"))
    assert "甲县产业集聚区" in page and "乙县产业集聚区" not in page and "新建园区" not in page
    assert client.get(f"/zones/{world.records['zone']}").status_code == 200
    assert client.post(f"/zones/{world.records['zone']}/land/new", data=_land()).status_code == 403
    assert client.get(f"/zones/{world.records['zone_b']}").status_code == 404
    auth.logout()
    login_as("admin_b")  # another county's admin: its own zone only
    page = _text(client.get("/zones/"))
    assert "乙县产业集聚区" in page and "甲县产业集聚区" not in page
    assert client.get(f"/zones/{world.records['zone']}").status_code == 404
    assert client.get(f"/zones/{world.records['zone_b']}/land/{world.records['zone_land']}").status_code == 404
    sheet = load_workbook(io.BytesIO(client.get("/zones/land.xlsx").data)).active
    assert [r[0] for r in sheet.iter_rows(values_only=True, min_row=2) if r and r[0] and r[0] != "合计"] == ["乙县产业集聚区"]
    auth.logout()
    login_as("staff_b")
    assert "甲县产业集聚区" not in _text(client.get("/zones/"))
    assert client.get(f"/zones/{world.records['zone']}/demand").status_code == 404


def test_the_exports(client, login_as, world):
    login_as("leader")
    zones = load_workbook(io.BytesIO(client.get("/zones/export.xlsx").data)).active
    row = next(r for r in zones.iter_rows(values_only=True, min_row=2) if r[0] == "甲县产业集聚区")
    assert row[4] == "北区" and row[8] == 300 and row[11] == 250 and row[14] == 15000  # 已征, 可供地, 空置厂房
    buildings = load_workbook(io.BytesIO(client.get("/zones/buildings.xlsx").data)).active
    row = next(r for r in buildings.iter_rows(values_only=True, min_row=2) if r[2] == "北区标准化厂房一期")
    assert row[1] == "北区" and row[3] == "建成" and row[6] == 15000


def test_the_leads_land_demand_against_the_zone(app, client, login_as, world, session, auth):
    from crm.access.scoping import SYSTEM, scoped_as
    from crm.domain.leads import LeadSource, LeadStatus
    from crm.extensions import db
    from crm.leads.models import Lead
    from tests.helpers import in_app

    with in_app(app) as s, scoped_as(db.session, SYSTEM):
        def lead(name: str, unit: str, owner: str, mu: int, status: LeadStatus = LeadStatus.FOLLOWING) -> None:
            s.add(Lead(name=name, company_id=world.records["company"], unit_id=world.units[unit].id, owner_id=world.users[owner].id,
                       source=LeadSource.WALK_IN, received_on=local_today(), land_mu=Decimal(mu), status=status))
        lead("大项目用地", "branch_a1", "staff", 400)  # more than 可供地 (300 − 50 = 250)
        lead("小项目用地", "branch_a1", "staff", 100)  # within 可即供地 (300 − 100 − 50 = 150)
        lead("中项目用地", "branch_a1", "staff", 200)  # within 可供地 once the 100 亩 are through 报批
        lead("已放弃用地", "branch_a1", "staff", 50, LeadStatus.ABANDONED)
        lead("乙县用地", "branch_b1", "staff_b", 10)
        s.commit()
    login_as("reviewer")
    page = _text(client.get(f"/zones/{world.records['zone']}/demand"))
    assert "大项目用地" in page and "小项目用地" in page and "中项目用地" in page
    assert "已放弃用地" not in page and "乙县用地" not in page
    assert "无法满足" in page and "待报批后可满足" in page and "可满足" in page
    assert "3 条线索合计用地需求 700 亩" in page
    assert "1 条在谈线索的用地需求超过本园区可供地（250 亩）" in _text(client.get(f"/zones/{world.records['zone']}"))
    auth.logout()
    login_as("staff_a2")  # another branch: its own leads only (none)
    assert "大项目用地" not in _text(client.get(f"/zones/{world.records['zone']}/demand"))


def test_the_pages_read_in_english(app, client, login_as, world, session):
    from crm.users.models import User
    from tests.test_english_pages import chinese_left, data_strings, visible_text, xlsx_text

    session.execute(sa.update(User).where(User.id == world.users["admin"].id).values(locale="en"))
    session.commit()
    login_as("admin")
    zone = world.records["zone"]
    with app.app_context():
        from crm.access.scoping import SYSTEM, set_scope
        from crm.extensions import db

        set_scope(db.session, SYSTEM)
        data = data_strings()
    leaks = {}
    for path in ("/zones/", f"/zones/{zone}", f"/zones/{zone}/demand", "/zones/new", f"/zones/{zone}/edit", f"/zones/{zone}/parts/new",
                 f"/zones/{zone}/land/{world.records['zone_land']}", f"/zones/{zone}/buildings/new", "/zones/export.xlsx", "/zones/land.xlsx",
                 "/zones/buildings.xlsx"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = xlsx_text(response.data) if response.mimetype.endswith("sheet") else visible_text(response.get_data(as_text=True))
        leaks.update({f"{path}: {run}": around for run, around in chinese_left(text, data).items()})
    assert leaks == {}


def test_the_reviewers_digest_names_a_zone_short_of_land(app, world, isolated):
    from crm.access.scoping import SYSTEM, scoped_as
    from crm.digests.send import preview
    from crm.domain.leads import LeadSource, LeadStatus
    from crm.extensions import db
    from crm.leads.models import Lead
    from crm.users.models import User
    from tests.helpers import in_app

    with in_app(app) as session, scoped_as(db.session, SYSTEM):
        session.add(Lead(name="大项目用地", company_id=world.records["company"], unit_id=world.units["branch_a1"].id, owner_id=world.users["staff"].id,
                         source=LeadSource.WALK_IN, received_on=local_today(), land_mu=Decimal(400), status=LeadStatus.FOLLOWING))
        session.commit()
    with in_app(app) as session:
        digest = preview(session.get(User, world.users["reviewer"].id), "2026-W48")
        assert [item.text for item in digest.section("zone_land").items] == ["甲县产业集聚区：1 条线索的用地需求超过可供地（250 亩）"]
        other = preview(session.get(User, world.users["admin_b"].id), "2026-W48")
        assert other.section("zone_land") is None or not other.section("zone_land").items


def test_the_demo_has_lushans_zone(app, client, demo):  # noqa: F811
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db
    from crm.zones.queries import figures_of
    from tests.conftest import sign_in

    with app.app_context():
        set_scope(db.session, SYSTEM)
        zone = db.session.scalars(sa.select(Zone).where(Zone.name == "鲁山县产业集聚区")).one()
        f = figures_of(zone)
        assert (zone.planned_km2, zone.firms, [p.name for p in f.parts]) == (Decimal("16.33"), 28, ["北区", "南区"])
        assert sum((p.planned_km2 for p in f.parts), Decimal(0)) == Decimal("16.33")
        assert (f.land.reserve, f.land.acquired, f.land.approving) == (9000, 8700, 5000)  # DOMAIN §d: 9000 储备, 5000 + 3700 已征
        assert f.space.vacant == 12000 and len(f.buildings) == 3
        zone_id = zone.id
    users, _projects = demo
    sign_in(client, users["staff1"], int(users["staff1"].partition(".")[0]))
    page = _text(client.get(f"/zones/{zone_id}"))
    assert "8,700" in page and "北区标准化厂房一期" in page
    assert "海威特种布项目" in _text(client.get(f"/zones/{zone_id}/demand"))
