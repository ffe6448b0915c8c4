"""The calendar rules of the scheduled work (crm/domain/schedule.py): pure, no app, no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm.domain.schedule import (
    Failure,
    RetryPolicy,
    SubmissionState,
    check_report_days,
    digest_week,
    due_on_day,
    failure_kind,
    half_month_bounds,
    half_month_due,
    half_month_of,
    iso_week,
    latest_due_period,
    next_half_month,
    previous_half_month,
    submission_state,
    week_bounds,
)


def test_iso_weeks() -> None:
    assert iso_week(date(2026, 11, 27)) == "2026-W48"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"  # ISO years do not follow the calendar year
    assert week_bounds("2026-W48") == (date(2026, 11, 23), date(2026, 11, 29))
    assert week_bounds("2026-W53") == (date(2026, 12, 28), date(2027, 1, 3))
    for bad in ("2026-48", "2026-W5", "2025-W53", "2026-W00", "W48", "", "2026-W48x"):
        with pytest.raises(ValueError):
            week_bounds(bad)


def test_a_digest_sent_on_monday_reports_last_week() -> None:
    assert digest_week(date(2026, 11, 30)) == "2026-W48"  # Monday of W49
    assert digest_week(date(2026, 12, 6)) == "2026-W48"  # still W49 on Sunday
    assert digest_week(date(2027, 1, 4)) == "2026-W53"


def test_half_month_periods_and_their_due_days() -> None:
    assert half_month_of(date(2026, 11, 15)) == "2026-11-1" and half_month_of(date(2026, 11, 16)) == "2026-11-2"
    assert half_month_bounds("2026-02-2") == (date(2026, 2, 16), date(2026, 2, 28))
    assert half_month_bounds("2028-02-2") == (date(2028, 2, 16), date(2028, 2, 29))
    # The 17日 report covers the 1st–15th; the 2日 report the 16th to month end (DOMAIN §c).
    assert half_month_due("2026-11-1") == date(2026, 11, 17)
    assert half_month_due("2026-11-2") == date(2026, 12, 2)
    assert half_month_due("2026-12-2") == date(2027, 1, 2)
    assert half_month_due("2026-11-1", (5, 20)) == date(2026, 11, 20)
    assert previous_half_month("2027-01-1") == "2026-12-2" and next_half_month("2026-12-2") == "2027-01-1"
    for bad in ("2026-11-3", "2026-13-1", "2026-11", "x"):
        with pytest.raises(ValueError):
            half_month_bounds(bad)


def test_which_report_is_due_on_a_day() -> None:
    assert due_on_day(date(2026, 11, 17)) == "2026-11-1"
    assert due_on_day(date(2026, 12, 2)) == "2026-11-2"
    assert due_on_day(date(2027, 1, 2)) == "2026-12-2"
    assert due_on_day(date(2026, 11, 18)) is None
    assert due_on_day(date(2026, 11, 20), (5, 20)) == "2026-11-1"
    # Every period is due on exactly one report day, after it ends.
    day, seen = date(2026, 1, 1), []
    while day < date(2027, 1, 1):
        if (period := due_on_day(day)) is not None:
            assert half_month_bounds(period)[1] < day == half_month_due(period)
            seen.append(period)
        day += timedelta(days=1)
    assert len(seen) == len(set(seen)) == 24
    assert latest_due_period(date(2026, 11, 16)) == "2026-11-1"
    assert latest_due_period(date(2026, 11, 15)) == "2026-10-2"


def test_report_days_must_fall_after_their_periods() -> None:
    assert check_report_days((2, 17)) == (2, 17)
    for bad in ((2,), (16, 17), (2, 15), (0, 17), (2, 29)):
        with pytest.raises(ValueError):
            check_report_days(bad)  # type: ignore[arg-type]


def test_a_report_after_its_due_day_is_late() -> None:
    due = date(2026, 11, 17)
    assert submission_state(due, date(2026, 11, 17), date(2026, 11, 20)) is SubmissionState.ON_TIME
    assert submission_state(due, date(2026, 11, 18), date(2026, 11, 20)) is SubmissionState.LATE
    assert submission_state(due, None, date(2026, 11, 17)) is SubmissionState.DUE
    assert submission_state(due, None, date(2026, 11, 18)) is SubmissionState.MISSING


def test_smtp_codes_and_back_off() -> None:
    assert failure_kind(451) is Failure.TEMPORARY and failure_kind(421) is Failure.TEMPORARY
    assert failure_kind(550) is Failure.PERMANENT and failure_kind(554) is Failure.PERMANENT
    assert failure_kind(None) is Failure.TEMPORARY  # connection refused, timeout
    policy = RetryPolicy(max_attempts=4, minutes=(5, 15, 60))
    assert [policy.delay(n) for n in (1, 2, 3, 4, 9)] == [timedelta(minutes=m) for m in (5, 15, 60, 60, 60)]
    assert not policy.gives_up(3) and policy.gives_up(4)
