"""园区: the county's zones, their 分区, land ledger and 标准化厂房 (the rules: ``crm.domain.zones``).

Every row carries the county (``unit_id``) and is read through ``crm.zones.queries`` (the county's rows, past the
unit scope, like 挂牌保护); with no scope they match nothing. Areas are 平方公里, land 亩, 厂房 m²."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.domain.access import Resource, Target
from crm.domain.zones import BuildingStatus, Land

Km2 = sa.Numeric(10, 2)  # 平方公里
Mu = sa.Numeric(12, 2)  # 亩
M2 = sa.Numeric(12, 2)  # m²


class Zone(UnitOwned, Audited, Versioned, Timestamped, Base):
    """园区 (产业集聚区): a record of the county (``unit_id``)."""

    __tablename__ = "zones"
    __audit_name__ = _l("园区")
    __table_args__ = (
        sa.CheckConstraint("planned_km2 IS NULL OR planned_km2 >= 0", name="planned_not_negative"),
        sa.CheckConstraint("built_km2 IS NULL OR built_km2 >= 0", name="built_not_negative"),
        sa.CheckConstraint("length(trim(name)) > 0", name="has_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[str | None] = mapped_column(sa.String(60))  # 级别, e.g. 省级产业集聚区
    planned_km2: Mapped[Decimal | None] = mapped_column(Km2)  # 规划面积
    built_km2: Mapped[Decimal | None] = mapped_column(Km2)  # 建成区
    industries: Mapped[str | None] = mapped_column(sa.String(200))  # 主导产业
    firms: Mapped[int | None]  # 入驻企业 (家)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def access_target(self) -> Target:
        return Target(Resource.ZONE, unit_id=self.unit_id)

    def __str__(self) -> str:
        return self.name or "zone"


class ZonePart(UnitOwned, Audited, Versioned, Timestamped, Base):
    """分区 of a zone (北区, 南区 …), with its own 规划面积 and 主导产业."""

    __tablename__ = "zone_parts"
    __audit_name__ = _l("园区分区")
    __table_args__ = (
        sa.UniqueConstraint("zone_id", "name"),
        sa.CheckConstraint("planned_km2 IS NULL OR planned_km2 >= 0", name="planned_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(sa.ForeignKey("zones.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    planned_km2: Mapped[Decimal | None] = mapped_column(Km2)
    industries: Mapped[str | None] = mapped_column(sa.String(200))

    def access_target(self) -> Target:
        return Target(Resource.ZONE, unit_id=self.unit_id)

    def __str__(self) -> str:
        return self.name or "part"


class ZoneLand(UnitOwned, Audited, Versioned, Timestamped, Base):
    """A line of the land ledger (亩): the current figures as of a day, for the whole zone (``part_id`` empty) or
    one 分区 (one line each). Edits keep their history in the audit log; the zone's totals are its lines' sum."""

    __tablename__ = "zone_land"
    __audit_name__ = _l("园区土地台账")
    __table_args__ = (
        sa.CheckConstraint("reserve_mu >= 0 AND acquired_mu >= 0 AND approving_mu >= 0 AND supplied_mu >= 0", name="not_negative"),
        sa.CheckConstraint("approving_mu + supplied_mu <= acquired_mu", name="within_acquired"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(sa.ForeignKey("zones.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("zone_parts.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[date]  # 截至日期
    reserve_mu: Mapped[Decimal] = mapped_column(Mu, default=Decimal(0))  # 储备
    acquired_mu: Mapped[Decimal] = mapped_column(Mu, default=Decimal(0))  # 已征
    approving_mu: Mapped[Decimal] = mapped_column(Mu, default=Decimal(0))  # 报批
    supplied_mu: Mapped[Decimal] = mapped_column(Mu, default=Decimal(0))  # 供地
    notes: Mapped[str | None] = mapped_column(sa.Text)

    def land(self) -> Land:
        return Land(self.reserve_mu, self.acquired_mu, self.approving_mu, self.supplied_mu)

    def access_target(self) -> Target:
        return Target(Resource.ZONE, unit_id=self.unit_id)

    def __str__(self) -> str:
        return f"land {self.as_of}"


class ZoneBuilding(UnitOwned, Audited, Versioned, Timestamped, Base):
    """标准化厂房: a building (or one 期 of them) with its floor area and the area let (已出租/已入驻), in m²."""

    __tablename__ = "zone_buildings"
    __audit_name__ = _l("标准化厂房")
    __table_args__ = (
        sa.CheckConstraint("total_m2 >= 0 AND let_m2 >= 0", name="not_negative"),
        sa.CheckConstraint("let_m2 <= total_m2", name="let_within_total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(sa.ForeignKey("zones.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int | None] = mapped_column(sa.ForeignKey("zone_parts.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[BuildingStatus] = mapped_column(enum_column(BuildingStatus, "zone_building_status"), default=BuildingStatus.BUILT)
    total_m2: Mapped[Decimal] = mapped_column(M2)  # 建筑面积
    let_m2: Mapped[Decimal] = mapped_column(M2, default=Decimal(0))  # 已出租/已入驻
    tenants: Mapped[str | None] = mapped_column(sa.String(500))  # 入驻企业
    notes: Mapped[str | None] = mapped_column(sa.Text)

    def access_target(self) -> Target:
        return Target(Resource.ZONE, unit_id=self.unit_id)

    def __str__(self) -> str:
        return self.name or "building"
