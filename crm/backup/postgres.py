"""PostgreSQL through ``pg_dump`` (custom format) and ``pg_restore``, found on PATH or where CRM_PG_DUMP and
CRM_PG_RESTORE say.

Versions: pg_dump refuses a server newer than itself, and pg_restore an archive of a newer pg_dump, each with a
terse error after the work has begun; both are checked first and said plainly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from crm.backup.errors import BackupError
from crm.backup.snapshot import Snapshot, read_rows

LOCK_TIMEOUT = "10s"  # a restore that waits longer for a table is up against a running app: fail, and say so


def _install_hint(major: int | None, setting: str) -> str:
    version, package = (f"version {major}", f"postgresql-client-{major}") if major else ("the server's major version", "postgresql-client")
    return (f"install the PostgreSQL client tools, {version} or newer (Debian/Ubuntu: apt-get install {package}), "
            f"or set {setting} to the program's path")


def program(name: str, setting: str) -> str:
    """The pg_dump or pg_restore to run; BackupError when there is none."""
    configured = current_app.config.get(setting) or name
    found = shutil.which(configured)
    if found is None:
        raise BackupError(f"{name} not found ({setting}={configured}): {_install_hint(None, setting)}")
    return found


def major_version(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60).stdout
    match = re.search(r"\)\s+(\d+)", output)  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    if match is None:
        raise BackupError(f"{path} --version said {output.strip()!r}: not a PostgreSQL client program")
    return int(match.group(1))


def server_major(connection: sa.Connection) -> int:
    return int(connection.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000


def _libpq(engine: sa.Engine) -> tuple[str, dict[str, str]]:
    """The URL as libpq reads it, and an environment carrying the password (not on the command line, where
    every user of the machine could read it)."""
    url = engine.url
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), environment


def snapshot(engine: sa.Engine, into: Path, pg_dump: str) -> Snapshot:
    """pg_dump of one exported snapshot, and the rows the archive needs read in that same snapshot."""
    dump_major = major_version(pg_dump)
    conninfo, environment = _libpq(engine)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            server = server_major(connection)
            if dump_major < server:
                raise BackupError(f"pg_dump {dump_major} cannot dump a PostgreSQL {server} server: {_install_hint(server, 'CRM_PG_DUMP')}")
            exported = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
            rows = read_rows(into, lambda sql: connection.exec_driver_sql(sql).all(), server_version=server, pg_dump_version=dump_major)
            # The snapshot lives as long as this transaction: pg_dump must finish inside it.
            _run([pg_dump, "--format=custom", f"--snapshot={exported}", "--no-password", f"--file={into}", f"--dbname={conninfo}"],
                 environment, "pg_dump failed")
    return rows


def check_restorable(pg_restore: str, database: dict[str, Any]) -> None:
    """Before anything changes: this pg_restore can read an archive of the pg_dump that wrote it."""
    restore_major, dumped = major_version(pg_restore), database.get("pg_dump_version")
    if isinstance(dumped, int) and restore_major < dumped:
        raise BackupError(f"the archive was written by pg_dump {dumped}; pg_restore {restore_major} cannot read it: "
                          f"{_install_hint(dumped, 'CRM_PG_RESTORE')}")


def restore(file: Path, engine: sa.Engine, pg_restore: str, database: dict[str, Any]) -> None:
    """pg_restore in one transaction: it replaces the archive's objects, or fails and leaves the database as it was."""
    with engine.connect() as connection:
        server = server_major(connection)
    engine.dispose()
    conninfo, environment = _libpq(engine)
    environment["PGOPTIONS"] = f"{environment.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    source = database.get("server_version")
    note = (f" (the archive comes from PostgreSQL {source}, this server is {server})"
            if isinstance(source, int) and source > server else " (stop the web server and the scheduler first)")
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
          f"--dbname={conninfo}", str(file)], environment, f"pg_restore failed, the database is unchanged{note}")


def _run(command: list[str], environment: dict[str, str], failure: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise BackupError(f"{failure}: {result.stderr.strip()}")
