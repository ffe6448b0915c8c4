"""项目阶段: the stages, which moves are allowed, and what each forward move requires (DOMAIN §b).

Data plus pure functions, so the project pages, the review queue and the statistics all
apply the same rules, and the rules are tested exhaustively without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Stage(StrEnum):
    LEAD = "lead"  # 线索
    TALKS = "talks"  # 在谈
    SIGNED = "signed"  # 签约
    REGISTERED = "registered"  # 注册 (落地)
    STARTED = "started"  # 开工 (在建)
    PRODUCING = "producing"  # 投产
    FULL_CAPACITY = "full_capacity"  # 达产 (where enabled)
    PAUSED = "paused"  # 暂缓
    TERMINATED = "terminated"  # 中止


MAIN_LINE = (Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING, Stage.FULL_CAPACITY)
SIDE_STATES = (Stage.PAUSED, Stage.TERMINATED)


class Nature(StrEnum):
    """项目性质."""

    NEW = "new"  # 新建
    EXPANSION = "expansion"  # 扩建
    RENOVATION = "renovation"  # 技改
    CAPITAL_INCREASE = "capital_increase"  # 增资


@dataclass(frozen=True)
class Settings:
    full_capacity_enabled: bool = False  # 达产 as a stage after 投产


@dataclass(frozen=True)
class Facts:
    """What the gates look at, read off a project (and its agreements, funds and attachments)."""

    nature: Nature = Nature.NEW
    assessment_follow: bool = False  # 研判 = 跟进
    following_unit: bool = False  # 跟进单位 assigned
    has_formal_contract: bool = False  # an agreement of type 正式投资合同/投资协议书, in force
    total_investment: Decimal | None = None  # 总投资 (万元)
    first_phase_investment: Decimal | None = None  # 一期投资 (万元)
    signed_month: str | None = None  # 签约月 YYYY-MM
    registration_number: str | None = None  # 工商注册号
    registered_name: str | None = None
    registered_capital: Decimal | None = None
    legal_representative: str | None = None
    site: str | None = None  # 建设地点 / 园区
    land_mu: Decimal | None = None  # 用地 (亩)
    start_month: str | None = None  # 开工月
    funds_arrived: Decimal = Decimal(0)  # 投资方实际到资额 / 累计到位资金 (万元)
    start_evidence: bool = False  # 施工许可 or photos attached
    production_month: str | None = None  # 投产月
    capacity: str | None = None  # 已形成产能
    monthly_sales: Decimal | None = None  # 月销售收入 (万元)
    # 准入评审 (crm.domain.admission): the county's setting makes a passed review part of the 签约 gate.
    admission_required: bool = False
    admission_passed: bool = False


class Need(StrEnum):
    """Why a move is refused. The words, in the reader's language, are chosen outside the domain
    (crm/projects/gate_text.py), so a gate's message is defined once for pages, flashes and the CLI."""

    ASSESSMENT_FOLLOW = "assessment_follow"  # 研判结论须为“跟进”
    FOLLOWING_UNIT = "following_unit"  # 须明确跟进单位
    FORMAL_CONTRACT = "formal_contract"  # 须有有效的正式投资合同/投资协议书
    TOTAL_INVESTMENT = "total_investment"  # 须填写总投资
    FIRST_PHASE_INVESTMENT = "first_phase_investment"  # 须填写一期投资
    SIGNED_MONTH = "signed_month"  # 须填写签约月份
    REGISTRATION_NUMBER = "registration_number"  # 须填写工商注册号
    REGISTERED_NAME = "registered_name"  # 须填写注册名称
    REGISTERED_CAPITAL = "registered_capital"  # 须填写注册资本
    LEGAL_REPRESENTATIVE = "legal_representative"  # 须填写法人代表
    SITE = "site"  # 须填写建设地点（园区）
    LAND_MU = "land_mu"  # 须填写用地面积（亩）
    START_MONTH = "start_month"  # 须填写开工月份
    FUNDS_ARRIVED = "funds_arrived"  # 须有投资方实际到资
    START_EVIDENCE = "start_evidence"  # 须上传施工许可或开工照片
    CAPITAL_INCREASE_CONTRACT = "capital_increase_contract"  # 须有有效的正式投资合同/增资协议
    PRODUCTION_MONTH = "production_month"  # 须填写投产月份
    FUNDS_ARRIVED_IN_ALL = "funds_arrived_in_all"  # 须有累计实际到资
    CAPACITY = "capacity"  # 须填写已形成产能
    MONTHLY_SALES = "monthly_sales"  # 须填写月销售收入
    ALREADY_THERE = "already_there"  # 项目已处于该阶段
    TERMINATED_ONLY_TO_TALKS = "terminated_only_to_talks"  # 已中止的项目只能重新激活为“在谈”
    ASIDE_REASON = "aside_reason"  # 暂缓或中止须填写原因
    ALREADY_PAUSED = "already_paused"  # 项目已处于暂缓状态
    PAUSED_ONLY_RESUME = "paused_only_resume"  # 暂缓的项目只能恢复到暂缓前的阶段，或中止
    BACKWARD_BY_ADMIN = "backward_by_admin"  # 退回之前的阶段须由管理员操作
    BACKWARD_REASON = "backward_reason"  # 退回阶段须填写原因
    ONE_STEP_AT_A_TIME = "one_step_at_a_time"  # 只能逐级推进到下一阶段
    ADMISSION_REVIEW = "admission_review"  # 须经准入评审会审通过（或有条件通过）


