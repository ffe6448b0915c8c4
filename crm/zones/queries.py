"""Reads of the county's 园区 (past the unit scope, with the county's ``unit_id``: every role of the county reads
them, like its 挂牌保护 list; callers check ``Resource.ZONE`` VIEW first) and of the leads' 用地需求 against them
(the leads under the reader's own scope)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa

from crm.companies.models import Company
from crm.domain.leads import OPEN_STATUSES
from crm.domain.zones import Fit, Land, Space, land_fit, space_of, total_land
from crm.extensions import db
from crm.leads.models import Lead
from crm.reports.scope import county_rows
from crm.units.models import Unit
from crm.units.queries import county_unit_ids
from crm.zones.models import Zone, ZoneBuilding, ZoneLand, ZonePart

M = TypeVar("M", Zone, ZonePart, ZoneLand, ZoneBuilding)


def county_zones(county_id: int, active_only: bool = False) -> list[Zone]:
    stmt = sa.select(Zone).order_by(Zone.is_active.desc(), Zone.id)
    if active_only:
        stmt = stmt.where(Zone.is_active)
    return list(db.session.scalars(county_rows(stmt, Zone.unit_id, county_id)))


def county_zone(county_id: int, zone_id: int) -> Zone | None:
    return db.session.scalars(county_rows(sa.select(Zone).where(Zone.id == zone_id), Zone.unit_id, county_id)).one_or_none()


def _children(model: type[M], zone: Zone, order: Any) -> list[M]:
    stmt = sa.select(model).where(model.zone_id == zone.id).order_by(*order)
    return list(db.session.scalars(county_rows(stmt, model.unit_id, zone.unit_id)))


def parts_of(zone: Zone) -> list[ZonePart]:
    return _children(ZonePart, zone, (ZonePart.id,))


def land_of(zone: Zone) -> list[ZoneLand]:
    return _children(ZoneLand, zone, (ZoneLand.part_id.is_not(None), ZoneLand.part_id, ZoneLand.id))


def buildings_of(zone: Zone) -> list[ZoneBuilding]:
    return _children(ZoneBuilding, zone, (ZoneBuilding.part_id.is_not(None), ZoneBuilding.part_id, ZoneBuilding.id))


def child_of(model: type[M], zone: Zone, row_id: int) -> M | None:
    return next((row for row in _children(model, zone, (model.id,)) if row.id == row_id), None)


@dataclass
class ZoneFigures:
    """A zone with everything its pages show: its 分区, ledger lines and 厂房, and their totals."""

    zone: Zone
    parts: list[ZonePart]
    land_lines: list[ZoneLand]
    buildings: list[ZoneBuilding]
    land: Land = field(init=False)
    space: Space = field(init=False)

    def __post_init__(self) -> None:
        self.land = total_land(line.land() for line in self.land_lines)
        self.space = space_of((b.status, b.total_m2, b.let_m2) for b in self.buildings)

    @property
    def part_names(self) -> dict[int, str]:
        return {p.id: p.name for p in self.parts}

    def part_land(self, part_id: int) -> Land:
        return total_land(line.land() for line in self.land_lines if line.part_id == part_id)

    def part_space(self, part_id: int) -> Space:
        return space_of((b.status, b.total_m2, b.let_m2) for b in self.buildings if b.part_id == part_id)


def figures_of(zone: Zone) -> ZoneFigures:
    return ZoneFigures(zone, parts_of(zone), land_of(zone), buildings_of(zone))


@dataclass(frozen=True)
class DemandLine:
    lead_id: int
    name: str
    company: str
    unit: str
    status: Any
    land_mu: Decimal
    fit: Fit


@dataclass(frozen=True)
class Demand:
    lines: list[DemandLine]
    total_mu: Decimal  # all the listed leads' 用地需求 together

    @property
    def short(self) -> list[DemandLine]:
        return [line for line in self.lines if line.fit is Fit.SHORT]

    def total_fit(self, land: Land) -> Fit:
        return land_fit(self.total_mu, land)


def land_demand(county_id: int, land: Land) -> Demand:
    """The open leads with a 用地需求 that the reader sees (their own scope) of the county's units, largest first,
    each against the zone's land."""
    units = county_unit_ids(county_id)
    rows = db.session.execute(
        sa.select(Lead.id, Lead.name, Company.name, Unit.name, Lead.status, Lead.land_mu)
        .join(Company, Company.id == Lead.company_id).join(Unit, Unit.id == Lead.unit_id)
        .where(Lead.status.in_(OPEN_STATUSES), Lead.land_mu > 0, units.clause(Lead.unit_id))
        .order_by(Lead.land_mu.desc(), Lead.id)
    ).all()
    lines = [DemandLine(r[0], r[1], r[2], r[3], r[4], r[5], land_fit(r[5], land)) for r in rows]
    return Demand(lines, sum((line.land_mu for line in lines), Decimal(0)))
