"""Leaders' reports as pure rules (DOMAIN §b 统计口径, §c 月评比 and 季奖惩).

- ``CountingRules``: which approved stage events count in statistics and for how much;
- ``FlagSettings`` and the 影子项目 / 空巢项目 / 逾期未开工 flags;
- ``Scorecard`` and ``score_units``: the monthly ranking of units, each point explained;
- ``quarter_results``: the quarter view (季奖惩).

Settings are stored as JSON (``ReportSettings``); ``from_json`` validates what is stored and
names the offending field, ``to_json`` writes only plain numbers and codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Iterable, Sequence

from crm.domain.companies import THREE_500S, CompanyTag, FundingSource, IndustryCategory
from crm.domain.kpi import HUNDRED, first_day, make_period, months_between, parse_period, period_of, shift_period
from crm.domain.pipeline import Nature, Stage
from crm.domain.units import UnitType

YI = Decimal(10_000)  # 1 亿 = 10 000 万元
MAX_FIGURE = Decimal("100000000")  # 1 亿万元: anything larger is a typing mistake


class SettingsError(ValueError):
    """Stored or submitted settings that break a rule: (field, problem code) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {p}" for f, p in problems))
        self.problems = problems


class Problem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_CODE = "unknown_code"
    WEIGHTS_NOT_100 = "weights_not_100"


def _decimal(data: dict[str, Any], key: str, default: Decimal | None, problems: list[tuple[str, str]],
             *, optional: bool = False, maximum: Decimal = MAX_FIGURE) -> Decimal | None:
    raw = data.get(key, default)
    if raw is None or raw == "":
        if optional:
            return None
        problems.append((key, Problem.NOT_A_NUMBER))
        return default
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        problems.append((key, Problem.NOT_A_NUMBER))
        return default
    if not value.is_finite():
        problems.append((key, Problem.NOT_A_NUMBER))
        return default
    if value < 0:
        problems.append((key, Problem.NEGATIVE))
        return default
    if value > maximum:
        problems.append((key, Problem.TOO_LARGE))
        return default
    return value


def _int(data: dict[str, Any], key: str, default: int, low: int, high: int, problems: list[tuple[str, str]]) -> int:
    raw = data.get(key, default)
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        problems.append((key, Problem.NOT_A_NUMBER))
        return default
    if not low <= value <= high:
        problems.append((key, Problem.OUT_OF_RANGE))
        return default
    return value


def _codes(data: dict[str, Any], key: str, enum_cls: Any, default: frozenset[Any], problems: list[tuple[str, str]]) -> frozenset[Any]:
    raw = data.get(key)
    if raw is None:
        return default
    if not isinstance(raw, (list, tuple, set, frozenset)):
        problems.append((key, Problem.UNKNOWN_CODE))
        return default
    found = set()
    for code in raw:
        try:
            found.add(enum_cls(code))
        except ValueError:
            problems.append((key, Problem.UNKNOWN_CODE))
            return default
    return frozenset(found)


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# --- 统计口径 ------------------------------------------------------------------------------------
# 工业 in the statistics sense: 采矿业, 制造业, 电力/热力/燃气及水 (GB/T 4754 门类 B, C, D).
INDUSTRIAL_CATEGORIES = frozenset({IndustryCategory.B, IndustryCategory.C, IndustryCategory.D})


