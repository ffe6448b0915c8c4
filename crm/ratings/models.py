"""The county's 评议 criteria and the monthly score sheets of its raters (``crm.domain.ratings``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned
from crm.domain.access import Resource, Target
from crm.units.models import Unit
from crm.users.models import User

Points = sa.Numeric(6, 1)


class RatingCriterion(UnitOwned, Audited, Versioned, Timestamped, Base):
    """评议内容: one line of the county's score sheet (服务态度 30 分 …). ``unit_id`` is the county: it is the
    county's report configuration (the policy's ``Resource.REPORT``), read by its raters through
    ``crm.ratings.queries.county_criteria``."""

    __tablename__ = "rating_criteria"
    __audit_name__ = _l("评议内容")
    __table_args__ = (
        sa.UniqueConstraint("unit_id", "name"),
        sa.CheckConstraint("max_points > 0", name="max_points_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    max_points: Mapped[Decimal] = mapped_column(Points)
    sort_order: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def access_target(self) -> Target:
        return Target(Resource.REPORT, unit_id=self.unit_id)

    def __str__(self) -> str:
        return self.name


class ServiceRating(UnitOwned, Audited, Versioned, Timestamped, Base):
    """One rater's score sheet of one 服务单位 for one month. ``unit_id`` is the rater's unit (the 分局, or the
    county for its leaders); ``county_id`` the county whose 评议 it is; ``points`` maps each criterion's id to
    its score (as text), ``total`` their sum."""

    __tablename__ = "service_ratings"
    __audit_name__ = _l("服务单位评议")
    __table_args__ = (
        sa.UniqueConstraint("period", "service_unit_id", "rater_id"),
        sa.Index("ix_service_ratings_county_period", "county_id", "period"),
        sa.CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(sa.String(7))  # YYYY-MM
    service_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    rater_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    points: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    total: Mapped[Decimal] = mapped_column(Points)
    comment: Mapped[str | None] = mapped_column(sa.Text)

    service_unit: Mapped[Unit] = relationship(foreign_keys=[service_unit_id])
    rater: Mapped[User] = relationship()

    def access_target(self) -> Target:
        return Target(Resource.SERVICE_RATING, unit_id=self.unit_id)

    def __str__(self) -> str:
        return f"{self.period} {self.service_unit.name if self.service_unit else ''}"
