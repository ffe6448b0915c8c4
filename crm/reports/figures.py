"""The leaders' figures, each in one grouped SQL query under the signed-in actor's scope.

Nothing here loads every project into Python: the number of queries of a page does not depend on
the number of projects (``tests/test_dashboard.py`` counts them).

- ``flow``: per stage, the counted events (统计口径) of the month, of 1–N月 and of the same periods last
  year, with 总投资, 合同引资额, 亿元以上 and 外资;
- ``funds``: approved 到位资金 of the month and 1–N月, this year and last, and 其中省外资金;
- ``stock``, ``big_counts``, ``breakdowns``: the projects in the pipeline now;
- ``trend``: the months of the year;
- ``target_progress``: the year's targets against all of the above and the typed 园区指标.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm.access.reach import UnitSet
from crm.catalog.models import IndustryChain
from crm.companies.models import CompanyTagRow
from crm.domain.companies import FundingSource
from crm.domain.kpi import ZONE_INDICATORS, Indicator, Progress, TargetScope, months_elapsed, yoy
from crm.domain.pipeline import Stage
from crm.domain.projects import SCALE_BANDS, ReviewStatus
from crm.domain.reports import YI, CountingRules, Window
from crm.extensions import db
from crm.projects.models import Project
from crm.reports.cache import cached_figure
from crm.reports.counting import band_expr, counted_events, recognised
from crm.reports.scope import ReportScope, county_rows
from crm.units.models import Unit
from crm.users.models import User

ZERO = Decimal(0)
FLOW_STAGES = [Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING]
STOCK_STAGES = [Stage.TALKS, Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING]
SIDE_STAGES = [Stage.PAUSED, Stage.TERMINATED]


def flow_stages(full_capacity: bool = False) -> list[Stage]:
    return FLOW_STAGES + ([Stage.FULL_CAPACITY] if full_capacity else [])


def stock_stages(full_capacity: bool = False) -> list[Stage]:
    return STOCK_STAGES + ([Stage.FULL_CAPACITY] if full_capacity else [])


def _d(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else ZERO


def _sum(condition: Any, value: Any = 1) -> Any:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, value), else_=0)), 0)


# --- flow: counted stage events ----------------------------------------------------------------
@dataclass
class FlowRow:
    stage: Stage
    month_count: int = 0
    month_total: Decimal = ZERO
    month_contracted: Decimal = ZERO
    cum_count: int = 0
    cum_total: Decimal = ZERO
    cum_contracted: Decimal = ZERO
    ly_month_count: int = 0
    ly_month_total: Decimal = ZERO
    ly_cum_count: int = 0
    ly_cum_total: Decimal = ZERO
    ly_cum_contracted: Decimal = ZERO
    yi_cum: int = 0  # 1–N月, counted 总投资 ≥ 1 亿
    foreign_month: Decimal = ZERO  # 外资 (万美元) of the counted events
    foreign_cum: Decimal = ZERO
    foreign_ly_cum: Decimal = ZERO

    @property
    def yoy_count(self) -> Decimal | None:
        return yoy(self.cum_count, self.ly_cum_count)

    @property
    def yoy_total(self) -> Decimal | None:
        return yoy(self.cum_total, self.ly_cum_total)


@cached_figure
def flow(scope: ReportScope, rules: CountingRules, window: Window, stages: list[Stage] | None = None) -> dict[Stage, FlowRow]:
    """Counted events per stage over the four windows of a 月报, in one query."""
    stages = stages or FLOW_STAGES
    ev = counted_events(rules, scope.units, stages=stages, start=window.last_year_start, end=window.period).subquery()
    month = ev.c.period == window.period
    cum = sa.and_(ev.c.period >= window.start, ev.c.period <= window.period)
    ly_month = ev.c.period == window.last_year
    ly_cum = sa.and_(ev.c.period >= window.last_year_start, ev.c.period <= window.last_year)
    rows = db.session.execute(
        sa.select(
            ev.c.to_stage,
            _sum(month), _sum(month, ev.c.amount), _sum(month, ev.c.contracted),
            _sum(cum), _sum(cum, ev.c.amount), _sum(cum, ev.c.contracted),
            _sum(ly_month), _sum(ly_month, ev.c.amount),
            _sum(ly_cum), _sum(ly_cum, ev.c.amount), _sum(ly_cum, ev.c.contracted),
            _sum(sa.and_(cum, ev.c.amount >= YI)),
            _sum(month, sa.func.coalesce(ev.c.foreign, 0)), _sum(cum, sa.func.coalesce(ev.c.foreign, 0)),
            _sum(ly_cum, sa.func.coalesce(ev.c.foreign, 0)),
        ).group_by(ev.c.to_stage)
    ).all()
    result = {stage: FlowRow(stage) for stage in stages}
    for r in rows:
        stage = Stage(r[0])
        result[stage] = FlowRow(
            stage, int(r[1]), _d(r[2]), _d(r[3]), int(r[4]), _d(r[5]), _d(r[6]), int(r[7]), _d(r[8]), int(r[9]), _d(r[10]),
            _d(r[11]), int(r[12]), _d(r[13]), _d(r[14]), _d(r[15]),
        )
    return result


# --- 到位资金 -----------------------------------------------------------------------------------
@dataclass
class FundFigures:
    month: Decimal = ZERO
    cum: Decimal = ZERO
    ly_month: Decimal = ZERO
    ly_cum: Decimal = ZERO
    oop_month: Decimal = ZERO  # 其中省外资金
    oop_cum: Decimal = ZERO
    oop_ly_month: Decimal = ZERO
    oop_ly_cum: Decimal = ZERO

    @property
    def yoy(self) -> Decimal | None:
        return yoy(self.cum, self.ly_cum)

    @property
    def oop_yoy(self) -> Decimal | None:
        return yoy(self.oop_cum, self.oop_ly_cum)


def fund_conditions(rules: CountingRules, units: UnitSet) -> list[sa.ColumnElement[bool]]:
    """到位资金 that count: approved, of a recognised project of these units, not from an excluded 来源地
    (money of local firms is not 招商引资 money)."""
    from crm.progress.models import FundArrival

    conditions = [FundArrival.review_status == ReviewStatus.APPROVED, units.clause(Project.unit_id), *recognised(rules)]
    if rules.excluded_sources:
        conditions.append(FundArrival.source.not_in(sorted(rules.excluded_sources)))
    return conditions


@dataclass(frozen=True)
class FundFilter:
    """The 到位资金 list's filters (periods YYYY-MM, a 来源地, a unit), all optional."""

    start: str = ""
    end: str = ""
    source: str = ""
    unit: int | None = None


