from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.companies.models import Company
from crm.companies.signals import mover
from crm.db import Base, Timestamped, Versioned
from crm.leads.models import Lead
from crm.users.models import User


class FollowUp(UnitOwned, Audited, Versioned, Timestamped, Base):
    """跟进: a task with a due date, for one person of the unit, about a company or a lead."""

    __tablename__ = "follow_ups"
    __audit_name__ = _l("跟进任务")
    __table_args__ = (sa.CheckConstraint("company_id IS NOT NULL OR lead_id IS NOT NULL", name="has_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(sa.String(1000))
    done_at: Mapped[datetime | None]
    done_note: Mapped[str | None] = mapped_column(sa.String(1000))

    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    company: Mapped[Company | None] = relationship()
    lead: Mapped[Lead | None] = relationship()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @classmethod
    def overdue_on(cls, today: date) -> sa.ColumnElement[bool]:
        """逾期 on ``today``: not done and due before it (the digest's 本单位逾期事项, the group robot's daily alert)."""
        return sa.and_(cls.done_at.is_(None), cls.due_on < today)

    def __str__(self) -> str:
        return self.note[:60]


# A company merge moves the merged company's follow-ups to the survivor (crm.companies.signals).
mover(FollowUp.__table__, "company_id")
