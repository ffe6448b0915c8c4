"""Who has and hasn't reported: the units expected to report (those with active staff or a chief), each
with its report of the period and its state (未报, 逾期未报, 已报, 逾期报送)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from crm.access.reach import UnitSet
from crm.domain.access import Role
from crm.domain.schedule import SubmissionState, half_month_bounds, half_month_due, parse_half_month, submission_state
from crm.extensions import db
from crm.submissions.models import Submission
from crm.submissions.services import HALF_MONTHLY, report_days
from crm.units.models import Unit
from crm.users.models import User
from crm.web.dates import month_text

STATE_LABELS = {
    SubmissionState.DUE: _l("未报"),
    SubmissionState.MISSING: _l("逾期未报"),
    SubmissionState.ON_TIME: _l("已报"),
    SubmissionState.LATE: _l("逾期报送"),
}


def local_date(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(current_app.config["CRM_TIMEZONE"])).date()


def state_of(submission: Submission | None, period: str, today: date) -> SubmissionState:
    due = submission.due_on if submission is not None else half_month_due(period, report_days())
    return submission_state(due, local_date(submission.submitted_at) if submission else None, today)


def reporting_units(units: UnitSet | None = None) -> sa.Select[Any]:
    """Active units with at least one active 招商专员 or 分局长: the ones that owe the 半月报."""
    workers = sa.select(User.unit_id).where(User.is_active, User.role.in_((Role.STAFF, Role.CHIEF)))
    stmt = sa.select(Unit).where(Unit.is_active, Unit.id.in_(workers))
    if units is not None:
        stmt = stmt.where(units.clause(Unit.id))
    return stmt.order_by(Unit.sort_order, Unit.id)


@dataclass
class Row:
    unit: Unit
    submission: Submission | None
    state: SubmissionState


def overview(period: str, reporting: UnitSet, today: date) -> list[Row]:
    """Every reporting unit of ``reporting`` with its report of ``period`` (two queries)."""
    units = db.session.scalars(reporting_units(reporting)).all()
    submissions = {
        s.unit_id: s
        for s in db.session.scalars(
            sa.select(Submission)
            .where(Submission.report_type == HALF_MONTHLY, Submission.period == period, Submission.unit_id.in_([u.id for u in units]))
            .options(joinedload(Submission.submitted_by))
        )
    }
    return [Row(u, submissions.get(u.id), state_of(submissions.get(u.id), period, today)) for u in units]


def unit_history(unit_id: int, periods: list[str], today: date) -> list[tuple[str, Submission | None, SubmissionState]]:
    """The unit's reports of the given periods, newest first (one query)."""
    found = {
        s.period: s
        for s in db.session.scalars(
            sa.select(Submission)
            .where(Submission.report_type == HALF_MONTHLY, Submission.unit_id == unit_id, Submission.period.in_(periods))
            .options(joinedload(Submission.submitted_by))
        )
    }
    return [(p, found.get(p), state_of(found.get(p), p, today)) for p in periods]


def label_of(period: str) -> str:
    """2026年11月上半月（1–15日） / 2026年11月下半月（16–30日）; in English "November 2026, first half (1–15)"."""
    _year, _month, half = parse_half_month(period)
    start, end = half_month_bounds(period)
    if half == 1:
        return _("%(month)s上半月（%(start)d–%(end)d日）", month=month_text(start), start=start.day, end=end.day)
    return _("%(month)s下半月（%(start)d–%(end)d日）", month=month_text(start), start=start.day, end=end.day)
