"""Scheduled job of the companies feature: the nightly duplicate scan (``crm companies find-duplicates``).

Clusters every live company and queues each new group of likely duplicates for the reviewers; a group
already open, or split by a reviewer's "不是重复企业", is not queued again, so a rerun adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from crm.companies.duplicates import find_duplicate_groups


def find_duplicates(today: date, now: datetime) -> str:
    return f"{find_duplicate_groups()} candidate group(s) queued"
