"""Whose figures a report shows, and who may publish and configure.

- Staff and chiefs: their own unit's projects only (not the other units' projects of a 服务专班 they
  serve on); the unit's own targets.
- Leaders, reviewers and admins: their subtree's projects (``crm.access.reach.visible_units``), and the
  targets, zone figures, settings and published reports of their county: the nearest 县 above
  (or at) their unit, else their own unit.

County-level rows (targets of the county and its leaders, 园区指标, settings, published reports) are
read with ``UNSCOPED`` and an explicit ``unit_id`` condition: the county's 审核员 sits in the 招商局
below the county, outside whose subtree those rows are kept, yet answers for them. Nothing else is
read that way here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from crm.access.policy import load_parent_map
from crm.access.reach import UnitSet, visible_units
from crm.access.scoping import UNSCOPED
from crm.domain.access import Action, Actor, Resource, Role, Target, can, subtree_of
from crm.domain.units import UnitType, chain_of, nearest_county
from crm.extensions import db
from crm.units.models import Unit
from crm.web.ids import bounded_int

UNIT_ROLES = (Role.STAFF, Role.CHIEF)


@dataclass(frozen=True)
class ReportScope:
    root_id: int  # the unit the report is about (the county, or a chief's unit)
    root_name: str
    county_id: int  # the county whose settings apply
    units: UnitSet  # units whose projects are counted
    unit_level: bool  # a unit's own dashboard (chiefs and staff)
    config_units: UnitSet  # units whose targets this scope reads (the county itself for county roles)

    @property
    def key(self) -> str:
        return f"{self.root_id}"


def home_county(unit_id: int, parent_of: dict[int, int | None] | None = None,
                types: dict[int, UnitType] | None = None) -> int:
    """The nearest 县 at or above the unit; the tree's root when there is none (``nearest_county``)."""
    parent_of = parent_of if parent_of is not None else load_parent_map()
    types = types if types is not None else dict(db.session.execute(sa.select(Unit.id, Unit.type)).all())
    return nearest_county(chain_of(unit_id, parent_of), types)


def _names(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def report_scope(actor: Actor) -> ReportScope:
    # The actor knows its county (read with its subtree); only an actor built without it walks the tree.
    county = actor.county_id if actor.county_id is not None else home_county(actor.unit_id)
    if actor.role in UNIT_ROLES:
        names = _names([actor.unit_id])
        own = visible_units(actor)
        return ReportScope(actor.unit_id, names.get(actor.unit_id, ""), county, own, True, own)
    names = _names([county])
    visible = visible_units(actor)
    return ReportScope(county, names.get(county, ""), county, visible, False, visible.plus(county))


def county_scope(county_id: int) -> ReportScope:
    """The whole county (jobs, the demo loader): every unit below it."""
    name, path = db.session.execute(sa.select(Unit.name, Unit.path).where(Unit.id == county_id)).one()
    parent_of = load_parent_map()
    subtree = subtree_of(county_id, parent_of)
    units = UnitSet(subtree, path, everything=len(subtree) == len(parent_of))
    return ReportScope(county_id, name, county_id, units, False, units)


def counties_within(scope: ReportScope) -> list[tuple[int, str]]:
    """The counties below a city's or a province's scope, in the tree's order; none for a county's own. Units are
    ranked against the other units of their county, so a city's 月评比 is read one county at a time."""
    if scope.unit_level:
        return []
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(scope.units.clause(Unit.id), Unit.type == UnitType.COUNTY, Unit.id != scope.root_id)
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(unit_id, name) for unit_id, name in rows]


def within_county(scope: ReportScope, county_id: int | None) -> ReportScope | None:
    """The scope of one county below ``scope`` (a city's roles open a county's reports), else None."""
    if county_id is None or county_id not in dict(counties_within(scope)):
        return None
    return county_scope(county_id)


def request_scope() -> tuple[Actor, ReportScope]:
    """The signed-in actor and the scope of a report page: theirs, or, for a city's roles, the county chosen with
    ``?county=`` (one inside their subtree; anything else is ignored)."""
    from flask import request

    from crm.access.policy import current_actor

    actor = current_actor()
    assert actor is not None
    scope = report_scope(actor)
    county = within_county(scope, request.args.get("county", type=bounded_int) or request.form.get("county", type=bounded_int))
    return actor, county or scope


def county_rows(stmt: sa.Select[Any], column: Any, units: UnitSet | int) -> sa.Select[Any]:
    """A read of report configuration rows of the given units (or one unit) only, past the session scope (see
    above)."""
    where = column == units if isinstance(units, int) else units.clause(column)
    return stmt.where(where).execution_options(**UNSCOPED)


# --- who may change what ------------------------------------------------------------------------
def may_manage(actor: Actor | None, scope: ReportScope) -> bool:
    """Publish the county's reports and change its settings (the policy's ``Resource.REPORT``)."""
    return not scope.unit_level and can(actor, Action.MANAGE, Target(Resource.REPORT, unit_id=scope.county_id))


def may_edit_targets_of(actor: Actor | None, scope: ReportScope, unit_id: int) -> bool:
    """Targets of the county (and its leaders) as ``may_manage``; a unit's targets also need the unit inside the
    editor's own reach."""
    return may_manage(actor, scope) and can(actor, Action.MANAGE, Target(Resource.REPORT, unit_id=unit_id))