def fund_list_conditions(rules: CountingRules, units: UnitSet, chosen: FundFilter) -> list[sa.ColumnElement[bool]]:
    """The 到位资金 list's rows: those that count (``fund_conditions``) within the chosen filters; the list joins
    Project."""
    from crm.progress.models import FundArrival

    conditions = fund_conditions(rules, units)
    if chosen.start:
        conditions.append(FundArrival.period >= chosen.start)
    if chosen.end:
        conditions.append(FundArrival.period <= chosen.end)
    if chosen.source:
        conditions.append(FundArrival.source == FundingSource(chosen.source))
    if chosen.unit:
        conditions.append(Project.unit_id == chosen.unit)
    return conditions


@cached_figure
def fund_list_total(scope: ReportScope, rules: CountingRules, chosen: FundFilter) -> tuple[int, Decimal]:
    """How many rows the 到位资金 list holds and their sum (a city's tens of thousands: once per change)."""
    from crm.progress.models import FundArrival

    count, total = db.session.execute(
        sa.select(sa.func.count(FundArrival.id), sa.func.sum(FundArrival.amount))
        .join(Project, Project.id == FundArrival.project_id)
        .where(*fund_list_conditions(rules, scope.units, chosen))
    ).one()
    return int(count), _d(total)


@cached_figure
def funds(scope: ReportScope, rules: CountingRules, window: Window) -> FundFigures:
    """到位资金 of the four windows, and 其中省外资金 (来源地 省外（国内）), in one query."""
    from crm.progress.models import FundArrival

    p, amount = FundArrival.period, FundArrival.amount
    oop = FundArrival.source == FundingSource.OTHER_PROVINCE
    month, cum = p == window.period, sa.and_(p >= window.start, p <= window.period)
    ly_month, ly_cum = p == window.last_year, sa.and_(p >= window.last_year_start, p <= window.last_year)
    row = db.session.execute(
        sa.select(
            _sum(month, amount), _sum(cum, amount), _sum(ly_month, amount), _sum(ly_cum, amount),
            _sum(sa.and_(month, oop), amount), _sum(sa.and_(cum, oop), amount),
            _sum(sa.and_(ly_month, oop), amount), _sum(sa.and_(ly_cum, oop), amount),
        )
        .select_from(FundArrival)
        .join(Project, Project.id == FundArrival.project_id)
        .where(*fund_conditions(rules, scope.units), p >= window.last_year_start, p <= window.period)
    ).one()
    return FundFigures(*(_d(v) for v in row))