@dataclass(frozen=True)
class CountingRules:
    """统计口径 (DOMAIN §b). A project counts once per stage, at its first approved event to that stage
    (so once for its first signing), in the month of the event, when it is recognised and big enough:

    - not recognised (不予认定): an excluded 行业门类 (default K 房地产业) or 资金来源地 (default 县内: money
      of local firms only);
    - big enough: the counted 总投资 reaches ``threshold`` (default 1 亿), or ``industrial_threshold`` for
      工业 (B/C/D) projects when that is set (柘城 counts 5000 万元以上的工业项目);
    - the counted amount is the one copied on the event; a 增资 project counts only that (the added amount),
      other projects fall back to the project's amount when the event carries none.
    """

    threshold: Decimal = YI
    industrial_threshold: Decimal | None = None
    excluded_categories: frozenset[IndustryCategory] = frozenset({IndustryCategory.K})
    excluded_sources: frozenset[FundingSource] = frozenset({FundingSource.IN_COUNTY})

    def threshold_for(self, category: IndustryCategory | None) -> Decimal:
        if self.industrial_threshold is not None and category in INDUSTRIAL_CATEGORIES:
            return self.industrial_threshold
        return self.threshold

    def recognised(self, category: IndustryCategory | None, source: FundingSource | None) -> bool:
        return category not in self.excluded_categories and source not in self.excluded_sources

    def counts(self, category: IndustryCategory | None, source: FundingSource | None, amount: Decimal | None) -> bool:
        """Does an event of a project with this category and funding source, for this amount, count?"""
        if not self.recognised(category, source):
            return False
        return (amount or Decimal(0)) >= self.threshold_for(category)

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": _plain(self.threshold),
            "industrial_threshold": _plain(self.industrial_threshold),
            "excluded_categories": sorted(c.value for c in self.excluded_categories),
            "excluded_sources": sorted(s.value for s in self.excluded_sources),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "CountingRules":
        """Validated rules; SettingsError names every bad field."""
        data = data or {}
        problems: list[tuple[str, str]] = []
        default = cls()
        rules = cls(
            threshold=_decimal(data, "threshold", default.threshold, problems) or Decimal(0),
            industrial_threshold=_decimal(data, "industrial_threshold", None, problems, optional=True),
            excluded_categories=_codes(data, "excluded_categories", IndustryCategory, default.excluded_categories, problems),
            excluded_sources=_codes(data, "excluded_sources", FundingSource, default.excluded_sources, problems),
        )
        if problems:
            raise SettingsError(problems)
        return rules


def counted_amount(nature: Nature | None, event_amount: Decimal | None, project_amount: Decimal | None) -> Decimal | None:
    """The amount an event counts for: 增资 counts only the added amount (the event's); others the event's,
    else the project's."""
    if nature is Nature.CAPITAL_INCREASE:
        return event_amount
    return event_amount if event_amount is not None else project_amount


@dataclass(frozen=True)
class EventFact:
    event_id: int
    project_id: int
    to_stage: Stage
    period: str


def first_events(events: Iterable[EventFact]) -> frozenset[int]:
    """The ids of the events that count: per project and stage, the earliest (by period, then id).

    A project signed, stopped and signed again is counted once, for its first signing.
    """
    best: dict[tuple[int, Stage], EventFact] = {}
    for e in events:
        key = (e.project_id, e.to_stage)
        current = best.get(key)
        if current is None or (e.period, e.event_id) < (current.period, current.event_id):
            best[key] = e
    return frozenset(e.event_id for e in best.values())


# --- 三率 cohort membership ---------------------------------------------------------------------
ACTIVE_STAGES = frozenset({Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING, Stage.FULL_CAPACITY})
STARTED_STAGES = frozenset({Stage.STARTED, Stage.PRODUCING, Stage.FULL_CAPACITY})
PRODUCING_STAGES = frozenset({Stage.PRODUCING, Stage.FULL_CAPACITY})
LANDED_STAGES = frozenset({Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING, Stage.FULL_CAPACITY})


class Phase(StrEnum):
    """Where a signed project stands, for the 三率 of its cohort."""

    ACTIVE = "active"  # 履约: 前期手续 (签约/注册), 在建 or 投产; not paused, not terminated
    STARTED = "started"  # 开工 + 投产 (a paused project counts at the stage it paused from)
    PRODUCING = "producing"  # 投产 (建成)
    LANDED = "landed"  # 注册/供地 or further


def effective_stage(stage: Stage, paused_from: Stage | None) -> Stage:
    """The stage a project reached: a paused project keeps the one it paused from."""
    return paused_from if stage is Stage.PAUSED and paused_from is not None else stage


def phase_stages(phase: Phase) -> frozenset[Stage]:
    return {Phase.ACTIVE: ACTIVE_STAGES, Phase.STARTED: STARTED_STAGES, Phase.PRODUCING: PRODUCING_STAGES,
            Phase.LANDED: LANDED_STAGES}[phase]


def in_phase(phase: Phase, stage: Stage, paused_from: Stage | None) -> bool:
    """Membership as the 三率 count it: 履约 looks at the stage itself (暂缓 is not 履约), the others at
    the stage reached."""
    if phase is Phase.ACTIVE:
        return stage in ACTIVE_STAGES
    return effective_stage(stage, paused_from) in phase_stages(phase)


