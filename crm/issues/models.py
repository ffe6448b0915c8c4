"""问题台账. Every issue names its 责任单位, 负责人 and 办理期限 (the database insists too)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.access.reach import project_reach, visible_units
from crm.access.scoping import ScopedModel
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column, sorted_and_filtered_by, utcnow
from crm.domain.access import Actor, Resource, Target
from crm.domain.issues import OPEN_STATUSES, IssueActionKind, IssueCategory, IssueLevel, IssueSource, IssueStatus
from crm.projects.models import Project
from crm.units.models import Unit
from crm.users.models import User


def issue_target(unit_id: int, project_id: int | None = None) -> Target:
    """An issue kept by ``unit_id`` (about ``project_id``): what the policy is asked about one, raised or existing."""
    return Target(Resource.ISSUE, unit_id=unit_id, project_id=project_id)


class Issue(UnitOwned, Audited, Versioned, Timestamped, Base):
    """问题: owned by the unit that keeps it (the project's 跟踪单位 when it concerns a project).

    The project's 服务专班 sees it too. ``number`` is 编号, e.g. WT2025-007, per year.
    """

    __tablename__ = "issues"
    __audit_name__ = _l("问题")
    __table_args__ = (
        sa.CheckConstraint("length(trim(responsible_person)) > 0", name="has_responsible_person"),
        sa.CheckConstraint("status <> 'closed' OR closed_by_id IS NOT NULL", name="closed_has_confirmer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    category: Mapped[IssueCategory] = mapped_column(enum_column(IssueCategory, "issue_category"), index=True)
    source: Mapped[IssueSource] = mapped_column(enum_column(IssueSource, "issue_source"))
    raised_on: Mapped[date] = mapped_column(index=True)  # 提出日期
    responsible_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    responsible_person: Mapped[str] = mapped_column(sa.String(60))  # 负责人
    deadline: Mapped[date] = mapped_column(index=True)  # 办理期限
    level: Mapped[IssueLevel] = mapped_column(enum_column(IssueLevel, "issue_level"))  # 协调层级
    status: Mapped[IssueStatus] = mapped_column(enum_column(IssueStatus, "issue_status"), default=IssueStatus.NEW, index=True)
    long_term: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # 长期跟踪
    resolved_on: Mapped[date | None] = mapped_column(index=True)  # 办结日期
    closed_on: Mapped[date | None] = mapped_column(index=True)  # 销号日期
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))  # 销号确认人
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    project: Mapped[Project | None] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys="Issue.unit_id")
    responsible_unit: Mapped[Unit] = relationship(foreign_keys=[responsible_unit_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    actions: Mapped[list["IssueAction"]] = relationship(back_populates="issue", order_by="IssueAction.id")

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        return project_reach(cls.project_id, cls.unit_id, actor)

    @classmethod
    def is_open(cls) -> sa.ColumnElement[bool]:
        """未办结, in SQL (``crm.domain.issues.OPEN_STATUSES``)."""
        return cls.status.in_(OPEN_STATUSES)

    @classmethod
    def overdue_on(cls, today: date) -> sa.ColumnElement[bool]:
        """逾期 on ``today``, in SQL: the twin of ``crm.domain.issues.is_overdue``."""
        return sa.and_(cls.is_open(), cls.deadline < today)

    def access_target(self) -> Target:
        return issue_target(self.unit_id, self.project_id)

    def __str__(self) -> str:
        return self.number or "issue"


# The list's sorts and filters (tests/test_list_indexes.py).
sorted_and_filtered_by(Issue.updated_at, Issue.level)


class IssueAction(ScopedModel, Audited, Base):
    """办理记录: one line of what was done (交办, 催办, 约谈, 现场办公, 上提, 办结, 销号 …). Append-only."""

    __tablename__ = "issue_actions"
    __audit_name__ = _l("办理记录")

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(sa.ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IssueActionKind] = mapped_column(enum_column(IssueActionKind, "issue_action_kind"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="actions")
    actor: Mapped[User | None] = relationship()

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        if visible_units(actor).everything:
            return sa.true()
        issues = Issue.__table__  # the plain table: the criteria must not re-enter themselves (crm.access.reach)
        return cls.issue_id.in_(sa.select(issues.c.id).where(project_reach(issues.c.project_id, issues.c.unit_id, actor)))

    def access_target(self) -> Target:
        return self.issue.access_target()

    def audit_unit_id(self) -> int | None:
        return self.issue.unit_id if self.issue is not None else None

    def __str__(self) -> str:
        return self.kind.value if self.kind else "action"
