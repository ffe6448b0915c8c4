"""Moving a due date off a public holiday (with 调休 working weekends counted as working days)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

MAX_DAYS = 31  # no holiday run in China is longer; a guard against a broken calendar


def next_working_day(day: date, is_workday: Callable[[date], bool]) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    for offset in range(MAX_DAYS):
        candidate = day + timedelta(days=offset)
        if is_workday(candidate):
            return candidate
    raise ValueError(f"no working day within {MAX_DAYS} days of {day}")


def weekday_only(day: date) -> bool:
    """The fallback rule when the official calendar does not cover a year: Monday to Friday."""
    return day.weekday() < 5
