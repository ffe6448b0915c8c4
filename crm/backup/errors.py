"""What can stop a backup or a restore. The command line exits 2 for a refusal (an invalid archive, a target that
is not empty) and 1 for a failure (a missing or too old pg_dump, a database error)."""

from __future__ import annotations

from crm.domain.backups import ManifestError


class BackupError(RuntimeError):
    """The backup or restore could not be done; nothing that looks complete was left behind."""


class RestoreRefused(ManifestError):
    """The target is not empty (and --overwrite was not given); nothing has been changed."""