@dataclass(frozen=True)
class Problem:
    field: str  # the form field (or "stage") the message belongs next to
    need: Need


@dataclass(frozen=True)
class Move:
    current: Stage
    target: Stage
    paused_from: Stage | None = None  # for PAUSED: the stage to resume
    reason: str | None = None
    by_admin: bool = False
    facts: Facts = field(default_factory=Facts)


def main_line(settings: Settings) -> tuple[Stage, ...]:
    return MAIN_LINE if settings.full_capacity_enabled else MAIN_LINE[:-1]


def is_forward_step(current: Stage, target: Stage, nature: Nature, settings: Settings) -> bool:
    """One step along the main line; 签约 → 开工 for 增资扩产 of a company already here."""
    line = main_line(settings)
    if current not in line or target not in line:
        return False
    if line.index(target) == line.index(current) + 1:
        return True
    return current is Stage.SIGNED and target is Stage.STARTED and nature in (Nature.CAPITAL_INCREASE, Nature.EXPANSION)


def is_backward(current: Stage, target: Stage, settings: Settings) -> bool:
    line = main_line(settings)
    return current in line and target in line and line.index(target) < line.index(current)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _positive(value: Decimal | None) -> bool:
    return value is not None and value > 0


def gate_problems(current: Stage, target: Stage, facts: Facts) -> list[Problem]:
    """What a forward move still lacks (the DOMAIN transition table)."""
    problems: list[Problem] = []

    def need(condition: bool, field_name: str, why: Need) -> None:
        if not condition:
            problems.append(Problem(field_name, why))

    if target is Stage.TALKS:
        need(facts.assessment_follow, "assessment", Need.ASSESSMENT_FOLLOW)
        need(facts.following_unit, "unit", Need.FOLLOWING_UNIT)
    elif target is Stage.SIGNED:
        need(facts.has_formal_contract, "agreement", Need.FORMAL_CONTRACT)
        need(_positive(facts.total_investment), "total_investment", Need.TOTAL_INVESTMENT)
        need(_positive(facts.first_phase_investment), "first_phase_investment", Need.FIRST_PHASE_INVESTMENT)
        need(not _missing(facts.signed_month), "signed_month", Need.SIGNED_MONTH)
        need(not facts.admission_required or facts.admission_passed, "stage", Need.ADMISSION_REVIEW)
    elif target is Stage.REGISTERED:
        need(not _missing(facts.registration_number), "registration_number", Need.REGISTRATION_NUMBER)
        need(not _missing(facts.registered_name), "registered_name", Need.REGISTERED_NAME)
        need(_positive(facts.registered_capital), "registered_capital", Need.REGISTERED_CAPITAL)
        need(not _missing(facts.legal_representative), "legal_representative", Need.LEGAL_REPRESENTATIVE)
        need(not _missing(facts.site), "site", Need.SITE)
        need(_positive(facts.land_mu), "land_mu", Need.LAND_MU)
    elif target is Stage.STARTED:
        need(not _missing(facts.start_month), "start_month", Need.START_MONTH)
        need(facts.funds_arrived > 0, "funds_arrived", Need.FUNDS_ARRIVED)
        need(facts.start_evidence, "evidence", Need.START_EVIDENCE)
        if current is Stage.SIGNED:  # 增资扩产 skipping 注册: the signing facts must still hold
            need(facts.has_formal_contract, "agreement", Need.CAPITAL_INCREASE_CONTRACT)
    elif target is Stage.PRODUCING:
        need(not _missing(facts.production_month), "production_month", Need.PRODUCTION_MONTH)
        need(facts.funds_arrived > 0, "funds_arrived", Need.FUNDS_ARRIVED_IN_ALL)
        need(not _missing(facts.capacity), "capacity", Need.CAPACITY)
        need(_positive(facts.monthly_sales), "monthly_sales", Need.MONTHLY_SALES)
    return problems