# --- the pipeline now --------------------------------------------------------------------------
@dataclass
class StockRow:
    stage: Stage
    count: int = 0
    total: Decimal = ZERO
    contracted: Decimal = ZERO


@cached_figure
def stock(scope: ReportScope) -> dict[Stage, StockRow]:
    """Projects per current stage (every stage, 暂缓 and 中止 included), with their sums."""
    rows = db.session.execute(
        sa.select(Project.stage, sa.func.count(Project.id), sa.func.sum(Project.total_investment), sa.func.sum(Project.contracted_amount))
        .where(scope.units.clause(Project.unit_id))
        .group_by(Project.stage)
    ).all()
    return {Stage(stage): StockRow(Stage(stage), count, _d(total), _d(contracted)) for stage, count, total, contracted in rows}


BIG = (1, 10, 50, 100)  # 亿元以上, 10亿元以上, 50亿元以上, 百亿级


@cached_figure
def big_counts(scope: ReportScope) -> dict[int, int]:
    """Projects in the pipeline (not 中止) by size: 亿元以上 / 10亿 / 50亿 / 百亿级."""
    row = db.session.execute(
        sa.select(*[_sum(Project.total_investment >= YI * yi) for yi in BIG]).where(
            scope.units.clause(Project.unit_id), Project.stage != Stage.TERMINATED
        )
    ).one()
    return {yi: int(n) for yi, n in zip(BIG, row)}


@dataclass
class BreakdownRow:
    value: Any  # the project list's filter value (None: not set)
    label: str
    by_stage: dict[Stage, int] = field(default_factory=dict)
    count: int = 0  # not 中止
    total: Decimal = ZERO  # 总投资 of those


BREAKDOWN_TOP = 15  # the dashboard shows this many rows of a dimension; its own page shows them all


@dataclass
class Breakdown:
    key: str  # the project list's filter argument
    rows: list[BreakdownRow]

    def top(self, n: int | None = None) -> list[BreakdownRow]:
        """The ``n`` rows (``BREAKDOWN_TOP``) with the most projects, in the dimension's own order (a city has 200
        units)."""
        n = BREAKDOWN_TOP if n is None else n
        if len(self.rows) <= n:
            return self.rows
        keep = {id(r) for r in sorted(self.rows, key=lambda r: (-r.count, -r.total))[:n]}
        return [r for r in self.rows if id(r) in keep]


def _breakdown(key: str, value: Any, label: Any, scope: ReportScope, joins: list[tuple[Any, Any, bool]] | None = None,
               order: Any = None, label_of: Any = None) -> Breakdown:
    """Projects per (value, stage) of one dimension; ``label`` is a column naming the value, or None when
    ``label_of`` names it in Python (enum labels)."""
    columns = [value.label("value")] + ([label.label("label")] if label is not None else [])
    stmt = sa.select(*columns, Project.stage, sa.func.count(Project.id), sa.func.sum(Project.total_investment)).select_from(Project)
    for target, on, outer in joins or []:
        stmt = stmt.outerjoin(target, on) if outer else stmt.join(target, on)
    groups = [value] + ([label] if label is not None else []) + [Project.stage]
    stmt = stmt.where(scope.units.clause(Project.unit_id)).group_by(*groups)
    rows: dict[Any, BreakdownRow] = {}
    for found in db.session.execute(stmt):
        if label is not None:
            v, lbl, stage, n, total = found
        else:
            (v, stage, n, total), lbl = found, None
        row = rows.setdefault(v, BreakdownRow(v, str(label_of(v)) if label_of else (lbl or "")))
        row.by_stage[Stage(stage)] = row.by_stage.get(Stage(stage), 0) + n
        if Stage(stage) is not Stage.TERMINATED:
            row.count += n
            row.total += _d(total)
    ordered = sorted(rows.values(), key=order or (lambda r: (r.value is None, -r.total, r.label)))
    return Breakdown(key, ordered)


