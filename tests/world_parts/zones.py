"""World records of 园区 (see tests/world_parts/__init__.py): county A's zone (``zone``) with a 分区 (``zone_part``),
a land line (``zone_land``) and a 厂房 (``zone_building``); county B's zone (``zone_b``, with ``zone_b_land``):
not found by anyone of county A."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.clock import local_today
    from crm.domain.zones import BuildingStatus
    from crm.extensions import db
    from crm.zones.models import Zone, ZoneBuilding, ZoneLand, ZonePart

    with app.app_context():
        set_scope(db.session, SYSTEM)
        today = local_today()
        county_a, county_b = w.units["county_a"].id, w.units["county_b"].id
        zone = Zone(unit_id=county_a, name="甲县产业集聚区", planned_km2=Decimal("16.33"), built_km2=Decimal("5"), industries="新型建材")
        zone_b = Zone(unit_id=county_b, name="乙县产业集聚区", planned_km2=Decimal("10"))
        db.session.add_all([zone, zone_b])
        db.session.flush()
        part = ZonePart(unit_id=county_a, zone_id=zone.id, name="北区", planned_km2=Decimal("9.65"), industries="新型建材")
        db.session.add(part)
        db.session.flush()
        land = ZoneLand(unit_id=county_a, zone_id=zone.id, part_id=part.id, as_of=today, reserve_mu=Decimal(500), acquired_mu=Decimal(300),
                        approving_mu=Decimal(100), supplied_mu=Decimal(50))
        land_b = ZoneLand(unit_id=county_b, zone_id=zone_b.id, as_of=today, reserve_mu=Decimal(0), acquired_mu=Decimal(7777),
                          approving_mu=Decimal(0), supplied_mu=Decimal(0))
        building = ZoneBuilding(unit_id=county_a, zone_id=zone.id, part_id=part.id, name="北区标准化厂房一期", status=BuildingStatus.BUILT,
                                total_m2=Decimal(20000), let_m2=Decimal(5000))
        db.session.add_all([land, land_b, building])
        db.session.commit()
        w.records.update(zone=zone.id, zone_b=zone_b.id, zone_part=part.id, zone_land=land.id, zone_b_land=land_b.id, zone_building=building.id)
