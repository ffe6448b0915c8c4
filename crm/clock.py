"""Today's date where the county is (CRM_TIMEZONE), not where the server's clock is set."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_today() -> date:
    return datetime.now(ZoneInfo(current_app.config["CRM_TIMEZONE"])).date()


def local_date(moment: datetime) -> date:
    """The county's calendar day of a stored (UTC) moment: 2026-11-27 17:00 UTC is the 28th in Asia/Shanghai."""
    return moment.astimezone(ZoneInfo(current_app.config["CRM_TIMEZONE"])).date()