# --- flags: 影子项目, 空巢项目, 逾期未开工 ---------------------------------------------------------
NOT_YET_STARTED = frozenset({Stage.SIGNED, Stage.REGISTERED})


class Flag(StrEnum):
    SHADOW = "shadow"  # 影子项目: signed, not started after N months
    EMPTY_NEST = "empty_nest"  # 空巢项目: built (主体封顶), not producing after N months
    LATE_START = "late_start"  # past the agreed start date, not started


@dataclass(frozen=True)
class FlagSettings:
    shadow_months: int = 6
    empty_nest_months: int = 3

    def to_json(self) -> dict[str, Any]:
        return {"shadow_months": self.shadow_months, "empty_nest_months": self.empty_nest_months}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "FlagSettings":
        data = data or {}
        problems: list[tuple[str, str]] = []
        default = cls()
        settings = cls(
            shadow_months=_int(data, "shadow_months", default.shadow_months, 1, 60, problems),
            empty_nest_months=_int(data, "empty_nest_months", default.empty_nest_months, 1, 60, problems),
        )
        if problems:
            raise SettingsError(problems)
        return settings


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    period = shift_period(period_of(day), -months)
    start = first_day(period)
    last = (first_day(shift_period(period, 1)) - start).days
    return start.replace(day=min(day.day, last))


def shadow_cutoff(today: date, months: int) -> str:
    """影子项目 signed in this month or earlier: N months have passed without a start."""
    return shift_period(period_of(today), -months)


def is_shadow(stage: Stage, signed_month: str | None, today: date, months: int) -> bool:
    """影子项目: 签约 (or 注册) but not started ``months`` months after the signing month."""
    if stage not in NOT_YET_STARTED or not signed_month:
        return False
    return months_between(signed_month, period_of(today)) >= months


def is_empty_nest(stage: Stage, built_on: date | None, today: date, months: int) -> bool:
    """空巢项目: in 开工 (在建), its 主体封顶 done ``months`` months ago or more, still not producing."""
    return stage is Stage.STARTED and built_on is not None and built_on <= months_before(today, months)


def is_late_start(stage: Stage, planned_start: date | None, today: date) -> bool:
    """Past the agreed (planned) start date and not started."""
    return stage in NOT_YET_STARTED and planned_start is not None and planned_start < today


# --- 报送 and 问题 for 基础工作 / 问题办结 --------------------------------------------------------------
def is_late_report(due_on: date, submitted_on: date | None, today: date) -> bool:
    """A 报送 counts as late when it came after its due day, or has not come and the due day has passed."""
    if submitted_on is not None:
        return submitted_on > due_on
    return due_on < today


def overdue_in_month(deadline: date, resolved_on: date | None, month_start: date, as_of: date) -> bool:
    """An issue counts against its 责任单位 in a month when it was past its deadline at some time of the
    month (up to ``as_of``): the deadline passed before ``as_of`` and it was not resolved by the deadline
    nor before the month began."""
    if deadline >= as_of:
        return False
    if resolved_on is None:
        return True
    return resolved_on > deadline and resolved_on >= month_start


# --- 月评比 scorecard ---------------------------------------------------------------------------
class ScoreMethod(StrEnum):
    TARGET = "target"  # against each unit's 序时目标 (relative to the best unit where it has none)
    EFFICACY = "efficacy"  # 功效系数法: 60 % base + 40 % × (x − min) ÷ (max − min)


class Item(StrEnum):
    SIGNED_COUNT = "signed_count"  # 签约: 个数 (half of 签约)
    SIGNED_AMOUNT = "signed_amount"  # 签约: 金额 (half of 签约)
    NEW_STARTS = "new_starts"  # 新开工 (3/5 of 新开工+开工率)
    START_RATE = "start_rate"  # 开工率 (2/5)
    FUNDS = "funds"  # 到位资金完成率 (half of 资金)
    OUT_OF_PROVINCE = "out_of_province"  # 省外资金完成率 (half)
    BASICS = "basics"  # 基础工作: 报表按时
    ISSUES = "issues"  # 问题办结
    BONUS_TOP_COMPANY = "bonus_top_company"  # 500强/央企/龙头 亿元以上项目
    BONUS_TEN_YI = "bonus_ten_yi"  # 10亿元以上项目


