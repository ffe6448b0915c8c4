from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.catalog.models import IndustryChain
from crm.companies.models import Company, Money
from crm.companies.signals import mover
from crm.db import Base, Timestamped, Versioned, enum_column, sorted_and_filtered_by
from crm.domain.leads import OPEN_STATUSES, LeadGrade, LeadSource, LeadStatus
from crm.units.models import Unit
from crm.users.models import User


class Lead(UnitOwned, Audited, Versioned, Timestamped, Base):
    """线索: a possible investment, followed by one unit and one person."""

    __tablename__ = "leads"
    __audit_name__ = _l("线索")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)  # 跟进人
    source: Mapped[LeadSource] = mapped_column(enum_column(LeadSource, "lead_source"))
    referrer: Mapped[str | None] = mapped_column(sa.String(120))  # 引荐人/引荐单位
    amount_low: Mapped[Decimal | None] = mapped_column(Money)  # 拟投资额 (万元); a single amount has low == high
    amount_high: Mapped[Decimal | None] = mapped_column(Money)
    construction: Mapped[str | None] = mapped_column(sa.Text)  # 建设内容
    land_mu: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # 用地需求 (亩)
    expected_output: Mapped[Decimal | None] = mapped_column(Money)  # 预计年产值 (万元)
    expected_tax: Mapped[Decimal | None] = mapped_column(Money)  # 预计年税收 (万元)
    chain_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry_chains.id", ondelete="RESTRICT"), index=True)
    grade: Mapped[LeadGrade | None] = mapped_column(enum_column(LeadGrade, "lead_grade"))
    received_on: Mapped[date]  # 接收日期
    assessment: Mapped[str | None] = mapped_column(sa.Text)  # 研判结论
    status: Mapped[LeadStatus] = mapped_column(enum_column(LeadStatus, "lead_status"), default=LeadStatus.NEW, index=True)
    abandon_reason: Mapped[str | None] = mapped_column(sa.String(500))
    next_follow_up_on: Mapped[date | None] = mapped_column(index=True)
    last_activity_on: Mapped[date | None] = mapped_column(index=True)  # the latest visit or follow-up, for "stale"

    company: Mapped[Company] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    unit: Mapped[Unit] = relationship()
    chain: Mapped[IndustryChain | None] = relationship()

    @classmethod
    def quiet_since(cls) -> sa.ColumnElement[date]:
        """The last sign of life: the latest visit or follow-up, else the day the lead came in."""
        return sa.func.coalesce(cls.last_activity_on, cls.received_on)

    @classmethod
    def stale_on(cls, today: date, days: int) -> sa.ColumnElement[bool]:
        """长期未跟进 on ``today``: still open and quiet for ``days`` days or more (the list's filter, the alert
        and the digest all ask this)."""
        return sa.and_(cls.status.in_(OPEN_STATUSES), cls.quiet_since() <= today - timedelta(days=days))

    def __str__(self) -> str:
        return self.name


# The list's sorts and filters (tests/test_list_indexes.py).
sorted_and_filtered_by(Lead.received_on, Lead.updated_at, Lead.amount_high, Lead.grade, Lead.source)


# A company merge moves the merged company's leads to the survivor (crm.companies.signals).
mover(Lead.__table__, "company_id")
