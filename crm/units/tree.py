"""Keeps ``units.path`` true to ``units.parent_id``.

The path is derived data: after every flush that adds a unit or changes one, every unit's path is computed
again from the parents (``crm.domain.access.unit_paths``; the table holds hundreds of rows, not millions) and
the ones that differ are written with a Core UPDATE on the flush's own connection, so they commit or roll
back with the change. Bulk loaders that insert units with Core call ``refresh_paths`` themselves.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from crm.domain.access import unit_paths
from crm.units.models import Unit

UNITS: sa.Table = Unit.__table__  # type: ignore[assignment]


def refresh_paths(connection: sa.Connection | Session) -> dict[int, str]:
    """Write every unit's path from the parents; returns the paths of all units."""
    rows = connection.execute(sa.select(UNITS.c.id, UNITS.c.parent_id, UNITS.c.path)).all()
    paths = unit_paths({row.id: row.parent_id for row in rows})
    changed = [{"unit": row.id, "new_path": paths.get(row.id, "")} for row in rows if paths.get(row.id, "") != row.path]
    if changed:
        connection.execute(
            UNITS.update().where(UNITS.c.id == sa.bindparam("unit")).values(path=sa.bindparam("new_path")), changed
        )
    return paths


def _after_flush(session: Session, flush_context: Any) -> None:
    if not any(isinstance(obj, Unit) for obj in (*session.new, *session.dirty)):
        return
    paths = refresh_paths(session.connection())
    for obj in session.identity_map.values():
        identity = sa.inspect(obj).identity  # not obj.id: reading an expired attribute would load it mid-flush
        if isinstance(obj, Unit) and identity and identity[0] in paths:
            set_committed_value(obj, "path", paths[identity[0]])


def install(session_factory: Any) -> None:
    if not event.contains(session_factory, "after_flush", _after_flush):
        event.listen(session_factory, "after_flush", _after_flush)
