"""The alert email: today's new notifications of one user, for those who chose alert email."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from crm.mail.outbox import Email, enqueue
from crm.mail.render import render_email
from crm.notifications.services import Alert, absolute


def queue_alert_email(user: Any, alerts: list[Alert], today: date, now: datetime | None = None) -> bool:
    """One email per user per day (outbox period = the date), listing what is new today."""
    from crm.notifications.alerts import KIND_LABELS

    items = [
        {"kind": str(KIND_LABELS.get(a.kind, a.kind)), "title": a.title, "body": a.body, "url": absolute(a.link)}
        for a in alerts
    ]
    subject = _("【招商引资】今日提醒 %(n)d 项（%(day)s）", n=len(items), day=today.isoformat())
    text, html = render_email("alerts", user=user, items=items, today=today, subject=subject,
                              notifications_url=absolute(_notifications_path()))
    return enqueue(Email("daily_alerts", user.id, today.isoformat(), user.email, subject, text, html), now)


def _notifications_path() -> str:
    from flask import url_for

    return url_for("notifications.index")
