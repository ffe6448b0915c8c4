"""Projects and their stage reports. Services validate and flush; the view commits once.

Rules (DOMAIN §b):
- A project is owned by its 跟踪单位: the creator's unit (or the lead's), never a form's.
- The stage moves only through a stage report (阶段申报) that a reviewer approves; the gates of
  ``crm.domain.pipeline`` are checked when the report is submitted and again on approval
  (an agreement may have been terminated in between).
- Backward moves are an admin's, with a reason, and take effect at once (logged like any change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crm.agreements.models import Agreement
from crm.attachments.models import Attachment
from crm.clock import local_today
from crm.companies.models import Company
from crm.companies.services import find_company_by_name, pick_or_create_company
from crm.db import utcnow
from crm.projects.signals import stage_applied
from crm.domain.access import Actor, Gate, Role, passes
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.domain.leads import LeadStatus
from crm.domain.pipeline import Facts, Move, Nature, Settings, Stage, check, gate_fields, gate_problems, is_backward, main_line, next_targets
from crm.domain.projects import ReviewStatus
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.leads.models import Lead
from crm.projects.gate_text import problem_text
from crm.projects.models import Project, StageEvent
from crm.users.models import User

# Contracts that move a project to 签约 (and, for 增资扩产, to 开工 directly).
SIGNING_TYPES = (AgreementType.CONTRACT, AgreementType.CAPITAL_INCREASE)
# The gate's month fields are the report's 发生月份.
MONTH_FIELD = {"signed_month": "period", "start_month": "period", "production_month": "period", "funds_arrived": "stage"}


class ProjectError(FieldError):
    pass


def pipeline_settings() -> Settings:
    return Settings(full_capacity_enabled=bool(current_app.config.get("CRM_FULL_CAPACITY_STAGE")))


# --- the project itself --------------------------------------------------------------------
@dataclass
class ProjectData(FormData):
    name: str
    company_name: str
    create_company: bool
    local_company_name: str | None
    construction: str | None
    nature: str
    total_investment: Decimal | None
    first_phase_investment: Decimal | None
    contracted_amount: Decimal | None
    out_of_province_amount: Decimal | None
    foreign_capital: Decimal | None
    funding_source: str | None
    industry_category: str | None
    sector: str | None
    chain_id: int | None
    site: str | None
    land_mu: Decimal | None
    planned_start_on: date | None
    planned_production_on: date | None
    tracked_since: date
    owner_id: int | None


def unit_members(unit_id: int) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.unit_id == unit_id, User.is_active).order_by(User.display_name)))


def _owner(actor: Actor, unit_id: int, wanted: int | None, current: int | None, members: set[int] | None = None) -> int:
    """Staff track their own projects; the unit's chief may hand one to anyone active in the unit (``members``: the
    ids of its active people, when the caller has them already)."""
    if actor.role is not Role.CHIEF or wanted is None:
        return current or actor.user_id
    if wanted not in (members if members is not None else {u.id for u in unit_members(unit_id)}):
        raise ProjectError("owner_id", _("请从本单位人员中选择跟踪人"))
    return wanted


def check_project_data(data: ProjectData, today: date) -> None:
    """The project form's rules on its own figures and dates (those that need no company)."""
    if data.tracked_since > today:
        raise ProjectError("tracked_since", _("入库日期不能晚于今天"))
    if data.first_phase_investment is not None and data.total_investment is not None and data.first_phase_investment > data.total_investment:
        raise ProjectError("first_phase_investment", _("一期投资不能大于总投资"))
    if data.contracted_amount is not None and data.total_investment is not None and data.contracted_amount > data.total_investment:
        raise ProjectError("contracted_amount", _("合同引资额不能大于总投资"))
    if data.out_of_province_amount is not None and (data.contracted_amount is None or data.out_of_province_amount > data.contracted_amount):
        raise ProjectError("out_of_province_amount", _("省外资金是合同引资额的一部分，不能大于合同引资额"))
    if data.planned_start_on and data.planned_production_on and data.planned_production_on < data.planned_start_on:
        raise ProjectError("planned_production_on", _("计划投产日期不能早于计划开工日期"))