class Basis(StrEnum):
    TARGET = "target"  # actual ÷ 序时目标, at most 1
    RELATIVE = "relative"  # actual ÷ the best unit's (no target set)
    EFFICACY = "efficacy"
    RATE = "rate"  # a rate in percent, at most 100 %
    PENALTY = "penalty"
    BONUS = "bonus"


TOP_COMPANY_TAGS = THREE_500S | {CompanyTag.CENTRAL_SOE, CompanyTag.INDUSTRY_LEADER}


@dataclass(frozen=True)
class Scorecard:
    """The 月评比 scorecard (DOMAIN §c, [推断]): 100 points plus bonuses."""

    method: ScoreMethod = ScoreMethod.TARGET
    signing: Decimal = Decimal(30)  # 签约 (个数 + 金额 vs 序时目标)
    starts: Decimal = Decimal(25)  # 新开工 + 开工率
    funds: Decimal = Decimal(20)  # 到位/省外资金完成率
    basics: Decimal = Decimal(15)  # 基础工作
    issues: Decimal = Decimal(10)  # 问题办结
    late_report_penalty: Decimal = Decimal("0.5")  # per late 报送
    overdue_issue_penalty: Decimal = Decimal(1)  # per overdue issue
    bonus_top_company: Decimal = Decimal(3)  # per 500强/央企/龙头 project 亿元以上 signed in the month
    bonus_ten_yi: Decimal = Decimal(4)  # per project ≥ 10 亿 signed in the month
    unit_types: frozenset[UnitType] = frozenset({UnitType.BRANCH})  # who is ranked
    praise_top: int = 1  # 季奖惩: 通报表扬 for the first N
    criticise_bottom: int = 2  # 通报批评 for the last N
    summon_after_last: int = 2  # 约谈 for last place in this many months in a row (0: never)
    account_after_last: int = 3  # 问责 for last place in this many months in a row (0: never)

    WEIGHTS = ("signing", "starts", "funds", "basics", "issues")

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            **{name: _plain(getattr(self, name)) for name in self.WEIGHTS},
            "late_report_penalty": _plain(self.late_report_penalty),
            "overdue_issue_penalty": _plain(self.overdue_issue_penalty),
            "bonus_top_company": _plain(self.bonus_top_company),
            "bonus_ten_yi": _plain(self.bonus_ten_yi),
            "unit_types": sorted(t.value for t in self.unit_types),
            "praise_top": self.praise_top,
            "criticise_bottom": self.criticise_bottom,
            "summon_after_last": self.summon_after_last,
            "account_after_last": self.account_after_last,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "Scorecard":
        """Validated scorecard: the five weights add up to 100, penalties and bonuses are small numbers."""
        data = data or {}
        problems: list[tuple[str, str]] = []
        d = cls()
        try:
            method = ScoreMethod(data.get("method", d.method.value))
        except ValueError:
            problems.append(("method", Problem.UNKNOWN_CODE))
            method = d.method
        weights = {name: _decimal(data, name, getattr(d, name), problems, maximum=HUNDRED) for name in cls.WEIGHTS}
        small = Decimal(50)
        card = cls(
            method=method,
            **weights,  # type: ignore[arg-type]
            late_report_penalty=_decimal(data, "late_report_penalty", d.late_report_penalty, problems, maximum=small),  # type: ignore[arg-type]
            overdue_issue_penalty=_decimal(data, "overdue_issue_penalty", d.overdue_issue_penalty, problems, maximum=small),  # type: ignore[arg-type]
            bonus_top_company=_decimal(data, "bonus_top_company", d.bonus_top_company, problems, maximum=small),  # type: ignore[arg-type]
            bonus_ten_yi=_decimal(data, "bonus_ten_yi", d.bonus_ten_yi, problems, maximum=small),  # type: ignore[arg-type]
            unit_types=_codes(data, "unit_types", UnitType, d.unit_types, problems),
            praise_top=_int(data, "praise_top", d.praise_top, 0, 20, problems),
            criticise_bottom=_int(data, "criticise_bottom", d.criticise_bottom, 0, 20, problems),
            summon_after_last=_int(data, "summon_after_last", d.summon_after_last, 0, 12, problems),
            account_after_last=_int(data, "account_after_last", d.account_after_last, 0, 12, problems),
        )
        if not any(f in {"signing", "starts", "funds", "basics", "issues"} for f, _p in problems):
            if sum((getattr(card, n) for n in cls.WEIGHTS), Decimal(0)) != HUNDRED:
                problems.append(("signing", Problem.WEIGHTS_NOT_100))
        if not card.unit_types and not any(f == "unit_types" for f, _p in problems):
            problems.append(("unit_types", Problem.UNKNOWN_CODE))
        if problems:
            raise SettingsError(problems)
        return card


