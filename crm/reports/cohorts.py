"""三率 of signing cohorts (DOMAIN §b): a signing year, or a 签约活动 (the signing agreement's event).

The cohort is the counted signings (统计口径); where each project stands now decides 履约, 开工, 投产
and 落地 (``crm.domain.reports.in_phase``); 资金到位率 = approved 到位资金 to date ÷ 合同引资额 as
counted at signing. Two grouped queries for all cohorts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm.domain.kpi import Cohort, CohortRates, cohort_rates
from crm.domain.pipeline import Stage
from crm.domain.projects import ReviewStatus
from crm.domain.reports import CountingRules, Phase
from crm.extensions import db
from crm.reports.cache import cached_figure
from crm.reports.counting import counted_events, phase_expr
from crm.reports.scope import ReportScope
from crm.reports.settings import CountySettings


@dataclass(frozen=True)
class CohortRow:
    key: str  # the year ("2025") or the 签约活动
    cohort: Cohort
    rates: CohortRates
    start: str | None = None  # the year's months, for the drill-down links
    end: str | None = None
    signing_event: str | None = None
    unit: int | None = None  # a unit's row: its projects (the project list's ``unit``)
    leader: int | None = None  # a 分包县级领导's row (the project list's ``leader``)


def _funds_by_project(rules: CountingRules) -> Any:
    from crm.progress.models import FundArrival

    conditions = [FundArrival.review_status == ReviewStatus.APPROVED]
    if rules.excluded_sources:
        conditions.append(FundArrival.source.not_in(sorted(rules.excluded_sources)))
    return (
        sa.select(FundArrival.project_id.label("project_id"), sa.func.sum(FundArrival.amount).label("arrived"))
        .where(*conditions)
        .group_by(FundArrival.project_id)
        .subquery()
    )


def _rows(stmt: sa.Select[Any], key: Any, ev: Any, money: Any, breached: frozenset[int] = frozenset()) -> list[tuple[Any, Cohort]]:
    def n(phase: Phase) -> Any:
        return sa.func.sum(sa.case((phase_expr(phase, ev.c.stage, ev.c.paused_from), 1), else_=0))

    # 履约 (``crm.domain.compliance.performing``): the stage rule, and, with the county's setting on, not one of the
    # projects whose 正式合同's commitments are not 按期 (``breached``, computed by the domain rule).
    active = phase_expr(Phase.ACTIVE, ev.c.stage, ev.c.paused_from)
    if breached:
        active = sa.and_(active, ev.c.project_id.not_in(sorted(breached)))
    rows = db.session.execute(
        stmt.add_columns(
            sa.func.count(), sa.func.sum(sa.case((active, 1), else_=0)), n(Phase.STARTED), n(Phase.PRODUCING), n(Phase.LANDED),
            sa.func.coalesce(sa.func.sum(money.c.arrived), 0), sa.func.coalesce(sa.func.sum(ev.c.contracted), 0),
        ).group_by(key).order_by(key.desc())
    ).all()
    return [
        (r[0], Cohort(int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0), Decimal(str(r[6])), Decimal(str(r[7]))))
        for r in rows
    ]


def _breached(scope: ReportScope) -> frozenset[int]:
    """The projects the county's 履约 setting leaves out of 履约 (none with the setting off: the stage alone)."""
    from crm.clock import local_today
    from crm.compliance.queries import breached_in_scope
    from crm.compliance.settings import uses_commitments

    return breached_in_scope(scope, local_today()) if uses_commitments(scope.county_id) else frozenset()


def cohorts(scope: ReportScope, settings: CountySettings) -> tuple[list[CohortRow], list[CohortRow]]:
    """(by signing year, by 签约活动), most recent / largest first."""
    return _cohorts(scope, settings.counting, _breached(scope))


@cached_figure
def _cohorts(scope: ReportScope, rules: CountingRules, breached: frozenset[int] = frozenset()) -> tuple[list[CohortRow], list[CohortRow]]:
    from crm.agreements.models import Agreement

    ev = counted_events(rules, scope.units, stages=[Stage.SIGNED]).subquery()
    money = _funds_by_project(rules)
    year = sa.func.substr(ev.c.period, sa.literal_column("1"), sa.literal_column("4"))  # inline: GROUP BY = SELECT on PostgreSQL
    base = sa.select(year.label("key")).select_from(ev).outerjoin(money, money.c.project_id == ev.c.project_id)
    years = [
        CohortRow(str(y), c, cohort_rates(c), start=f"{y}-01", end=f"{y}-12")
        for y, c in _rows(base, year, ev, money, breached)
    ]
    event_base = (
        sa.select(Agreement.signing_event.label("key"))
        .select_from(ev)
        .join(Agreement, Agreement.id == ev.c.agreement_id)
        .outerjoin(money, money.c.project_id == ev.c.project_id)
        .where(Agreement.signing_event.is_not(None), Agreement.signing_event != "")
    )
    events = [CohortRow(str(e), c, cohort_rates(c), signing_event=str(e)) for e, c in _rows(event_base, Agreement.signing_event, ev, money, breached)]
    events.sort(key=lambda r: (-r.cohort.signed, r.key))
    return years, events


@dataclass(frozen=True)
class Breakdowns:
    """The same cohorts' 三率 by the unit that signed them (分局) and by 分包县级领导 (a project with two leaders counts
    for each)."""

    units: list[CohortRow]
    leaders: list[CohortRow]


def breakdowns(scope: ReportScope, settings: CountySettings) -> Breakdowns:
    return _breakdowns(scope, settings.counting, _breached(scope))


@cached_figure
def _breakdowns(scope: ReportScope, rules: CountingRules, breached: frozenset[int] = frozenset()) -> Breakdowns:
    from crm.assignments.models import ProjectLeader
    from crm.units.models import Unit
    from crm.users.models import User

    ev = counted_events(rules, scope.units, stages=[Stage.SIGNED]).subquery()
    money = _funds_by_project(rules)
    by_unit = sa.select(Unit.id.label("key")).select_from(ev).join(Unit, Unit.id == ev.c.unit_id).outerjoin(money, money.c.project_id == ev.c.project_id)
    unit_rows = _rows(by_unit, Unit.id, ev, money, breached)
    unit_names = dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_([uid for uid, _c in unit_rows]))).all())
    units = [CohortRow(unit_names.get(uid, str(uid)), c, cohort_rates(c), unit=uid) for uid, c in unit_rows]
    by_leader = (
        sa.select(ProjectLeader.leader_id.label("key")).select_from(ev)
        .join(ProjectLeader, sa.and_(ProjectLeader.project_id == ev.c.project_id, ProjectLeader.exited_on.is_(None)))
        .outerjoin(money, money.c.project_id == ev.c.project_id)
    )
    leader_rows = _rows(by_leader, ProjectLeader.leader_id, ev, money, breached)
    # County leaders are visible to everyone (their accounts' scope): no need to look past it.
    names = dict(db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_([uid for uid, _c in leader_rows]))).all())
    leaders = [CohortRow(names.get(uid, str(uid)), c, cohort_rates(c), leader=uid) for uid, c in leader_rows]
    for rows in (units, leaders):
        rows.sort(key=lambda r: (-r.cohort.signed, r.key))
    return Breakdowns(units, leaders)