Companies = tuple[Company, Company | None]  # the project's investor and its 本地投资方


def _companies(actor: Actor, data: ProjectData) -> Companies:
    """The companies the form names: the investor (made inline when asked) and the 本地投资方, which must exist."""
    company = pick_or_create_company(actor, "company_name", data.company_name, data.create_company)
    local = None
    if data.local_company_name:
        local = find_company_by_name(data.local_company_name)
        if local is None:
            raise ProjectError("local_company_name", _("企业库中没有「%(name)s」，请先在企业库中新建", name=data.local_company_name))
    return company, local


def _apply(project: Project, data: ProjectData, actor: Actor, companies: Companies | None = None) -> None:
    """The form's values on the project. ``companies``: the investor and 本地投资方 when the caller has found them
    already (the import); else they are looked up by the names the form gives."""
    check_project_data(data, local_today())
    company, local = companies or _companies(actor, data)
    if local is not None and local.id == company.id:
        raise ProjectError("local_company_name", _("本地投资方不能与外来投资方相同"))
    project.name = data.name
    project.company_id = company.id
    project.local_company_id = local.id if local else None
    project.construction = data.construction
    project.nature = Nature(data.nature)
    for name in (
        "total_investment", "first_phase_investment", "contracted_amount", "out_of_province_amount", "foreign_capital",
        "chain_id", "site", "land_mu", "planned_start_on", "planned_production_on", "tracked_since",
    ):
        setattr(project, name, getattr(data, name))
    from crm.domain.companies import FundingSource, IndustryCategory
    from crm.domain.projects import Sector

    project.funding_source = FundingSource(data.funding_source) if data.funding_source else None
    project.industry_category = IndustryCategory(data.industry_category) if data.industry_category else None
    project.sector = Sector(data.sector) if data.sector else None


def create_project(actor: Actor, data: ProjectData) -> Project:
    """A new 在谈 project of the actor's unit (a project found without a lead first, e.g. at an expo)."""
    project = build_project(actor, data)
    db.session.flush()
    return project


def build_project(actor: Actor, data: ProjectData, companies: Companies | None = None, members: set[int] | None = None) -> Project:
    """``create_project`` without its flush, for a caller that adds many and flushes once (the import's new rows);
    ``companies`` and ``members`` as in ``_apply`` and ``_owner``."""
    project = Project(unit_id=actor.unit_id, stage=Stage.TALKS, stage_since=local_today())
    project.owner_id = _owner(actor, actor.unit_id, data.owner_id, None, members)
    _apply(project, data, actor, companies)
    project.last_progress_on = local_today()
    db.session.add(project)
    return project


def update_project(actor: Actor, project: Project, data: ProjectData) -> None:
    project.owner_id = _owner(actor, project.unit_id, data.owner_id, project.owner_id)
    _apply(project, data, actor)
    earliest = _earliest_dated_record(project.id)
    if earliest is not None and earliest < project.tracked_since:
        raise ProjectError("tracked_since", _("已有早于该日期的节点或资金记录，入库日期不能晚于它们"))
    db.session.flush()


def _earliest_dated_record(project_id: int) -> date | None:
    from crm.progress.models import Milestone

    return db.session.scalar(
        sa.select(sa.func.min(sa.func.coalesce(Milestone.actual_on, Milestone.planned_on))).where(Milestone.project_id == project_id)
    )


def convert_lead(actor: Actor, lead: Lead) -> Project:
    """线索 → 在谈: a project that keeps the link to the lead (and through it the lead's history).

    The gate of DOMAIN's table applies: the lead was judged worth following (跟进中) and
    has a following unit.
    """
    if lead.status is LeadStatus.CONVERTED:
        raise ProjectError("stage", _("该线索已转为项目"))
    facts = Facts(assessment_follow=lead.status is LeadStatus.FOLLOWING, following_unit=lead.unit_id is not None)
    if problems := check(Move(Stage.LEAD, Stage.TALKS, facts=facts)):
        reason = _("研判结论须为“跟进”：请先把线索状态改为“跟进中”") if problems[0].field == "assessment" else problem_text(problems[0])
        raise ProjectError("stage", reason)
    today = local_today()
    project = Project(
        unit_id=lead.unit_id,
        owner_id=lead.owner_id,
        name=lead.name,
        construction=lead.construction,
        company_id=lead.company_id,
        lead_id=lead.id,
        stage=Stage.TALKS,
        stage_since=today,
        tracked_since=min(lead.received_on, today),
        total_investment=lead.amount_high,
        chain_id=lead.chain_id,
        land_mu=lead.land_mu,
        last_progress_on=today,
    )
    db.session.add(project)
    lead.status = LeadStatus.CONVERTED
    db.session.flush()
    return project


