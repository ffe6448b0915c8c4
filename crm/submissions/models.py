"""报送 Submission: one unit's report for one period, with its due day; lateness is computed."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned
from crm.units.models import Unit
from crm.users.models import User


class Submission(UnitOwned, Audited, Versioned, Timestamped, Base):
    """半月报 → 县发改委 (DOMAIN §c): 基础设施建设情况, 新入驻企业及新上项目情况, 争取上级资金情况.

    ``period`` names the half-month it covers ("2026-11-1" = 1st–15th, due the 17th;
    "2026-11-2" = 16th–month end, due the 2nd of the next month).
    """

    __tablename__ = "submissions"
    __audit_name__ = _l("报送")
    __table_args__ = (sa.UniqueConstraint("unit_id", "report_type", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_type: Mapped[str] = mapped_column(sa.String(30))  # half_monthly
    period: Mapped[str] = mapped_column(sa.String(12), index=True)
    due_on: Mapped[date] = mapped_column(index=True)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    infrastructure: Mapped[str | None] = mapped_column(sa.Text)  # 基础设施建设情况
    new_projects: Mapped[str | None] = mapped_column(sa.Text)  # 新入驻企业及新上项目情况
    funding: Mapped[str | None] = mapped_column(sa.Text)  # 争取上级资金情况

    unit: Mapped[Unit] = relationship()
    submitted_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"{self.report_type} {self.period}"
