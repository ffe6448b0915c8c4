"""The demo scenario's 园区 (issue 17), DOMAIN §d: 鲁山县产业集聚区, 省级, 16.33 平方公里 in two 分区 (北区 9.65,
新型建材; 南区 6.68, 轻纺 and 旅游产品加工), 28 家 入驻企业. Its land as the seed report gives it: 9000亩 储备 done,
已征 5000亩 waiting for 报批 and 3700亩 of the new 10 000亩 征收 done (已征 8700亩 in all); its 建成区 5 平方公里
(the 2025 aim: 新增 5, to 10). The split between the 分区, the 供地 and the 厂房 areas are not in the seed: they are
illustrative (the seed: 北区标准化厂房一期 开工建设, 南区标准化厂房 in 前期). Idempotent by the zone's name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.domain.calendar import anchored
from crm.domain.zones import BuildingStatus
from crm.extensions import db
from crm.units.models import Unit
from crm.zones.models import Zone, ZoneBuilding, ZoneLand, ZonePart

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

COUNTY = "鲁山县"
ZONE = "鲁山县产业集聚区"
REPORT = date(2025, 5, 21)
NOTES = "累计完成基础设施建设投资17.09亿元，工业项目投资51.2亿元。2025年目标：新增建成区5平方公里，建成区达到10平方公里。"
# (分区, 规划面积, 主导产业, 储备, 已征, 报批, 供地, 备注)
PARTS = [
    ("北区", "9.65", "新型建材", 5500, 5800, 5000, 800, "已征5000亩待报批（制约石材建材工业城）；分区拆分及供地为示例数据"),
    ("南区", "6.68", "轻纺、旅游产品加工", 3500, 2900, 0, 1100, "含新增征收已完成的部分；分区拆分及供地为示例数据"),
]
# (name, 分区, 状态, 建筑面积, 已出租, 入驻企业, 备注)
BUILDINGS = [
    ("北区标准化厂房一期", "北区", BuildingStatus.BUILDING, 60_000, 0, None, "已开工建设；面积为示例数据"),
    ("南区标准化厂房", "南区", BuildingStatus.PLANNED, 40_000, 0, None, "项目前期；面积为示例数据"),
    ("南区轻纺标准化厂房（既有）", "南区", BuildingStatus.BUILT, 30_000, 18_000, "鲁吉兰美体内衣、尧盛针织", "示例数据"),
]


def load_zones(report: "LoadReport", today: date) -> None:
    county = db.session.scalars(sa.select(Unit).where(Unit.name == COUNTY)).first()
    if county is None or db.session.scalars(sa.select(Zone.id).where(Zone.unit_id == county.id, Zone.name == ZONE)).first():
        return
    zone = Zone(unit_id=county.id, name=ZONE, level="省级产业集聚区", planned_km2=Decimal("16.33"), built_km2=Decimal("5.00"),
                industries="新型建材、轻纺、旅游产品加工", firms=28, notes=NOTES)
    db.session.add(zone)
    db.session.flush()
    report.add("zones")
    parts: dict[str, ZonePart] = {}
    for name, km2, industries, reserve, acquired, approving, supplied, notes in PARTS:
        part = ZonePart(unit_id=county.id, zone_id=zone.id, name=name, planned_km2=Decimal(km2), industries=industries)
        db.session.add(part)
        db.session.flush()
        parts[name] = part
        db.session.add(ZoneLand(unit_id=county.id, zone_id=zone.id, part_id=part.id, as_of=anchored(REPORT, today),
                                reserve_mu=Decimal(reserve), acquired_mu=Decimal(acquired), approving_mu=Decimal(approving),
                                supplied_mu=Decimal(supplied), notes=notes))
        report.add("zone land lines")
    for name, part_name, status, total, let, tenants, notes in BUILDINGS:
        db.session.add(ZoneBuilding(unit_id=county.id, zone_id=zone.id, part_id=parts[part_name].id, name=name, status=status,
                                    total_m2=Decimal(total), let_m2=Decimal(let), tenants=tenants, notes=notes))
        report.add("zone buildings")
    db.session.flush()
