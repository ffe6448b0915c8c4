"""企业诉求 and 重点企业挂牌保护 (the rules: ``crm.domain.aftercare``)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.audit.mixins import Audited
from crm.companies.models import Company
from crm.companies.signals import mover
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.access.reach import granted_units, visible_units
from crm.domain.access import Action, Actor, Resource, Target
from crm.domain.aftercare import OPEN, RequestKind, RequestStatus, Satisfaction
from crm.domain.issues import IssueCategory
from crm.issues.models import Issue
from crm.units.models import Unit
from crm.users.models import User


class CompanyRequest(UnitOwned, Audited, Versioned, Timestamped, Base):
    """企业诉求: a company's request or complaint, kept by the unit that 受理d it (``unit_id``) and handled by its
    责任单位 by the 办理时限. Escalated, it names the 问题台账's issue it became (``issue_id``)."""

    __tablename__ = "company_requests"
    __audit_name__ = _l("企业诉求")
    __table_args__ = (
        sa.CheckConstraint("deadline >= received_on", name="deadline_after_received"),
        sa.CheckConstraint("length(trim(responsible_person)) > 0", name="has_responsible_person"),
        sa.CheckConstraint("status NOT IN ('done', 'revisited') OR done_on IS NOT NULL", name="done_has_date"),
        sa.CheckConstraint("status <> 'revisited' OR satisfaction IS NOT NULL", name="revisit_has_satisfaction"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind, "request_kind"), default=RequestKind.REQUEST)
    category: Mapped[IssueCategory] = mapped_column(enum_column(IssueCategory, "request_category"))
    subject: Mapped[str] = mapped_column(sa.String(200))  # 诉求事项
    description: Mapped[str | None] = mapped_column(sa.Text)
    received_on: Mapped[date] = mapped_column(index=True)  # 受理日期
    responsible_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    responsible_person: Mapped[str] = mapped_column(sa.String(60))
    deadline: Mapped[date] = mapped_column(index=True)  # 办理时限
    deadline_workdays: Mapped[int | None]  # the 时限 in 工作日 it was set from, when it was
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus, "request_status"), default=RequestStatus.ACCEPTED, index=True)
    result: Mapped[str | None] = mapped_column(sa.Text)  # 办理结果
    done_on: Mapped[date | None]  # 办结日期
    revisited_on: Mapped[date | None]  # 回访日期
    satisfaction: Mapped[Satisfaction | None] = mapped_column(enum_column(Satisfaction, "request_satisfaction"))
    revisit_note: Mapped[str | None] = mapped_column(sa.Text)
    issue_id: Mapped[int | None] = mapped_column(sa.ForeignKey("issues.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))

    company: Mapped[Company] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys="CompanyRequest.unit_id")
    responsible_unit: Mapped[Unit] = relationship(foreign_keys=[responsible_unit_id])
    issue: Mapped[Issue | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    @classmethod
    def is_open(cls) -> sa.ColumnElement[bool]:
        return cls.status.in_(OPEN)

    def access_target(self) -> Target:
        return Target(Resource.COMPANY_REQUEST, unit_id=self.unit_id)

    def handler_target(self) -> Target:
        """The 诉求 as its 责任单位 sees it (``Resource.ASSIGNED_REQUEST``)."""
        return Target(Resource.ASSIGNED_REQUEST, unit_id=self.responsible_unit_id)

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        """The unit's own 诉求 (or the subtree's), and those assigned to a unit where the policy lets the actor read
        them as 责任单位 (none when it grants that nowhere: fails closed)."""
        own = visible_units(actor).clause(cls.unit_id)
        assigned = granted_units(actor, Action.VIEW, Resource.ASSIGNED_REQUEST)
        return own if assigned is None else sa.or_(own, assigned.clause(cls.responsible_unit_id))

    def __str__(self) -> str:
        return self.subject or "request"


class CompanyProtection(UnitOwned, Audited, Versioned, Timestamped, Base):
    """重点企业挂牌保护: one company on the county's list (``unit_id``: the county), with its 挂牌日期, its 分包县级领导
    and its 联系单位. Read through ``crm.aftercare.queries`` (the county's list, past the unit scope)."""

    __tablename__ = "company_protections"
    __audit_name__ = _l("挂牌保护")

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    listed_on: Mapped[date]  # 挂牌日期
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)  # 分包县级领导
    contact_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)  # 联系单位
    notes: Mapped[str | None] = mapped_column(sa.Text)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())  # 摘牌 keeps the row (history)

    company: Mapped[Company] = relationship()
    leader: Mapped[User] = relationship()
    contact_unit: Mapped[Unit] = relationship(foreign_keys=[contact_unit_id])

    def access_target(self) -> Target:
        return Target(Resource.PROTECTION, unit_id=self.unit_id)

    def __str__(self) -> str:
        return self.company.name if self.company is not None else "protection"


# A company merge moves the 诉求 and the 挂牌 of the merged company to the survivor (crm.companies.signals); the
# list's one-active-row-per-company rule is the service's, so a move never trips a constraint.
mover(CompanyRequest.__table__, "company_id")
mover(CompanyProtection.__table__, "company_id")
