from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.companies.models import Company, Money
from crm.companies.signals import mover
from crm.db import Base, Timestamped, Versioned, enum_column, sorted_and_filtered_by
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.leads.models import Lead
from crm.units.models import Unit
from crm.users.models import User

PerMu = sa.Numeric(12, 2)  # 万元/亩


class Agreement(UnitOwned, Audited, Versioned, Timestamped, Base):
    """协议: an agreement signed with a company (乙方), owned by the unit that made it.

    Amounts are exact decimals in 万元; the checks below repeat the service rules so that
    no other path (a script, a future import) can store what a form would refuse.
    """

    __tablename__ = "agreements"
    __audit_name__ = _l("协议")
    __table_args__ = (
        sa.CheckConstraint("investment_amount >= 0", name="investment_not_negative"),
        sa.CheckConstraint("attracted_amount >= 0", name="attracted_not_negative"),
        sa.CheckConstraint(
            "planned_production_on IS NULL OR planned_start_on IS NULL OR planned_production_on >= planned_start_on",
            name="production_after_start",
        ),
        sa.CheckConstraint("status <> 'rescinded' OR termination_reason IS NOT NULL", name="termination_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[AgreementType] = mapped_column(enum_column(AgreementType, "agreement_type"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))  # 协议名称
    number: Mapped[str | None] = mapped_column(sa.String(60))  # 协议编号
    signed_on: Mapped[date] = mapped_column(index=True)  # 签约日期
    signing_event: Mapped[str | None] = mapped_column(sa.String(120))  # 签约活动, e.g. 三个一批第N期, 投洽会
    party_a: Mapped[str] = mapped_column(sa.String(120))  # 甲方: 县政府 / 管委会 / 授权单位
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)  # 乙方
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leads.id", ondelete="SET NULL"), index=True)
    # The project it was signed for (set when a stage report cites it, or chosen on the form).
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    investment_amount: Mapped[Decimal | None] = mapped_column(Money)  # 协议投资额 (万元)
    attracted_amount: Mapped[Decimal | None] = mapped_column(Money)  # 合同引资额 (万元)
    planned_start_on: Mapped[date | None]  # 约定开工日期
    planned_production_on: Mapped[date | None]  # 约定投产日期
    investment_intensity: Mapped[Decimal | None] = mapped_column(PerMu)  # 投资强度 (万元/亩)
    tax_per_mu: Mapped[Decimal | None] = mapped_column(PerMu)  # 亩均税收 (万元/亩)
    jobs: Mapped[int | None]  # 承诺用工 (人)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[AgreementStatus] = mapped_column(
        enum_column(AgreementStatus, "agreement_status"), default=AgreementStatus.ACTIVE, index=True
    )
    terminated_on: Mapped[date | None]
    termination_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    company: Mapped[Company] = relationship()
    lead: Mapped[Lead | None] = relationship()
    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_active(self) -> bool:
        return self.status is AgreementStatus.ACTIVE

    def __str__(self) -> str:
        # Stored in audit rows while flushing: only the row's own columns, no lazy loads.
        return self.name or self.number or f"{self.signed_on.isoformat() if self.signed_on else ''} #{self.id or ''}".strip()


# The list's sorts and filters (tests/test_list_indexes.py).
sorted_and_filtered_by(Agreement.updated_at, Agreement.investment_amount, Agreement.attracted_amount)


# A company merge moves the merged company's agreements to the survivor (crm.companies.signals).
mover(Agreement.__table__, "company_id")
