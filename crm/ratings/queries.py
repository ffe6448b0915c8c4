"""Reads of the 评议: the county's criteria and 服务单位 (every rater of the county reads them), a rater's own
sheets (scoped), and the county's results (past the scope, for those ``may_view_results`` lets in)."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

import sqlalchemy as sa

from crm.domain.access import Action, Actor, Resource, Target, can
from crm.domain.ratings import Criterion, Result, month_results, quarter_results
from crm.domain.units import UnitType
from crm.extensions import db
from crm.ratings.models import RatingCriterion, ServiceRating
from crm.reports.scope import county_rows
from crm.units.models import Unit


def county_criteria(county_id: int, active_only: bool = True) -> list[RatingCriterion]:
    """The county's score sheet, in its order (the county's configuration: ``county_rows``)."""
    stmt = sa.select(RatingCriterion).order_by(RatingCriterion.sort_order, RatingCriterion.id)
    if active_only:
        stmt = stmt.where(RatingCriterion.is_active)
    return list(db.session.scalars(county_rows(stmt, RatingCriterion.unit_id, county_id)))


def criteria_of(rows: Iterable[RatingCriterion]) -> list[Criterion]:
    return [Criterion(row.id, row.name, row.max_points) for row in rows]


def service_units(county_id: int, active_only: bool = True) -> list[Unit]:
    """The 服务单位 below the county (unit names are public inside the installation)."""
    county_path = db.session.scalar(sa.select(Unit.path).where(Unit.id == county_id)) or ""
    stmt = sa.select(Unit).where(Unit.type == UnitType.SERVICE, Unit.path.like(county_path + "%"), Unit.id != county_id)
    if active_only:
        stmt = stmt.where(Unit.is_active)
    return list(db.session.scalars(stmt.order_by(Unit.sort_order, Unit.id)))


def own_sheets(actor: Actor, period: str) -> dict[int, ServiceRating]:
    """The actor's sheets of the month, by 服务单位."""
    rows = db.session.scalars(sa.select(ServiceRating).where(ServiceRating.rater_id == actor.user_id, ServiceRating.period == period))
    return {row.service_unit_id: row for row in rows}


def may_view_results(actor: Actor | None, county_id: int) -> bool:
    """The county's 评议 results: its county roles (the policy's ``Resource.SERVICE_RATING``, Reach.COUNTY)."""
    return can(actor, Action.VIEW, Target(Resource.SERVICE_RATING, unit_id=county_id))


def _names(county_id: int) -> dict[int, str]:
    return {unit.id: unit.name for unit in service_units(county_id, active_only=False)}


def month_ranking(county_id: int, period: str, names: dict[int, str] | None = None) -> list[Result]:
    """The month's results: each 服务单位's mean of its raters' totals, ranked (``names``: the county's 服务单位, when
    the caller has them). Callers check ``may_view_results``."""
    totals: list[tuple[int, Decimal]] = [
        (unit_id, total) for unit_id, total in db.session.execute(county_rows(
            sa.select(ServiceRating.service_unit_id, ServiceRating.total).where(ServiceRating.period == period),
            ServiceRating.county_id, county_id))
    ]
    return month_results(totals, names if names is not None else _names(county_id))


def quarter_ranking(county_id: int, periods: Iterable[str]) -> list[Result]:
    """The quarter's results: each 服务单位's mean over its rated months (``crm.domain.ratings.quarter_results``)."""
    names = _names(county_id)
    return quarter_results(month_ranking(county_id, period, names) for period in periods)


def raters_done(county_id: int, period: str) -> int:
    """How many raters have handed in at least one sheet this month (the results page's 已评 count)."""
    return db.session.scalar(county_rows(
        sa.select(sa.func.count(sa.distinct(ServiceRating.rater_id))).where(ServiceRating.period == period),
        ServiceRating.county_id, county_id)) or 0