# --- stage reports ----------------------------------------------------------------------------
@dataclass
class StageData:
    target: Stage
    period: str
    agreement_id: int | None = None
    total_investment: Decimal | None = None
    first_phase_investment: Decimal | None = None
    contracted_amount: Decimal | None = None
    registration_number: str | None = None
    registered_name: str | None = None
    registered_capital: Decimal | None = None
    legal_representative: str | None = None
    site: str | None = None
    land_mu: Decimal | None = None
    capacity: str | None = None
    monthly_sales: Decimal | None = None
    monthly_tax: Decimal | None = None
    employees: int | None = None
    reason: str | None = None
    note: str | None = None

    @classmethod
    def from_form(cls, target: Stage, form: Any) -> "StageData":
        names = [f for f in cls.__dataclass_fields__ if f != "target"]
        return cls(target=target, **{name: getattr(form, name).data for name in names})


# The project facts each target stage's report asks for (besides 发生月份, reason and note).
STAGE_FIELDS: dict[Stage, tuple[str, ...]] = {
    Stage.SIGNED: ("agreement_id", "total_investment", "first_phase_investment", "contracted_amount"),
    Stage.REGISTERED: ("registration_number", "registered_name", "registered_capital", "legal_representative", "site", "land_mu"),
    Stage.STARTED: ("evidence",),
    Stage.PRODUCING: ("capacity", "monthly_sales", "monthly_tax", "employees"),
    Stage.FULL_CAPACITY: ("capacity", "monthly_sales", "monthly_tax", "employees"),
}
PROJECT_FACTS = (
    "total_investment", "first_phase_investment", "contracted_amount", "registration_number", "registered_name",
    "registered_capital", "legal_representative", "site", "land_mu", "capacity", "monthly_sales", "monthly_tax", "employees",
)


def submission_required(project: Project, target: Stage) -> frozenset[str]:
    """The report form's fields that must be filled to submit (a draft may leave them empty)."""
    form_field = {**MONTH_FIELD, "agreement": "agreement_id"}
    return frozenset(form_field.get(f, f) for f in gate_fields(project.stage, target, project.nature, pipeline_settings()))


def stage_fields(project: Project, target: Stage) -> tuple[str, ...]:
    fields = STAGE_FIELDS.get(target, ())
    if target is Stage.STARTED and project.stage is Stage.SIGNED:
        fields = ("agreement_id",) + fields  # 增资扩产 skipping 注册 still needs its contract
    return fields


def open_event(project: Project) -> StageEvent | None:
    """The report being written or waiting for review, if any (at most one: a partial unique index)."""
    return db.session.scalars(
        sa.select(StageEvent).where(
            StageEvent.project_id == project.id, StageEvent.review_status.in_((ReviewStatus.DRAFT, ReviewStatus.PENDING))
        )
    ).first()


def signing_agreements(project: Project) -> list[Agreement]:
    """In-force contracts with the project's investor that the actor can see (the 签约 gate's evidence)."""
    company_ids = [project.company_id] + ([project.local_company_id] if project.local_company_id else [])
    return list(
        db.session.scalars(
            sa.select(Agreement)
            .where(
                Agreement.company_id.in_(company_ids),
                Agreement.type.in_(SIGNING_TYPES),
                Agreement.status == AgreementStatus.ACTIVE,
                sa.or_(Agreement.project_id.is_(None), Agreement.project_id == project.id),
            )
            .order_by(Agreement.signed_on.desc())
        )
    )


