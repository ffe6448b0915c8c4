"""审批手续's pure rules: the 承诺时限 in working days, 逾期, the status the dates give, the county's list as typed,
and the 联审联批 summary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from crm.domain.approvals import (
    DEFAULT_KINDS,
    KindsError,
    ProcedureFacts,
    ProcedureKind,
    ProcedureStatus,
    date_problem,
    deadline_of,
    format_kinds,
    is_overdue,
    parse_kinds,
    status_for,
    summarise,
    workdays_between,
)
from crm.domain.workdays import weekday_only

HOLIDAYS = {date(2025, 10, d) for d in range(1, 9)}  # 国庆 and 中秋 2025
MAKEUP = {date(2025, 9, 28), date(2025, 10, 11)}  # 调休 working weekends


def official(day: date) -> bool:
    return day in MAKEUP or (day.weekday() < 5 and day not in HOLIDAYS)


def test_the_deadline_is_n_working_days_after_filing():
    assert deadline_of(date(2025, 5, 9), 5, weekday_only) == date(2025, 5, 16)  # Friday + 5 working days
    assert deadline_of(date(2025, 9, 30), 3, official) == date(2025, 10, 11)  # over 国庆, onto a 调休 Saturday
    assert deadline_of(None, 20, official) is None  # not filed yet: no deadline


def test_overdue_is_open_and_past_the_deadline_day():
    deadline = date(2025, 6, 10)
    assert not is_overdue(ProcedureStatus.HANDLING, deadline, deadline)  # the deadline day is still in time
    assert is_overdue(ProcedureStatus.HANDLING, deadline, deadline + timedelta(days=1))
    assert not is_overdue(ProcedureStatus.DONE, deadline, deadline + timedelta(days=9))
    assert not is_overdue(ProcedureStatus.NOT_APPLICABLE, deadline, deadline + timedelta(days=9))
    assert not is_overdue(ProcedureStatus.PENDING, None, date(2030, 1, 1))


def test_the_status_follows_the_dates():
    assert status_for(None, None) is ProcedureStatus.PENDING
    assert status_for(date(2025, 1, 2), None) is ProcedureStatus.HANDLING
    assert status_for(date(2025, 1, 2), date(2025, 1, 9)) is ProcedureStatus.DONE
    assert status_for(date(2025, 1, 2), None, not_applicable=True) is ProcedureStatus.NOT_APPLICABLE


@pytest.mark.parametrize("filed, finished, problem", [
    (date(2025, 6, 2), None, "filed_future"),
    (date(2025, 5, 2), date(2025, 6, 2), "finished_future"),
    (None, date(2025, 5, 2), "finished_unfiled"),
    (date(2025, 5, 9), date(2025, 5, 2), "finished_before_filed"),
    (date(2025, 5, 2), date(2025, 5, 9), None),
])
def test_dates_that_cannot_be_right(filed, finished, problem):
    assert date_problem(filed, finished, date(2025, 5, 20)) == problem


def test_working_days_taken():
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 11), official) == 3
    assert workdays_between(date(2025, 5, 9), date(2025, 5, 9), weekday_only) == 0


def test_the_list_as_typed():
    assert parse_kinds("用地预审 20\n\n环评，30\n施工许可：7") == [ProcedureKind("用地预审", 20), ProcedureKind("环评", 30),
                                                             ProcedureKind("施工许可", 7)]
    assert parse_kinds(format_kinds(DEFAULT_KINDS)) == list(DEFAULT_KINDS)
    for text, line, reason in (("用地预审", 1, "format"), ("环评 30\n用地预审 二十", 2, "format"), ("环评 0", 1, "days"),
                               ("环评 300", 1, "days"), ("环评 3\n环评 5", 2, "twice"), ("长" * 41 + " 5", 1, "long")):
        with pytest.raises(KindsError) as error:
            parse_kinds(text)
        assert (error.value.line, error.value.reason) == (line, reason), text


def test_the_summary_counts_overdue_and_compares_time_taken_with_the_promise():
    today = date(2025, 6, 1)
    facts = [
        ProcedureFacts("用地预审", ProcedureStatus.HANDLING, 20, date(2025, 5, 1), None),  # overdue
        ProcedureFacts("用地预审", ProcedureStatus.DONE, 20, date(2025, 5, 1), 25),  # done late
        ProcedureFacts("用地预审", ProcedureStatus.DONE, 20, date(2025, 5, 1), 15),
        ProcedureFacts("环评", ProcedureStatus.PENDING, 30, None, None),
        ProcedureFacts("环评", ProcedureStatus.NOT_APPLICABLE, 30, None, None),  # left out
    ]
    land, env = summarise(facts, today)
    assert (land.key, land.total, land.open, land.overdue, land.done, land.done_on_time) == ("用地预审", 3, 1, 1, 2, 1)
    assert (land.average_taken, land.average_promised, land.slower) == (Decimal("20.0"), Decimal("20.0"), False)
    assert (env.total, env.open, env.overdue, env.average_taken, env.slower) == (1, 1, 0, None, False)
    slow, = summarise([ProcedureFacts(7, ProcedureStatus.DONE, 10, None, 12)], today)
    assert slow.slower and slow.key == 7
