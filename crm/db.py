"""The declarative base and the column types every model shares.

- A constraint naming convention, so Alembic can name (and later drop) every
  constraint the same way on SQLite and PostgreSQL.
- Enums are stored by *value* (the stable code), never by Python member name,
  as plain strings with a CHECK constraint: the same on both databases.
- Datetimes are timezone-aware and stored in UTC.
"""

from __future__ import annotations

import enum
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def delete_older_than(model: Any, days: int, *stamps: Any) -> int:
    """Delete the rows of ``model`` any of whose ``stamps`` (timestamp columns) is more than ``days`` old: the
    retention of the daily purge jobs. Returns how many went; the caller commits."""
    from crm.extensions import db

    cutoff = utcnow() - timedelta(days=days)
    return db.session.execute(sa.delete(model).where(sa.or_(*(stamp < cutoff for stamp in stamps)))).rowcount or 0


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime kept in UTC.

    SQLite has no time zones and hands back naive values; they were written as
    UTC, so UTC is attached again on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def enum_column(enum_cls: type[enum.Enum], name: str, **kwargs: Any) -> sa.Enum:
    """A string column holding ``enum_cls`` by value, guarded by a named CHECK."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(str(m.value)) for m in enum_cls) + 8,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def table(name: str) -> sa.Table:
    """A mapped class's table, by name, for criteria and lookups that must neither import the model (the models
    of projects, users and their teams refer to each other) nor go through the scope (Core tables are never
    scoped, ``crm.access.reach``)."""
    return Base.metadata.tables[name]


def sorted_and_filtered_by(*columns: Any) -> None:
    """An index on each column a list sorts or filters by (named by the convention, ix_<table>_<column>), so that
    a page of a city's rows is read in order from the index instead of sorting them all."""
    for column in columns:
        sa.Index(None, column)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Versioned:
    """Optimistic locking: a stale edit fails instead of silently overwriting.

    Forms carry the version they were rendered with; services compare it
    before applying a change (see ``crm.web.forms.check_version``), and the
    ORM's version counter catches the race in between.
    """

    version: Mapped[int] = mapped_column(server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}


# --- SQLite connection behaviour -------------------------------------------
#
# pysqlite's own transaction handling is switched off so that SQLAlchemy decides
# when a transaction begins (needed for savepoints), and writes begin with
# BEGIN IMMEDIATE: taking the write lock up front means a writer waits
# (busy_timeout) instead of failing half-way when another writer got there first.

write_intent: ContextVar[bool] = ContextVar("crm_write_intent", default=False)


@contextmanager
def intending_to_write() -> Iterator[None]:
    token = write_intent.set(True)
    try:
        yield
    finally:
        write_intent.reset(token)


def postgresql_connect_args(config: Any, url: str = "") -> dict[str, Any]:
    """Settings sent with every new PostgreSQL connection, after any ``options`` the database URL gives
    (``?options=-csearch_path%3D…``: connect arguments replace the URL's, so they are carried over here).

    - ``jit=off``: the app's statements are short lookups and small aggregates. A scope criterion nested in
      a sort made PostgreSQL's cost estimate pass its JIT threshold, and compiling took 3.5 s of a query
      that ran in 12 ms; JIT never pays for itself here.
    - ``statement_timeout`` for web servers (``CRM_WEB_STATEMENT_TIMEOUT_MS``): a runaway query is stopped
      instead of holding a worker and a connection; the scheduler and the command line have none.
    """
    from sqlalchemy.engine import make_url

    given = make_url(url).query.get("options") if url else None
    options = [*(given if isinstance(given, tuple) else [given] if given else []), "-c jit=off"]
    timeout = int(config.get("CRM_STATEMENT_TIMEOUT_MS") or 0)
    if timeout > 0:
        options.append(f"-c statement_timeout={timeout}")
    return {"options": " ".join(options)}


def _grams(text: str | None) -> str | None:
    from crm.web.search import grams

    return None if text is None else grams(text)


def prepare_sqlite(engine: sa.Engine, busy_timeout_ms: int = 10_000) -> None:
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # The search index's triggers call it (migration 0010, crm.web.search).
        dbapi_connection.create_function("crm_grams", 1, _grams, deterministic=True)
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def one_of(column: Any, ids: Any) -> sa.ColumnElement[bool]:
    """``column`` is one of ``ids`` (integers). On PostgreSQL one array parameter (``= ANY(:ids)``): an export's
    batch of a thousand projects would otherwise be a thousand bound values, rendered and parsed for each of
    the batch's queries. Elsewhere an ordinary IN."""
    from sqlalchemy.dialects.postgresql import ARRAY

    from crm.extensions import db

    ids = sorted(set(ids))
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=ARRAY(sa.Integer)))
    return column.in_(ids)


def refresh_statistics(session: Any, tables: Any) -> None:
    """PostgreSQL: ``ANALYZE`` ``tables`` inside the current transaction. Its sample counts the rows this
    transaction inserted, so a long import that grows a table from a dozen rows to thousands gets index plans
    for its later look-ups instead of the sequential scans the old statistics chose (docs/PERFORMANCE.md,
    "Import"). It holds a SHARE UPDATE EXCLUSIVE lock on each table until the commit: reads and writes go on,
    another ANALYZE or VACUUM of the same table waits. Nothing elsewhere: SQLite plans without such statistics."""
    if session.get_bind().dialect.name != "postgresql":
        return
    names = ", ".join(f'"{name}"' for name in sorted(set(tables)))
    session.execute(sa.text(f"ANALYZE {names}"))
