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


def add_workdays(start: date, count: int, is_workday: Callable[[date], bool]) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted): a 时限 of N 工作日."""
    if count < 0:
        raise ValueError("a count of working days cannot be negative")
    day, found = start, 0
    for _step in range(count * 3 + MAX_DAYS * 2):  # a guard as next_working_day's
        if found == count:
            return day
        day += timedelta(days=1)
        found += is_workday(day)
    if found == count:
        return day
    raise ValueError(f"no {count} working days after {start}")
