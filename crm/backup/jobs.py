"""The nightly ``backup`` job: one archive in CRM_BACKUP_DIR, then its own archives older than
CRM_BACKUP_RETENTION_DAYS are deleted (only after the new one is complete: a failing backup deletes nothing)."""

from __future__ import annotations

from datetime import date, datetime

from crm.backup.services import delete_expired_backups, make_backup
from crm.domain.backups import NIGHTLY


def nightly_backup(today: date, now: datetime) -> str:
    result = make_backup(origin=NIGHTLY, now=now)
    deleted = delete_expired_backups(now)
    missing = f", {len(result.missing)} attachment files missing" if result.missing else ""
    return f"{result}{missing}; {deleted} old archives deleted"
