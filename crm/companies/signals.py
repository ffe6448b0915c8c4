"""The companies feature's signals: what other features answer about a company.

``company_followers`` is sent with a company's id by the company page; every
feature that follows companies (leads, visits, agreements, projects …) answers
``[(unit name, since date)]`` — which unit follows it and since when, nothing more.

Merging companies by signal (cf. indico's ``signals.users.merged``):
``company_merged`` is sent once per merge; every feature that keeps a foreign
key to ``companies`` re-points its own rows and returns what it moved, so that
the merge can be undone. ``merge_undone`` hands the same ids back.

Every foreign key to ``companies.id`` must be named in ``REFERENCES`` — either
moved by a receiver or kept on purpose, with the reason. A test walks the
metadata and fails on a foreign key that is missing here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from blinker import Namespace

from crm.audit.services import log_bulk_change
from crm.extensions import db

_signals = Namespace()
company_followers = _signals.signal("company-followers")
company_merged = _signals.signal("company-merged")
merge_undone = _signals.signal("company-merge-undone")

MOVE = "move"
REFERENCES: dict[str, str] = {}


def register_reference(column: str, handling: str) -> None:
    """Declare how a ``table.column`` pointing at companies behaves in a merge: MOVE, or why it stays."""
    REFERENCES[column] = handling


def move_references(table: sa.Table, column: str, survivor_id: int, merged_id: int) -> list[int]:
    """Point every row of ``table`` that references the merged company at the survivor; return their ids."""
    col = table.c[column]
    ids = list(db.session.scalars(sa.select(table.c.id).where(col == merged_id)))
    if ids:
        db.session.execute(sa.update(table).where(table.c.id.in_(ids)).values({column: survivor_id}))
        log_bulk_change(db.session, table.name, ids, column, merged_id, survivor_id)
    return ids


def move_back(table: sa.Table, column: str, survivor_id: int, merged_id: int, ids: list[int]) -> None:
    if ids:
        db.session.execute(sa.update(table).where(table.c.id.in_(ids)).values({column: merged_id}))
        log_bulk_change(db.session, table.name, ids, column, survivor_id, merged_id)


def mover(table: sa.Table, column: str) -> tuple[Any, Any]:
    """Receivers for a plain foreign key: move on merge, move back on undo."""
    key = f"{table.name}.{column}"
    register_reference(key, MOVE)

    def on_merge(sender: Any, survivor_id: int, merged_id: int, **_: Any) -> dict[str, list[int]]:
        return {key: move_references(table, column, survivor_id, merged_id)}

    def on_undo(sender: Any, survivor_id: int, merged_id: int, moved: dict[str, list[int]], **_: Any) -> None:
        move_back(table, column, survivor_id, merged_id, moved.get(key, []))

    company_merged.connect(on_merge, weak=False)
    merge_undone.connect(on_undo, weak=False)
    return on_merge, on_undo
