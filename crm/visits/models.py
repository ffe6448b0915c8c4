from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.companies.models import Company
from crm.companies.signals import mover
from crm.db import Base, Timestamped, Versioned, enum_column, sorted_and_filtered_by
from crm.domain.visits import LeaderKind, VisitOutcome, VisitType
from crm.leads.models import Lead
from crm.units.models import Unit
from crm.users.models import User


class Visit(UnitOwned, Audited, Versioned, Timestamped, Base):
    __tablename__ = "visits"
    __audit_name__ = _l("走访记录")

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[VisitType] = mapped_column(enum_column(VisitType, "visit_type"))
    start_on: Mapped[date] = mapped_column(index=True)
    end_on: Mapped[date | None]
    destination: Mapped[str | None] = mapped_column(sa.String(120))
    leader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)  # 带队领导
    leader_kind: Mapped[LeaderKind | None] = mapped_column(enum_column(LeaderKind, "leader_kind"))
    outcome: Mapped[VisitOutcome] = mapped_column(enum_column(VisitOutcome, "visit_outcome"), default=VisitOutcome.NONE)
    notes: Mapped[str | None] = mapped_column(sa.Text)  # 纪要
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])
    stops: Mapped[list[VisitCompany]] = relationship(back_populates="visit", cascade="all, delete-orphan", order_by="VisitCompany.id")
    participants: Mapped[list[User]] = relationship(secondary="visit_participants", order_by="User.display_name")
    leads: Mapped[list[Lead]] = relationship(secondary="visit_leads", order_by="Lead.id")

    def __str__(self) -> str:
        # Plain columns only: this also labels audit rows, written in the middle of a flush.
        return f"{self.start_on} {self.destination or ''}".strip()


class VisitCompany(Base):
    """One company visited (拜访明细): whom we met there and their title."""

    __tablename__ = "visit_companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    contact_name: Mapped[str | None] = mapped_column(sa.String(60))
    contact_title: Mapped[str | None] = mapped_column(sa.String(60))

    visit: Mapped[Visit] = relationship(back_populates="stops")
    company: Mapped[Company] = relationship()


visit_participants = sa.Table(
    "visit_participants",
    Base.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True),
)

visit_leads = sa.Table(
    "visit_leads",
    Base.metadata,
    sa.Column("visit_id", sa.ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("lead_id", sa.ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True),
)


# The list's sorts and filters (tests/test_list_indexes.py).
sorted_and_filtered_by(Visit.type, Visit.outcome)


# A company merge moves the visits' stops at the merged company to the survivor (crm.companies.signals).
mover(VisitCompany.__table__, "company_id")
