"""Demo: email addresses for the demo accounts, and the daily alerts of the load day in their bells.

Each demo account without an email gets ``<username>@lushan.example`` (a reserved domain: nothing can
really be delivered there), so that `crm digests send` against a local SMTP server shows one digest per
account. Then the daily alert builder runs for ``today``: staff1, chief1, the leaders … open the demo
with the overdue follow-ups, milestones and issues of the scenario (and the 提醒函 of the red key
projects) in their bell. Idempotent: notifications are unique per user, kind and key.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.demo.scenario import ACCOUNTS
from crm.extensions import db
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

EMAIL_DOMAIN = "lushan.example"


def demo_email(username: str) -> str:
    return f"{username.replace('_', '.')}@{EMAIL_DOMAIN}"


def load_emails(report: "LoadReport") -> None:
    names = [a.username for a in ACCOUNTS]
    for user in db.session.scalars(sa.select(User).where(User.username.in_(names), User.email.is_(None))):
        user.email = demo_email(user.username)
        report.add("email addresses")
    db.session.flush()


def load_notifications(report: "LoadReport", today: date) -> None:
    """Emails for the demo accounts, then the alerts of ``today``. Flushes; the caller commits."""
    from crm.notifications.alerts import build_daily_alerts

    load_emails(report)
    run = build_daily_alerts(today)
    if run.created:
        report.created["notifications"] = report.created.get("notifications", 0) + run.created
    db.session.flush()