@dataclass(frozen=True)
class UnitFacts:
    """What one unit did, as the scorecard looks at it. Cumulative figures are 1–N月 of the month's year."""

    unit_id: int
    name: str
    signed_count: int = 0  # counted signings, 1–N月
    signed_amount: Decimal = Decimal(0)  # their 总投资 (万元)
    signed_count_target: Decimal | None = None  # the unit's annual target (引进亿元以上项目)
    signed_amount_target: Decimal | None = None  # 签约金额
    new_starts: int = 0  # counted 开工, 1–N月
    new_starts_target: Decimal | None = None
    cohort_signed: int = 0  # 开工率 cohort: counted signings of the last 12 months
    cohort_started: int = 0  # … of which 开工 or 投产
    funds: Decimal = Decimal(0)  # 到位资金, 1–N月
    funds_target: Decimal | None = None
    out_of_province: Decimal = Decimal(0)  # 其中省外资金, 1–N月
    out_of_province_target: Decimal | None = None
    late_reports: int = 0  # 报送 late or missing, due in the month
    overdue_issues: int = 0  # issues overdue during the month, as 责任单位
    top_company_projects: tuple[str, ...] = ()  # signed in the month: 500强/央企/龙头, 亿元以上
    ten_yi_projects: tuple[str, ...] = ()  # signed in the month: ≥ 10 亿

    @property
    def start_rate(self) -> Decimal | None:
        if self.cohort_signed <= 0:
            return None
        return Decimal(self.cohort_started) / Decimal(self.cohort_signed) * HUNDRED


@dataclass(frozen=True)
class ScoreLine:
    item: Item
    points: Decimal
    max_points: Decimal | None  # None for bonuses
    basis: Basis
    actual: Decimal  # the unit's figure (a count, 万元, a rate in %)
    reference: Decimal | None = None  # 序时目标 (target), best unit (relative), max (efficacy)
    low: Decimal | None = None  # min of the units (efficacy)
    count: int = 0  # late reports / overdue issues / bonus projects
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    name: str
    lines: tuple[ScoreLine, ...]
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return sum((line.points for line in self.lines), Decimal(0))

    @property
    def lost(self) -> list[ScoreLine]:
        """The lines that cost points, most costly first: what a unit is told to improve."""
        lines = [line for line in self.lines if line.max_points is not None and line.points < line.max_points]
        return sorted(lines, key=lambda line: line.points - (line.max_points or 0))


CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _capped(ratio: Decimal) -> Decimal:
    return min(max(ratio, Decimal(0)), Decimal(1))


def _measure(item: Item, weight: Decimal, values: dict[int, Decimal], targets: dict[int, Decimal | None],
             months: int, method: ScoreMethod) -> dict[int, ScoreLine]:
    """Points for one measured item, for every unit at once (relative bases need the other units)."""
    lines: dict[int, ScoreLine] = {}
    if method is ScoreMethod.EFFICACY:
        high, low = max(values.values(), default=Decimal(0)), min(values.values(), default=Decimal(0))
        for unit_id, x in values.items():
            if high == low:
                share = Decimal(1) if high > 0 else Decimal("0.6")
            else:
                share = Decimal("0.6") + Decimal("0.4") * (x - low) / (high - low)
            lines[unit_id] = ScoreLine(item, _q(weight * share), weight, Basis.EFFICACY, x, reference=high, low=low)
        return lines
    best = max(values.values(), default=Decimal(0))
    for unit_id, x in values.items():
        target = targets.get(unit_id)
        if target is not None and target > 0:
            due = target * months / 12  # 序时目标
            lines[unit_id] = ScoreLine(item, _q(weight * _capped(x / due)), weight, Basis.TARGET, x, reference=_q(due))
        else:
            share = x / best if best > 0 else Decimal(0)
            lines[unit_id] = ScoreLine(item, _q(weight * _capped(share)), weight, Basis.RELATIVE, x, reference=best)
    return lines


