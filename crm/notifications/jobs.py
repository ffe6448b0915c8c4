"""Scheduled jobs of the bell: the daily alerts (CRM_ALERT_HOUR, 08:00 by default) and the purge of old
notifications (CRM_NOTIFICATION_RETENTION_DAYS)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from crm.notifications.alerts import AlertRun, build_daily_alerts
from crm.notifications.services import purge_old_notifications


def daily_alerts(today: date, now: datetime | None) -> AlertRun:
    """Everyone's alerts, then each unit's 每日提醒 to its group robots (after: they name today's 提醒函)."""
    from crm.channels.posting import queue_daily_posts

    run = build_daily_alerts(today, now)
    run.posts = queue_daily_posts(today, now)
    return run


def purge_notifications(today: date, now: datetime) -> str:
    return f"{purge_old_notifications(int(current_app.config['CRM_NOTIFICATION_RETENTION_DAYS']))} notifications deleted"
