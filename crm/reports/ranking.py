"""月评比 and 季奖惩: the facts of each ranked unit in grouped queries, scored by ``crm.domain.reports``.

Which units are ranked, the weights and the method are the county's scorecard (``ReportSettings``).
Definitions used for the facts (DOMAIN §c, [推断] where marked there):
- 签约, 新开工: counted events (统计口径) of 1–N月; targets are the unit's annual targets
  (引进亿元以上项目, 签约金额, 新开工项目), compared with the 序时目标 (target × N ÷ 12);
- 开工率: counted signings of the 12 months up to the month, share now 开工 or 投产;
- 到位/省外资金: approved 到位资金 of 1–N月 against 到位资金 / 省外资金 targets;
- 基础工作: 报送 due in the month that came after their due day or not at all (as of the month's end);
- 问题办结: issues kept by or assigned to the unit that were overdue at some time of the month;
- bonuses: counted signings of the month, 亿元以上 with a 500强/央企/龙头 investor (+3), ≥ 10 亿 (+4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from crm.access.reach import UnitSet
from crm.companies.models import CompanyTagRow
from crm.domain.kpi import Indicator, TargetScope, first_day, last_day, months_elapsed, quarter_periods, shift_period
from crm.domain.pipeline import Stage
from crm.domain.reports import (
    TOP_COMPANY_TAGS,
    YI,
    CountingRules,
    Phase,
    QuarterRow,
    Scorecard,
    ScoreLine,
    UnitFacts,
    UnitScore,
    Window,
    is_late_report,
    quarter_results,
    score_units,
)
from crm.extensions import db
from crm.reports.cache import cached_figure
from crm.reports.counting import counted_events, phase_expr
from crm.reports.figures import grouped_figures
from crm.reports.models import ReportSnapshot
from crm.reports.scope import ReportScope, county_rows
from crm.reports.settings import CountySettings
from crm.reports.watch import overdue_milestone_where
from crm.units.models import Unit

KIND = "ranking"


def ranked_units(scope: ReportScope, card: Scorecard) -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(scope.units.clause(Unit.id), Unit.type.in_(sorted(card.unit_types)), Unit.is_active.is_(True))
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(unit_id, name) for unit_id, name in rows]


def as_of(period: str, today: date) -> date:
    """The day a month is judged on: today for the current month, else the day after it ended."""
    return min(today, last_day(period) + timedelta(days=1))


def _unit_targets(unit_ids: list[int], year: int) -> dict[int, dict[Indicator, Decimal]]:
    from crm.targets.models import Target

    found: dict[int, dict[Indicator, Decimal]] = {}
    keys = {f"unit:{u}": u for u in unit_ids}
    for t in db.session.scalars(
        sa.select(Target).where(Target.year == year, Target.scope == TargetScope.UNIT, Target.owner_key.in_(sorted(keys)))
    ):
        found.setdefault(keys[t.owner_key], {})[t.indicator] = t.value
    return found


def _cohorts(scope: ReportScope, rules: CountingRules, period: str, unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    ev = counted_events(rules, UnitSet(frozenset(unit_ids)), stages=[Stage.SIGNED], start=shift_period(period, -11), end=period).subquery()
    started = phase_expr(Phase.STARTED, ev.c.stage, ev.c.paused_from)
    rows = db.session.execute(
        sa.select(ev.c.unit_id, sa.func.count(), sa.func.sum(sa.case((started, 1), else_=0))).group_by(ev.c.unit_id)
    )
    return {unit_id: (int(n), int(s or 0)) for unit_id, n, s in rows}


def _bonus_projects(rules: CountingRules, period: str, unit_ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    ev = counted_events(rules, UnitSet(frozenset(unit_ids)), stages=[Stage.SIGNED], start=period, end=period).subquery()
    top = sa.exists(sa.select(CompanyTagRow.company_id).where(
        CompanyTagRow.company_id == ev.c.company_id, CompanyTagRow.tag.in_(sorted(TOP_COMPANY_TAGS))
    ))
    rows = db.session.execute(
        sa.select(ev.c.unit_id, ev.c.name, ev.c.amount, top.label("top"))
        .where(ev.c.amount >= YI)
        .order_by(ev.c.name)
    )
    found: dict[int, tuple[list[str], list[str]]] = {}
    for unit_id, name, amount, is_top in rows:
        tops, bigs = found.setdefault(unit_id, ([], []))
        if is_top:
            tops.append(name)
        if amount is not None and Decimal(str(amount)) >= YI * 10:
            bigs.append(name)
    return found


def _late_reports(period: str, unit_ids: list[int], judged_on: date) -> dict[int, int]:
    from crm.submissions.models import Submission

    zone = ZoneInfo(current_app.config["CRM_TIMEZONE"])
    late: dict[int, int] = {}
    for unit_id, due_on, submitted_at in db.session.execute(
        sa.select(Submission.unit_id, Submission.due_on, Submission.submitted_at).where(
            Submission.unit_id.in_(unit_ids), Submission.due_on >= first_day(period), Submission.due_on <= last_day(period)
        )
    ):
        submitted_on = submitted_at.astimezone(zone).date() if submitted_at is not None else None
        if is_late_report(due_on, submitted_on, judged_on):
            late[unit_id] = late.get(unit_id, 0) + 1
    return late


def _overdue_issues(period: str, unit_ids: list[int], judged_on: date) -> dict[int, int]:
    """``crm.domain.reports.overdue_in_month`` in SQL, per keeping and per responsible unit."""
    from crm.issues.models import Issue

    start = first_day(period)
    rows = db.session.execute(
        sa.select(Issue.unit_id, Issue.responsible_unit_id, sa.func.count(Issue.id))
        .where(
            sa.or_(Issue.unit_id.in_(unit_ids), Issue.responsible_unit_id.in_(unit_ids)),
            Issue.deadline < judged_on,
            sa.or_(Issue.resolved_on.is_(None), sa.and_(Issue.resolved_on > Issue.deadline, Issue.resolved_on >= start)),
        )
        .group_by(Issue.unit_id, Issue.responsible_unit_id)
    )
    counts: dict[int, int] = {}
    for keeper, responsible, n in rows:
        counts[keeper] = counts.get(keeper, 0) + n
        if responsible != keeper:
            counts[responsible] = counts.get(responsible, 0) + n
    return counts


def unit_facts(scope: ReportScope, settings: CountySettings, period: str, today: date) -> list[UnitFacts]:
    """The facts of every ranked unit for a month (eight queries, once per change of the data)."""
    return _unit_facts(scope, settings.scorecard, settings.counting, period, today)


@cached_figure
def _unit_facts(scope: ReportScope, card: Scorecard, rules: CountingRules, period: str, today: date) -> list[UnitFacts]:
    units = ranked_units(scope, card)
    ids = [u for u, _name in units]
    if not ids:
        return []
    window = Window(period)
    figures = grouped_figures(scope, rules, window, "unit")
    targets = _unit_targets(ids, int(period[:4]))
    cohorts = _cohorts(scope, rules, period, ids)
    bonuses = _bonus_projects(rules, period, ids)
    judged_on = as_of(period, today)
    late = _late_reports(period, ids, judged_on)
    overdue = _overdue_issues(period, ids, judged_on)
    facts = []
    for unit_id, name in units:
        f = figures.get(unit_id)
        t = targets.get(unit_id, {})
        signed, started = cohorts.get(unit_id, (0, 0))
        tops, bigs = bonuses.get(unit_id, ([], []))
        facts.append(UnitFacts(
            unit_id=unit_id, name=name,
            signed_count=f.signed_count if f else 0, signed_amount=f.signed_total if f else Decimal(0),
            signed_count_target=t.get(Indicator.YI_PROJECTS), signed_amount_target=t.get(Indicator.SIGNED_AMOUNT),
            new_starts=f.started_count if f else 0, new_starts_target=t.get(Indicator.STARTED_PROJECTS),
            cohort_signed=signed, cohort_started=started,
            funds=f.funds if f else Decimal(0), funds_target=t.get(Indicator.FUNDS_ARRIVED),
            out_of_province=f.out_of_province if f else Decimal(0), out_of_province_target=t.get(Indicator.OUT_OF_PROVINCE_FUNDS),
            late_reports=late.get(unit_id, 0), overdue_issues=overdue.get(unit_id, 0),
            top_company_projects=tuple(tops), ten_yi_projects=tuple(bigs),
        ))
    return facts


def monthly_ranking(scope: ReportScope, settings: CountySettings, period: str, today: date) -> list[UnitScore]:
    return score_units(unit_facts(scope, settings, period, today), months_elapsed(period), settings.scorecard)


class LateUnit(NamedTuple):
    name: str
    missed: int  # 节点 due in the quarter and not met on time


class SlowProject(NamedTuple):
    project: Any
    overdue: int  # 节点 overdue now


@dataclass
class QuarterView:
    year: int
    quarter: int
    periods: tuple[str, ...]  # the months scored (those begun by today)
    rows: list[QuarterRow]
    late_milestone_units: list[LateUnit]  # most first
    slow_projects: list[SlowProject]  # most first
    service_bottom: list[Any] = field(default_factory=list)  # 行风评议后两名 (``crm.domain.ratings.Result``), lowest first


def quarter_view(scope: ReportScope, settings: CountySettings, year: int, quarter: int, today: date) -> QuarterView:
    """季奖惩: each month's ranking averaged, praise and criticism, who missed 节点, the slowest projects."""
    from crm.progress.models import Milestone
    from crm.projects.models import Project

    from crm.domain.ratings import bottom
    from crm.ratings.queries import quarter_ranking

    periods = tuple(p for p in quarter_periods(year, quarter) if first_day(p) <= today)
    months = [monthly_ranking(scope, settings, p, today) for p in periods]
    rows = quarter_results(months, settings.scorecard)
    if not periods:
        return QuarterView(year, quarter, periods, rows, [], [])
    service_bottom = bottom(quarter_ranking(scope.county_id, periods)) if not scope.unit_level else []
    start, end = first_day(periods[0]), min(last_day(periods[-1]), today)
    missed = sa.and_(Milestone.planned_on >= start, Milestone.planned_on <= end, Milestone.planned_on < today,
                     sa.or_(Milestone.actual_on.is_(None), Milestone.actual_on > Milestone.planned_on))
    late_units = db.session.execute(
        sa.select(Unit.name, sa.func.count(Milestone.id))
        .select_from(Milestone)
        .join(Project, Project.id == Milestone.project_id)
        .join(Unit, Unit.id == Milestone.responsible_unit_id)
        .where(missed, scope.units.clause(Project.unit_id))
        .group_by(Unit.name)
        .order_by(sa.func.count(Milestone.id).desc(), Unit.name)
        .limit(3)
    ).all()
    slow = db.session.execute(
        sa.select(Project, sa.func.count(Milestone.id))
        .join(Milestone, Milestone.project_id == Project.id)
        .where(*overdue_milestone_where(scope, today))
        .group_by(Project.id)
        .order_by(sa.func.count(Milestone.id).desc(), Project.id)
        .limit(3)
    ).all()
    return QuarterView(year, quarter, periods, rows, [LateUnit(n, c) for n, c in late_units], [SlowProject(p, c) for p, c in slow],
                       service_bottom)