def _has_evidence(event: StageEvent) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Attachment).where(
                Attachment.record_type == StageEvent.__tablename__, Attachment.record_id == event.id
            )
        )
    )


def facts_of(project: Project, event: StageEvent) -> Facts:
    from crm.admission.services import signing_review_facts
    from crm.progress.queries import funds_arrived

    agreement = db.session.get(Agreement, event.agreement_id) if event.agreement_id else None
    contract_ok = (
        agreement is not None
        and agreement.status is AgreementStatus.ACTIVE
        and agreement.type in SIGNING_TYPES
        and agreement.company_id in (project.company_id, project.local_company_id)
    )
    month = event.period
    return Facts(
        nature=project.nature,
        has_formal_contract=contract_ok,
        total_investment=project.total_investment,
        first_phase_investment=project.first_phase_investment,
        signed_month=month if event.to_stage is Stage.SIGNED else project.signed_month,
        registration_number=project.registration_number,
        registered_name=project.registered_name,
        registered_capital=project.registered_capital,
        legal_representative=project.legal_representative,
        site=project.site,
        land_mu=project.land_mu,
        start_month=month if event.to_stage is Stage.STARTED else project.start_month,
        funds_arrived=funds_arrived(project.id),  # crm.progress: reported and not refused
        start_evidence=_has_evidence(event),
        production_month=month if event.to_stage is Stage.PRODUCING else project.production_month,
        capacity=project.capacity,
        monthly_sales=project.monthly_sales,
        **(dict(zip(("admission_required", "admission_passed"), signing_review_facts(project))) if event.to_stage is Stage.SIGNED else {}),
    )


@dataclass(frozen=True)
class StagePath:
    """Where a project stands on the main line: the stages behind it, its own, those ahead; and what a report to
    the next one still needs, read off the project as the gate would read it."""

    line: tuple[Stage, ...]
    reached: int  # index in ``line`` of the furthest stage reached (-1: none, e.g. a terminated lead)
    skipped: frozenset[Stage]  # stages behind it the project never stood at (增资 goes 签约 → 开工)
    side: Stage | None  # 暂缓 or 中止, when the project stands aside from the line
    next: Stage | None
    still_needs: tuple[str, ...]


def stage_path(project: Project, history: list[StageEvent]) -> StagePath:
    """``history``: the project's stage events (the page has read them already), in any order."""
    settings = pipeline_settings()
    line = main_line(settings)
    side = project.stage if project.stage in (Stage.PAUSED, Stage.TERMINATED) else None
    standing = project.paused_from if side is Stage.PAUSED else project.stage
    reached = line.index(standing) if standing in line else -1
    moves = [(e.from_stage, e.to_stage) for e in sorted(history, key=lambda e: e.id) if e.review_status is ReviewStatus.APPROVED]
    stood = {to for _from, to in moves} | ({moves[0][0]} if moves else {standing})
    first = min((line.index(s) for s in stood if s in line), default=reached)
    skipped = frozenset(s for s in line[first:max(reached, first)] if s not in stood)
    ahead = [s for s in next_targets(project.stage, project.paused_from, project.nature, settings) if s in line]
    upcoming = ahead[0] if ahead and side is None else None
    needs: tuple[str, ...] = ()
    if upcoming is not None:
        # A report not yet written (kept out of the session): the gate reads the project's facts through it.
        contracts = signing_agreements(project) if upcoming is Stage.SIGNED else []
        probe = StageEvent(project_id=project.id, from_stage=project.stage, to_stage=upcoming, period=local_today().strftime("%Y-%m"),
                           agreement_id=contracts[0].id if contracts else None)
        needs = tuple(problem_text(problem) for problem in gate_problems(project.stage, upcoming, facts_of(project, probe)))
    return StagePath(line, reached, skipped, side, upcoming, needs)


def _move_problems(actor: Actor | None, project: Project, event: StageEvent) -> list[tuple[str, str]]:
    move = Move(
        current=project.stage,
        target=event.to_stage,
        paused_from=project.paused_from,
        reason=event.reason,
        by_admin=actor is not None and actor.role is Role.ADMIN,
        facts=facts_of(project, event),
    )
    return [(MONTH_FIELD.get(p.field, p.field), problem_text(p)) for p in check(move, pipeline_settings())]


