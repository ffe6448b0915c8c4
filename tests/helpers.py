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


@contextmanager
def joined_transaction(app: Flask) -> Iterator[sa.Transaction]:
    """Bind every session of the app to one connection and give its outer transaction, to roll back (a test's
    isolation) or commit (data built for real).

    SQLAlchemy's "join an external transaction" recipe: sessions bound to the connection with ``create_savepoint``
    turn their commits into savepoints. (Flask-SQLAlchemy-Lite's ``test_isolation`` patches ``engine.connect``,
    which SQLAlchemy 2.1 treats as the session's own connection and commits.)
    """
    with app.app_context():
        engine, maker = db.engine, db.sessionmaker
    connection = engine.connect()
    outer = connection.begin()
    saved = dict(maker.kw)
    maker.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield outer
    finally:
        maker.kw.clear()
        maker.kw.update(saved)
        if outer.is_active:
            outer.rollback()
        connection.close()


@contextmanager
def new_postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new, empty database on ``server_url``'s server, dropped afterwards (a schema would not do: on
    its search path the suite's public schema would answer instead)."""
    import uuid

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()
