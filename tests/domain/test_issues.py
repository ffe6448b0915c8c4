"""问题台账 rules: the status flow, escalation, overdue, numbering, the date checks and the period report's lists."""

from __future__ import annotations

from datetime import date

import pytest

from crm.domain.issues import (
    IssueActionKind,
    IssueLevel,
    IssueStatus,
    Move,
    Problem,
    ReportList,
    action_problem,
    can_move,
    deadline_problem,
    escalation_problem,
    is_overdue,
    issue_number,
    move_problem,
    next_level,
    next_sequence,
    raised_problem,
    report_lists,
    sequence_of,
    transition_problem,
    week_of,
)

S = IssueStatus
TODAY = date(2025, 5, 21)


def test_status_flow_is_one_step_forward_and_back_only_from_resolved():
    assert can_move(S.NEW, S.IN_PROGRESS) and can_move(S.IN_PROGRESS, S.RESOLVED)
    assert can_move(S.RESOLVED, S.CLOSED) and can_move(S.RESOLVED, S.IN_PROGRESS)
    assert not can_move(S.NEW, S.RESOLVED) and not can_move(S.NEW, S.CLOSED) and not can_move(S.IN_PROGRESS, S.CLOSED)
    assert not any(can_move(S.CLOSED, target) for target in S)
    assert transition_problem(S.NEW, S.RESOLVED) is Problem.WRONG_STATUS
    assert transition_problem(S.CLOSED, S.IN_PROGRESS) is Problem.CLOSED
    assert transition_problem(S.IN_PROGRESS, S.RESOLVED) is None


def test_each_move_starts_from_its_own_status():
    assert move_problem(Move.ASSIGN, S.NEW) is None and move_problem(Move.RESOLVE, S.IN_PROGRESS) is None
    assert move_problem(Move.CLOSE, S.RESOLVED) is None and move_problem(Move.REOPEN, S.RESOLVED) is None
    # NEXT_STATUS allows 已办结 → 办理中, but only as 退回重办: a second 交办 is refused.
    assert move_problem(Move.ASSIGN, S.RESOLVED) is Problem.WRONG_STATUS
    assert move_problem(Move.REOPEN, S.NEW) is Problem.WRONG_STATUS
    assert move_problem(Move.REOPEN, S.IN_PROGRESS) is Problem.WRONG_STATUS
    assert move_problem(Move.CLOSE, S.IN_PROGRESS) is Problem.WRONG_STATUS
    assert all(move_problem(move, S.CLOSED) is Problem.CLOSED for move in Move)


def test_escalation_goes_up_one_level_and_stops_at_the_standing_committee():
    assert [next_level(level) for level in IssueLevel] == [
        IssueLevel.JOINT_MEETING, IssueLevel.GOVERNMENT, IssueLevel.PARTY, None,
    ]
    assert escalation_problem(S.IN_PROGRESS, IssueLevel.ZONE) is None
    assert escalation_problem(S.NEW, IssueLevel.GOVERNMENT) is None
    assert escalation_problem(S.IN_PROGRESS, IssueLevel.PARTY) is Problem.TOP_LEVEL
    assert escalation_problem(S.RESOLVED, IssueLevel.ZONE) is Problem.NOT_OPEN
    assert escalation_problem(S.CLOSED, IssueLevel.ZONE) is Problem.CLOSED


def test_overdue_only_while_unfinished_and_past_the_deadline():
    deadline = date(2025, 4, 30)
    assert is_overdue(deadline, S.IN_PROGRESS, TODAY) and is_overdue(deadline, S.NEW, TODAY)
    assert not is_overdue(deadline, S.RESOLVED, TODAY) and not is_overdue(deadline, S.CLOSED, TODAY)
    assert not is_overdue(TODAY, S.IN_PROGRESS, TODAY)  # due today is not late yet


def test_numbers_per_year():
    assert issue_number(2025, 7) == "WT2025-007" and issue_number(2025, 1000) == "WT2025-1000"
    assert sequence_of("WT2025-007", 2025) == 7 and sequence_of("WT2024-007", 2025) is None
    assert sequence_of("WT2025-x1", 2025) is None and sequence_of(None, 2025) is None
    assert next_sequence([], 2026) == 1
    assert next_sequence(["WT2025-009", "WT2025-1000", "WT2025-010", "WT2024-500", "junk"], 2025) == 1001


def test_dates():
    assert raised_problem(TODAY, TODAY) is None
    assert raised_problem(date(2025, 5, 22), TODAY) is Problem.RAISED_IN_FUTURE
    assert raised_problem(date(1900, 1, 1), TODAY) is Problem.DATE_OUT_OF_RANGE
    assert deadline_problem(TODAY, TODAY) is None
    assert deadline_problem(TODAY, date(2025, 5, 20)) is Problem.DEADLINE_BEFORE_RAISED
    assert deadline_problem(TODAY, date(2100, 1, 1)) is Problem.DATE_OUT_OF_RANGE


def test_actions_push_only_open_issues_and_nothing_after_closing():
    assert action_problem(IssueActionKind.URGE, S.IN_PROGRESS) is None
    assert action_problem(IssueActionKind.ONSITE, S.NEW) is None
    assert action_problem(IssueActionKind.TALK, S.RESOLVED) is Problem.NOT_OPEN
    assert action_problem(IssueActionKind.NOTE, S.RESOLVED) is None
    assert action_problem(IssueActionKind.NOTE, S.CLOSED) is Problem.CLOSED
    assert action_problem(IssueActionKind.CLOSE, S.RESOLVED) is Problem.WRONG_STATUS  # moves have their own routes


def test_week_is_monday_to_sunday():
    assert week_of(date(2025, 5, 21)) == (date(2025, 5, 19), date(2025, 5, 25))
    assert week_of(date(2025, 5, 19)) == (date(2025, 5, 19), date(2025, 5, 25))
    assert week_of(date(2025, 5, 25)) == (date(2025, 5, 19), date(2025, 5, 25))


START, END = date(2025, 5, 19), date(2025, 5, 25)
N, P, F = ReportList.NEW, ReportList.PROGRESS, ReportList.FINISHED


@pytest.mark.parametrize(
    "raised,resolved,closed,acted,expected",
    [
        (date(2025, 5, 20), None, None, False, {N, P}),  # raised this week, still open
        (date(2025, 5, 26), None, None, False, set()),  # raised after the period
        (date(2025, 4, 1), None, None, False, {P}),  # older, still open at the end
        (date(2025, 4, 1), date(2025, 5, 21), None, True, {P, F}),  # worked on and finished this week
        (date(2025, 4, 1), date(2025, 5, 21), None, False, {F}),  # finished this week (no line: imported)
        (date(2025, 4, 1), date(2025, 5, 10), date(2025, 5, 22), True, {F}),  # 销号 this week of one finished before
        (date(2025, 4, 1), date(2025, 5, 10), None, False, set()),  # finished before, waiting for 销号
        (date(2025, 4, 1), date(2025, 5, 10), date(2025, 5, 12), False, set()),  # all done before the period
        (date(2025, 4, 1), date(2025, 5, 28), None, False, {P}),  # finished after the period: open at its end
        (date(2025, 5, 19), date(2025, 5, 25), None, True, {N, P, F}),  # raised and finished in the week
    ],
)
def test_report_lists(raised, resolved, closed, acted, expected):
    assert report_lists(raised, resolved, closed, acted, START, END) == expected
