"""Submitting a 半月报. Services validate and flush; the view commits once.

The unit is the signed-in user's; ``submitted_at`` is the first submission (editing later does not
make a late report punctual, nor an on-time one late); ``due_on`` follows from the period and the
configured report days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crm.db import utcnow
from crm.domain.access import Actor
from crm.domain.schedule import half_month_bounds, half_month_due, parse_half_month
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.submissions.models import Submission

HALF_MONTHLY = "half_monthly"


class SubmissionError(FieldError):
    pass


@dataclass
class SubmissionData(FormData):
    infrastructure: str | None
    new_projects: str | None
    funding: str | None


def report_days() -> tuple[int, int]:
    return tuple(current_app.config.get("CRM_REPORT_DAYS", (2, 17)))  # type: ignore[return-value]


def open_period(period: str, today: date) -> bool:
    """A period can be reported once it has begun (a unit may write on the 15th for the 1st–15th)."""
    try:
        parse_half_month(period)
        start, _end = half_month_bounds(period)
    except ValueError:
        return False
    return start <= today


def unit_submission(unit_id: int, period: str) -> Submission | None:
    return db.session.scalar(
        sa.select(Submission).where(Submission.unit_id == unit_id, Submission.report_type == HALF_MONTHLY, Submission.period == period)
    )


def submit(actor: Actor, period: str, data: SubmissionData, now: datetime | None = None) -> Submission:
    """Create or update the actor's unit's report for ``period``."""
    if not any((data.infrastructure, data.new_projects, data.funding)):
        raise SubmissionError("infrastructure", _("请至少填写一项内容"))
    submission = unit_submission(actor.unit_id, period)
    if submission is None:
        submission = Submission(
            unit_id=actor.unit_id, report_type=HALF_MONTHLY, period=period, due_on=half_month_due(period, report_days()),
        )
        db.session.add(submission)
    submission.infrastructure = data.infrastructure
    submission.new_projects = data.new_projects
    submission.funding = data.funding
    if submission.submitted_at is None:
        submission.submitted_at = now or utcnow()
        submission.submitted_by_id = actor.user_id
    db.session.flush()
    return submission
