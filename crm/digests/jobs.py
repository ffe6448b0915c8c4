"""Scheduled job: the weekly digest (CRM_DIGEST_WEEKDAY at CRM_DIGEST_HOUR; Monday 08:00 by default)."""

from __future__ import annotations

from datetime import date, datetime

from crm.digests.send import DigestRun, queue_digests
from crm.domain.schedule import digest_week


def weekly_digest(today: date, now: datetime) -> DigestRun:
    """Last week's digests; the wrapper commits and then dispatches the outbox."""
    return queue_digests(digest_week(today), now)
