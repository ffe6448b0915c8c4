"""Leaders' formulas (DOMAIN §b): progress against the year's target and the 三率 of a signing cohort.

Rates are Decimals in percent, rounded half-up to two places only when displayed
(``pct``); comparisons use the exact values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part ÷ whole in percent; None when there is nothing to divide by."""
    whole = Decimal(whole)
    if whole <= 0:
        return None
    return Decimal(part) / whole * HUNDRED


def pct(value: Decimal | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def completion_rate(accumulated: Decimal | int, target: Decimal | int) -> Decimal | None:
    """完成率 = 累计 ÷ 年度目标."""
    return ratio(accumulated, target)


def time_progress(months_elapsed: int) -> Decimal:
    """序时进度 = 已过月份 ÷ 12 (1–N月 reporting: N months have elapsed)."""
    if not 0 <= months_elapsed <= 12:
        raise ValueError("months_elapsed must be 0–12")
    return Decimal(months_elapsed) / 12 * HUNDRED


def ahead_of_schedule(completion: Decimal, progress: Decimal) -> Decimal:
    """超(欠)进度 = 完成率 − 序时进度, in percentage points (negative = behind)."""
    return completion - progress


def double_half(completion: Decimal | None, months_elapsed: int) -> bool:
    """双过半: by the end of June, both the completion rate and the time progress are past 50 %."""
    return months_elapsed >= 6 and completion is not None and completion > 50 and time_progress(months_elapsed) >= 50


@dataclass(frozen=True)
class Cohort:
    """One signing year or one signing event, and where its projects stand now."""

    signed: int  # 签约项目数
    active: int  # 履约: in 前期手续, 在建 or 投产, not terminated
    started: int  # 开工 + 投产
    producing: int  # 投产 (建成)
    landed: int  # 注册/供地
    funds_arrived: Decimal  # 累计到位资金
    contracted: Decimal  # 合同引资额


@dataclass(frozen=True)
class CohortRates:
    performance: Decimal | None  # 履约率
    start: Decimal | None  # 开工率
    funds: Decimal | None  # 资金到位率
    production: Decimal | None  # 投产率 (建成率)
    landing: Decimal | None  # 落地率


def cohort_rates(c: Cohort) -> CohortRates:
    """三率 (and 投产率, 落地率) of a cohort."""
    return CohortRates(
        performance=ratio(c.active, c.signed),
        start=ratio(c.started, c.signed),
        funds=ratio(c.funds_arrived, c.contracted),
        production=ratio(c.producing, c.signed),
        landing=ratio(c.landed, c.signed),
    )