def _rate_lines(item: Item, weight: Decimal, rates: dict[int, Decimal | None], method: ScoreMethod) -> dict[int, ScoreLine]:
    if method is ScoreMethod.EFFICACY:
        return _measure(item, weight, {u: r or Decimal(0) for u, r in rates.items()}, {}, 12, method)
    return {
        u: ScoreLine(item, _q(weight * _capped((r or Decimal(0)) / HUNDRED)), weight, Basis.RATE, r if r is not None else Decimal(0))
        for u, r in rates.items()
    }


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """1, 2, 2, 4 …: equal totals share a rank (totals given in descending order)."""
    ranks: list[int] = []
    for index, total in enumerate(totals):
        ranks.append(ranks[-1] if index and total == totals[index - 1] else index + 1)
    return ranks


def score_units(facts: Sequence[UnitFacts], months: int, card: Scorecard = Scorecard()) -> list[UnitScore]:
    """The 月评比 of a month (1–N月 figures, N = ``months``): every unit's lines, total and rank, best first."""
    if not 1 <= months <= 12:
        raise ValueError("months must be 1–12")
    method = card.method
    half_signing, half_funds = card.signing / 2, card.funds / 2
    starts_weight, rate_weight = card.starts * 3 / 5, card.starts * 2 / 5
    by = {f.unit_id: f for f in facts}
    columns = [
        _measure(Item.SIGNED_COUNT, half_signing, {u: Decimal(f.signed_count) for u, f in by.items()},
                 {u: f.signed_count_target for u, f in by.items()}, months, method),
        _measure(Item.SIGNED_AMOUNT, half_signing, {u: f.signed_amount for u, f in by.items()},
                 {u: f.signed_amount_target for u, f in by.items()}, months, method),
        _measure(Item.NEW_STARTS, starts_weight, {u: Decimal(f.new_starts) for u, f in by.items()},
                 {u: f.new_starts_target for u, f in by.items()}, months, method),
        _rate_lines(Item.START_RATE, rate_weight, {u: f.start_rate for u, f in by.items()}, method),
        _measure(Item.FUNDS, half_funds, {u: f.funds for u, f in by.items()}, {u: f.funds_target for u, f in by.items()}, months, method),
        _measure(Item.OUT_OF_PROVINCE, half_funds, {u: f.out_of_province for u, f in by.items()},
                 {u: f.out_of_province_target for u, f in by.items()}, months, method),
    ]
    scores = []
    for unit_id, f in by.items():
        lines = [column[unit_id] for column in columns]
        basics = max(Decimal(0), card.basics - card.late_report_penalty * f.late_reports)
        lines.append(ScoreLine(Item.BASICS, _q(basics), card.basics, Basis.PENALTY, Decimal(f.late_reports), count=f.late_reports))
        issues = max(Decimal(0), card.issues - card.overdue_issue_penalty * f.overdue_issues)
        lines.append(ScoreLine(Item.ISSUES, _q(issues), card.issues, Basis.PENALTY, Decimal(f.overdue_issues), count=f.overdue_issues))
        if f.top_company_projects:
            n = len(f.top_company_projects)
            lines.append(ScoreLine(Item.BONUS_TOP_COMPANY, _q(card.bonus_top_company * n), None, Basis.BONUS, Decimal(n), count=n,
                                   names=f.top_company_projects))
        if f.ten_yi_projects:
            n = len(f.ten_yi_projects)
            lines.append(ScoreLine(Item.BONUS_TEN_YI, _q(card.bonus_ten_yi * n), None, Basis.BONUS, Decimal(n), count=n,
                                   names=f.ten_yi_projects))
        scores.append(UnitScore(unit_id, f.name, tuple(lines)))
    order = {f.unit_id: index for index, f in enumerate(facts)}  # ties keep the given (the unit tree's) order
    scores.sort(key=lambda s: (-s.total, order[s.unit_id]))
    ranks = competition_ranks([s.total for s in scores])
    return [UnitScore(s.unit_id, s.name, s.lines, rank) for s, rank in zip(scores, ranks)]


