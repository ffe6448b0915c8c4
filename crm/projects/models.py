from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.catalog.models import IndustryChain
from crm.companies.models import Company, Money
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.domain.pipeline import Nature, Stage
from crm.leads.models import Lead
from crm.units.models import Unit
from crm.users.models import User


class Project(UnitOwned, Audited, Versioned, Timestamped, Base):
    """项目, owned by its 跟踪单位. Amounts in 万元 (外资 in 万美元)."""

    __tablename__ = "projects"
    __audit_name__ = _l("项目")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    construction: Mapped[str | None] = mapped_column(sa.Text)  # 建设内容
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)  # 投资方
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)  # 跟踪人
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leads.id", ondelete="SET NULL"), unique=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "project_stage"), index=True)
    paused_from: Mapped[Stage | None] = mapped_column(enum_column(Stage, "project_paused_from"))
    nature: Mapped[Nature] = mapped_column(enum_column(Nature, "project_nature"), default=Nature.NEW)
    total_investment: Mapped[Decimal | None] = mapped_column(Money)  # 总投资
    first_phase_investment: Mapped[Decimal | None] = mapped_column(Money)  # 一期投资
    contracted_amount: Mapped[Decimal | None] = mapped_column(Money)  # 合同引资额
    chain_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry_chains.id", ondelete="RESTRICT"), index=True)
    land_mu: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))
    is_key: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # 重点项目
    planned_start_on: Mapped[date | None]
    planned_production_on: Mapped[date | None]

    company: Mapped[Company] = relationship()
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    unit: Mapped[Unit] = relationship()
    chain: Mapped[IndustryChain | None] = relationship()
    lead: Mapped[Lead | None] = relationship()

    def __str__(self) -> str:
        return self.name
