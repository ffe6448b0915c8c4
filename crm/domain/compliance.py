"""履约 against the commitments of a project's 正式投资合同 (issue 17): pure rules.

A project with a 正式合同 in force is judged on what the contract promised: 约定开工, 约定投产, 投资强度 (万元/亩),
亩均税收 (万元/亩/年) and 承诺用工 (人). Each promise gives one ``Check``; a check that is due and not met gives
its status. Several statuses can hold at once; they are listed in the order of ``STATUS_ORDER`` (a late start
first: it explains the rest), and the first one is the project's headline status. No failed check: 按期.

The actual figures are those the product keeps:

- 开工 / 投产: the project's stage (a paused project counts at the stage it paused from), with its 开工月 / 投产月;
- 投资强度: approved 到位资金 ÷ 用地 (亩);
- 亩均税收: 月税收 × 12 ÷ 用地 (亩) (the project's latest 投产 report);
- 用工: the project's 用工 (人).

When the figure is missing (no 用地, no 月税收 …) the check is ``NO_DATA``: shown as 无实际数据, never counted
as a breach (nothing is invented). When a check falls due:

- 开工 the day after 约定开工, 投产 the day after 约定投产;
- 投资强度 with 投产: after 约定投产 (the money should be in by then), or once the project produces;
- 亩均税收 and 用工 a year after 约定投产 (``RAMP_UP_MONTHS``, the 达产 year), or, without a date, once the project
  produces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Iterable

from crm.domain.pipeline import Stage
from crm.domain.reports import PRODUCING_STAGES, STARTED_STAGES, effective_stage

RAMP_UP_MONTHS = 12
TAX_MONTHS_PER_YEAR = 12


class ComplianceStatus(StrEnum):
    """履约状态 (the codes differ from ``crm.domain.reports.Flag``'s: a code alone says what it is)."""

    ON_SCHEDULE = "commitments_on_schedule"  # 按期
    LATE_START = "commitment_late_start"  # 逾期未开工
    LATE_PRODUCTION = "commitment_late_production"  # 逾期未投产
    INTENSITY_SHORT = "commitment_intensity_short"  # 投资强度未达
    TAX_SHORT = "commitment_tax_short"  # 税收未达
    JOBS_SHORT = "commitment_jobs_short"  # 用工未达


STATUS_ORDER = (
    ComplianceStatus.LATE_START,
    ComplianceStatus.LATE_PRODUCTION,
    ComplianceStatus.INTENSITY_SHORT,
    ComplianceStatus.TAX_SHORT,
    ComplianceStatus.JOBS_SHORT,
)


class CheckKind(StrEnum):
    START = "start"  # 约定开工
    PRODUCTION = "production"  # 约定投产
    INTENSITY = "intensity"  # 投资强度
    TAX = "tax"  # 亩均税收
    JOBS = "jobs"  # 用工


class Outcome(StrEnum):
    MET = "met"  # 已达到
    SHORT = "short"  # 未达到 (due and not met): gives the check's status
    NOT_DUE = "not_due"  # 未到期
    NO_DATA = "no_data"  # 无实际数据
    NOT_PROMISED = "not_promised"  # 合同未约定


FAILS_AS: dict[CheckKind, ComplianceStatus] = {
    CheckKind.START: ComplianceStatus.LATE_START,
    CheckKind.PRODUCTION: ComplianceStatus.LATE_PRODUCTION,
    CheckKind.INTENSITY: ComplianceStatus.INTENSITY_SHORT,
    CheckKind.TAX: ComplianceStatus.TAX_SHORT,
    CheckKind.JOBS: ComplianceStatus.JOBS_SHORT,
}


@dataclass(frozen=True)
class Commitments:
    """What the 正式合同 promised (``crm.agreements.models.Agreement``)."""

    signed_on: date
    start_on: date | None = None  # 约定开工日期
    production_on: date | None = None  # 约定投产日期
    intensity: Decimal | None = None  # 投资强度 (万元/亩)
    tax_per_mu: Decimal | None = None  # 亩均税收 (万元/亩/年)
    jobs: int | None = None  # 承诺用工 (人)


@dataclass(frozen=True)
class Actuals:
    """What happened, as far as the product records it."""

    stage: Stage
    paused_from: Stage | None = None
    start_month: str | None = None  # 开工月 YYYY-MM
    production_month: str | None = None  # 投产月 YYYY-MM
    funds_arrived: Decimal | None = None  # approved 到位资金 (万元); None: no entry
    land_mu: Decimal | None = None  # 用地 (亩)
    monthly_tax: Decimal | None = None  # 月税收 (万元)
    employees: int | None = None  # 用工 (人)


@dataclass(frozen=True)
class Check:
    """One promise against what happened. ``promised``/``actual`` are the figures (dates for 开工/投产, numbers for
    the rest; ``actual`` None: 无实际数据, or not yet started/produced); ``overdue_days`` for a late 开工/投产."""

    kind: CheckKind
    outcome: Outcome
    promised: date | Decimal | int | None = None
    actual: date | Decimal | int | str | None = None
    due_on: date | None = None
    overdue_days: int | None = None

    @property
    def status(self) -> ComplianceStatus | None:
        return FAILS_AS[self.kind] if self.outcome is Outcome.SHORT else None


@dataclass(frozen=True)
class Assessment:
    """A project's 履约: its statuses (at least one; 按期 alone when nothing failed) and the checks behind them."""

    statuses: tuple[ComplianceStatus, ...]
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def status(self) -> ComplianceStatus:
        """The headline status: the first of ``statuses``."""
        return self.statuses[0]

    @property
    def on_schedule(self) -> bool:
        return self.statuses == (ComplianceStatus.ON_SCHEDULE,)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.outcome is Outcome.SHORT)

    @property
    def missing_data(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.outcome is Outcome.NO_DATA)

    def check(self, kind: CheckKind) -> Check:
        return next(c for c in self.checks if c.kind is kind)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    from calendar import monthrange

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def per_mu(amount: Decimal | None, land_mu: Decimal | None) -> Decimal | None:
    """``amount`` ÷ 用地, to two decimals; None without both (or with no land)."""
    if amount is None or land_mu is None or land_mu <= 0:
        return None
    return (Decimal(amount) / Decimal(land_mu)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _reached(actuals: Actuals, stages: frozenset[Stage]) -> bool:
    return effective_stage(actuals.stage, actuals.paused_from) in stages


def _date_check(kind: CheckKind, promised: date | None, reached: bool, month: str | None, today: date) -> Check:
    """开工 / 投产 by the agreed day: met once reached; short from the day after; else not due."""
    if promised is None:
        return Check(kind, Outcome.NOT_PROMISED)
    if reached:
        return Check(kind, Outcome.MET, promised, month, promised)
    if today > promised:
        return Check(kind, Outcome.SHORT, promised, None, promised, (today - promised).days)
    return Check(kind, Outcome.NOT_DUE, promised, None, promised)


def _figure_check(kind: CheckKind, promised: Decimal | int | None, actual: Decimal | int | None, due: bool,
                  due_on: date | None) -> Check:
    if promised is None:
        return Check(kind, Outcome.NOT_PROMISED)
    if not due:
        return Check(kind, Outcome.NOT_DUE, promised, actual, due_on)
    if actual is None:
        return Check(kind, Outcome.NO_DATA, promised, None, due_on)
    return Check(kind, Outcome.MET if actual >= promised else Outcome.SHORT, promised, actual, due_on)


def assess(commitments: Commitments, actuals: Actuals, today: date) -> Assessment:
    """The project's 履约 on ``today`` (see the module's rules)."""
    producing = _reached(actuals, PRODUCING_STAGES)
    start = _date_check(CheckKind.START, commitments.start_on, _reached(actuals, STARTED_STAGES), actuals.start_month, today)
    production = _date_check(CheckKind.PRODUCTION, commitments.production_on, producing, actuals.production_month, today)

    if commitments.production_on is not None:
        intensity_due_on: date | None = commitments.production_on
        ramp_due_on: date | None = add_months(commitments.production_on, RAMP_UP_MONTHS)
        intensity_due = producing or today > commitments.production_on
        ramp_due = today > ramp_due_on
    else:
        intensity_due_on = ramp_due_on = None
        intensity_due = ramp_due = producing
    annual_tax = actuals.monthly_tax * TAX_MONTHS_PER_YEAR if actuals.monthly_tax is not None else None
    checks = (
        start,
        production,
        _figure_check(CheckKind.INTENSITY, commitments.intensity, per_mu(actuals.funds_arrived, actuals.land_mu), intensity_due, intensity_due_on),
        _figure_check(CheckKind.TAX, commitments.tax_per_mu, per_mu(annual_tax, actuals.land_mu), ramp_due, ramp_due_on),
        _figure_check(CheckKind.JOBS, commitments.jobs, actuals.employees, ramp_due, ramp_due_on),
    )
    failed = {c.status for c in checks if c.status is not None}
    statuses = tuple(s for s in STATUS_ORDER if s in failed) or (ComplianceStatus.ON_SCHEDULE,)
    return Assessment(statuses, checks)


def performing(stage_rule: bool, assessment: Assessment | None, use_commitments: bool) -> bool:
    """Whether a signed project counts as 履约 in the 三率.

    ``stage_rule``: today's rule (``crm.domain.reports.in_phase(Phase.ACTIVE, …)``). With the county's setting on,
    a project with a 正式合同 (an ``assessment``) must also be 按期; a project without one keeps the stage rule.
    """
    if not use_commitments or assessment is None:
        return stage_rule
    return stage_rule and assessment.on_schedule


def breached(assessments: Iterable[tuple[int, Assessment]]) -> frozenset[int]:
    """The ids of the projects whose commitments are not 按期 (the 三率 leave them out of 履约 when the setting is on)."""
    return frozenset(project_id for project_id, a in assessments if not a.on_schedule)


def count_statuses(assessments: Iterable[Assessment]) -> dict[ComplianceStatus, int]:
    """How many projects hold each status (a project with two statuses counts for both), in ``STATUS_ORDER``."""
    counts = {s: 0 for s in (ComplianceStatus.ON_SCHEDULE, *STATUS_ORDER)}
    for a in assessments:
        for s in a.statuses:
            counts[s] += 1
    return counts
