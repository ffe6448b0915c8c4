"""The units of a county, for the features that pick people or units "of the project's county"
(三个一's leaders, 牵头单位 and 服务专班, 问题台账's 责任单位, the 倒排工期's 责任单位): one installation
may serve several counties, and a project's or an issue's picks stay within its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.domain.access import subtree_of
from crm.extensions import db
from crm.reports.scope import home_county
from crm.units.models import Unit


def county_unit_ids(unit_id: int) -> frozenset[int]:
    """The units of the county ``unit_id`` belongs to: the subtree of the nearest 县 at or above it (else of
    the top of its tree). One query."""
    rows = db.session.execute(sa.select(Unit.id, Unit.parent_id, Unit.type)).all()
    parent_of = {uid: parent for uid, parent, _type in rows}
    type_of = {uid: kind for uid, _parent, kind in rows}
    return subtree_of(home_county(unit_id, parent_of, type_of), parent_of)


def county_unit_choices(unit_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the county's active units in the tree's order; ``keep`` stays listed even if closed since."""
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(Unit.id.in_(county_unit_ids(unit_id)), sa.or_(Unit.is_active, Unit.id == keep))
        .order_by(Unit.sort_order, Unit.id)
    )
    return [(uid, name) for uid, name in rows]
