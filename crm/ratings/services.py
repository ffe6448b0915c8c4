"""Saving score sheets and the county's criteria. Services validate and flush; the view commits once.

Rules: only a rater (``crm.domain.ratings.may_rate``) scores, for their own unit, a 服务单位 of their county, on
every active criterion, each between 0 and its 满分 in steps of 0.5; the sheet's total is their sum. The criteria
are the county's report configuration (``Resource.REPORT``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.domain.access import Action, Actor, Resource, Target, can
from crm.domain.ratings import SheetProblem, may_rate, sheet_problems, sheet_total
from crm.errors import FieldError
from crm.extensions import db
from crm.ratings.forms import field_name
from crm.ratings.models import RatingCriterion, ServiceRating
from crm.ratings.queries import criteria_of
from crm.units.models import Unit


class RatingError(FieldError):
    pass


def may_rate_for(actor: Actor | None) -> bool:
    """The actor is a rater (``may_rate``: by role and their unit's type) and scores for their own unit (the
    policy's ``Resource.SERVICE_RATING``)."""
    if actor is None:
        return False
    unit_type = db.session.scalar(sa.select(Unit.type).where(Unit.id == actor.unit_id))
    return (unit_type is not None and may_rate(actor.role, unit_type)
            and can(actor, Action.CREATE, Target(Resource.SERVICE_RATING, unit_id=actor.unit_id)))


def _problem_text(problem: SheetProblem, criterion: RatingCriterion) -> str:
    return {
        SheetProblem.MISSING: _("请打分"),
        SheetProblem.NEGATIVE: _("分数不能为负"),
        SheetProblem.ABOVE_MAX: _("不能超过满分 %(max)s 分", max=f"{criterion.max_points.normalize():f}"),
        SheetProblem.STEP: _("分数以 0.5 分为单位"),
    }[problem]


def sheet_errors(criteria: Sequence[RatingCriterion], points: Mapping[int, Decimal | None]) -> dict[str, str]:
    """Every criterion's refusal, by its field (the form shows them all at once)."""
    by_id = {c.id: c for c in criteria}
    return {field_name(i): _problem_text(problem, by_id[i]) for i, problem in sheet_problems(criteria_of(criteria), points).items()}


def save_sheet(actor: Actor, county_id: int, period: str, service_unit: Unit, criteria: Sequence[RatingCriterion],
               points: Mapping[int, Decimal | None], comment: str | None, sheet: ServiceRating | None) -> ServiceRating:
    """Create or change the actor's sheet of ``service_unit`` for ``period`` (the view has shown ``sheet_errors``)."""
    if not criteria:
        raise RatingError("", _("县里还没有设置评议内容"))
    for name, message in sheet_errors(criteria, points).items():
        raise RatingError(name, message)
    if sheet is None:
        sheet = ServiceRating(unit_id=actor.unit_id, county_id=county_id, period=period, service_unit_id=service_unit.id,
                              rater_id=actor.user_id)
        db.session.add(sheet)
    sheet.points = {str(c.id): f"{points[c.id]:f}" for c in criteria}
    sheet.total = sheet_total(points[c.id] for c in criteria)  # type: ignore[misc]
    sheet.comment = comment
    db.session.flush()
    return sheet


@dataclass
class CriterionData:
    name: str
    max_points: Decimal
    sort_order: int
    is_active: bool = True


def _check_name(county_id: int, name: str, own_id: int | None) -> None:
    from crm.ratings.queries import county_criteria

    if any(c.name == name and c.id != own_id for c in county_criteria(county_id, active_only=False)):
        raise RatingError("name", _("已有同名的评议内容"))


def add_criterion(county_id: int, data: CriterionData) -> RatingCriterion:
    _check_name(county_id, data.name, None)
    row = RatingCriterion(unit_id=county_id, name=data.name, max_points=data.max_points, sort_order=data.sort_order or 0)
    db.session.add(row)
    db.session.flush()
    return row


def update_criterion(row: RatingCriterion, data: CriterionData) -> None:
    _check_name(row.unit_id, data.name, row.id)
    row.name, row.max_points, row.sort_order, row.is_active = data.name, data.max_points, data.sort_order or 0, data.is_active
    db.session.flush()
