"""园区: add and edit a zone, its 分区, its land ledger lines and its 标准化厂房. Services validate (the rules:
``crm.domain.zones``) and flush; the view commits once. Everything is the county's (``Resource.ZONE``): its rows
carry the county as ``unit_id``, never a form's value.

- A zone's 建成区 is within its 规划面积, and its 分区 add up to at most the 规划面积.
- The land ledger has one line for the whole zone and one per 分区 at most; each line's 报批 and 供地 are parts
  of its 已征 (``land_problems``). Edits keep the old figures in the audit log (the line's 历史).
- A 厂房's area let is at most its area, and nothing is let before it is 建成.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.access.policy import check_in_service
from crm.domain.access import Action, Actor, Resource, Target
from crm.domain.zones import (
    AreaProblem,
    BuildingProblem,
    BuildingStatus,
    Land,
    LandProblem,
    area_problems,
    building_problems,
    land_problems,
    part_area_problem,
)
from crm.errors import FieldError
from crm.extensions import db
from crm.zones.models import Zone, ZoneBuilding, ZoneLand, ZonePart
from crm.zones.queries import buildings_of, land_of, parts_of

FORM = "form"
ZERO = Decimal(0)

AREA_MESSAGES = {
    AreaProblem.NEGATIVE: _l("面积不能为负数"),
    AreaProblem.TOO_LARGE: _l("面积过大，请核对单位是否为平方公里"),
    AreaProblem.BUILT_OVER_PLANNED: _l("建成区不能大于规划面积"),
    AreaProblem.PARTS_OVER_PLANNED: _l("各分区规划面积之和不能大于园区规划面积"),
}
LAND_MESSAGES = {
    LandProblem.NEGATIVE: _l("亩数不能为负数"),
    LandProblem.TOO_LARGE: _l("亩数过大，请核对单位是否为亩"),
    LandProblem.APPROVING_OVER_ACQUIRED: _l("报批面积是已征土地的一部分，不能大于已征"),
    LandProblem.SUPPLIED_OVER_ACQUIRED: _l("供地面积不能大于已征"),
    LandProblem.SUPPLIED_AND_APPROVING_OVER_ACQUIRED: _l("报批与供地之和不能大于已征（已供土地须已完成报批）"),
}
BUILDING_MESSAGES = {
    BuildingProblem.NEGATIVE: _l("面积不能为负数"),
    BuildingProblem.TOO_LARGE: _l("面积过大，请核对单位是否为平方米"),
    BuildingProblem.LET_OVER_TOTAL: _l("已出租面积不能大于建筑面积"),
    BuildingProblem.LET_BEFORE_BUILT: _l("厂房建成后才能出租，请先将状态改为“建成”"),
}


class ZoneError(FieldError):
    pass


def zone_target(county_id: int) -> Target:
    return Target(Resource.ZONE, unit_id=county_id)


def _require(actor: Actor, action: Action, target: Target) -> None:
    check_in_service(actor, action, target, ZoneError)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


# --- the zone -------------------------------------------------------------------------------------------
@dataclass
class ZoneData:
    name: str
    level: str | None = None
    planned_km2: Decimal | None = None
    built_km2: Decimal | None = None
    industries: str | None = None
    firms: int | None = None
    notes: str | None = None
    is_active: bool = True


def _apply_zone(row: Zone, data: ZoneData, parts: list[ZonePart]) -> None:
    if not (data.name or "").strip():
        raise ZoneError("name", _("必填项"))
    problems = area_problems(data.planned_km2, data.built_km2, [p.planned_km2 for p in parts if p.planned_km2 is not None])
    for name, problem in problems.items():
        raise ZoneError(name, str(AREA_MESSAGES[problem]))
    row.name = data.name.strip()
    row.level = _text(data.level)
    row.planned_km2, row.built_km2 = data.planned_km2, data.built_km2
    row.industries = _text(data.industries)
    row.firms = data.firms
    row.notes = _text(data.notes)
    row.is_active = data.is_active


def create_zone(actor: Actor, county_id: int, data: ZoneData) -> Zone:
    _require(actor, Action.CREATE, zone_target(county_id))
    row = Zone(unit_id=county_id)
    _apply_zone(row, data, [])
    db.session.add(row)
    db.session.flush()
    return row


def update_zone(actor: Actor, row: Zone, data: ZoneData) -> None:
    _require(actor, Action.EDIT, row.access_target())
    _apply_zone(row, data, parts_of(row))
    db.session.flush()


# --- 分区 -----------------------------------------------------------------------------------------------
@dataclass
class PartData:
    name: str
    planned_km2: Decimal | None = None
    industries: str | None = None


def _apply_part(zone: Zone, row: ZonePart, data: PartData) -> None:
    name = (data.name or "").strip()
    if not name:
        raise ZoneError("name", _("必填项"))
    others = [p for p in parts_of(zone) if p.id != row.id]
    if any(p.name == name for p in others):
        raise ZoneError("name", _("该园区已有名为“%(name)s”的分区", name=name))
    problem = part_area_problem(data.planned_km2, [p.planned_km2 for p in others if p.planned_km2 is not None], zone.planned_km2)
    if problem is not None:
        raise ZoneError("planned_km2", str(AREA_MESSAGES[problem]))
    row.name, row.planned_km2, row.industries = name, data.planned_km2, _text(data.industries)


def add_part(actor: Actor, zone: Zone, data: PartData) -> ZonePart:
    _require(actor, Action.EDIT, zone.access_target())
    row = ZonePart(unit_id=zone.unit_id, zone_id=zone.id)
    _apply_part(zone, row, data)
    db.session.add(row)
    db.session.flush()
    return row


def update_part(actor: Actor, zone: Zone, row: ZonePart, data: PartData) -> None:
    _require(actor, Action.EDIT, zone.access_target())
    _apply_part(zone, row, data)
    db.session.flush()


def _part_of(zone: Zone, part_id: int | None) -> ZonePart | None:
    if not part_id:
        return None
    part = next((p for p in parts_of(zone) if p.id == part_id), None)
    if part is None:
        raise ZoneError("part_id", _("请从列表中选择"))
    return part


# --- 土地台账 -------------------------------------------------------------------------------------------
@dataclass
class LandData:
    part_id: int | None
    as_of: date | None
    reserve_mu: Decimal | None = None
    acquired_mu: Decimal | None = None
    approving_mu: Decimal | None = None
    supplied_mu: Decimal | None = None
    notes: str | None = None

    def land(self) -> Land:
        return Land(self.reserve_mu or ZERO, self.acquired_mu or ZERO, self.approving_mu or ZERO, self.supplied_mu or ZERO)


def _apply_land(zone: Zone, row: ZoneLand, data: LandData, today: date) -> None:
    part = _part_of(zone, data.part_id)
    part_id = part.id if part else None
    if any(line.part_id == part_id and line.id != row.id for line in land_of(zone)):
        raise ZoneError("part_id", _("该分区已有台账，请修改原有记录") if part else _("全园区已有台账，请修改原有记录"))
    if data.as_of is None:
        raise ZoneError("as_of", _("请填写日期"))
    if data.as_of > today:
        raise ZoneError("as_of", _("截至日期不能晚于今天"))
    land = data.land()
    for name, problem in land_problems(land).items():
        raise ZoneError(f"{name}_mu", str(LAND_MESSAGES[problem]))
    row.part_id, row.as_of = part_id, data.as_of
    row.reserve_mu, row.acquired_mu, row.approving_mu, row.supplied_mu = land.reserve, land.acquired, land.approving, land.supplied
    row.notes = _text(data.notes)


def add_land(actor: Actor, zone: Zone, data: LandData, today: date) -> ZoneLand:
    _require(actor, Action.EDIT, zone.access_target())
    row = ZoneLand(unit_id=zone.unit_id, zone_id=zone.id)
    _apply_land(zone, row, data, today)
    db.session.add(row)
    db.session.flush()
    return row


def update_land(actor: Actor, zone: Zone, row: ZoneLand, data: LandData, today: date) -> None:
    _require(actor, Action.EDIT, zone.access_target())
    _apply_land(zone, row, data, today)
    db.session.flush()


# --- 标准化厂房 -----------------------------------------------------------------------------------------
@dataclass
class BuildingData:
    name: str
    part_id: int | None = None
    status: BuildingStatus | None = None
    total_m2: Decimal | None = None
    let_m2: Decimal | None = None
    tenants: str | None = None
    notes: str | None = None


def _apply_building(zone: Zone, row: ZoneBuilding, data: BuildingData) -> None:
    name = (data.name or "").strip()
    if not name:
        raise ZoneError("name", _("必填项"))
    part = _part_of(zone, data.part_id)
    if any(b.name == name and b.id != row.id for b in buildings_of(zone)):
        raise ZoneError("name", _("该园区已有名为“%(name)s”的厂房", name=name))
    if data.total_m2 is None:
        raise ZoneError("total_m2", _("请填写建筑面积"))
    status = data.status or BuildingStatus.BUILT
    let = data.let_m2 or ZERO
    for field, problem in building_problems(status, data.total_m2, let).items():
        raise ZoneError(field, str(BUILDING_MESSAGES[problem]))
    row.name, row.part_id, row.status = name, part.id if part else None, status
    row.total_m2, row.let_m2 = data.total_m2, let
    row.tenants, row.notes = _text(data.tenants), _text(data.notes)


def add_building(actor: Actor, zone: Zone, data: BuildingData) -> ZoneBuilding:
    _require(actor, Action.EDIT, zone.access_target())
    row = ZoneBuilding(unit_id=zone.unit_id, zone_id=zone.id)
    _apply_building(zone, row, data)
    db.session.add(row)
    db.session.flush()
    return row


def update_building(actor: Actor, zone: Zone, row: ZoneBuilding, data: BuildingData) -> None:
    _require(actor, Action.EDIT, zone.access_target())
    _apply_building(zone, row, data)
    db.session.flush()