# --- frozen rankings ------------------------------------------------------------------------------
def ranking_json(period: str, card: Scorecard, scores: list[UnitScore]) -> dict[str, Any]:
    def line(l: ScoreLine) -> dict[str, Any]:
        return {
            "item": l.item.value, "points": str(l.points), "max_points": None if l.max_points is None else str(l.max_points),
            "basis": l.basis.value, "actual": str(l.actual), "reference": None if l.reference is None else str(l.reference),
            "low": None if l.low is None else str(l.low), "count": l.count, "names": list(l.names),
        }

    return {
        "period": period,
        "scorecard": card.to_json(),
        "rows": [{"unit_id": s.unit_id, "name": s.name, "rank": s.rank, "total": str(s.total), "lines": [line(l) for l in s.lines]}
                 for s in scores],
    }


def ranking_from_json(data: dict[str, Any]) -> list[UnitScore]:
    from crm.domain.reports import Basis, Item

    def number(v: Any) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    scores = []
    for row in data.get("rows", []):
        lines = tuple(
            ScoreLine(Item(l["item"]), Decimal(l["points"]), number(l["max_points"]), Basis(l["basis"]), Decimal(l["actual"]),
                      number(l["reference"]), number(l["low"]), int(l.get("count", 0)), tuple(l.get("names", [])))
            for l in row["lines"]
        )
        scores.append(UnitScore(int(row["unit_id"]), row["name"], lines, int(row["rank"])))
    return scores


def published_ranking(scope: ReportScope, period: str) -> ReportSnapshot | None:
    stmt = sa.select(ReportSnapshot).where(ReportSnapshot.kind == KIND, ReportSnapshot.period == period)
    return db.session.scalars(county_rows(stmt, ReportSnapshot.unit_id, scope.county_id)).first()


def own_published_rows(scope: ReportScope, unit_id: int) -> list[tuple[str, UnitScore, int]]:
    """A unit's own line of every published ranking of its county: (period, its score, how many units)."""
    stmt = sa.select(ReportSnapshot).where(ReportSnapshot.kind == KIND)
    found = []
    for snapshot in db.session.scalars(county_rows(stmt, ReportSnapshot.unit_id, scope.county_id).order_by(ReportSnapshot.period.desc())):
        scores = ranking_from_json(snapshot.data)
        mine = next((s for s in scores if s.unit_id == unit_id), None)
        if mine is not None:
            found.append((snapshot.period, mine, len(scores)))
    return found
