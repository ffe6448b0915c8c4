"""安商's pure rules: the 诉求's moves and deadline, 办结率 / 按期办结率 per 责任单位, working-day 时限, 宁静日."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.domain.aftercare import (
    QuietDaysError,
    RequestFacts,
    RequestMove,
    RequestStatus,
    format_month_days,
    is_overdue,
    move_allowed,
    on_time,
    parse_month_days,
    quiet_days_between,
    unit_rates,
)
from crm.domain.workdays import add_workdays, weekday_only

S = RequestStatus


def test_moves_go_one_way():
    assert move_allowed(RequestMove.HANDLE, S.ACCEPTED)
    assert move_allowed(RequestMove.FINISH, S.HANDLING)
    assert move_allowed(RequestMove.REVISIT, S.DONE)
    assert not move_allowed(RequestMove.FINISH, S.ACCEPTED)  # 办结 only after 办理
    assert not move_allowed(RequestMove.REVISIT, S.HANDLING)
    assert not move_allowed(RequestMove.HANDLE, S.REVISITED)


def test_overdue_and_on_time():
    deadline = date(2025, 5, 20)
    assert not is_overdue(deadline, S.HANDLING, date(2025, 5, 20))  # the deadline day is still in time
    assert is_overdue(deadline, S.HANDLING, date(2025, 5, 21))
    assert not is_overdue(deadline, S.DONE, date(2025, 6, 1))
    assert on_time(deadline, date(2025, 5, 20)) and not on_time(deadline, date(2025, 5, 21)) and not on_time(deadline, None)


def test_rates_per_unit():
    today = date(2025, 6, 1)
    rows = [
        RequestFacts(1, S.DONE, date(2025, 5, 10), date(2025, 5, 9)),  # 按期
        RequestFacts(1, S.REVISITED, date(2025, 5, 10), date(2025, 5, 12)),  # 办结, late
        RequestFacts(1, S.HANDLING, date(2025, 5, 30), None),  # open, overdue
        RequestFacts(1, S.ACCEPTED, date(2025, 6, 5), None),  # open, in time
        RequestFacts(2, S.ACCEPTED, date(2025, 6, 5), None),
    ]
    first, second = unit_rates(rows, today)
    assert (first.unit_id, first.received, first.finished, first.finished_on_time, first.overdue_open) == (1, 4, 2, 1, 1)
    assert first.handling_rate == Decimal(50) and first.on_time_rate == Decimal(50)
    assert second.handling_rate == Decimal(0)
    assert second.on_time_rate is None  # nothing finished: no rate, not 0 %


def test_working_days():
    friday = date(2025, 5, 16)
    assert add_workdays(friday, 1, weekday_only) == date(2025, 5, 19)  # over the weekend
    assert add_workdays(friday, 5, weekday_only) == date(2025, 5, 23)
    assert add_workdays(friday, 0, weekday_only) == friday
    with pytest.raises(ValueError):
        add_workdays(friday, -1, weekday_only)


def test_working_days_skip_holidays():
    from crm.followups.calendar import is_workday

    assert add_workdays(date(2025, 9, 30), 1, is_workday) == date(2025, 10, 9)  # 国庆 and 中秋 (9 Oct: first working day)


@pytest.mark.parametrize("text, days", [("1-20", set(range(1, 21))), ("1－5，15、28", {1, 2, 3, 4, 5, 15, 28}), ("", set()), (" 7 ", {7})])
def test_month_days_are_read(text, days):
    assert parse_month_days(text) == days


@pytest.mark.parametrize("text", ["0-3", "20-1", "32", "一号", "1-2-3x", "5-40"])
def test_bad_month_days_are_refused(text):
    with pytest.raises(QuietDaysError):
        parse_month_days(text)


def test_month_days_round_trip():
    assert format_month_days({1, 2, 3, 5, 10, 11}) == "1-3,5,10-11"
    assert parse_month_days(format_month_days(range(1, 21))) == set(range(1, 21))


def test_quiet_days_of_a_visit():
    quiet = parse_month_days("1-20")
    assert quiet_days_between(date(2025, 5, 19), date(2025, 5, 22), quiet) == [date(2025, 5, 19), date(2025, 5, 20)]
    assert quiet_days_between(date(2025, 5, 25), None, quiet) == []
    assert quiet_days_between(date(2025, 5, 3), date(2025, 5, 1), quiet) == [date(2025, 5, 3)]  # a wrong end: the start alone


def test_an_unsatisfied_revisit_reopens_the_request():
    from crm.domain.aftercare import HANDLER_MOVES, Satisfaction, status_after_revisit

    assert status_after_revisit(Satisfaction.UNSATISFIED) is S.HANDLING
    assert status_after_revisit(Satisfaction.MOSTLY) is S.REVISITED
    assert status_after_revisit(Satisfaction.SATISFIED) is S.REVISITED
    assert move_allowed(RequestMove.FINISH, status_after_revisit(Satisfaction.UNSATISFIED))  # it can be 办结 again
    assert HANDLER_MOVES == {RequestMove.HANDLE, RequestMove.FINISH}
