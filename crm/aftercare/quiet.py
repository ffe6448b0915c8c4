"""The county's 宁静日 (长垣's 企业宁静日: days of the month without inspections of companies), a report setting
of the county (``ReportSettings`` key ``quiet_days``: {"days": [1, …, 20]}), and the warning a 企业服务走访
planned on one of them gets. A warning, not a refusal: a company may ask for the visit itself."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _

from crm.domain.aftercare import format_month_days, quiet_days_between
from crm.domain.visits import VisitType
from crm.reports.models import ReportSettings
from crm.reports.settings import setting_row, store_setting

QUIET_DAYS = "quiet_days"


def quiet_row(county_id: int) -> ReportSettings | None:
    return setting_row(county_id, QUIET_DAYS)


def days_of(row: ReportSettings | None) -> frozenset[int]:
    """The stored days; a value edited by hand into nonsense counts as none (the page shows what is stored)."""
    value: Any = row.value if row is not None else None
    days = value.get("days") if isinstance(value, dict) else None
    if not isinstance(days, list):
        return frozenset()
    return frozenset(d for d in days if isinstance(d, int) and 1 <= d <= 31)


def quiet_days(county_id: int) -> frozenset[int]:
    return days_of(quiet_row(county_id))


def save_quiet_days(county_id: int, days: frozenset[int], row: ReportSettings | None) -> ReportSettings:
    """Store the county's days (the view has checked ``may_manage`` and the version)."""
    return store_setting(county_id, QUIET_DAYS, {"days": sorted(days)}, row)


def visit_warning(county_id: int | None, visit_type: Any, start: date | None, end: date | None) -> str | None:
    """"宁静日" when a 企业服务走访 from ``start`` to ``end`` falls on the county's quiet days, else None."""
    if county_id is None or start is None or visit_type not in (VisitType.SERVICE, VisitType.SERVICE.value):
        return None
    days = quiet_days(county_id)
    hit = quiet_days_between(start, end, days) if days else []
    if not hit:
        return None
    return _("提醒：%(days)s 是本县的企业宁静日（每月 %(rule)s 日不入企检查），企业服务走访请尽量安排在其他日期，或事先征得企业同意。",
             days="、".join(d.isoformat() for d in hit[:5]) + ("…" if len(hit) > 5 else ""), rule=format_month_days(days))
