"""SQLite through its online backup API (``sqlite3.Connection.backup``), never a copy of the file: a file copied
while the app writes (the database, its -wal and -shm files) can be torn; the API copies one consistent state."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

from crm.backup.errors import BackupError
from crm.backup.snapshot import Snapshot, read_rows

BUSY_SECONDS = 30.0  # a restore waits this long for readers and writers to let go


def database_path(engine: sa.Engine) -> Path:
    name = engine.url.database
    if name in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name)


def snapshot(engine: sa.Engine, into: Path) -> Snapshot:
    path = database_path(engine)
    if not path.is_file():  # sqlite3.connect would create an empty one
        raise BackupError(f"no database file at {path}")
    with closing(sqlite3.connect(path, timeout=BUSY_SECONDS)) as source, closing(sqlite3.connect(into)) as copy:
        source.backup(copy)  # in one step: one read transaction, so one state however much the app writes
        return read_rows(into, lambda sql: copy.execute(sql).fetchall(), sqlite_version=sqlite3.sqlite_version)


def restore(file: Path, engine: sa.Engine) -> None:
    """Replace the whole content of the app's database file by the archived one's, page by page."""
    path = database_path(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.dispose()  # this process's pooled connections would otherwise hold the file
    try:
        with closing(sqlite3.connect(file)) as source, closing(sqlite3.connect(path, timeout=BUSY_SECONDS)) as target:
            source.backup(target)
    except sqlite3.OperationalError as error:
        raise BackupError(f"could not write {path} ({error}): stop the web server and the scheduler first") from error
