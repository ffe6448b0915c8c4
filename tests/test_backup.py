"""`crm backup` / `crm restore` and the nightly backup job, on SQLite always and on PostgreSQL when
CRM_TEST_DATABASE_URL is a PostgreSQL URL (each test database there is a fresh ``bk_…`` one, dropped afterwards).

The data is the tests' world, committed for real into a database of its own: a backup reads what other
connections see, which the suite's rolled-back transactions never show."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from crm import create_app
from crm.access.scoping import SYSTEM, set_scope
from crm.audit.services import set_audit_actor
from crm.backup import archive
from crm.backup.services import attachment_files, make_backup, tables_with_rows
from crm.domain.backups import MANIFEST, NIGHTLY, archive_name
from crm.extensions import db
from crm.mail.models import JobRun
from crm.migrate import run as run_alembic
from crm.scheduler import job_by_id, run_job
from tests import factories
from tests.conftest import app_config
from tests.helpers import joined_transaction, new_postgres_database
from tests.world import build_world

SERVER_URL = os.environ.get("CRM_TEST_DATABASE_URL", "")
KINDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not SERVER_URL.startswith("postgresql"), reason="CRM_TEST_DATABASE_URL is not PostgreSQL")),
]
NOW = datetime(2026, 11, 30, 18, 30, tzinfo=timezone.utc)  # 02:30 in Asia/Shanghai, when the job runs


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database: a new SQLite file, or a new PostgreSQL database beside the test one."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'crm.db'}"
        return
    with new_postgres_database(SERVER_URL, "bk_test") as url:
        yield url


def backup_app(url: str, folder: Path, **config: object) -> Flask:
    return create_app({
        **app_config(url, folder), "CRM_ATTACHMENT_DIR": str(folder / "attachments"), "CRM_BACKUP_DIR": str(folder / "backups"), **config,
    })


def fill_with_the_world(app: Flask) -> None:
    """Migrate, then build the world on one connection (as conftest.isolated does) and commit it for real."""
    with app.app_context():
        run_alembic(db.engine, "upgrade", "head")
    with joined_transaction(app) as outer:
        with app.app_context():
            session = db.sessionmaker()
        set_scope(session, SYSTEM)
        set_audit_actor(session, None, "测试")
        factories.bind(session, app)
        build_world(session, app)
        session.close()
        outer.commit()


@pytest.fixture(scope="module", params=KINDS)
def source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp(f"source-{request.param}")
    with fresh_database(request.param, folder) as url:
        app = backup_app(url, folder)
        fill_with_the_world(app)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def target(source: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An empty database of the source's kind, with an empty attachment folder."""
    with fresh_database(sa.engine.make_url(source.config["DATABASE_URL"]).get_backend_name(), tmp_path) as url:
        app = backup_app(url, tmp_path)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def backup_file(source: Flask, tmp_path: Path) -> Path:
    result = source.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "crm.zip")])
    assert result.exit_code == 0, result.output
    return tmp_path / "crm.zip"