def _check_period(project: Project, period: str) -> None:
    if period > local_today().strftime("%Y-%m"):
        raise ProjectError("period", _("发生月份不能晚于本月"))
    if project.tracked_since and period < project.tracked_since.strftime("%Y-%m"):
        raise ProjectError("period", _("发生月份不能早于项目入库月份（%(month)s）", month=project.tracked_since.strftime("%Y-%m")))


def report_stage(actor: Actor, project: Project, data: StageData, files: list[Any], submit: bool) -> StageEvent:
    """Save (已保存) or submit (审核中) a stage report; the project moves when a reviewer approves it.

    The facts typed here are the project's (总投资, 注册信息 …) and are written to it; the
    amounts are copied onto the report so statistics keep what was reported.
    """
    if project.stage is data.target:
        raise ProjectError("stage", _("项目已处于该阶段"))
    if is_backward(project.stage, data.target, pipeline_settings()):
        raise ProjectError("stage", _("退回之前的阶段须由管理员操作"))
    event = open_event(project)
    if event is not None and event.review_status is ReviewStatus.PENDING:
        raise ProjectError("stage", _("该项目已有一份阶段申报在审核中，请等待审核结果"))
    if event is not None and event.to_stage is not data.target:
        raise ProjectError("stage", _("该项目已有一份未提交的阶段申报（→%(stage)s），请先提交或删除它", stage=event.to_stage.value))
    _check_period(project, data.period)
    for name in PROJECT_FACTS:
        if name in stage_fields(project, data.target):
            setattr(project, name, getattr(data, name))
    if event is None:
        event = StageEvent(project_id=project.id, from_stage=project.stage, to_stage=data.target)
        event.project = project
        db.session.add(event)
    event.period = data.period
    event.reason = data.reason
    event.note = data.note
    event.agreement_id = data.agreement_id if "agreement_id" in stage_fields(project, data.target) else None
    event.total_investment = project.total_investment
    event.contracted_amount = project.contracted_amount
    event.review_status = ReviewStatus.DRAFT
    db.session.flush()
    if files:
        from crm.attachments.services import store

        for file in files:
            store(file, event, actor.user_id)
    if submit:
        submit_event(actor, event)
    return event


def submit_event(actor: Actor, event: StageEvent) -> None:
    if event.review_status not in (ReviewStatus.DRAFT,):
        raise ProjectError("stage", _("只有未提交的申报可以提交"))
    if problems := _move_problems(actor, event.project, event):
        raise ProjectError(*problems[0])
    event.review_status = ReviewStatus.PENDING
    event.submitted_by_id = actor.user_id
    event.submitted_at = utcnow()
    db.session.flush()


def discard_draft(event: StageEvent) -> None:
    if event.review_status is not ReviewStatus.DRAFT:
        raise ProjectError("stage", _("只有未提交的申报可以删除"))
    from crm.attachments.services import attachments_of, delete

    for file in attachments_of(event):
        delete(file)
    db.session.delete(event)
    db.session.flush()


def _apply_stage(project: Project, event: StageEvent, today: date) -> None:
    target = event.to_stage
    if target is Stage.PAUSED:
        project.paused_from = project.stage
        project.stop_reason = event.reason
    elif target is Stage.TERMINATED:
        project.paused_from = None
        project.stop_reason = event.reason
    else:
        project.paused_from = None
        project.stop_reason = None
    month_field = {Stage.SIGNED: "signed_month", Stage.STARTED: "start_month", Stage.PRODUCING: "production_month"}.get(target)
    if month_field:
        setattr(project, month_field, event.period)
    project.stage = target
    project.stage_since = today
    project.last_progress_on = today
    if event.agreement_id:
        agreement = db.session.get(Agreement, event.agreement_id)
        if agreement is not None and agreement.project_id is None:
            agreement.project_id = project.id
    stage_applied.send(project, event=event, today=today)


