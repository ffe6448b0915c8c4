"""Scheduled job: 半月报 reminders on the report days (CRM_REPORT_DAYS, 2日 and 17日 by default).

On a report day every unit that owes the period's report and has not sent it is reminded: each of its
active 招商专员 and 分局长 gets a notification (once per period) and, if they chose alert email, an email; the unit's
group robots get the reminder too (``crm.channels``), once per period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from crm.channels.messages import reminder_message
from crm.channels.posting import active_channels, queue_reminder_posts
from crm.domain.access import Role
from crm.domain.schedule import due_on_day, half_month_due
from crm.extensions import db
from crm.mail.outbox import Email, enqueue
from crm.mail.render import render_email
from crm.notifications.services import Alert, absolute, links, notify
from crm.submissions.models import Submission
from crm.submissions.queries import label_of, reporting_units
from crm.submissions.services import HALF_MONTHLY, report_days
from crm.users.models import User


@dataclass
class ReminderRun:
    period: str | None
    units: int = 0
    notified: int = 0
    emails: int = 0
    posts: int = 0  # to the units' group robots
    skipped_units: list[int] = field(default_factory=list)  # already reported

    def __str__(self) -> str:
        if self.period is None:
            return "not a report day"
        return (f"{self.period}: {self.units} units reminded, {self.notified} notifications, {self.emails} emails, "
                f"{len(self.skipped_units)} already reported" + (f", {self.posts} group posts" if self.posts else ""))


def report_reminders(today: date, now: datetime) -> ReminderRun:
    period = due_on_day(today, report_days())
    if period is None:
        return ReminderRun(None)
    return remind(period, now)


def remind(period: str, now: datetime | None = None) -> ReminderRun:
    """Remind the units that owe ``period`` and have not reported. Inserts; the caller commits."""
    run = ReminderRun(period)
    due = half_month_due(period, report_days())
    units = db.session.scalars(reporting_units()).all()
    reported = set(
        db.session.scalars(
            sa.select(Submission.unit_id).where(
                Submission.report_type == HALF_MONTHLY, Submission.period == period, Submission.submitted_at.is_not(None)
            )
        )
    )
    workers: dict[int, list[User]] = {}
    for user in db.session.scalars(
        sa.select(User).where(User.is_active, User.role.in_((Role.STAFF, Role.CHIEF))).order_by(User.id)
    ):
        workers.setdefault(user.unit_id, []).append(user)
    robots = active_channels([unit.id for unit in units if unit.id not in reported])
    robots_of = {unit.id: channels for unit, channels in robots.items()}
    with links():
        path = url_for("submissions.edit", period=period)
        for unit in units:
            if unit.id in reported:
                run.skipped_units.append(unit.id)
                continue
            run.units += 1
            if robots_of.get(unit.id):  # the unit's group hears it too, once per period
                message = reminder_message(unit, label_of(period), due, absolute(path))
                run.posts += queue_reminder_posts(unit, period, message, robots_of[unit.id], now)
            for user in workers.get(unit.id, []):
                alert = Alert(
                    "report_due", period,
                    _("半月报今日截止：%(period)s", period=label_of(period)),
                    _("%(unit)s 请于 %(due)s 前报送：基础设施建设情况、新入驻企业及新上项目情况、争取上级资金情况。", unit=unit.name, due=due.isoformat()),
                    path,
                )
                if not notify(user.id, [alert], now):
                    continue
                run.notified += 1
                if user.alert_email and user.email:
                    subject = _("【招商引资】半月报报送提醒：%(period)s（%(due)s 截止）", period=label_of(period), due=due.isoformat())
                    text, html = render_email(
                        "report_reminder", user=user, unit_name=unit.name, period_label=label_of(period), due_on=due,
                        submit_url=absolute(path), subject=subject,
                    )
                    if enqueue(Email("report_reminder", user.id, period, user.email, subject, text, html), now):
                        run.emails += 1
    return run
