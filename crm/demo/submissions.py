"""Demo 半月报: 第一招商分局 reported one period on time and the next one late; the other units have
not reported the later period (so the overview shows 逾期未报 next to 已报 and 逾期报送).
Idempotent by (unit, period)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from crm.domain.schedule import half_month_bounds, half_month_due, latest_due_period, previous_half_month
from crm.extensions import db
from crm.submissions.models import Submission
from crm.submissions.services import HALF_MONTHLY, report_days
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

BRANCH = "第一招商分局"


def _texts(start: date, end: date) -> tuple[str, str, str]:
    span = f"{start.month}月{start.day}日至{end.month}月{end.day}日"
    return (
        f"{span}，南区标准化厂房二期主体施工，北区道路（纬三路）完成路基 1.2 公里。",
        f"{span}，海威特种布项目完成外资登记前期准备；台威运动用品项目客商来鲁山考察一次。",
        f"{span}，申报省级产业集聚区基础设施专项资金 1200 万元，已上报市发改委。",
    )


def load_submissions(report: "LoadReport", today: date) -> None:
    """Two reports of 第一招商分局 by staff1: the older period on time (the day before its 截止日),
    the newer one late (two days after). Flushes; the caller commits."""
    staff1 = db.session.scalars(sa.select(User).where(User.username == "staff1")).one_or_none()
    if staff1 is None:
        return
    zone = ZoneInfo(current_app.config["CRM_TIMEZONE"])
    days = report_days()
    late_period = previous_half_month(latest_due_period(today, days))
    on_time_period = previous_half_month(late_period)
    for period, offset in ((on_time_period, -1), (late_period, 2)):
        exists = db.session.scalar(
            sa.select(Submission.id).where(Submission.unit_id == staff1.unit_id, Submission.report_type == HALF_MONTHLY, Submission.period == period)
        )
        if exists:
            continue
        due = half_month_due(period, days)
        submitted = datetime.combine(min(due + timedelta(days=offset), today), time(16, 30), zone)
        infrastructure, new_projects, funding = _texts(*half_month_bounds(period))
        db.session.add(
            Submission(
                unit_id=staff1.unit_id, report_type=HALF_MONTHLY, period=period, due_on=due, submitted_at=submitted,
                submitted_by_id=staff1.id, infrastructure=infrastructure, new_projects=new_projects, funding=funding,
            )
        )
        report.add("submissions")
    db.session.flush()
