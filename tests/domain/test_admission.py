"""准入评审's pure rules: the 评审表 (default, stored, typed), scores, the outcome the scores allow, the 签约 gate."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from crm.domain.admission import (
    Criterion,
    Figure,
    Outcome,
    ReviewStatus,
    ScoreError,
    Sheet,
    SheetError,
    check_scores,
    default_sheet,
    format_criteria,
    is_passed,
    outcome_problem,
    parse_criteria,
    signing_allowed,
    validate_sheet,
    verdict,
)
from crm.domain.pipeline import Facts, Need, Stage, gate_problems

GOOD = {Figure.INVESTMENT_INTENSITY: D(320), Figure.TAX_PER_MU: D(35)}


def test_the_default_sheet_is_of_100_points_and_round_trips():
    sheet = default_sheet()
    assert sheet.total_points == 100 and not sheet.gate
    validate_sheet(sheet)
    assert Sheet.from_json(sheet.to_json()) == sheet
    assert Sheet.from_json(None) == sheet
    assert parse_criteria(format_criteria(sheet.criteria)) == sheet.criteria


def test_typed_criteria_are_read_and_refused_with_their_line():
    assert parse_criteria("投资强度|25|投资强度|300\n\n环保｜15") == (
        Criterion("投资强度", D(25), Figure.INVESTMENT_INTENSITY, D(300)), Criterion("环保", D(15)))
    for text, code, line in (("环保", "line", 1), ("环保|十五", "points", 1), ("a|1\n能耗|10|用电|5", "threshold", 2),
                             ("a|1|亩均税收|x", "threshold", 1)):
        with pytest.raises(SheetError) as caught:
            parse_criteria(text)
        assert (caught.value.code, caught.value.line) == (code, line), text


@pytest.mark.parametrize("sheet, code", [
    (Sheet(()), "no_criteria"),
    (Sheet((Criterion("a", D(10)), Criterion("a", D(10)))), "duplicate"),
    (Sheet((Criterion("a", D(0)),)), "points"),
    (Sheet((Criterion("a", D(10), None, D(3)),)), "threshold"),
    (Sheet((Criterion("a", D(10)),), pass_score=D(11), conditional_score=D(5)), "scores"),
    (Sheet((Criterion("a", D(100)),), pass_score=D(60), conditional_score=D(80)), "scores"),
    (Sheet((Criterion("a", D(100)),), vetoes=("x", "x")), "vetoes"),
])
def test_a_sheet_that_does_not_hold_together_is_refused(sheet, code):
    with pytest.raises(SheetError) as caught:
        validate_sheet(sheet)
    assert caught.value.code == code
    with pytest.raises(SheetError):
        Sheet.from_json(sheet.to_json())


def test_a_stored_sheet_with_a_zero_conditional_score_is_fine():
    sheet = Sheet((Criterion("a", D(100)),), pass_score=D(60), conditional_score=D(0))
    assert Sheet.from_json(sheet.to_json()).conditional_score == 0
    with pytest.raises(SheetError):
        Sheet.from_json({"criteria": "nope"})


def test_scores_are_each_within_the_criterion():
    sheet = default_sheet()
    assert check_scores(sheet, [D(20), D(15), D(10), D(10), D(10), D(5)]) == [D(20), D(15), D(10), D(10), D(10), D(5)]
    for scores, code, index in (([D(20)], "count", 0), ([D(20), None, D(1), D(1), D(1), D(1)], "missing", 1),
                                ([D(26), D(1), D(1), D(1), D(1), D(1)], "range", 0), ([D(1)] * 5 + [D(-1)], "range", 5)):
        with pytest.raises(ScoreError) as caught:
            check_scores(sheet, scores)
        assert (caught.value.code, caught.value.index) == (code, index)


def test_the_outcome_allowed_follows_total_thresholds_and_vetoes():
    sheet = default_sheet()
    high = [D(25), D(20), D(12), D(12), D(12), D(8)]  # 89
    mid = [D(20), D(15), D(8), D(8), D(8), D(5)]  # 64
    low = [D(10), D(10), D(5), D(5), D(5), D(5)]  # 40
    assert verdict(sheet, high, [], GOOD).allowed is Outcome.PASSED
    assert verdict(sheet, high, [], GOOD).total == 89
    missed = verdict(sheet, high, [], {**GOOD, Figure.INVESTMENT_INTENSITY: D(280)})
    assert missed.allowed is Outcome.CONDITIONAL and missed.missed == ("投资强度（万元/亩）",)
    assert verdict(sheet, high, [], {Figure.INVESTMENT_INTENSITY: D(300)}).allowed is Outcome.CONDITIONAL  # 亩均税收 unknown
    assert verdict(sheet, mid, [], GOOD).allowed is Outcome.CONDITIONAL
    assert verdict(sheet, low, [], GOOD).allowed is Outcome.REJECTED
    vetoed = verdict(sheet, high, [sheet.vetoes[0], "不在表中的项"], GOOD)
    assert vetoed.allowed is Outcome.REJECTED and vetoed.vetoed == (sheet.vetoes[0],)


def test_the_joint_review_may_be_stricter_never_more_lenient():
    assert outcome_problem(Outcome.PASSED, Outcome.CONDITIONAL, None) == "too_lenient"
    assert outcome_problem(Outcome.CONDITIONAL, Outcome.REJECTED, "x") == "too_lenient"
    assert outcome_problem(Outcome.CONDITIONAL, Outcome.PASSED, "  ") == "conditions"
    assert outcome_problem(Outcome.CONDITIONAL, Outcome.PASSED, "投资强度须达 300 万元/亩") is None
    assert outcome_problem(Outcome.REJECTED, Outcome.PASSED, None) is None


def test_a_passed_review_and_the_signing_gate():
    assert is_passed(ReviewStatus.DECIDED, Outcome.CONDITIONAL) and is_passed(ReviewStatus.DECIDED, Outcome.PASSED)
    assert not is_passed(ReviewStatus.DECIDED, Outcome.REJECTED) and not is_passed(ReviewStatus.AWAITING_JOINT, None)
    assert signing_allowed(False, False) and signing_allowed(True, True) and not signing_allowed(True, False)
    signed = Facts(has_formal_contract=True, total_investment=D(1), first_phase_investment=D(1), signed_month="2026-01")
    assert gate_problems(Stage.TALKS, Stage.SIGNED, signed) == []
    required = Facts(**{**signed.__dict__, "admission_required": True})
    assert [p.need for p in gate_problems(Stage.TALKS, Stage.SIGNED, required)] == [Need.ADMISSION_REVIEW]
    assert gate_problems(Stage.TALKS, Stage.SIGNED, Facts(**{**required.__dict__, "admission_passed": True})) == []
