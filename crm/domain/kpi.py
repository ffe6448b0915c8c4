"""Leaders' formulas (DOMAIN §b): progress against the year's target and the 三率 of a signing cohort.

Rates are Decimals in percent, rounded half-up to two places only when displayed
(``pct``); comparisons use the exact values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

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


class Indicator(StrEnum):
    """年度目标 indicators (DOMAIN §d targets, §c 月报). Pipeline ones are computed from approved
    records; zone ones (园区指标) are typed in monthly as 1–N月 cumulative figures."""

    YI_PROJECTS = "yi_projects"  # 引进亿元以上项目 (个)
    SIGNED_AMOUNT = "signed_amount"  # 签约金额 (万元)
    CONTRACTED_AMOUNT = "contracted_amount"  # 合同引资额 (万元)
    STARTED_PROJECTS = "started_projects"  # 新开工项目 (个)
    FUNDS_ARRIVED = "funds_arrived"  # 到位资金 (万元)
    OUT_OF_PROVINCE_FUNDS = "out_of_province_funds"  # 省外资金 (万元)
    FOREIGN_CAPITAL = "foreign_capital"  # 实际利用外资 (万美元)
    FIXED_ASSET_INVESTMENT = "fixed_asset_investment"  # 固定资产投资 (万元)
    INDUSTRIAL_INVESTMENT = "industrial_investment"  # 其中工业项目投资 (万元)
    INFRASTRUCTURE_INVESTMENT = "infrastructure_investment"  # 基础设施投资 (万元)
    REVENUE = "revenue"  # 主营业务收入 (万元)
    TAX = "tax"  # 税收 (万元)
    PROFIT_TAX = "profit_tax"  # 利税 (万元)
    EMPLOYMENT = "employment"  # 区内就业 / 从业人员 (人)
    YI_UNDER_CONSTRUCTION = "yi_under_construction"  # 在建亿元以上项目数 (个)
    NEW_STARTS = "new_starts"  # 新开工项目数 (园区统计, 个)


# Typed in each month as 1–N月 cumulative figures (园区指标); the rest are computed from approved records.
ZONE_INDICATORS = frozenset({
    Indicator.FIXED_ASSET_INVESTMENT, Indicator.INDUSTRIAL_INVESTMENT, Indicator.INFRASTRUCTURE_INVESTMENT,
    Indicator.REVENUE, Indicator.TAX, Indicator.PROFIT_TAX, Indicator.EMPLOYMENT, Indicator.YI_UNDER_CONSTRUCTION,
    Indicator.NEW_STARTS,
})


class TargetScope(StrEnum):
    COUNTY = "county"  # 全县 (the county unit)
    UNIT = "unit"  # 单位
    LEADER = "leader"  # 县级领导


# --- periods (YYYY-MM) ------------------------------------------------------------------------
# Statistics periods are months written "YYYY-MM" (grid_chi's yyyyMM); the 1–N月 figures of a
# month add up January to that month of the same year.


def parse_period(period: str) -> tuple[int, int]:
    """(year, month) of "YYYY-MM"; ValueError for anything else."""
    if not isinstance(period, str) or len(period) != 7 or period[4] != "-":
        raise ValueError(f"not a YYYY-MM period: {period!r}")
    year, month = int(period[:4]), int(period[5:])
    if not (1 <= month <= 12 and 1900 <= year <= 2999):
        raise ValueError(f"not a YYYY-MM period: {period!r}")
    return year, month


def is_period(value: str | None) -> bool:
    try:
        parse_period(value or "")
    except ValueError:
        return False
    return True


def make_period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def period_of(day: date) -> str:
    return make_period(day.year, day.month)


def shift_period(period: str, months: int) -> str:
    """The period ``months`` later (earlier when negative)."""
    year, month = parse_period(period)
    index = year * 12 + (month - 1) + months
    return make_period(index // 12, index % 12 + 1)


def months_between(start: str, end: str) -> int:
    """Whole months from ``start`` to ``end`` (0 for the same month, negative when end is earlier)."""
    (y1, m1), (y2, m2) = parse_period(start), parse_period(end)
    return (y2 * 12 + m2) - (y1 * 12 + m1)


def year_start(period: str) -> str:
    """January of the period's year: the start of its 1–N月 window."""
    return make_period(parse_period(period)[0], 1)


def months_elapsed(period: str) -> int:
    """N of a 1–N月 report: the month number of the period (April → 4)."""
    return parse_period(period)[1]


def last_year(period: str) -> str:
    """The same month a year earlier (同期)."""
    return shift_period(period, -12)


def first_day(period: str) -> date:
    year, month = parse_period(period)
    return date(year, month, 1)


def last_day(period: str) -> date:
    return first_day(shift_period(period, 1)) - timedelta(days=1)


def quarter_of(period: str) -> int:
    return (parse_period(period)[1] - 1) // 3 + 1


def quarter_periods(year: int, quarter: int) -> tuple[str, str, str]:
    """The three months of a quarter (季度)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1–4")
    first = (quarter - 1) * 3 + 1
    return make_period(year, first), make_period(year, first + 1), make_period(year, first + 2)


# Last year's figure below this share of this year's is too small a base to compare with: 35,000 万元 against
# 3,717,000 once read 同比 10520.00%, which tells a leader nothing. Such a rate is shown as "—", as no base is.
TINY_BASE = Decimal("0.01")


def yoy(current: Decimal | int, previous: Decimal | int) -> Decimal | None:
    """同比 % = (本期 − 上年同期) ÷ 上年同期; None when there was nothing last year, or too little to compare
    (under ``TINY_BASE`` of this year's)."""
    current, previous = Decimal(current), Decimal(previous)
    if previous <= 0 or previous < current * TINY_BASE:
        return None
    return (current - previous) / previous * HUNDRED


@dataclass(frozen=True)
class Progress:
    """One indicator against its year's target: 完成率, 序时进度, 超(欠)进度 (None without a target)."""

    actual: Decimal
    target: Decimal | None
    months: int  # N of 1–N月

    @property
    def completion(self) -> Decimal | None:
        return completion_rate(self.actual, self.target) if self.target is not None else None

    @property
    def schedule(self) -> Decimal:
        return time_progress(self.months)

    @property
    def ahead(self) -> Decimal | None:
        completion = self.completion
        return None if completion is None else ahead_of_schedule(completion, self.schedule)

    @property
    def double_half(self) -> bool:
        return double_half(self.completion, self.months)
