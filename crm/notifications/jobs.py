"""Scheduled job: the daily alerts (CRM_ALERT_HOUR, 08:00 by default)."""

from __future__ import annotations

from datetime import date, datetime

from crm.notifications.alerts import AlertRun, build_daily_alerts


def daily_alerts(today: date, now: datetime) -> AlertRun:
    return build_daily_alerts(today, now)
