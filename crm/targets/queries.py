"""Reading targets and 园区指标: whose targets a page shows, and each owner's progress against them.

Owners are the county (全县), the units of the actor's subtree, and the county's leaders (their
分包 projects). County and leader targets are kept on the county; see ``crm.reports.scope`` for why
they are read past the session scope (with an explicit unit condition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
import sqlalchemy as sa

from crm.domain.kpi import ZONE_INDICATORS, Indicator, Progress, TargetScope, make_period, months_elapsed
from crm.domain.reports import Window
from crm.extensions import db
from crm.reports.figures import PIPELINE_INDICATORS, OwnerFigures, flow, funds, grouped_figures, pipeline_actuals, zone_figures
from crm.reports.scope import ReportScope, county_rows
from crm.reports.settings import load_settings
from crm.targets.models import Target, ZoneMetric
from crm.units.models import Unit

ZONE_ORDER = [i for i in Indicator if i in ZONE_INDICATORS]
COUNT_INDICATORS = {Indicator.YI_PROJECTS, Indicator.STARTED_PROJECTS, Indicator.EMPLOYMENT, Indicator.YI_UNDER_CONSTRUCTION,
                    Indicator.NEW_STARTS}


@dataclass(frozen=True)
class Owner:
    key: str  # "county", "unit:5", "leader:12" (Target.owner_key, except the county's, which is "unit:<county id>")
    scope: TargetScope
    unit_id: int  # where the targets are kept
    leader_id: int | None
    name: str

    @property
    def owner_key(self) -> str:
        if self.scope is TargetScope.LEADER:
            return f"leader:{self.leader_id}"
        return f"unit:{self.unit_id}"

    @property
    def indicators(self) -> list[Indicator]:
        """The county has every indicator; units and leaders the pipeline ones."""
        return list(Indicator) if self.scope is TargetScope.COUNTY else list(PIPELINE_INDICATORS)


def county_owner(scope: ReportScope) -> Owner:
    return Owner("county", TargetScope.COUNTY, scope.county_id, None, scope.root_name)


def unit_owners(scope: ReportScope) -> list[Owner]:
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(scope.units.clause(Unit.id), Unit.id != scope.county_id, Unit.is_active.is_(True))
        .order_by(Unit.sort_order, Unit.id)
    )
    return [Owner(f"unit:{uid}", TargetScope.UNIT, uid, None, name) for uid, name in rows]


def leader_owners(scope: ReportScope) -> list[Owner]:
    from crm.units.queries import county_leaders

    rows = db.session.scalars(county_leaders(scope.county_id))
    return [Owner(f"leader:{u.id}", TargetScope.LEADER, scope.county_id, u.id, u.display_name) for u in rows]


def owners(scope: ReportScope) -> list[Owner]:
    """Whose targets the actor sees: a unit's people their own unit; county roles the county, units, leaders."""
    if scope.unit_level:
        name = db.session.scalar(sa.select(Unit.name).where(Unit.id == scope.root_id)) or ""
        return [Owner(f"unit:{scope.root_id}", TargetScope.UNIT, scope.root_id, None, name)]
    return [county_owner(scope)] + unit_owners(scope) + leader_owners(scope)


def find_owner(scope: ReportScope, key: str) -> Owner | None:
    return next((o for o in owners(scope) if o.key == key), None)


def targets_by_owner(scope: ReportScope, year: int) -> dict[str, dict[Indicator, Target]]:
    """Every target of the year the scope reads, by ``Owner.key`` (one query)."""
    rows = db.session.scalars(county_rows(sa.select(Target).where(Target.year == year), Target.unit_id, scope.config_units))
    found: dict[str, dict[Indicator, Target]] = {}
    for t in rows:
        if t.scope is TargetScope.COUNTY:
            if t.unit_id != scope.county_id or scope.unit_level:
                continue
            key = "county"
        elif t.scope is TargetScope.LEADER:
            if scope.unit_level:
                continue
            key = t.owner_key
        else:
            key = t.owner_key
        found.setdefault(key, {})[t.indicator] = t
    return found


def progress_period(year: int, today: date) -> str | None:
    """The month a year's progress is read at: this month for the current year, December for a past one."""
    if year < today.year:
        return make_period(year, 12)
    if year == today.year:
        return make_period(year, today.month)
    return None


@dataclass
class OwnerProgress:
    owner: Owner
    rows: list[tuple[Indicator, Target | None, Progress | None]] = field(default_factory=list)


def progress_of(scope: ReportScope, year: int, today: date, all_owners: list[Owner],
                targets: dict[str, dict[Indicator, Target]]) -> list[OwnerProgress]:
    """Each owner's targets with their 1–N月 actual, 完成率, 序时进度 and 超(欠)进度 (a fixed number of queries)."""
    period = progress_period(year, today)
    actual_of: dict[str, dict[Indicator, tuple[Decimal, int]]] = {}
    if period is not None:
        settings = load_settings(scope.county_id)
        window = Window(period)
        months = months_elapsed(period)
        if not scope.unit_level:
            flows = flow(scope, settings.counting, window)
            money = funds(scope, settings.counting, window)
            county = {i: (v, months) for i, (v, _y) in pipeline_actuals(flows, money).items()}
            for indicator, (p, value, _yoy) in zone_figures(scope, window).items():
                county[indicator] = (value, months_elapsed(p))
            actual_of["county"] = county
            for leader_id, figures in grouped_figures(scope, settings.counting, window, "leader").items():
                actual_of[f"leader:{leader_id}"] = _owner_actuals(figures, months)
        for unit_id, figures in grouped_figures(scope, settings.counting, window, "unit").items():
            actual_of[f"unit:{unit_id}"] = _owner_actuals(figures, months)
    result = []
    for owner in all_owners:
        own = targets.get(owner.key, {})
        actuals = actual_of.get(owner.key, {})
        rows = []
        for indicator in owner.indicators:
            target = own.get(indicator)
            value, months = actuals.get(indicator, (Decimal(0), months_elapsed(period) if period else 12))
            progress = Progress(value, target.value if target else None, months) if period else None
            rows.append((indicator, target, progress))
        result.append(OwnerProgress(owner, rows))
    return result


def _owner_actuals(figures: OwnerFigures, months: int) -> dict[Indicator, tuple[Decimal, int]]:
    return {i: (figures.actual(i) or Decimal(0), months) for i in PIPELINE_INDICATORS}


# --- 园区指标 ----------------------------------------------------------------------------------------
def zone_rows(scope: ReportScope, year: int) -> dict[str, dict[Indicator, ZoneMetric]]:
    """The year's typed figures of the county, by month (one query)."""
    stmt = sa.select(ZoneMetric).where(ZoneMetric.period >= make_period(year, 1), ZoneMetric.period <= make_period(year, 12))
    found: dict[str, dict[Indicator, ZoneMetric]] = {}
    for m in db.session.scalars(county_rows(stmt, ZoneMetric.unit_id, scope.county_id).order_by(ZoneMetric.period)):
        found.setdefault(m.period, {})[m.indicator] = m
    return found


def zone_month(scope: ReportScope, period: str) -> dict[Indicator, ZoneMetric]:
    stmt = sa.select(ZoneMetric).where(ZoneMetric.period == period)
    return {m.indicator: m for m in db.session.scalars(county_rows(stmt, ZoneMetric.unit_id, scope.county_id))}


def is_count(indicator: Indicator) -> bool:
    return indicator in COUNT_INDICATORS