def every_row(app: Flask) -> dict[str, list[tuple]]:
    """Every table of the database, its rows ordered by primary key (or by every column when it has none)."""
    with app.app_context():
        engine = db.engine
        inspector = sa.inspect(engine)
        tables = {}
        with engine.connect() as connection:
            for name in sorted(inspector.get_table_names()):
                key = inspector.get_pk_constraint(name)["constrained_columns"] or [c["name"] for c in inspector.get_columns(name)]
                order = ", ".join(f'"{column}"' for column in key)
                tables[name] = [tuple(row) for row in connection.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY {order}')]
    return tables


def every_file(app: Flask) -> dict[str, bytes]:
    root = Path(app.config["CRM_ATTACHMENT_DIR"])
    with app.app_context():
        return {path.relative_to(root).as_posix(): path.read_bytes() for path in attachment_files()}


def test_a_backup_restored_into_an_empty_database_has_every_row_and_every_file(source, target, backup_file) -> None:
    result = target.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "restored the" in result.output
    rows, files = every_row(source), every_file(source)
    assert len(rows["attachments"]) == len(files) > 0 and len(rows["units"]) > 5 and rows["alembic_version"]
    assert every_row(target) == rows
    assert every_file(target) == files
    with target.app_context():  # the restored database goes on: its sequences and schema are the source's
        run_alembic(db.engine, "check")


def test_a_target_that_is_not_empty_is_refused_unless_overwrite(source, target, backup_file) -> None:
    refused = source.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert refused.exit_code == 2 and "not empty" in refused.output and "rows in" in refused.output
    stray = Path(target.config["CRM_ATTACHMENT_DIR"]) / "ab" / "cd" / ("abcd" + "0" * 28)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"a file of another installation")
    refused = target.test_cli_runner().invoke(args=["restore", str(backup_file)])
    assert refused.exit_code == 2 and "1 files in" in refused.output
    with target.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
    assert stray.exists()

    result = target.test_cli_runner().invoke(args=["restore", "--overwrite", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert not stray.exists()  # the restored database knows nothing of it
    assert every_file(target) == every_file(source)
    with target.app_context():
        assert "units" in tables_with_rows(db.engine)


def test_a_tampered_archive_is_refused_and_nothing_changes(source, target, backup_file, tmp_path) -> None:
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(backup_file) as original, zipfile.ZipFile(tampered, "w") as copy:
        members = original.namelist()
        victim = next(name for name in members if name.startswith("attachments/"))
        for name in members:
            data = original.read(name)
            copy.writestr(name, data + b"!" if name == victim else data)
    result = target.test_cli_runner().invoke(args=["restore", str(tampered)])
    assert result.exit_code == 2
    assert victim in result.output and "sha256" in result.output and "nothing changed" in result.output
    with target.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
    root = Path(target.config["CRM_ATTACHMENT_DIR"])
    assert [path for path in root.rglob("*") if path.is_file()] == []


def test_an_archive_of_another_format_version_is_refused(source, target, backup_file, tmp_path) -> None:
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(backup_file) as original, zipfile.ZipFile(newer, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == MANIFEST:
                data = json.dumps({**json.loads(data), "format_version": 2}).encode()
            copy.writestr(name, data)
    result = target.test_cli_runner().invoke(args=["restore", str(newer)])
    assert result.exit_code == 2 and "format version 2" in result.output


def test_a_failed_backup_leaves_nothing_that_looks_like_an_archive(source, tmp_path, monkeypatch) -> None:
    def fail(self, member, path, **options):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(archive.ArchiveWriter, "add", fail)
    with source.app_context(), pytest.raises(OSError, match="disk full"):
        make_backup(tmp_path / "out" / "crm.zip")
    assert list((tmp_path / "out").iterdir()) == []


def test_the_nightly_job_backs_up_and_deletes_its_own_old_archives(source, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(source.config, "CRM_BACKUP_DIR", str(tmp_path))
    old, recent = archive_name(NIGHTLY, NOW - timedelta(days=15)), archive_name(NIGHTLY, NOW - timedelta(days=13))
    manual = archive_name("crm-backup", NOW - timedelta(days=30))
    for name in (old, recent, manual, "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    outcome = run_job(source, job_by_id("backup"), NOW)
    made = archive_name(NIGHTLY, NOW)
    assert outcome.startswith(made) and outcome.endswith("; 1 old archives deleted")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([made, recent, manual, "notes.txt"])
    assert (tmp_path / made).stat().st_mode & 0o777 == 0o600  # it holds the password hashes too
    with archive.reading(tmp_path / made) as written:
        assert written.manifest["created_at"] == NOW.isoformat()
        assert any(entry["name"].startswith("attachments/") for entry in written.manifest["files"])
    with source.app_context():
        run = db.session.scalars(sa.select(JobRun).where(JobRun.job == "backup")).one()
        assert run.outcome == "ok" and made in run.detail


def fake_client_program(folder: Path, name: str, major: int) -> str:
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {major}.1'\n")
    path.chmod(0o755)
    return str(path)


def test_without_pg_dump_or_pg_restore_the_commands_say_what_to_install(tmp_path) -> None:
    pytest.importorskip("psycopg")
    app = backup_app("postgresql+psycopg://nobody@127.0.0.1:1/bk_none", tmp_path,
                     CRM_PG_DUMP=str(tmp_path / "no" / "pg_dump"), CRM_PG_RESTORE=str(tmp_path / "no" / "pg_restore"))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1
    assert "pg_dump not found" in result.output and "postgresql-client" in result.output and "CRM_PG_DUMP" in result.output
    assert not (tmp_path / "backups").exists()
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "any.zip")])
    assert result.exit_code == 1 and "pg_restore not found" in result.output


def test_a_pg_restore_older_than_the_archive_s_pg_dump_is_said_before_anything_changes(tmp_path) -> None:
    pytest.importorskip("psycopg")
    app = backup_app("postgresql+psycopg://nobody@127.0.0.1:1/bk_none", tmp_path,
                     CRM_PG_RESTORE=fake_client_program(tmp_path, "pg_restore", 15))
    (tmp_path / "dump").write_bytes(b"PGDMP")
    fields = {"format": "zhaoshang-crm-backup", "format_version": 1, "created_at": NOW.isoformat(),
              "database": {"kind": "postgresql", "alembic_revision": "0016", "server_version": 17, "pg_dump_version": 17}}
    with archive.writing(tmp_path / "crm.zip", fields) as written:
        written.add("database/crm.pgdump", tmp_path / "dump", compress=False)
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "crm.zip")])
    assert result.exit_code == 1
    assert "pg_dump 17" in result.output and "pg_restore 15" in result.output and "postgresql-client-17" in result.output


@pytest.mark.parametrize("source", KINDS[1:], indirect=True)
def test_a_pg_dump_older_than_the_server_is_said_plainly(source, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(source.config, "CRM_PG_DUMP", fake_client_program(tmp_path, "pg_dump", 9))
    result = source.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "crm.zip")])
    assert result.exit_code == 1 and "pg_dump 9 cannot dump a PostgreSQL" in result.output
    assert not (tmp_path / "crm.zip").exists()