def gate_fields(current: Stage, target: Stage, nature: Nature = Nature.NEW, settings: Settings = Settings()) -> frozenset[str]:
    """The facts a report from ``current`` to ``target`` must give before it may be submitted: what ``check`` would
    refuse were they all missing (the report form marks them as required)."""
    empty = Move(current, target, facts=Facts(nature=nature))
    return frozenset(problem.field for problem in check(empty, settings)) - {"stage"}


def check(move: Move, settings: Settings = Settings()) -> list[Problem]:
    """Every reason the move is refused; an empty list means it is allowed."""
    current, target, facts = move.current, move.target, move.facts
    if target == current:
        return [Problem("stage", Need.ALREADY_THERE)]
    if current is Stage.TERMINATED:
        if target is Stage.TALKS:
            return []  # 中止 → 在谈: re-activation
        return [Problem("stage", Need.TERMINATED_ONLY_TO_TALKS)]
    if target in SIDE_STATES:
        if _missing(move.reason):
            return [Problem("reason", Need.ASIDE_REASON)]
        if current is Stage.PAUSED and target is Stage.PAUSED:
            return [Problem("stage", Need.ALREADY_PAUSED)]
        return []
    if current is Stage.PAUSED:
        resume = move.paused_from
        if target == resume:
            return []
        return [Problem("stage", Need.PAUSED_ONLY_RESUME)]
    if is_backward(current, target, settings):
        if not move.by_admin:
            return [Problem("stage", Need.BACKWARD_BY_ADMIN)]
        if _missing(move.reason):
            return [Problem("reason", Need.BACKWARD_REASON)]
        return []
    if not is_forward_step(current, target, facts.nature, settings):
        return [Problem("stage", Need.ONE_STEP_AT_A_TIME)]
    return gate_problems(current, target, facts)


def next_targets(current: Stage, paused_from: Stage | None, nature: Nature, settings: Settings = Settings()) -> list[Stage]:
    """The stages a stage report may ask for from ``current`` (what the project page offers).

    Forward one step (签约 → 开工 too for 增资/扩建), resuming a paused project where it stopped,
    re-activating a terminated one, and 暂缓/中止 from any active stage. Backward moves are not
    offered here: they are an admin's correction.
    """
    if current is Stage.TERMINATED:
        return [Stage.TALKS]
    if current is Stage.PAUSED:
        return ([paused_from] if paused_from is not None else []) + [Stage.TERMINATED]
    line = main_line(settings)
    forward = [s for s in line if is_forward_step(current, s, nature, settings)]
    return forward + [Stage.PAUSED, Stage.TERMINATED]


def earlier_stages(current: Stage, settings: Settings = Settings()) -> list[Stage]:
    """Where an admin may move a project back to (never to 线索: the lead stays converted)."""
    line = main_line(settings)
    if current not in line:
        return []
    return [s for s in line[1 : line.index(current)]]
