"""What a database snapshot tells the archive besides its own file: the schema's revision and the attachment
files its rows name. Read inside the snapshot itself, so that the archive's files match its rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from crm.backup.errors import BackupError

REVISION = "SELECT version_num FROM alembic_version"
STORED_NAMES = "SELECT stored_name FROM attachments ORDER BY stored_name"


@dataclass
class Snapshot:
    file: Path
    revision: str
    stored_names: list[str]
    details: dict[str, Any] = field(default_factory=dict)  # tool and server versions, for the manifest


def read_rows(file: Path, query: Callable[[str], Sequence[Sequence[Any]]], **details: Any) -> Snapshot:
    """``query`` runs one statement inside the snapshot and returns its rows."""
    try:
        revisions = query(REVISION)
        names = [row[0] for row in query(STORED_NAMES)]
    except Exception as error:
        raise BackupError(f"the database has no CRM schema (run `crm db upgrade` first): {error}") from error
    if len(revisions) != 1:
        raise BackupError("the database has no migration revision (run `crm db upgrade` first)")
    return Snapshot(file, revisions[0][0], names, dict(details))
