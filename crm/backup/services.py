"""Backing up and restoring the installation: the database of CRM_DATABASE_URL and the attachment folder.

A backup snapshots the database first and copies the attachment files its rows name afterwards: a file is written
before its row commits and removed only after its row's deletion commits, so every row of the snapshot still has
its file then (one deleted in between is listed as missing). A restore extracts and checks every file of the
archive before it changes anything, then replaces the database and moves the files into place.
"""

from __future__ import annotations

import importlib.metadata
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable

import sqlalchemy as sa
from flask import current_app

from crm.attachments.services import TOKEN, incoming_dir, storage_root, stored_path
from crm.backup import postgres, sqlite
from crm.backup.archive import reading, writing
from crm.backup.errors import BackupError, RestoreRefused
from crm.db import utcnow
from crm.domain.backups import (
    ATTACHMENTS, DATABASE_MEMBERS, FORMAT, FORMAT_VERSION, MANUAL, NIGHTLY, ManifestError, archive_name, check_manifest,
    expired,
)
from crm.extensions import db
from crm.models import metadata  # every table of the app

# Rows the migrations write themselves (the figure cache's token): a freshly migrated database has them.
SEEDED_TABLES = frozenset({"figure_generations"})


@dataclass
class BackupResult:
    path: Path
    kind: str
    revision: str
    files: int
    size: int
    missing: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.path.name}: {self.kind} database at revision {self.revision}, {self.files} attachment files, {self.size} bytes"


@dataclass
class RestoreResult:
    kind: str
    revision: str
    created_at: str
    files: int
    missing: list[str]


def backup_dir() -> Path:
    """Where archives go unless told otherwise: CRM_BACKUP_DIR, else <instance>/backups."""
    configured = current_app.config.get("CRM_BACKUP_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "backups"


def database_kind(engine: sa.Engine) -> str:
    if engine.dialect.name not in DATABASE_MEMBERS:
        raise BackupError(f"cannot back up a {engine.dialect.name} database")
    return engine.dialect.name


def make_backup(output: Path | None = None, origin: str = MANUAL, now: datetime | None = None) -> BackupResult:
    engine = db.engine
    kind = database_kind(engine)
    pg_dump = postgres.program("pg_dump", "CRM_PG_DUMP") if kind == "postgresql" else ""  # before anything is written
    now = now or utcnow()
    final = output or backup_dir() / archive_name(origin, now)
    if final.exists():
        raise BackupError(f"{final} exists already")
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".crm-backup-", dir=final.parent) as work:
        database_file = Path(work) / "database"
        snapshot = sqlite.snapshot(engine, database_file) if kind == "sqlite" else postgres.snapshot(engine, database_file, pg_dump)
        fields = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now.isoformat(), "app_version": _app_version(),
            "database": {"kind": kind, "alembic_revision": snapshot.revision, **snapshot.details},
        }
        with writing(final, fields) as archive:
            archive.add(DATABASE_MEMBERS[kind], snapshot.file, compress=kind == "sqlite")
            for name in snapshot.stored_names:
                archive.add(ATTACHMENTS + name, stored_path(name), compress=False, optional=True)
    return BackupResult(final, kind, snapshot.revision, len(archive.files) - 1, final.stat().st_size, archive.missing)


def delete_expired_backups(now: datetime) -> int:
    """The nightly job's retention: its own archives older than CRM_BACKUP_RETENTION_DAYS go (others stay)."""
    folder = backup_dir()
    names = [path.name for path in folder.iterdir()] if folder.is_dir() else []
    doomed = expired(NIGHTLY, names, now, int(current_app.config["CRM_BACKUP_RETENTION_DAYS"]))
    for name in doomed:
        (folder / name).unlink(missing_ok=True)
    return len(doomed)


def restore_backup(path: Path, overwrite: bool = False) -> RestoreResult:
    engine = db.engine
    kind = database_kind(engine)
    pg_restore = postgres.program("pg_restore", "CRM_PG_RESTORE") if kind == "postgresql" else ""
    with reading(path) as archive:
        manifest = archive.manifest
        check_manifest(manifest, archive.members, kind)
        names = _stored_names(entry["name"] for entry in manifest["files"] if entry["name"] != DATABASE_MEMBERS[kind])
        if kind == "postgresql":
            postgres.check_restorable(pg_restore, manifest["database"])
        if not overwrite:
            _refuse_unless_empty(engine)
        staging = incoming_dir() / f"restore-{secrets.token_hex(8)}"
        try:
            database_file = staging / "database"
            archive.extract(DATABASE_MEMBERS[kind], database_file)
            for name in names:
                archive.extract(ATTACHMENTS + name, staging / name)
            # Every file is here and checked: only now does anything change.
            if kind == "sqlite":
                sqlite.restore(database_file, engine)
            else:
                postgres.restore(database_file, engine, pg_restore, manifest["database"])
            _put_in_place(staging, names, overwrite)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(kind, manifest["database"].get("alembic_revision"), manifest.get("created_at"), len(names), manifest.get("missing") or [])


def _stored_names(members: Iterable[str]) -> list[str]:
    names = [member.removeprefix(ATTACHMENTS) for member in members]
    for name in names:
        if not TOKEN.fullmatch(name):
            raise ManifestError(f"unexpected file in the archive: {ATTACHMENTS}{name}")
    return names


def attachment_files() -> list[Path]:
    """Every file of the attachment folder but those still being written (``incoming``)."""
    root, incoming = storage_root(), incoming_dir()
    if not root.is_dir():
        return []
    return [path for path in root.rglob("*") if path.is_file() and incoming not in path.parents]


def tables_with_rows(engine: sa.Engine) -> list[str]:
    """The app's tables that hold a row people or the app wrote (not those the migrations fill)."""
    present = set(sa.inspect(engine).get_table_names())
    with engine.connect() as connection:
        return [
            table.name for table in metadata.sorted_tables
            if table.name in present and table.name not in SEEDED_TABLES
            and connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None
        ]


def _refuse_unless_empty(engine: sa.Engine) -> None:
    tables, files = tables_with_rows(engine), attachment_files()
    if tables or files:
        what = ([f"rows in {', '.join(tables[:5])}{' …' if len(tables) > 5 else ''}"] if tables else []) + (
            [f"{len(files)} files in {storage_root()}"] if files else [])
        raise RestoreRefused(f"the target is not empty ({'; '.join(what)}): restore into an empty database and "
                             "attachment folder, or pass --overwrite to replace them")


def _put_in_place(staging: Path, names: list[str], overwrite: bool) -> None:
    restored = set()
    for name in names:
        target = stored_path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        (staging / name).replace(target)
        restored.add(target)
    if overwrite:  # the restored database knows nothing of the attachment files it did not bring
        for path in attachment_files():
            # Only files of the storage layout: a CRM_ATTACHMENT_DIR set to a wrong folder loses nothing else.
            if path not in restored and TOKEN.fullmatch(path.name) and stored_path(path.name) == path:
                path.unlink(missing_ok=True)


def schema_note(revision: str) -> str | None:
    """What to do after restoring a database at ``revision`` with this code: nothing, upgrade, or beware."""
    from alembic.script import ScriptDirectory

    from crm.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    heads = scripts.get_heads()
    if revision in heads:
        return None
    if revision not in {script.revision for script in scripts.walk_revisions()}:
        return f"the archive's database is at revision {revision}, which this version of the app does not know (it was made by a newer one)"
    return f"the archive's database is at revision {revision}: run `crm db upgrade` to bring it to {', '.join(heads)}"


def _app_version() -> str:
    try:
        return importlib.metadata.version("zhaoshang-crm")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
