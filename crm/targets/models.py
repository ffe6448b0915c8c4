"""Targets and typed monthly figures. Edited by admins and reviewers; read where the unit is visible."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.access.reach import visible_units
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.domain.access import Actor
from crm.domain.kpi import Indicator, TargetScope
from crm.units.models import Unit
from crm.users.models import User

Figure = sa.Numeric(16, 2)


class Target(UnitOwned, Audited, Versioned, Timestamped, Base):
    """年度目标: a value for one indicator, one year, one owner (the county, a unit, or a leader).

    ``unit_id`` is the county for county and leader targets, the unit for unit targets;
    ``owner_key`` ("unit:5" / "leader:12") makes "one target per owner, year and indicator" a
    plain unique constraint on both databases.
    """

    __tablename__ = "targets"
    __audit_name__ = _l("年度目标")
    __table_args__ = (
        sa.UniqueConstraint("year", "owner_key", "indicator"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
        sa.CheckConstraint("(scope = 'leader') = (leader_id IS NOT NULL)", name="leader_scope_has_leader"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    scope: Mapped[TargetScope] = mapped_column(enum_column(TargetScope, "target_scope"))
    leader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    owner_key: Mapped[str] = mapped_column(sa.String(30))
    indicator: Mapped[Indicator] = mapped_column(enum_column(Indicator, "target_indicator"))
    value: Mapped[Decimal] = mapped_column(Figure)

    unit: Mapped[Unit] = relationship()
    leader: Mapped[User | None] = relationship()

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        """A unit's targets where its records are visible; county targets for the county's roles."""
        return visible_units(actor).clause(cls.unit_id)

    def __str__(self) -> str:
        return f"{self.year} {self.indicator.value if self.indicator else ''}"


class ZoneMetric(UnitOwned, Audited, Versioned, Timestamped, Base):
    """园区指标: a 1–N月 cumulative figure of a month, typed in (固投, 主营收入, 税收 …), with 同比."""

    __tablename__ = "zone_metrics"
    __audit_name__ = _l("园区指标")
    __table_args__ = (sa.UniqueConstraint("unit_id", "period", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7), index=True)  # YYYY-MM, cumulative from January
    indicator: Mapped[Indicator] = mapped_column(enum_column(Indicator, "zone_indicator"))
    value: Mapped[Decimal] = mapped_column(Figure)
    yoy_pct: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))  # 同比 %, as reported

    unit: Mapped[Unit] = relationship()

    def __str__(self) -> str:
        return f"{self.period} {self.indicator.value if self.indicator else ''}"
