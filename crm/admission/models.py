"""准入评审: one review of a project in 在谈, 初审 by its unit then 会审 by the county (the rules:
``crm.domain.admission``). The 评审表 is copied onto the review when the 初审 is written, so a sheet changed later
never re-scores a review already held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.domain.access import Resource, Target
from crm.domain.admission import Outcome, ReviewStatus, Sheet, is_passed
from crm.projects.models import Project
from crm.users.models import User

Score = sa.Numeric(8, 2)
PerMu = sa.Numeric(12, 2)


class AdmissionReview(UnitOwned, Audited, Versioned, Timestamped, Base):
    """准入评审 of one project (``unit_id``: the project's unit, so the unit's scope reads it)."""

    __tablename__ = "admission_reviews"
    __audit_name__ = _l("准入评审")
    __table_args__ = (
        sa.CheckConstraint("status <> 'decided' OR outcome IS NOT NULL", name="decided_has_outcome"),
        sa.CheckConstraint("outcome <> 'conditional' OR length(trim(coalesce(conditions, ''))) > 0", name="conditional_has_conditions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus, "admission_review_status"), index=True)
    sheet: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # the 评审表 as it stood at the 初审
    # The project's figures the thresholds compare with: from its agreement where it has them, else typed.
    investment_intensity: Mapped[Decimal | None] = mapped_column(PerMu)  # 投资强度 (万元/亩)
    tax_per_mu: Mapped[Decimal | None] = mapped_column(PerMu)  # 亩均税收 (万元/亩/年)
    # 初审 (by the unit)
    prelim_on: Mapped[date]
    prelim_opinion: Mapped[str] = mapped_column(sa.Text)
    prelim_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    # 会审 (by the county)
    joint_on: Mapped[date | None]
    participants: Mapped[str | None] = mapped_column(sa.Text)  # 参会人员
    minutes: Mapped[str | None] = mapped_column(sa.Text)  # 会议纪要
    scores: Mapped[list[Any] | None] = mapped_column(sa.JSON)  # one per criterion of ``sheet``, as text
    vetoes_hit: Mapped[list[Any] | None] = mapped_column(sa.JSON)  # the 一票否决 items found
    total_score: Mapped[Decimal | None] = mapped_column(Score)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "admission_outcome"), index=True)
    conditions: Mapped[str | None] = mapped_column(sa.Text)  # 有条件通过's conditions
    joint_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    project: Mapped[Project] = relationship()
    prelim_by: Mapped[User | None] = relationship(foreign_keys=[prelim_by_id])
    joint_by: Mapped[User | None] = relationship(foreign_keys=[joint_by_id])

    @property
    def sheet_rules(self) -> Sheet:
        return Sheet.from_json(self.sheet)

    @property
    def passed(self) -> bool:
        return is_passed(self.status, self.outcome)

    def access_target(self) -> Target:
        return Target(Resource.ADMISSION_REVIEW, unit_id=self.unit_id)

    def __str__(self) -> str:
        return self.project.name if self.project is not None else "admission review"
