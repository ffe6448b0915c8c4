"""Calendar rules of the scheduled work (DOMAIN §c): ISO weeks of the weekly digest, the half-month
periods of the 半月报 with their due days, and the back-off of email retries. Pure: no Flask, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# --- ISO weeks (the weekly digest) ------------------------------------------------------------
_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def iso_week(day: date) -> str:
    """The ISO week a day falls in, written 2026-W48 (the outbox period of a weekly digest)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(period: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week "YYYY-Www"; ValueError for anything else (2026-W54, 2026-48 …)."""
    match = _WEEK.fullmatch(period.strip()) if isinstance(period, str) else None
    if match is None:
        raise ValueError(f"not an ISO week: {period!r} (expected YYYY-Www)")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise ValueError(f"{year} has no week {week}") from exc
    return monday, monday + timedelta(days=6)


def digest_week(today: date) -> str:
    """The week a digest sent ``today`` reports on: the last complete ISO week (sent on Monday, it is last week)."""
    return iso_week(today - timedelta(days=today.weekday() + 1))


# --- 半月报 periods ------------------------------------------------------------------------------
# "2026-11-1" covers the 1st–15th and is due on the later report day (17日) of the same month;
# "2026-11-2" covers the 16th–month end and is due on the earlier report day (2日) of the next month.
_HALF = re.compile(r"(\d{4})-(\d{2})-([12])")
DEFAULT_REPORT_DAYS = (2, 17)


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def check_report_days(days: tuple[int, int]) -> tuple[int, int]:
    """The two report days: the first (for the previous month's second half) within 1–15, the second
    (for this month's first half) within 16–28, so that each falls after the period it covers."""
    if len(days) != 2:
        raise ValueError("two report days are needed, e.g. 2,17")
    early, late = days
    if not (1 <= early <= 15 and 16 <= late <= 28):
        raise ValueError("report days must be one in 1–15 and one in 16–28, e.g. 2,17")
    return early, late


def parse_half_month(period: str) -> tuple[int, int, int]:
    match = _HALF.fullmatch(period.strip()) if isinstance(period, str) else None
    if match is None:
        raise ValueError(f"not a half-month period: {period!r} (expected YYYY-MM-1 or YYYY-MM-2)")
    year, month, half = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not 1 <= month <= 12 or year < 1990:
        raise ValueError(f"not a half-month period: {period!r}")
    return year, month, half


def half_month_of(day: date) -> str:
    """The half-month a day falls in."""
    return f"{day.year}-{day.month:02d}-{1 if day.day <= 15 else 2}"


def half_month_bounds(period: str) -> tuple[date, date]:
    """First and last day a period covers."""
    year, month, half = parse_half_month(period)
    if half == 1:
        return date(year, month, 1), date(year, month, 15)
    return date(year, month, 16), _month_end(year, month)


def half_month_due(period: str, days: tuple[int, int] = DEFAULT_REPORT_DAYS) -> date:
    """截止日: the first half is due on the later report day of its month, the second half on the
    earlier report day of the next month."""
    early, late = days
    year, month, half = parse_half_month(period)
    if half == 1:
        return date(year, month, late)
    return date(year + (month == 12), month % 12 + 1, early)


def previous_half_month(period: str) -> str:
    start, _ = half_month_bounds(period)
    return half_month_of(start - timedelta(days=1))


def next_half_month(period: str) -> str:
    _, end = half_month_bounds(period)
    return half_month_of(end + timedelta(days=1))


def due_on_day(day: date, days: tuple[int, int] = DEFAULT_REPORT_DAYS) -> str | None:
    """The period whose report is due on ``day`` (a reminder day), or None on other days."""
    early, late = days
    if day.day == late:
        return f"{day.year}-{day.month:02d}-1"
    if day.day == early:
        return previous_half_month(half_month_of(day))
    return None


def latest_due_period(today: date, days: tuple[int, int] = DEFAULT_REPORT_DAYS) -> str:
    """The most recent period that has ended (its report is due now or already was)."""
    return previous_half_month(half_month_of(today))


class SubmissionState(StrEnum):
    """报送 状态 (DOMAIN §a): 未报, 已报, 逾期 — split by whether the report came in at all."""

    DUE = "due"  # 未报: not in yet, the due day has not passed
    MISSING = "missing"  # 逾期未报: not in, the due day has passed
    ON_TIME = "on_time"  # 已报 (按时)
    LATE = "late"  # 逾期报送: came in after the due day


def submission_state(due_on: date, submitted_on: date | None, today: date) -> SubmissionState:
    """A report submitted on its due day is on time; the day after is late (local dates)."""
    if submitted_on is not None:
        return SubmissionState.LATE if submitted_on > due_on else SubmissionState.ON_TIME
    return SubmissionState.MISSING if today > due_on else SubmissionState.DUE


# --- email retries --------------------------------------------------------------------------------
DEFAULT_RETRY_MINUTES = (5, 15, 60, 180, 720)


class Failure(StrEnum):
    TEMPORARY = "temporary"  # 4xx, connection refused, timeouts: try again later
    PERMANENT = "permanent"  # 5xx: the server refuses the message for good


def failure_kind(smtp_code: int | None) -> Failure:
    """An SMTP reply code's meaning (RFC 5321 §4.2.1); no code (the network failed) is temporary."""
    if smtp_code is not None and 500 <= smtp_code <= 599:
        return Failure.PERMANENT
    return Failure.TEMPORARY


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6  # sends tried in all, the first included
    minutes: tuple[int, ...] = DEFAULT_RETRY_MINUTES  # wait after the 1st, 2nd … failed attempt

    def delay(self, attempts: int) -> timedelta:
        """How long to wait after ``attempts`` failed tries (the last step repeats)."""
        steps = self.minutes or (5,)
        return timedelta(minutes=steps[min(max(attempts, 1), len(steps)) - 1])

    def gives_up(self, attempts: int) -> bool:
        """After the last allowed attempt a temporary failure is final too."""
        return attempts >= self.max_attempts
