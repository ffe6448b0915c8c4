"""The rules of the backup archives: names, the nightly job's retention, the manifest checks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crm.domain.backups import (
    FORMAT, FORMAT_VERSION, MANIFEST, MANUAL, NIGHTLY, ManifestError, archive_name, archive_time, check_manifest, expired,
)

NOW = datetime(2026, 11, 30, 18, 30, tzinfo=timezone.utc)


def test_an_archive_is_named_by_its_origin_and_utc_time() -> None:
    shanghai = NOW.astimezone(timezone(timedelta(hours=8)))
    assert archive_name(NIGHTLY, shanghai) == "crm-nightly-20261130T183000Z.zip"
    assert archive_time(NIGHTLY, "crm-nightly-20261130T183000Z.zip") == NOW
    assert archive_time(NIGHTLY, "crm-backup-20261130T183000Z.zip") is None
    assert archive_time(NIGHTLY, ".crm-nightly-20261130T183000Z.zip.1a2b.partial") is None


def test_retention_deletes_only_the_job_s_own_archives_past_the_limit() -> None:
    names = [archive_name(NIGHTLY, NOW - timedelta(days=d)) for d in (0, 13, 14, 15, 40)]
    names += [archive_name(MANUAL, NOW - timedelta(days=40)), "notes.txt"]
    assert expired(NIGHTLY, names, NOW, 14) == sorted(archive_name(NIGHTLY, NOW - timedelta(days=d)) for d in (15, 40))
    assert expired(NIGHTLY, names, NOW, 0) == []


def manifest(**changes: object) -> dict:
    base = {"format": FORMAT, "format_version": FORMAT_VERSION, "database": {"kind": "sqlite"},
            "files": [{"name": "database/crm.sqlite3"}, {"name": "attachments/" + "a" * 32}]}
    return {**base, **changes}


MEMBERS = ["database/crm.sqlite3", "attachments/" + "a" * 32, MANIFEST]


def test_a_good_manifest_passes() -> None:
    check_manifest(manifest(), MEMBERS, "sqlite")


@pytest.mark.parametrize("changes, members, target, message", [
    ({"format": "something else"}, MEMBERS, "sqlite", "not a CRM backup"),
    ({"format_version": FORMAT_VERSION + 1}, MEMBERS, "sqlite", "format version"),
    ({}, MEMBERS, "postgresql", "holds a sqlite database; the target database is postgresql"),
    ({}, MEMBERS[:1] + [MANIFEST], "sqlite", "disagree"),
    ({}, MEMBERS + ["extra"], "sqlite", "disagree"),
    ({}, MEMBERS + MEMBERS[:1], "sqlite", "disagree"),
    ({"files": [{"name": "attachments/" + "a" * 32}]}, MEMBERS[1:], "sqlite", "no database"),
    ({"files": [{"name": "database/crm.sqlite3"}, {"name": "../etc/passwd"}]}, ["database/crm.sqlite3", "../etc/passwd"], "sqlite", "unexpected file"),
])
def test_a_manifest_that_does_not_fit_is_refused(changes, members, target, message) -> None:
    with pytest.raises(ManifestError, match=message):
        check_manifest(manifest(**changes), members, target)
