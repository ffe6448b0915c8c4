"""Scheduled job: the weekly digest (CRM_DIGEST_WEEKDAY at CRM_DIGEST_HOUR; Monday 08:00 by default)."""

from __future__ import annotations

from datetime import date, datetime

from crm.digests.send import DigestRun, queue_digests
from crm.domain.schedule import digest_week


def weekly_digest(today: date, now: datetime) -> DigestRun:
    """Last week's digests, and each unit's weekly summary to its group robots; the wrapper commits and then
    dispatches the outbox."""
    from crm.channels.posting import queue_weekly_posts

    period = digest_week(today)
    run = queue_digests(period, now)
    run.posts = queue_weekly_posts(period, now)
    return run
