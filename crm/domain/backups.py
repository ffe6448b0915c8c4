"""Rules of the backup archives (``crm backup``, ``crm restore``, the nightly ``backup`` job). Pure: no Flask,
no database.

- An archive is one zip file: ``manifest.json``, the database (``database/…``) and the attachment files
  (``attachments/<stored name>``), each listed in the manifest with its size and sha256.
- Archives are named ``<origin>-<UTC time>.zip``: ``crm-backup-…`` by hand, ``crm-nightly-…`` by the job, whose
  retention only ever deletes its own, judged by the time in the name (copying a file changes its mtime).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

FORMAT = "zhaoshang-crm-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/crm.sqlite3", "postgresql": "database/crm.pgdump"}
ATTACHMENTS = "attachments/"
MANUAL, NIGHTLY = "crm-backup", "crm-nightly"
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"(crm-backup|crm-nightly)-(\d{8}T\d{6}Z)\.zip")


class ManifestError(ValueError):
    """The archive is not one this version can restore into this database (nothing has been changed)."""


def archive_name(origin: str, when: datetime) -> str:
    return f"{origin}-{when.astimezone(timezone.utc).strftime(_STAMP)}.zip"


def archive_time(origin: str, name: str) -> datetime | None:
    """When an archive of ``origin`` was made, from its name; None for any other file."""
    match = _NAME.fullmatch(name)
    if match is None or match.group(1) != origin:
        return None
    return datetime.strptime(match.group(2), _STAMP).replace(tzinfo=timezone.utc)


def expired(origin: str, names: Iterable[str], now: datetime, keep_days: int) -> list[str]:
    """The archives of ``origin`` among ``names`` made more than ``keep_days`` before ``now`` (0: keep all)."""
    if keep_days <= 0:
        return []
    cutoff = now - timedelta(days=keep_days)
    return sorted(name for name in names if (made := archive_time(origin, name)) is not None and made < cutoff)


def check_manifest(manifest: Any, members: Iterable[str], target_kind: str) -> None:
    """Refuse an archive of another format or version, of another kind of database than the target, or whose
    files and manifest disagree. The hashes are checked as the files are read (crm.backup.archive)."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ManifestError("not a CRM backup archive (manifest.json missing or of another format)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ManifestError(f"archive format version {manifest.get('format_version')!r}; this version reads {FORMAT_VERSION}")
    kind = (manifest.get("database") or {}).get("kind")
    if kind != target_kind:
        raise ManifestError(f"the archive holds a {kind} database; the target database is {target_kind}")
    listed = [entry.get("name") if isinstance(entry, dict) else None for entry in manifest.get("files") or []]
    members = list(members)
    if len(set(listed)) != len(listed) or len(set(members)) != len(members) or set(listed) != set(members) - {MANIFEST}:
        raise ManifestError("the archive's files and its manifest disagree")
    if DATABASE_MEMBERS[kind] not in listed:
        raise ManifestError("the archive holds no database")
    strays = [name for name in listed if name != DATABASE_MEMBERS[kind] and not name.startswith(ATTACHMENTS)]
    if strays:
        raise ManifestError(f"unexpected file in the archive: {strays[0]!r}")