def approve(actor: Actor, event: StageEvent, comment: str | None) -> None:
    """审核通过: the gates are checked again (the evidence may have changed), then the project moves."""
    if event.review_status is not ReviewStatus.PENDING:
        raise ProjectError("comment", _("该申报不在审核中"))
    project = event.project
    if project.stage is not event.from_stage:
        raise ProjectError("comment", _("项目阶段已变化，该申报已不适用，请退回"))
    if problems := _move_problems(None, project, event):
        raise ProjectError("comment", _("不满足推进条件：%(reason)s", reason=problems[0][1]))
    event.review_status = ReviewStatus.APPROVED
    event.reviewed_by_id = actor.user_id
    event.reviewed_at = utcnow()
    event.review_comment = comment
    _apply_stage(project, event, local_today())
    db.session.flush()


def reject(actor: Actor, event: StageEvent, comment: str) -> None:
    """审核未通过, with the reason shown to the reporter; the project stays where it was."""
    if event.review_status is not ReviewStatus.PENDING:
        raise ProjectError("comment", _("该申报不在审核中"))
    if not (comment or "").strip():
        raise ProjectError("comment", _("退回须填写原因"))
    event.review_status = ReviewStatus.REJECTED
    event.reviewed_by_id = actor.user_id
    event.reviewed_at = utcnow()
    event.review_comment = comment.strip()
    db.session.flush()


def move_back(actor: Actor, project: Project, target: Stage, period: str, reason: str | None) -> StageEvent:
    """An admin's correction to an earlier stage: takes effect at once, with the reason kept."""
    if not passes(actor, Gate.STAGE_CORRECTION):
        raise ProjectError("stage", _("退回之前的阶段须由管理员操作"))
    if open_event(project) is not None:
        raise ProjectError("stage", _("该项目有未完成的阶段申报，请先处理"))
    _check_period(project, period)
    event = StageEvent(project_id=project.id, from_stage=project.stage, to_stage=target, period=period, reason=reason)
    event.project = project
    move = Move(project.stage, target, paused_from=project.paused_from, reason=reason, by_admin=True)
    if problems := check(move, pipeline_settings()):
        raise ProjectError(MONTH_FIELD.get(problems[0].field, problems[0].field), problem_text(problems[0]))
    if not is_backward(project.stage, target, pipeline_settings()):
        raise ProjectError("stage", _("管理员只能在此退回阶段；推进请走阶段申报"))
    event.review_status = ReviewStatus.APPROVED
    event.submitted_by_id = event.reviewed_by_id = actor.user_id
    event.submitted_at = event.reviewed_at = utcnow()
    event.review_comment = _("管理员退回")
    db.session.add(event)
    _apply_stage(project, event, local_today())
    db.session.flush()
    return event


def record_imported_stage(actor: Actor, project: Project, to_stage: Stage, period: str, import_id: int) -> StageEvent:
    """A step of the stage history a 台账 gives (issue 13): approved at once and marked with its import.

    The sheet is the evidence the county kept before the system, so the gates are not asked again; the importer
    is recorded as having submitted and approved it, and the event carries ``import_id`` for the reviewer."""
    if open_event(project) is not None:
        raise ProjectError("stage", _("该项目有未审核的阶段申报，请先处理后再导入阶段"))
    event = imported_stage_event(actor, project, to_stage, period, import_id)
    db.session.flush()
    return event


def imported_stage_event(actor: Actor, project: Project, to_stage: Stage, period: str, import_id: int) -> StageEvent:
    """``record_imported_stage`` without its check and flush, for a project the same import is building (it has no
    report of its own yet) with others that are flushed together."""
    event = StageEvent(project_id=project.id, from_stage=project.stage, to_stage=to_stage, period=period, import_id=import_id)
    event.project = project
    event.review_status = ReviewStatus.APPROVED
    event.submitted_by_id = event.reviewed_by_id = actor.user_id
    event.submitted_at = event.reviewed_at = utcnow()
    event.review_comment = _("台账导入")
    event.total_investment = project.total_investment
    event.contracted_amount = project.contracted_amount
    db.session.add(event)
    _apply_stage(project, event, local_today())
    project.stage_since = date(int(period[:4]), int(period[5:7]), 1)  # in stage since the sheet's month, not today's
    return event