BREAKDOWN_KEYS = ("unit", "chain", "category", "band", "tag", "leader", "source")


@cached_figure
def breakdowns(scope: ReportScope, only: str | None = None) -> dict[str, Breakdown]:
    """The pipeline by 单位, 主导产业链, 行业门类, 规模档, 企业标签, 分包领导, 资金来源地 (or ``only`` one of them):
    one query each."""
    from crm.assignments.models import ProjectLeader
    from crm.web.labels import band_label, label

    def unit() -> Breakdown:
        unit_order = dict(db.session.execute(sa.select(Unit.id, Unit.sort_order).where(scope.units.clause(Unit.id))).all())
        return _breakdown("unit", Project.unit_id, Unit.name, scope, [(Unit, Unit.id == Project.unit_id, False)],
                          order=lambda r: (unit_order.get(r.value, 0), r.value))

    def band() -> Breakdown:
        bands = {name: index for index, (_lower, name) in enumerate(SCALE_BANDS)}
        return _breakdown("band", band_expr(Project.total_investment), None, scope, label_of=band_label,
                          order=lambda r: (r.value is None, bands.get(r.value, 99)))

    builders = {
        "unit": unit,
        "chain": lambda: _breakdown("chain", Project.chain_id, IndustryChain.name, scope,
                                    [(IndustryChain, IndustryChain.id == Project.chain_id, True)]),
        "category": lambda: _breakdown("category", Project.industry_category, None, scope, label_of=label),
        "band": band,
        "tag": lambda: _breakdown("tag", CompanyTagRow.tag, None, scope,
                                  [(CompanyTagRow, CompanyTagRow.company_id == Project.company_id, False)], label_of=label),
        "leader": lambda: _breakdown(
            "leader", ProjectLeader.leader_id, User.display_name, scope,
            [(ProjectLeader, sa.and_(ProjectLeader.project_id == Project.id, ProjectLeader.exited_on.is_(None)), False),
             (User, User.id == ProjectLeader.leader_id, False)],
        ),
        "source": lambda: _breakdown("source", Project.funding_source, None, scope, label_of=label),
    }
    return {key: builders[key]() for key in BREAKDOWN_KEYS if only is None or key == only}


# --- the months of the year ----------------------------------------------------------------------
@dataclass
class TrendPoint:
    period: str
    signed_count: int = 0
    signed_total: Decimal = ZERO
    started_count: int = 0
    funds: Decimal = ZERO


@cached_figure
def trend(scope: ReportScope, rules: CountingRules, window: Window) -> list[TrendPoint]:
    """January to the month: counted signings and starts, and 到位资金, per month (two queries)."""
    from crm.progress.models import FundArrival
    from crm.domain.reports import year_periods

    points = {p: TrendPoint(p) for p in year_periods(window.period)}
    ev = counted_events(rules, scope.units, stages=[Stage.SIGNED, Stage.STARTED], start=window.start, end=window.period).subquery()
    for period, stage, n, total in db.session.execute(
        sa.select(ev.c.period, ev.c.to_stage, sa.func.count(), sa.func.sum(ev.c.amount)).group_by(ev.c.period, ev.c.to_stage)
    ):
        point = points.get(period)
        if point is None:
            continue
        if Stage(stage) is Stage.SIGNED:
            point.signed_count, point.signed_total = n, _d(total)
        else:
            point.started_count = n
    for period, amount in db.session.execute(
        sa.select(FundArrival.period, sa.func.sum(FundArrival.amount))
        .join(Project, Project.id == FundArrival.project_id)
        .where(*fund_conditions(rules, scope.units), FundArrival.period >= window.start, FundArrival.period <= window.period)
        .group_by(FundArrival.period)
    ):
        if period in points:
            points[period].funds = _d(amount)
    return list(points.values())


# --- against the year's targets ----------------------------------------------------------------
PIPELINE_INDICATORS = [
    Indicator.YI_PROJECTS, Indicator.SIGNED_AMOUNT, Indicator.CONTRACTED_AMOUNT, Indicator.STARTED_PROJECTS,
    Indicator.FUNDS_ARRIVED, Indicator.OUT_OF_PROVINCE_FUNDS, Indicator.FOREIGN_CAPITAL,
]
COUNT_INDICATORS = {Indicator.YI_PROJECTS, Indicator.STARTED_PROJECTS, Indicator.YI_UNDER_CONSTRUCTION, Indicator.NEW_STARTS, Indicator.EMPLOYMENT}


