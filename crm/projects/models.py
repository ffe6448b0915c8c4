from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from crm.access.mixins import UnitOwned
from crm.access.reach import in_team_projects, project_reach, visible_units
from crm.access.scoping import UNSCOPED, ScopedModel
from crm.agreements.models import Agreement
from crm.audit.mixins import Audited
from crm.catalog.models import IndustryChain
from crm.companies.models import Company, Money
from crm.companies.signals import mover
from crm.db import Base, Timestamped, UTCDateTime, Versioned, enum_column, sorted_and_filtered_by
from crm.domain.access import Actor, Resource, Target
from crm.domain.companies import FundingSource, IndustryCategory
from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import ReviewStatus, Sector
from crm.leads.models import Lead
from crm.units.models import Unit
from crm.users.models import User


class Project(UnitOwned, Audited, Versioned, Timestamped, Base):
    """项目, owned by its 跟踪单位. Amounts in 万元 (外资 in 万美元)."""

    __tablename__ = "projects"
    __audit_name__ = _l("项目")
    __table_args__ = (
        sa.CheckConstraint("total_investment IS NULL OR total_investment >= 0", name="total_not_negative"),
        sa.CheckConstraint("first_phase_investment IS NULL OR first_phase_investment >= 0", name="first_phase_not_negative"),
        sa.CheckConstraint("contracted_amount IS NULL OR contracted_amount >= 0", name="contracted_not_negative"),
        sa.CheckConstraint("out_of_province_amount IS NULL OR out_of_province_amount >= 0", name="out_of_province_not_negative"),
        sa.CheckConstraint("foreign_capital IS NULL OR foreign_capital >= 0", name="foreign_not_negative"),
        sa.CheckConstraint("land_mu IS NULL OR land_mu >= 0", name="land_not_negative"),
        sa.CheckConstraint("stage <> 'paused' OR paused_from IS NOT NULL", name="paused_remembers_stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    construction: Mapped[str | None] = mapped_column(sa.Text)  # 建设内容
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)  # 外来投资方
    local_company_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)  # 本地投资方
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)  # 跟踪人
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("leads.id", ondelete="SET NULL"), unique=True)
    # The last *approved* stage; a stage report waiting for review is a StageEvent in PENDING.
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "project_stage"), index=True)
    paused_from: Mapped[Stage | None] = mapped_column(enum_column(Stage, "project_paused_from"))
    stage_since: Mapped[date | None]  # when the current stage was approved (time in stage)
    stop_reason: Mapped[str | None] = mapped_column(sa.String(500))  # 暂缓/中止原因
    nature: Mapped[Nature] = mapped_column(enum_column(Nature, "project_nature"), default=Nature.NEW)
    tracked_since: Mapped[date] = mapped_column(default=date.today)  # 入库日期: no milestone or fund entry before it
    total_investment: Mapped[Decimal | None] = mapped_column(Money)  # 总投资 (万元)
    first_phase_investment: Mapped[Decimal | None] = mapped_column(Money)  # 一期投资 (万元)
    contracted_amount: Mapped[Decimal | None] = mapped_column(Money)  # 合同引资额: money from outside (万元)
    out_of_province_amount: Mapped[Decimal | None] = mapped_column(Money)  # 其中省外资金 (万元)
    foreign_capital: Mapped[Decimal | None] = mapped_column(Money)  # 外资 (万美元)
    funding_source: Mapped[FundingSource | None] = mapped_column(enum_column(FundingSource, "project_funding_source"))
    industry_category: Mapped[IndustryCategory | None] = mapped_column(enum_column(IndustryCategory, "project_industry"))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector, "project_sector"))  # 三次产业
    chain_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry_chains.id", ondelete="RESTRICT"), index=True)
    site: Mapped[str | None] = mapped_column(sa.String(120))  # 建设地点 / 园区
    land_mu: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # 用地 (亩)
    is_key: Mapped[bool] = mapped_column(default=False, server_default=sa.false(), index=True)  # 重点项目 (三个一)
    lead_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)  # 牵头单位
    plan: Mapped[str | None] = mapped_column(sa.Text)  # 推进方案
    planned_start_on: Mapped[date | None]  # 计划开工
    planned_production_on: Mapped[date | None]  # 计划投产
    # Facts the stage gates ask for (DOMAIN's transition table), typed in the stage reports.
    signed_month: Mapped[str | None] = mapped_column(sa.String(7))  # 签约月 YYYY-MM
    registration_number: Mapped[str | None] = mapped_column(sa.String(40))  # 工商注册号 / 统一社会信用代码
    registered_name: Mapped[str | None] = mapped_column(sa.String(200))  # 工商注册名称
    registered_capital: Mapped[Decimal | None] = mapped_column(Money)  # 注册资本 (万元)
    legal_representative: Mapped[str | None] = mapped_column(sa.String(60))  # 法人代表
    start_month: Mapped[str | None] = mapped_column(sa.String(7))  # 开工月
    production_month: Mapped[str | None] = mapped_column(sa.String(7))  # 投产月
    capacity: Mapped[str | None] = mapped_column(sa.String(200))  # 已形成产能
    monthly_sales: Mapped[Decimal | None] = mapped_column(Money)  # 月销售收入 (万元)
    monthly_tax: Mapped[Decimal | None] = mapped_column(Money)  # 月税收 (万元)
    employees: Mapped[int | None]  # 用工 (人)
    last_progress_on: Mapped[date | None] = mapped_column(index=True)  # latest progress report or stage event (红黄绿)

    company: Mapped[Company] = relationship(foreign_keys=[company_id])
    local_company: Mapped[Company | None] = relationship(foreign_keys=[local_company_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    unit: Mapped[Unit] = relationship(foreign_keys="Project.unit_id")
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    chain: Mapped[IndustryChain | None] = relationship()
    lead: Mapped[Lead | None] = relationship()

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        """The unit's own projects (or the subtree's), plus those whose 服务专班 the actor serves on."""
        return project_reach(cls.id, cls.unit_id, actor)

    def access_target(self) -> Target:
        return Target(Resource.UNIT_RECORD, unit_id=self.unit_id, project_id=self.id)

    def __str__(self) -> str:
        return self.name


def visible_project_ids(actor: Actor) -> sa.Select[Any]:
    """The ids of the projects the actor sees, read from the plain table (see ``crm.access.reach``)."""
    projects = Project.__table__
    return sa.select(projects.c.id).where(project_reach(projects.c.id, projects.c.unit_id, actor))


# The list's sorts and filters (tests/test_list_indexes.py).
sorted_and_filtered_by(Project.updated_at, Project.total_investment, Project.contracted_amount, Project.name, Project.stage_since, Project.industry_category, Project.funding_source)

# A company merge moves the merged company's projects, as investor or as local company, to the survivor
# (crm.companies.signals).
mover(Project.__table__, "company_id")
mover(Project.__table__, "local_company_id")


class ProjectOwned(ScopedModel):
    """A record that belongs to one project (stage report, milestone, progress, funds, team …).

    Visible exactly where its project is visible, and judged by the policy as the project is.
    """

    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        units = visible_units(actor)
        if units.everything:
            return sa.true()  # every project is visible: nothing to look up
        if not actor.team_projects:
            return cls.project_id.in_(visible_project_ids(actor))
        # The team's projects by id, beside the units' projects: an OR inside one subquery would hide both from
        # the index on project_id.
        projects = Project.__table__
        units_projects = sa.select(projects.c.id).where(visible_units(actor).clause(projects.c.unit_id))
        return sa.or_(cls.project_id.in_(units_projects), in_team_projects(cls.project_id, actor))

    def access_target(self) -> Target:
        return self.project.access_target()  # type: ignore[attr-defined]

    def audit_unit_id(self) -> int | None:
        loaded = sa.inspect(self).dict.get("project")  # the project in hand (built with it): no query
        if loaded is not None:
            return loaded.unit_id
        session = object_session(self)  # the session being flushed (audit rows are written from its hook)
        if session is None:
            return None
        return session.scalar(sa.select(Project.unit_id).where(Project.id == self.project_id).execution_options(**UNSCOPED))


class StageEvent(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """阶段申报: a report that the project moved (or should move) from one stage to another.

    Saved → 审核中 → 审核通过 / 审核未通过. The project's stage changes only on approval, and
    only approved events count in statistics, in the month of ``period``. Amounts are
    copied at submission so that later edits of the project do not change what was reported.
    """

    __tablename__ = "project_stage_events"
    __audit_name__ = _l("阶段申报")
    __table_args__ = (
        sa.CheckConstraint("review_status <> 'rejected' OR review_comment IS NOT NULL", name="rejection_has_comment"),
        # One open report per project at a time: the next move starts from the reviewed stage.
        sa.Index(
            "uq_project_stage_events_one_open",
            "project_id",
            unique=True,
            sqlite_where=sa.text("review_status IN ('draft', 'pending')"),
            postgresql_where=sa.text("review_status IN ('draft', 'pending')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "stage_event_from"))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "stage_event_to"), index=True)
    period: Mapped[str] = mapped_column(sa.String(7), index=True)  # YYYY-MM the event counts in
    reason: Mapped[str | None] = mapped_column(sa.String(500))  # 暂缓/中止/退回 原因
    note: Mapped[str | None] = mapped_column(sa.Text)
    agreement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agreements.id", ondelete="SET NULL"), index=True)
    total_investment: Mapped[Decimal | None] = mapped_column(Money)
    contracted_amount: Mapped[Decimal | None] = mapped_column(Money)
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "stage_event_review"), default=ReviewStatus.DRAFT, index=True
    )
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(sa.String(500))
    # The import that brought this step in from a 台账 (approved on import, counted like a reviewed one).
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("imports.id", ondelete="SET NULL"), index=True)

    project: Mapped[Project] = relationship()
    agreement: Mapped[Agreement | None] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    def __str__(self) -> str:
        from crm.web.labels import label_text  # the stage words people read (the audit log keeps this label)

        return f"{label_text(self.from_stage)} → {label_text(self.to_stage)}" if self.from_stage and self.to_stage else "stage event"

