"""Frozen monthly figures and the county's report settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, utcnow
from crm.units.models import Unit
from crm.users.models import User


class ReportSnapshot(UnitOwned, Audited, Base):
    """A published report (招商引资月报, 月评比): the figures as they were when published.

    Later edits of the records do not change ``data``; pages show the live figure and the
    difference beside it. ``unit_id`` is the county (or unit) the report is about.
    """

    __tablename__ = "report_snapshots"
    __audit_name__ = _l("月报")
    __audit_exclude__ = frozenset({"data"})
    __table_args__ = (sa.UniqueConstraint("kind", "unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))  # monthly_report, ranking
    period: Mapped[str] = mapped_column(sa.String(7), index=True)  # YYYY-MM
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    unit: Mapped[Unit] = relationship()
    published_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"


class ReportSettings(UnitOwned, Audited, Versioned, Timestamped, Base):
    """One county's report settings (the 统计口径 threshold and exclusions, the 月评比 scorecard),
    as JSON validated by the domain; absent means the DOMAIN defaults."""

    __tablename__ = "report_settings"
    __audit_name__ = _l("统计与评比设置")
    __table_args__ = (sa.UniqueConstraint("unit_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40))  # counting_rules, scorecard
    value: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    def __str__(self) -> str:
        return self.key


class FigureGeneration(Base):
    """One row whose token changes in every transaction that changes a business record: what the figure cache
    (``crm.reports.cache``) keys its results by. A token, not a counter: a transaction that rolls back never
    hands its number to the one that commits next."""

    __tablename__ = "figure_generations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))
