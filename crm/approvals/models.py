"""审批手续: one 审批事项 of one project (the rules: ``crm.domain.approvals``)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.domain.approvals import OPEN, ProcedureStatus
from crm.issues.models import Issue
from crm.projects.models import Project, ProjectOwned
from crm.units.models import Unit
from crm.users.models import User


class ApprovalProcedure(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """One 审批手续 of a project: its kind (a name of the county's 审批事项清单), its 代办单位 and 代办员, the
    承诺时限 in 工作日 and the deadline it gives from the 受理/申报日期, the 办结日期. Seen and kept as its project is
    (``ProjectOwned``). Raised as a 问题, it names the 问题台账's issue (``issue_id``)."""

    __tablename__ = "approval_procedures"
    __audit_name__ = _l("审批手续")
    __table_args__ = (
        sa.UniqueConstraint("project_id", "kind"),
        sa.CheckConstraint("promised_workdays > 0", name="promised_positive"),
        sa.CheckConstraint("finished_on IS NULL OR filed_on IS NOT NULL", name="finished_after_filed"),
        sa.CheckConstraint("status <> 'done' OR finished_on IS NOT NULL", name="done_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # 审批事项
    agent_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)  # 代办单位
    agent_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)  # 代办员 (a user)
    agent_name: Mapped[str | None] = mapped_column(sa.String(60))  # 代办员 (a name), when not a user
    promised_workdays: Mapped[int]  # 承诺时限（工作日）
    filed_on: Mapped[date | None] = mapped_column(index=True)  # 受理/申报日期
    deadline: Mapped[date | None] = mapped_column(index=True)  # filed_on + promised_workdays 工作日
    finished_on: Mapped[date | None]  # 办结日期
    status: Mapped[ProcedureStatus] = mapped_column(enum_column(ProcedureStatus, "procedure_status"), default=ProcedureStatus.PENDING,
                                                    index=True)
    note: Mapped[str | None] = mapped_column(sa.String(500))
    issue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issues.id", ondelete="SET NULL"), index=True)

    project: Mapped[Project] = relationship()
    agent_unit: Mapped[Unit] = relationship()
    agent_user: Mapped[User | None] = relationship()
    issue: Mapped[Issue | None] = relationship()

    @classmethod
    def is_open(cls) -> sa.ColumnElement[bool]:
        return cls.status.in_(OPEN)

    @classmethod
    def overdue_on(cls, today: date) -> sa.ColumnElement[bool]:
        """逾期 on ``today`` (``crm.domain.approvals.is_overdue`` in SQL)."""
        return sa.and_(cls.is_open(), cls.deadline.is_not(None), cls.deadline < today)

    @property
    def agent(self) -> str:
        """The 代办员 as shown: the user's name, else the name typed."""
        return self.agent_user.display_name if self.agent_user is not None else (self.agent_name or "")

    def __str__(self) -> str:
        return self.kind or "procedure"
