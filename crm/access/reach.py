"""Where an actor's records are, in SQL: one unit, a subtree tested by its path, the projects of a 服务专班.

A subtree is never written as a list of unit ids: a county's roles would repeat some 200 ids in every
statement, a province's thousands. ``units.path`` (``crm.domain.access.unit_paths``) lets SQL test it with
one ``path LIKE '/1/5/%'`` over the small units table instead.

Every clause reads the tables it needs as plain Core tables, never as mapped classes: the scoping hook adds
criteria to mapped classes only, so an actor's criteria never re-enter their own subqueries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import sqlalchemy as sa

from crm.db import table
from crm.extensions import db
from crm.domain.access import Action, Actor, Reach, Resource, reaches


def _units() -> sa.Table:
    return table("units")


@dataclass(frozen=True)
class UnitSet:
    """A set of units for SQL and for Python: the subtree below ``path`` (plus the few units of ``also``) when a
    path is given, else exactly ``ids``. ``ids`` always holds every member, for ``in`` tests and the policy."""

    ids: frozenset[int]
    path: str = ""
    also: frozenset[int] = frozenset()  # units outside the subtree that belong to the set too
    everything: bool = False  # every unit there is: no condition needed

    def clause(self, column: Any) -> sa.ColumnElement[bool]:
        """``column`` (a unit id column) is one of these units."""
        if self.everything:
            return sa.true()
        if self.path:
            units = _units()
            below = column.in_(sa.select(units.c.id).where(units.c.path.like(self.path + "%")))
            return sa.or_(below, _among(column, self.also)) if self.also else below
        return _among(column, self.ids)

    def plus(self, *unit_ids: int) -> UnitSet:
        """The set with a few more units (a reviewer's county, above the 招商局 the reviewer sits in)."""
        extra = frozenset(unit_ids) - self.ids
        if self.everything or not extra:
            return self
        if not self.path:
            return UnitSet(self.ids | extra)
        return UnitSet(self.ids | extra, self.path, self.also | extra)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.ids

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


def _among(column: Any, ids: frozenset[int]) -> sa.ColumnElement[bool]:
    if len(ids) == 1:
        return column == next(iter(ids))
    return column.in_(sorted(ids))  # an empty set matches nothing


def subtree_units(actor: Actor) -> UnitSet:
    """The actor's unit and everything below it."""
    return UnitSet(actor.subtree, actor.unit_path, everything=actor.subtree_is_everything)


def unit_subtree(unit_id: int, path: str | None) -> UnitSet:
    """A unit and every unit below it, read by its materialised path; a unit whose path is not written yet is itself
    only (as ``build_actor`` treats it)."""
    if not path or not path.endswith(f"/{unit_id}/"):
        return UnitSet(frozenset({unit_id}))
    units = _units()
    ids = frozenset(db.session.scalars(sa.select(units.c.id).where(units.c.path.like(f"{path}%"))))
    return UnitSet(ids | {unit_id}, path)


def visible_units(actor: Actor) -> UnitSet:
    """The units whose records the actor reads: their own (staff, chiefs) or their subtree (DESIGN §1)."""
    if actor.sees_subtree:
        return subtree_units(actor)
    return UnitSet(frozenset({actor.unit_id}))


def granted_units(actor: Actor, action: Action, resource: Resource) -> UnitSet | None:
    """The units where the policy lets the actor take ``action`` on ``resource``'s records, for a query's filter;
    None when it grants it nowhere. (Grants to a 服务专班's projects are the caller's to add.)"""
    found = reaches(actor.role, action, resource)
    if Reach.ANYWHERE in found:
        return UnitSet(actor.subtree, everything=True)
    if Reach.SUBTREE in found or Reach.COUNTY in found:
        units = subtree_units(actor)
        return units.plus(actor.county_id) if Reach.COUNTY in found and actor.county_id is not None else units
    if Reach.OWN_UNIT in found:
        return UnitSet(frozenset({actor.unit_id}))
    return None


def project_reach(project_id: Any, unit_id: Any, actor: Actor) -> sa.ColumnElement[bool]:
    """A record of a unit that may belong to a project (a project, an issue, an attachment) is visible in the
    actor's units and, from any unit, to the project's 服务专班."""
    return sa.or_(visible_units(actor).clause(unit_id), in_team_projects(project_id, actor))


def in_team_projects(column: Any, actor: Actor) -> sa.ColumnElement[bool]:
    """``column`` (a project id column) is a project whose 服务专班 the actor is on."""
    if not actor.team_projects:
        return sa.false()
    return column.in_(sorted(actor.team_projects))
