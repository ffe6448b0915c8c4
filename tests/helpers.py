"""Context managers the tests share: the app's own session outside a request, and the SQL a block sends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from crm.access.scoping import SYSTEM, set_scope
from crm.extensions import db


@contextmanager
def in_app(app: Flask) -> Iterator[Session]:
    """The app's own session under the SYSTEM scope (a job's view), in a fresh app context.

    A block, not a fixture: the test leaves the context before its next request, so that request gets a
    fresh ``g`` and session (conftest), and each block reads what the requests before it committed."""
    with app.app_context():
        set_scope(db.session, SYSTEM)
        yield db.session


class Statement(NamedTuple):
    sql: str
    parameters: object


@contextmanager
def count_statements(bind: Flask | sa.Engine) -> Iterator[list[Statement]]:
    """Every statement sent to the database (the app's engine, or the one given) while the block runs."""
    if isinstance(bind, Flask):
        with bind.app_context():
            engine = db.engine
    else:
        engine = bind
    sent: list[Statement] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        sent.append(Statement(statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
