"""服务单位月评议's pure rules: what a sheet may hold, the month's and the quarter's ranking, the bottom two."""

from __future__ import annotations

from decimal import Decimal as D

from crm.domain.access import Role
from crm.domain.ratings import (
    Criterion,
    Result,
    SheetProblem,
    bottom,
    may_rate,
    month_results,
    quarter_results,
    sheet_problems,
)
from crm.domain.units import UnitType

CRITERIA = [Criterion(1, "服务态度", D(30)), Criterion(2, "办事效率", D("20.5"))]


def test_a_sheet_needs_every_criterion_within_its_maximum_in_half_points() -> None:
    assert sheet_problems(CRITERIA, {1: D(30), 2: D("20.5")}) == {}
    assert sheet_problems(CRITERIA, {1: None, 2: D(21)}) == {1: SheetProblem.MISSING, 2: SheetProblem.ABOVE_MAX}
    assert sheet_problems(CRITERIA, {1: D(-1), 2: D("3.3")}) == {1: SheetProblem.NEGATIVE, 2: SheetProblem.STEP}
    assert sheet_problems(CRITERIA, {2: D(0)}) == {1: SheetProblem.MISSING}


def test_raters_are_the_branch_chiefs_and_the_county_leaders() -> None:
    assert may_rate(Role.CHIEF, UnitType.BRANCH) and may_rate(Role.LEADER, UnitType.COUNTY)
    assert not may_rate(Role.CHIEF, UnitType.SQUAD) and not may_rate(Role.STAFF, UnitType.BRANCH)
    assert not may_rate(Role.REVIEWER, UnitType.BUREAU) and not may_rate(Role.ADMIN, UnitType.COUNTY)


def test_a_month_is_the_mean_of_the_raters_totals_and_equal_scores_share_a_rank() -> None:
    names = {1: "自然资源局", 2: "住建局", 3: "税务局", 4: "供电公司"}
    results = month_results([(1, D(80)), (1, D(85)), (2, D(90)), (3, D("82.5")), (4, D(95))], names)
    assert [(r.rank, r.name, r.score, r.count) for r in results] == [
        (1, "供电公司", D("95.00"), 1), (2, "住建局", D("90.00"), 1), (3, "税务局", D("82.50"), 1), (3, "自然资源局", D("82.50"), 2)]


def test_a_quarter_is_the_mean_of_the_months_a_unit_was_rated_in() -> None:
    january = [Result(1, "甲", D(80), 2), Result(2, "乙", D(90), 2)]
    february = [Result(1, "甲", D(86), 2)]
    assert [(r.name, r.score, r.count, r.rank) for r in quarter_results([january, february])] == [("乙", D("90.00"), 1, 1), ("甲", D("83.00"), 2, 2)]


def test_the_bottom_two_are_the_last_places_with_those_tied_at_the_cut() -> None:
    ranked = month_results([(1, D(90)), (2, D(80)), (3, D(70)), (4, D(60))], {1: "a", 2: "b", 3: "c", 4: "d"})
    assert [r.name for r in bottom(ranked)] == ["d", "c"]
    tied = month_results([(1, D(90)), (2, D(70)), (3, D(70)), (4, D(60))], {1: "a", 2: "b", 3: "c", 4: "d"})
    assert [r.name for r in bottom(tied)] == ["d", "b", "c"]
    assert bottom(ranked[:2]) == []  # two rated units have no "bottom two"


def test_the_month_to_rate_is_last_month_in_the_first_ten_days() -> None:
    from datetime import date

    from crm.domain.ratings import rating_month

    assert rating_month(date(2026, 12, 3)) == "2026-11" and rating_month(date(2026, 12, 10)) == "2026-11"
    assert rating_month(date(2026, 12, 11)) == "2026-12" and rating_month(date(2027, 1, 5)) == "2026-12"
