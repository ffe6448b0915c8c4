"""Milestones, monthly progress and funds in place. Totals and rates are computed, never typed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.audit.mixins import Audited
from crm.companies.models import Money
from crm.db import Base, Timestamped, UTCDateTime, Versioned, enum_column
from crm.domain.companies import FundingSource
from crm.domain.projects import FundPurpose, MilestoneKind, ReviewStatus
from crm.projects.models import Project, ProjectOwned
from crm.units.models import Unit
from crm.users.models import User


class Milestone(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """倒排工期 节点: one per kind per project, planned and actual dates, a responsible unit."""

    __tablename__ = "project_milestones"
    __audit_name__ = _l("工期节点")
    __table_args__ = (sa.UniqueConstraint("project_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind, "milestone_kind"))
    planned_on: Mapped[date] = mapped_column(index=True)
    actual_on: Mapped[date | None]
    responsible_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(500))

    project: Mapped[Project] = relationship()
    responsible_unit: Mapped[Unit | None] = relationship()

    @classmethod
    def is_open(cls) -> sa.ColumnElement[bool]:
        """Not reached yet (no actual date)."""
        return cls.actual_on.is_(None)

    @classmethod
    def overdue_on(cls, today: date) -> sa.ColumnElement[bool]:
        """逾期 on ``today``: not reached and past the planned date (``crm.domain.projects.milestone_status`` in SQL)."""
        return sa.and_(cls.is_open(), cls.planned_on < today)

    def __str__(self) -> str:
        return self.kind.value if self.kind else "milestone"


class ProgressReport(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """月度进展: 累计完成投资 and 形象进度 for one month; photos are attachments of this row."""

    __tablename__ = "project_progress"
    __audit_name__ = _l("项目进展")
    __table_args__ = (
        sa.UniqueConstraint("project_id", "period"),
        sa.CheckConstraint("cumulative_investment IS NULL OR cumulative_investment >= 0", name="cumulative_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7), index=True)  # YYYY-MM
    cumulative_investment: Mapped[Decimal | None] = mapped_column(Money)  # 累计完成投资 (万元)
    description: Mapped[str] = mapped_column(sa.Text)  # 形象进度
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    project: Mapped[Project] = relationship()
    reported_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return self.period or "progress"


class FundArrival(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """到位资金: money that actually arrived in a month, with its evidence; reviewed like stage reports."""

    __tablename__ = "fund_arrivals"
    __audit_name__ = _l("到位资金")
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("review_status <> 'rejected' OR review_comment IS NOT NULL", name="rejection_has_comment"),
        sa.Index("ix_fund_arrivals_period_id", "period", "id"),  # the 到位资金 list's order; serves period filters too
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(7))  # YYYY-MM
    amount: Mapped[Decimal] = mapped_column(Money)  # 本期到位 (万元)
    source: Mapped[FundingSource] = mapped_column(enum_column(FundingSource, "fund_source"))  # 来源地
    purpose: Mapped[FundPurpose] = mapped_column(enum_column(FundPurpose, "fund_purpose"))  # 用途
    note: Mapped[str | None] = mapped_column(sa.String(500))
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "fund_review"), default=ReviewStatus.PENDING, index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(sa.String(500))

    project: Mapped[Project] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    def __str__(self) -> str:
        return f"{self.period} {self.amount}" if self.period else "funds"