@dataclass
class IndicatorRow:
    indicator: Indicator
    progress: Progress
    period: str  # the month the actual is of (a typed 园区指标 may be older than the report's month)
    yoy: Decimal | None = None  # 同比 %
    zone: bool = False

    @property
    def is_count(self) -> bool:
        return self.indicator in COUNT_INDICATORS


def targets_of(scope: ReportScope, year: int) -> dict[Indicator, Decimal]:
    """The year's targets of the report's subject: the county's, or a unit's own (one query)."""
    from crm.targets.models import Target

    if scope.unit_level:
        stmt = sa.select(Target).where(Target.year == year, Target.scope == TargetScope.UNIT, Target.owner_key == f"unit:{scope.root_id}")
        rows = db.session.scalars(stmt)
    else:
        stmt = sa.select(Target).where(Target.year == year, Target.scope == TargetScope.COUNTY)
        rows = db.session.scalars(county_rows(stmt, Target.unit_id, scope.county_id))
    return {t.indicator: t.value for t in rows}


def zone_figures(scope: ReportScope, window: Window) -> dict[Indicator, tuple[str, Decimal, Decimal | None]]:
    """The latest typed 园区指标 of the year up to the month: (period, 1–N月 value, 同比 %) each (one query)."""
    from crm.targets.models import ZoneMetric

    if scope.unit_level:
        return {}
    stmt = sa.select(ZoneMetric).where(ZoneMetric.period >= window.start, ZoneMetric.period <= window.period)
    found: dict[Indicator, tuple[str, Decimal, Decimal | None]] = {}
    for m in db.session.scalars(county_rows(stmt, ZoneMetric.unit_id, scope.county_id).order_by(ZoneMetric.period)):
        found[m.indicator] = (m.period, m.value, m.yoy_pct)
    return found


def pipeline_actuals(flows: dict[Stage, FlowRow], money: FundFigures) -> dict[Indicator, tuple[Decimal, Decimal | None]]:
    """(1–N月 actual, 同比 %) of the indicators computed from approved records."""
    signed = flows.get(Stage.SIGNED, FlowRow(Stage.SIGNED))
    started = flows.get(Stage.STARTED, FlowRow(Stage.STARTED))
    return {
        Indicator.YI_PROJECTS: (Decimal(signed.yi_cum), None),
        Indicator.SIGNED_AMOUNT: (signed.cum_total, signed.yoy_total),
        Indicator.CONTRACTED_AMOUNT: (signed.cum_contracted, yoy(signed.cum_contracted, signed.ly_cum_contracted)),
        Indicator.STARTED_PROJECTS: (Decimal(started.cum_count), started.yoy_count),
        Indicator.FUNDS_ARRIVED: (money.cum, money.yoy),
        Indicator.OUT_OF_PROVINCE_FUNDS: (money.oop_cum, money.oop_yoy),
        Indicator.FOREIGN_CAPITAL: (signed.foreign_cum, yoy(signed.foreign_cum, signed.foreign_ly_cum)),
    }


def target_progress(scope: ReportScope, window: Window, flows: dict[Stage, FlowRow], money: FundFigures) -> list[IndicatorRow]:
    """Every indicator with a target or a figure: 完成率, 序时进度, 超(欠)进度 (two queries)."""
    year = int(window.period[:4])
    targets = targets_of(scope, year)
    zone = zone_figures(scope, window)
    actuals = pipeline_actuals(flows, money)
    rows = []
    months = months_elapsed(window.period)
    for indicator in Indicator:
        target = targets.get(indicator)
        if indicator in ZONE_INDICATORS:
            if indicator not in zone and target is None:
                continue
            period, value, change = zone.get(indicator, (window.period, ZERO, None))
            rows.append(IndicatorRow(indicator, Progress(value, target, months_elapsed(period)), period, change, zone=True))
        else:
            if indicator not in PIPELINE_INDICATORS or (target is None and indicator not in (Indicator.SIGNED_AMOUNT, Indicator.FUNDS_ARRIVED, Indicator.YI_PROJECTS)):
                continue
            value, change = actuals[indicator]
            rows.append(IndicatorRow(indicator, Progress(value, target, months), window.period, change))
    return rows


