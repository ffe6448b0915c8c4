"""Units for pickers. The units of a county, for the features that pick people or units "of the project's county"
(三个一's leaders, 牵头单位 and 服务专班, 问题台账's 责任单位, the 倒排工期's 责任单位): one installation
may serve several counties, and a project's or an issue's picks stay within its own.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm

from crm.access.reach import UnitSet, subtree_units, visible_units
from crm.domain.access import Actor, subtree_of
from crm.extensions import db
from crm.reports.scope import home_county
from crm.units.models import Unit
from crm.web.search import contains
from crm.web.joins import noted


def county_unit_ids(unit_id: int) -> UnitSet:
    """The units of the county ``unit_id`` belongs to: the subtree of the nearest 县 at or above it (else of
    the top of its tree), tested in SQL by the county's path. One query."""
    rows = db.session.execute(sa.select(Unit.id, Unit.parent_id, Unit.type, Unit.path)).all()
    parent_of = {row.id: row.parent_id for row in rows}
    county = home_county(unit_id, parent_of, {row.id: row.type for row in rows})
    path = next((row.path for row in rows if row.id == county), "")
    subtree = subtree_of(county, parent_of)
    return UnitSet(subtree, path if path.endswith(f"/{county}/") else "", everything=len(subtree) == len(rows))


def county_leaders(unit_id: int, with_those_above: bool = False) -> sa.Select[Any]:
    """The active 县级领导 of ``unit_id``'s county, in title order; ``with_those_above`` adds the leaders of the city
    or province above it (a 市长 leads a county's 招商 trip too). Never another county's."""
    from crm.domain.access import Role
    from crm.users.models import User

    county = county_unit_ids(unit_id)
    where = county.clause(User.unit_id)
    if with_those_above and county.path:
        units = Unit.__table__
        where = sa.or_(where, User.unit_id.in_(sa.select(units.c.id).where(sa.literal(county.path).like(units.c.path + "%"))))
    return sa.select(User).where(User.role == Role.LEADER, User.is_active, where).order_by(User.title, User.id)


def county_unit_choices(unit_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the county's active units in the tree's order; ``keep`` stays listed even if closed since."""
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(county_unit_ids(unit_id).clause(Unit.id), sa.or_(Unit.is_active, Unit.id == keep))
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(uid, name) for uid, name in rows]


# --- unit pickers ------------------------------------------------------------------------------------
# Which units a picker offers: those the actor manages (an admin's forms), or those whose records the actor
# reads (the lists' filters). A city has hundreds of units, so pickers ask by name as the user types.
CANDIDATES_SHOWN = 20


def picker_units(actor: Actor, within: str) -> UnitSet:
    return subtree_units(actor) if within == "manage" else visible_units(actor)


def _pickable(actor: Actor, within: str) -> sa.Select[Any]:
    parent = sa.orm.aliased(Unit)
    return (
        sa.select(Unit.id, Unit.name, parent.name)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .where(picker_units(actor, within).clause(Unit.id), Unit.is_active)
        .order_by(Unit.path)
    )


def unit_label(name: str, parent: str | None) -> str:
    """Names repeat across counties (every county has a 第一招商分局): the parent says which."""
    return noted(name, parent) if parent else name


def unit_names(actor: Actor, within: str, ids: list[int]) -> dict[int, str]:
    """The ids among ``ids`` the picker may offer, with their labels."""
    return {uid: unit_label(name, parent) for uid, name, parent in db.session.execute(_pickable(actor, within).where(Unit.id.in_(ids)))}


def unit_candidates(actor: Actor, within: str, q: str) -> list[tuple[int, str]]:
    """The first few units the picker may offer whose name or short name contains ``q``."""
    q = q.strip()[:40]
    if not q:
        return []
    stmt = _pickable(actor, within).where(sa.or_(contains(Unit.name, q), contains(Unit.short_name, q))).limit(CANDIDATES_SHOWN)
    return [(uid, unit_label(name, parent)) for uid, name, parent in db.session.execute(stmt)]
