"""Project classifications and the 红黄绿 rule (DOMAIN §a 规模档, §b 红黄绿)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from crm.domain.pipeline import Stage

# 规模档 by 总投资 (万元): lower bounds, ascending. 1 亿 = 10 000 万元.
SCALE_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(0), "<5000万"),
    (Decimal(5_000), "5000万–1亿"),
    (Decimal(10_000), "1–3亿"),
    (Decimal(30_000), "3–5亿"),
    (Decimal(50_000), "5–10亿"),
    (Decimal(100_000), "10–20亿"),
    (Decimal(200_000), "20–50亿"),
    (Decimal(500_000), "50–100亿"),
    (Decimal(1_000_000), "≥100亿"),
)


def scale_band(total_investment: Decimal | None) -> str | None:
    """The 规模档 a 总投资 falls in (each band includes its lower bound)."""
    if total_investment is None or total_investment < 0:
        return None
    band = None
    for lower, name in SCALE_BANDS:
        if total_investment >= lower:
            band = name
    return band


def at_least_yi(total_investment: Decimal | None, yi: int) -> bool:
    """亿元以上 (yi=1), 10亿元以上 (10), 50亿元以上 (50), 百亿级 (100)."""
    return total_investment is not None and total_investment >= Decimal(yi) * 10_000


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


@dataclass(frozen=True)
class RagSettings:
    stale_days: int = 14  # 黄: no update for this many days
    due_soon_days: int = 7  # 黄: a milestone due within this many days


@dataclass(frozen=True)
class RagFacts:
    stage: Stage
    planned_start: date | None = None  # 计划开工
    last_update: date | None = None  # the latest progress report or stage event
    overdue_milestones: int = 0
    overdue_issues: int = 0
    next_milestone_due: date | None = None
    overdue_procedures: int = 0  # 审批手续 past their 承诺时限 (crm.domain.approvals.is_overdue)


NOT_STARTED = (Stage.LEAD, Stage.TALKS, Stage.SIGNED, Stage.REGISTERED)


class RagCause(StrEnum):
    """Why a project is red or amber; the words are the presentation's (crm.web.rag_text), in the reader's language."""

    START_PASSED = "start_passed"  # 计划开工日期已过仍未开工
    MILESTONES_OVERDUE = "milestones_overdue"  # n 个节点逾期
    ISSUES_OVERDUE = "issues_overdue"  # n 个问题逾期未办结
    PROCEDURES_OVERDUE = "procedures_overdue"  # n 项审批手续超过承诺时限
    STALE = "stale"  # n 天以上未更新进度
    MILESTONE_DUE = "milestone_due"  # 节点将于 … 到期


@dataclass(frozen=True)
class RagReason:
    cause: RagCause
    count: int = 0  # milestones or issues overdue, or the days without an update
    due: date | None = None  # when the next milestone falls due


def rag(facts: RagFacts, today: date, settings: RagSettings = RagSettings()) -> tuple[Rag, list[RagReason]]:
    """The colour and the reasons for it, most serious first.

    红: the planned start date has passed but the project has not started, or a
    milestone, an issue or a 审批手续 is overdue. 黄: no update for ``stale_days``, or a
    milestone due within ``due_soon_days``. 绿: everything else. Paused and
    terminated projects are not coloured red for dates they no longer chase.
    """
    reasons_red: list[RagReason] = []
    if facts.stage in NOT_STARTED and facts.planned_start is not None and facts.planned_start < today:
        reasons_red.append(RagReason(RagCause.START_PASSED))
    if facts.overdue_milestones:
        reasons_red.append(RagReason(RagCause.MILESTONES_OVERDUE, facts.overdue_milestones))
    if facts.overdue_issues:
        reasons_red.append(RagReason(RagCause.ISSUES_OVERDUE, facts.overdue_issues))
    if facts.overdue_procedures:
        reasons_red.append(RagReason(RagCause.PROCEDURES_OVERDUE, facts.overdue_procedures))
    if reasons_red and facts.stage not in (Stage.PAUSED, Stage.TERMINATED):
        return Rag.RED, reasons_red
    reasons_amber: list[RagReason] = []
    if facts.last_update is None or today - facts.last_update >= timedelta(days=settings.stale_days):
        reasons_amber.append(RagReason(RagCause.STALE, settings.stale_days))
    if facts.next_milestone_due is not None and today <= facts.next_milestone_due <= today + timedelta(days=settings.due_soon_days):
        reasons_amber.append(RagReason(RagCause.MILESTONE_DUE, due=facts.next_milestone_due))
    if reasons_amber and facts.stage not in (Stage.TERMINATED,):
        return Rag.AMBER, reasons_amber
    return Rag.GREEN, []


class ReviewStatus(StrEnum):
    """审核状态 of a stage report or a 到位资金 entry (grid_chi): 已保存 → 审核中 → 审核通过 / 审核未通过.

    Only APPROVED records count in statistics.
    """

    DRAFT = "draft"  # 已保存
    PENDING = "pending"  # 审核中
    APPROVED = "approved"  # 审核通过
    REJECTED = "rejected"  # 审核未通过


class Sector(StrEnum):
    """三次产业."""

    PRIMARY = "primary"  # 一产
    SECONDARY = "secondary"  # 二产
    TERTIARY = "tertiary"  # 三产


class FundPurpose(StrEnum):
    """到位资金 用途."""

    FIXED_ASSETS = "fixed_assets"  # 固定资产
    WORKING_CAPITAL = "working_capital"  # 流动资金


class MilestoneKind(StrEnum):
    """倒排工期 节点, in their usual order."""

    REGISTRATION = "registration"  # 注册
    LAND = "land"  # 供地摘牌
    PLANNING_PERMIT = "planning_permit"  # 规划许可
    CONSTRUCTION_PERMIT = "construction_permit"  # 施工许可
    GROUNDBREAKING = "groundbreaking"  # 开工
    TOPPING_OUT = "topping_out"  # 主体封顶
    EQUIPMENT = "equipment"  # 设备安装
    TRIAL_PRODUCTION = "trial_production"  # 试生产
    PRODUCTION = "production"  # 投产


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"  # 未开始
    IN_PROGRESS = "in_progress"  # 进行中
    DONE = "done"  # 已完成
    OVERDUE = "overdue"  # 逾期


# The 节点 an approved stage report reaches: 注册 → 注册, 开工 → 开工, 投产 → 投产.
MILESTONE_OF_STAGE: dict[Stage, MilestoneKind] = {
    Stage.REGISTERED: MilestoneKind.REGISTRATION,
    Stage.STARTED: MilestoneKind.GROUNDBREAKING,
    Stage.PRODUCING: MilestoneKind.PRODUCTION,
}


def reached_on(period: str, approved_on: date) -> date:
    """The day a stage was reached, as far as its report says: the report gives the month ("YYYY-MM"), the review
    the day it was confirmed. Confirmed by the month's end: that day; later: the month's last day (it happened in
    that month, no later). An unreadable month: the day it was confirmed."""
    try:
        year, month = (int(part) for part in period.split("-"))
        following = date(year + month // 12, month % 12 + 1, 1)
    except (ValueError, AttributeError):
        return approved_on
    return approved_on if approved_on < following else following - timedelta(days=1)


def milestone_status(planned_on: date, actual_on: date | None, today: date, previous_done: bool = True) -> MilestoneStatus:
    """A milestone's status is computed, never typed.

    已完成 once it has an actual date; 逾期 when the planned date has passed without one;
    进行中 when the previous milestone is done (the work on this one has begun); else 未开始.
    """
    if actual_on is not None:
        return MilestoneStatus.DONE
    if planned_on < today:
        return MilestoneStatus.OVERDUE
    return MilestoneStatus.IN_PROGRESS if previous_done else MilestoneStatus.NOT_STARTED


def funds_rate(arrived: Decimal, contracted: Decimal | None) -> Decimal | None:
    """资金到位率 = 累计到位资金 ÷ 合同引资额, in percent to 2 dp; None without a contracted amount."""
    if contracted is None or contracted <= 0:
        return None
    return (arrived * 100 / contracted).quantize(Decimal("0.01"))


def leader_slots(total_investment: Decimal | None, large_from: Decimal, large_max: int) -> int:
    """How many 分包县级领导 a project may have at once: one (三个一), more only for very large projects by setting."""
    if large_max > 1 and total_investment is not None and total_investment >= large_from:
        return large_max
    return 1
