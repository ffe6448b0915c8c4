"""统计口径 in SQL: the approved stage events that count, and the project flags.

Each function here is the SQL twin of a pure rule in ``crm.domain.reports`` (tests check the two agree),
and is used both by the figures and by the project list's drill-down filters, so that a figure and the
list behind it are the same query.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import SCALE_BANDS, MilestoneKind, ReviewStatus
from crm.domain.reports import (
    INDUSTRIAL_CATEGORIES,
    NOT_YET_STARTED,
    CountingRules,
    Flag,
    FlagSettings,
    Phase,
    months_before,
    phase_stages,
    shadow_cutoff,
)
from crm.access.reach import UnitSet
from crm.projects.models import Project, StageEvent


def event_amount(event: Any, column: str) -> sa.ColumnElement[Any]:
    """The counted amount of an event (``crm.domain.reports.counted_amount``)."""
    on_event, on_project = getattr(event, column), getattr(Project, column)
    return sa.case((Project.nature == Nature.CAPITAL_INCREASE, on_event), else_=sa.func.coalesce(on_event, on_project))


def recognised(rules: CountingRules) -> list[sa.ColumnElement[bool]]:
    """The project is not on the 不予认定 list (``CountingRules.recognised``)."""
    clauses = []
    if rules.excluded_categories:
        clauses.append(sa.or_(Project.industry_category.is_(None), Project.industry_category.not_in(sorted(rules.excluded_categories))))
    if rules.excluded_sources:
        clauses.append(sa.or_(Project.funding_source.is_(None), Project.funding_source.not_in(sorted(rules.excluded_sources))))
    return clauses


def threshold(rules: CountingRules) -> sa.ColumnElement[Any]:
    if rules.industrial_threshold is None:
        return sa.literal(rules.threshold, sa.Numeric(16, 2))
    return sa.case(
        (Project.industry_category.in_(sorted(INDUSTRIAL_CATEGORIES)), sa.literal(rules.industrial_threshold, sa.Numeric(16, 2))),
        else_=sa.literal(rules.threshold, sa.Numeric(16, 2)),
    )


def counted_events(rules: CountingRules, units: UnitSet, *, stages: list[Stage] | None = None,
                   start: str | None = None, end: str | None = None) -> sa.Select[Any]:
    """One row per counted event: its project and unit, stage, period and counted amounts.

    Approved only; the first approved event of the project to that stage (by period, then id: a window
    function numbers them); a recognised project; the counted 总投资 at or above the threshold.
    """
    projects = Project.__table__
    order = sa.func.row_number().over(partition_by=(StageEvent.project_id, StageEvent.to_stage),
                                      order_by=(StageEvent.period, StageEvent.id))
    ranked_stmt = sa.select(
        StageEvent.id, StageEvent.project_id, StageEvent.to_stage, StageEvent.period, StageEvent.agreement_id,
        StageEvent.total_investment, StageEvent.contracted_amount, order.label("nth"),
    ).where(StageEvent.review_status == ReviewStatus.APPROVED)
    if not units.everything:
        # The window numbers each project's events, so the scope's projects can be chosen before it: the ranking
        # then reads a unit's hundred projects, not the city's stage history (through the index on project_id).
        ranked_stmt = ranked_stmt.where(StageEvent.project_id.in_(sa.select(projects.c.id).where(units.clause(projects.c.unit_id))))
    if stages is not None:
        ranked_stmt = ranked_stmt.where(StageEvent.to_stage.in_(stages))
    event = ranked_stmt.subquery("counted_event")
    total = event_amount(event.c, "total_investment")
    contracted = event_amount(event.c, "contracted_amount")
    stmt = (
        sa.select(
            event.c.id.label("event_id"),
            event.c.project_id.label("project_id"),
            Project.unit_id.label("unit_id"),
            Project.company_id.label("company_id"),
            Project.name.label("name"),
            event.c.to_stage.label("to_stage"),
            event.c.period.label("period"),
            event.c.agreement_id.label("agreement_id"),
            total.label("amount"),
            contracted.label("contracted"),
            Project.foreign_capital.label("foreign"),
            Project.stage.label("stage"),
            Project.paused_from.label("paused_from"),
        )
        .select_from(event)
        .join(Project, Project.id == event.c.project_id)
        .where(
            event.c.nth == 1,
            units.clause(Project.unit_id),
            sa.func.coalesce(total, 0) >= threshold(rules),
            *recognised(rules),
        )
    )
    if start is not None:
        stmt = stmt.where(event.c.period >= start)
    if end is not None:
        stmt = stmt.where(event.c.period <= end)
    return stmt


def counted_project_ids(rules: CountingRules, units: UnitSet, stage: Stage, start: str | None,
                        end: str | None, signing_event: str | None = None) -> sa.Select[Any]:
    """The projects behind a counted figure (for the project list's drill-down)."""
    events = counted_events(rules, units, stages=[stage], start=start, end=end).subquery()
    stmt = sa.select(events.c.project_id)
    if signing_event:
        from crm.agreements.models import Agreement

        stmt = stmt.join(Agreement, Agreement.id == events.c.agreement_id).where(Agreement.signing_event == signing_event)
    return stmt


# --- project classifications -----------------------------------------------------------------------
def band_expr(column: Any) -> sa.ColumnElement[Any]:
    """规模档 of a 总投资 (``crm.domain.projects.scale_band``)."""
    # Inline constants: PostgreSQL must see the SELECT's and the GROUP BY's expression as the same one.
    return sa.case(
        *[(column >= sa.literal_column(str(int(lower))), sa.literal_column(f"'{name}'")) for lower, name in reversed(SCALE_BANDS)],
        else_=sa.null(),
    )


def phase_clause(phase: Phase) -> sa.ColumnElement[bool]:
    """``crm.domain.reports.in_phase`` in SQL."""
    stages = sorted(phase_stages(phase))
    if phase is Phase.ACTIVE:
        return Project.stage.in_(stages)
    return sa.or_(Project.stage.in_(stages), sa.and_(Project.stage == Stage.PAUSED, Project.paused_from.in_(stages)))


def phase_expr(phase: Phase, stage: Any, paused_from: Any) -> sa.ColumnElement[bool]:
    """``in_phase`` over the stage and paused_from columns of a subquery."""
    stages = sorted(phase_stages(phase))
    if phase is Phase.ACTIVE:
        return stage.in_(stages)
    return sa.or_(stage.in_(stages), sa.and_(stage == Stage.PAUSED, paused_from.in_(stages)))


def built_on() -> sa.ScalarSelect[Any]:
    """主体封顶 done on (per project, correlated)."""
    from crm.progress.models import Milestone

    return (
        sa.select(Milestone.actual_on)
        .where(Milestone.project_id == Project.id, Milestone.kind == MilestoneKind.TOPPING_OUT)
        .correlate(Project)
        .scalar_subquery()
    )


def flag_clause(flag: Flag, today: date, settings: FlagSettings) -> sa.ColumnElement[bool]:
    """``is_shadow`` / ``is_empty_nest`` / ``is_late_start`` of ``crm.domain.reports`` in SQL."""
    not_started = Project.stage.in_(sorted(NOT_YET_STARTED))
    if flag is Flag.SHADOW:
        return sa.and_(not_started, Project.signed_month.is_not(None), Project.signed_month <= shadow_cutoff(today, settings.shadow_months))
    if flag is Flag.EMPTY_NEST:
        return sa.and_(Project.stage == Stage.STARTED, built_on() <= months_before(today, settings.empty_nest_months))
    return sa.and_(not_started, Project.planned_start_on < today)


def yi_clause(yi: int) -> sa.ColumnElement[bool]:
    return Project.total_investment >= Decimal(yi) * 10_000