# --- 季奖惩 -------------------------------------------------------------------------------------
class Verdict(StrEnum):
    PRAISE = "praise"  # 通报表扬
    CRITICISE = "criticise"  # 通报批评
    SUMMON = "summon"  # 约谈: last place month after month (``Scorecard.summon_after_last``)
    ACCOUNT = "account"  # 问责: last place longer still (``Scorecard.account_after_last``)


@dataclass(frozen=True)
class QuarterRow:
    unit_id: int
    name: str
    monthly: tuple[Decimal | None, ...]  # the month totals (None: month not reached yet)
    average: Decimal
    rank: int
    verdict: Verdict | None
    last_months: int = 0  # the longest run of months in a row the unit was last (ties at the bottom count)


def quarter_results(months: Sequence[Sequence[UnitScore]], card: Scorecard = Scorecard()) -> list[QuarterRow]:
    """The quarter's ranking: each unit's average over the months scored so far; 通报表扬 for the first
    ``praise_top``, 通报批评 for the last ``criticise_bottom`` (never both). Units with equal averages are
    treated alike at both ends: a tie at the cut is praised, or criticised, as a whole (so more units than the
    setting says may get a verdict — never some of a tie and not the others); a tie reaching both cuts (all
    units equal, say) gets neither."""
    names: dict[int, str] = {}
    order: dict[int, int] = {}
    totals: dict[int, list[Decimal | None]] = {}
    for index, month in enumerate(months):
        for score in month:
            names[score.unit_id] = score.name
            order.setdefault(score.unit_id, len(order))
            totals.setdefault(score.unit_id, [None] * len(months))[index] = score.total
    rows = []
    for unit_id, values in totals.items():
        present = [v for v in values if v is not None]
        average = _q(sum(present, Decimal(0)) / len(present)) if present else Decimal(0)
        rows.append((unit_id, tuple(values), average))
    rows.sort(key=lambda r: (-r[2], order[r[0]]))
    averages = [r[2] for r in rows]
    ranks = competition_ranks(averages)
    # The same from the bottom: 1 for the lowest average and every unit tied with it, and so on.
    from_bottom = list(reversed(competition_ranks(list(reversed(averages)))))
    runs = last_place_runs(months)
    result = []
    for (unit_id, values, average), rank, low in zip(rows, ranks, from_bottom):
        praised, criticised = rank <= card.praise_top, low <= card.criticise_bottom
        verdict = None
        run = runs.get(unit_id, 0)
        if card.account_after_last and run >= card.account_after_last:
            verdict = Verdict.ACCOUNT
        elif card.summon_after_last and run >= card.summon_after_last:
            verdict = Verdict.SUMMON
        elif praised and not criticised:
            verdict = Verdict.PRAISE
        elif criticised and not praised:
            verdict = Verdict.CRITICISE
        result.append(QuarterRow(unit_id, names[unit_id], values, average, rank, verdict, run))
    return result


def last_place_runs(months: Sequence[Sequence[UnitScore]]) -> dict[int, int]:
    """Each unit's longest run of months in a row at the bottom of the month's ranking (a tie for last is last);
    a month where all units tie is nobody's last place."""
    runs: dict[int, int] = {}
    current: dict[int, int] = {}
    for month in months:
        ranks = [score.rank for score in month]
        bottom = max(ranks) if ranks and len(set(ranks)) > 1 else None
        last = {score.unit_id for score in month if score.rank == bottom}
        current = {unit_id: current.get(unit_id, 0) + 1 for unit_id in last}
        for unit_id, run in current.items():
            runs[unit_id] = max(runs.get(unit_id, 0), run)
    return runs


def year_periods(period: str) -> list[str]:
    """January to the period's month: the months a 1–N月 trend shows."""
    year, month = parse_period(period)
    return [make_period(year, m) for m in range(1, month + 1)]


@dataclass(frozen=True)
class Window:
    """The periods a 月报 compares: the month, 1–N月, and the same of last year."""

    period: str
    start: str = field(init=False)
    last_year: str = field(init=False)
    last_year_start: str = field(init=False)

    def __post_init__(self) -> None:
        year, _month = parse_period(self.period)
        object.__setattr__(self, "start", make_period(year, 1))
        object.__setattr__(self, "last_year", shift_period(self.period, -12))
        object.__setattr__(self, "last_year_start", make_period(year - 1, 1))