# --- per unit or per 分包领导 ---------------------------------------------------------------------
@dataclass
class OwnerFigures:
    """1–N月 figures of one unit or one leader's 分包 projects (counted as the county counts)."""

    signed_count: int = 0
    signed_total: Decimal = ZERO
    signed_contracted: Decimal = ZERO
    yi_count: int = 0
    foreign: Decimal = ZERO
    started_count: int = 0
    month_signed_count: int = 0
    month_signed_total: Decimal = ZERO
    month_started_count: int = 0
    funds: Decimal = ZERO
    out_of_province: Decimal = ZERO
    month_funds: Decimal = ZERO

    def actual(self, indicator: Indicator) -> Decimal | None:
        return {
            Indicator.YI_PROJECTS: Decimal(self.yi_count),
            Indicator.SIGNED_AMOUNT: self.signed_total,
            Indicator.CONTRACTED_AMOUNT: self.signed_contracted,
            Indicator.STARTED_PROJECTS: Decimal(self.started_count),
            Indicator.FUNDS_ARRIVED: self.funds,
            Indicator.OUT_OF_PROVINCE_FUNDS: self.out_of_province,
            Indicator.FOREIGN_CAPITAL: self.foreign,
        }.get(indicator)


@cached_figure
def grouped_figures(scope: ReportScope, rules: CountingRules, window: Window, by: str = "unit") -> dict[int, OwnerFigures]:
    """``OwnerFigures`` per unit (``by="unit"``) or per active 分包县级领导 (``by="leader"``), two queries."""
    from crm.assignments.models import ProjectLeader
    from crm.progress.models import FundArrival

    ev = counted_events(rules, scope.units, stages=[Stage.SIGNED, Stage.STARTED], start=window.start, end=window.period).subquery()
    signed, started = ev.c.to_stage == Stage.SIGNED, ev.c.to_stage == Stage.STARTED
    month = ev.c.period == window.period
    if by == "leader":
        owner: Any = ProjectLeader.leader_id
        stmt = sa.select(owner).select_from(ev).join(
            ProjectLeader, sa.and_(ProjectLeader.project_id == ev.c.project_id, ProjectLeader.exited_on.is_(None))
        )
    else:
        owner = ev.c.unit_id
        stmt = sa.select(owner).select_from(ev)
    stmt = stmt.add_columns(
        _sum(signed), _sum(signed, ev.c.amount), _sum(signed, ev.c.contracted), _sum(sa.and_(signed, ev.c.amount >= YI)),
        _sum(signed, sa.func.coalesce(ev.c.foreign, 0)), _sum(started),
        _sum(sa.and_(signed, month)), _sum(sa.and_(signed, month), ev.c.amount), _sum(sa.and_(started, month)),
    ).group_by(owner)
    found: dict[int, OwnerFigures] = {}
    for r in db.session.execute(stmt):
        found[r[0]] = OwnerFigures(int(r[1]), _d(r[2]), _d(r[3]), int(r[4]), _d(r[5]), int(r[6]), int(r[7]), _d(r[8]), int(r[9]))
    p, amount = FundArrival.period, FundArrival.amount
    oop = FundArrival.source == FundingSource.OTHER_PROVINCE
    if by == "leader":
        fund_owner: Any = ProjectLeader.leader_id
        fstmt = sa.select(fund_owner).select_from(FundArrival).join(Project, Project.id == FundArrival.project_id).join(
            ProjectLeader, sa.and_(ProjectLeader.project_id == Project.id, ProjectLeader.exited_on.is_(None))
        )
    else:
        fund_owner = Project.unit_id
        fstmt = sa.select(fund_owner).select_from(FundArrival).join(Project, Project.id == FundArrival.project_id)
    fstmt = fstmt.add_columns(_sum(sa.true(), amount), _sum(oop, amount), _sum(p == window.period, amount)).where(
        *fund_conditions(rules, scope.units), p >= window.start, p <= window.period
    ).group_by(fund_owner)
    for owner_id, total, out, this_month in db.session.execute(fstmt):
        figures = found.setdefault(owner_id, OwnerFigures())
        figures.funds, figures.out_of_province, figures.month_funds = _d(total), _d(out), _d(this_month)
    return found
