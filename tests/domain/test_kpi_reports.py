"""Pure report rules: periods, 同比, 统计口径, flags, the 月评比 scorecard and 功效系数法, 季奖惩."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.domain.companies import FundingSource, IndustryCategory
from crm.domain.kpi import (
    Progress,
    first_day,
    is_period,
    last_day,
    last_year,
    months_between,
    months_elapsed,
    parse_period,
    pct,
    quarter_of,
    quarter_periods,
    shift_period,
    year_start,
    yoy,
)
from crm.domain.pipeline import Nature, Stage
from crm.domain.reports import (
    Basis,
    CountingRules,
    EventFact,
    FlagSettings,
    Item,
    Phase,
    Scorecard,
    ScoreMethod,
    SettingsError,
    UnitFacts,
    Verdict,
    Window,
    competition_ranks,
    counted_amount,
    first_events,
    in_phase,
    is_empty_nest,
    is_late_report,
    is_late_start,
    is_shadow,
    months_before,
    overdue_in_month,
    last_place_runs,
    quarter_results,
    score_units,
    shadow_cutoff,
)

D = Decimal


# --- periods ------------------------------------------------------------------------------------
def test_period_arithmetic() -> None:
    assert parse_period("2025-04") == (2025, 4)
    assert shift_period("2025-01", -1) == "2024-12" and shift_period("2024-12", 1) == "2025-01"
    assert shift_period("2025-05", -14) == "2024-03"
    assert months_between("2024-11", "2025-05") == 6 and months_between("2025-05", "2025-05") == 0
    assert year_start("2025-04") == "2025-01" and months_elapsed("2025-04") == 4
    assert last_year("2025-04") == "2024-04"
    assert first_day("2024-02") == date(2024, 2, 1) and last_day("2024-02") == date(2024, 2, 29)
    assert quarter_of("2025-04") == 2 and quarter_periods(2025, 4) == ("2025-10", "2025-11", "2025-12")
    window = Window("2025-04")
    assert (window.start, window.last_year, window.last_year_start) == ("2025-01", "2024-04", "2024-01")


@pytest.mark.parametrize("bad", ["2025-13", "2025-4", "25-04", "2025/04", "", "abcd-ef"])
def test_bad_periods_are_refused(bad: str) -> None:
    assert not is_period(bad)
    with pytest.raises(ValueError):
        parse_period(bad)


def test_year_over_year() -> None:
    # 鲁山 1–4月 固投 150 000 万, 同比 +61.3 %: last year's was 150 000 / 1.613.
    assert pct(yoy(D(150_000), D(150_000) / D("1.613")), 1) == D("61.3")
    assert yoy(D(5), D(0)) is None  # nothing last year: no rate
    assert yoy(D(50), D(100)) == D(-50)
    assert yoy(D(3_717_000), D(35_000)) is None  # a base under 1 % of this year's: "—", not 10520.00%
    assert yoy(D(100), D(1)) == D(9900)  # exactly 1 %: still a rate
    assert yoy(D(0), D(5)) == D(-100)


def test_progress_against_a_target() -> None:
    # The seed's April: 固定资产投资 15 亿 of 60 亿 = 25 %, 4 months elapsed = 33.33 %, 8.33 points behind.
    p = Progress(D(150_000), D(600_000), 4)
    assert p.completion == 25 and pct(p.schedule) == D("33.33") and pct(p.ahead) == D("-8.33")
    assert not p.double_half
    assert Progress(D(10), None, 4).completion is None and Progress(D(10), None, 4).ahead is None
    # 攀枝花 Jan–Oct: 125.64 % − 83.33 % = +42.31.
    assert pct(Progress(D("125.64"), D(100), 10).ahead) == D("42.31")
    assert Progress(D(51), D(100), 6).double_half and not Progress(D(51), D(100), 5).double_half


# --- 统计口径 -------------------------------------------------------------------------------------
def test_default_counting_rules() -> None:
    rules = CountingRules()
    c = IndustryCategory.C
    assert rules.counts(c, FundingSource.OTHER_PROVINCE, D(10_000))  # 1 亿 counts
    assert not rules.counts(c, FundingSource.OTHER_PROVINCE, D("9999.99"))  # below the threshold
    assert not rules.counts(c, FundingSource.OTHER_PROVINCE, None)
    assert not rules.counts(IndustryCategory.K, FundingSource.OTHER_PROVINCE, D(500_000))  # 房地产
    assert not rules.counts(c, FundingSource.IN_COUNTY, D(500_000))  # local firms' money only
    assert rules.counts(None, None, D(10_000))  # unknown category and source are not excluded


def test_industrial_threshold() -> None:
    # 柘城 counts 5000万元以上的工业项目: 工业 = B, C, D.
    rules = CountingRules(industrial_threshold=D(5_000))
    assert rules.counts(IndustryCategory.C, None, D(5_000))
    assert rules.counts(IndustryCategory.D, None, D(6_000))
    assert not rules.counts(IndustryCategory.F, None, D(6_000))  # 批发零售 needs the general 1 亿
    assert rules.threshold_for(IndustryCategory.B) == 5_000 and rules.threshold_for(None) == 10_000


def test_counting_rules_json_round_trip_and_validation() -> None:
    rules = CountingRules(threshold=D(3_000), industrial_threshold=D(5_000),
                          excluded_categories=frozenset({IndustryCategory.K, IndustryCategory.O}), excluded_sources=frozenset())
    assert CountingRules.from_json(rules.to_json()) == rules
    assert CountingRules.from_json(None) == CountingRules()
    with pytest.raises(SettingsError) as error:
        CountingRules.from_json({"threshold": "-1", "industrial_threshold": "abc", "excluded_categories": ["Z"], "excluded_sources": ["mars"]})
    assert {f for f, _p in error.value.problems} == {"threshold", "industrial_threshold", "excluded_categories", "excluded_sources"}


def test_capital_increase_counts_only_the_added_amount() -> None:
    assert counted_amount(Nature.CAPITAL_INCREASE, D(8_000), D(50_000)) == 8_000
    assert counted_amount(Nature.CAPITAL_INCREASE, None, D(50_000)) is None  # nothing added: nothing counted
    assert counted_amount(Nature.NEW, None, D(50_000)) == 50_000  # others fall back to the project
    assert counted_amount(Nature.EXPANSION, D(20_000), D(50_000)) == 20_000


def test_a_project_counts_once_for_its_first_signing() -> None:
    events = [
        EventFact(1, 10, Stage.SIGNED, "2025-02"),
        EventFact(5, 10, Stage.SIGNED, "2025-06"),  # stopped and signed again
        EventFact(3, 10, Stage.STARTED, "2025-04"),
        EventFact(7, 11, Stage.SIGNED, "2025-03"),
        EventFact(6, 11, Stage.SIGNED, "2025-03"),  # same month: the earlier record
    ]
    assert first_events(events) == {1, 3, 6}


def test_cohort_phases() -> None:
    assert in_phase(Phase.ACTIVE, Stage.REGISTERED, None) and not in_phase(Phase.ACTIVE, Stage.PAUSED, Stage.STARTED)
    assert not in_phase(Phase.ACTIVE, Stage.TERMINATED, None) and not in_phase(Phase.ACTIVE, Stage.TALKS, None)
    assert in_phase(Phase.STARTED, Stage.PAUSED, Stage.STARTED)  # paused after starting: it did start
    assert in_phase(Phase.STARTED, Stage.PRODUCING, None) and not in_phase(Phase.STARTED, Stage.REGISTERED, None)
    assert in_phase(Phase.LANDED, Stage.STARTED, None) and not in_phase(Phase.LANDED, Stage.SIGNED, None)
    assert in_phase(Phase.PRODUCING, Stage.FULL_CAPACITY, None)


# --- flags ----------------------------------------------------------------------------------------
def test_shadow_project() -> None:
    today = date(2025, 5, 21)
    assert is_shadow(Stage.SIGNED, "2024-11", today, 6)  # six months: flagged
    assert not is_shadow(Stage.SIGNED, "2024-12", today, 6)
    assert is_shadow(Stage.REGISTERED, "2024-01", today, 6)
    assert not is_shadow(Stage.STARTED, "2024-01", today, 6)  # started: not a shadow
    assert not is_shadow(Stage.SIGNED, None, today, 6)
    assert shadow_cutoff(today, 6) == "2024-11"  # the SQL twin's cutoff agrees


def test_empty_nest_and_late_start() -> None:
    today = date(2025, 5, 31)
    assert months_before(today, 3) == date(2025, 2, 28)  # no 31 February
    assert is_empty_nest(Stage.STARTED, date(2025, 2, 28), today, 3)
    assert not is_empty_nest(Stage.STARTED, date(2025, 3, 1), today, 3)
    assert not is_empty_nest(Stage.PRODUCING, date(2024, 1, 1), today, 3)  # producing: not empty
    assert not is_empty_nest(Stage.STARTED, None, today, 3)  # not built yet
    assert is_late_start(Stage.SIGNED, date(2025, 4, 15), today) and not is_late_start(Stage.STARTED, date(2025, 4, 15), today)
    assert not is_late_start(Stage.SIGNED, today, today)
    with pytest.raises(SettingsError):
        FlagSettings.from_json({"shadow_months": 0})


def test_late_reports_and_overdue_issues() -> None:
    due = date(2025, 4, 17)
    assert is_late_report(due, date(2025, 4, 18), date(2025, 5, 1))
    assert not is_late_report(due, due, date(2025, 5, 1))
    assert is_late_report(due, None, date(2025, 4, 18))  # missing after the due day
    assert not is_late_report(due, None, due)
    start, as_of = date(2025, 4, 1), date(2025, 5, 1)
    assert overdue_in_month(date(2025, 4, 10), None, start, as_of)
    assert overdue_in_month(date(2025, 4, 10), date(2025, 4, 20), start, as_of)  # resolved late, within the month
    assert not overdue_in_month(date(2025, 4, 10), date(2025, 4, 9), start, as_of)  # resolved in time
    assert not overdue_in_month(date(2025, 3, 1), date(2025, 3, 20), start, as_of)  # late, but settled before April
    assert not overdue_in_month(date(2025, 5, 1), None, start, as_of)  # not due yet


# --- 月评比 ----------------------------------------------------------------------------------------
def facts(unit_id: int, name: str, **kw: object) -> UnitFacts:
    return UnitFacts(unit_id, name, **kw)  # type: ignore[arg-type]


def test_default_scorecard_is_domains() -> None:
    card = Scorecard()
    assert (card.signing, card.starts, card.funds, card.basics, card.issues) == (30, 25, 20, 15, 10)
    assert card.late_report_penalty == D("0.5") and card.overdue_issue_penalty == 1
    assert card.bonus_top_company == 3 and card.bonus_ten_yi == 4
    assert Scorecard.from_json(card.to_json()) == card


def test_scorecard_validation() -> None:
    with pytest.raises(SettingsError) as error:
        Scorecard.from_json({**Scorecard().to_json(), "signing": "40"})
    assert error.value.problems == [("signing", "weights_not_100")]
    with pytest.raises(SettingsError):
        Scorecard.from_json({**Scorecard().to_json(), "method": "lottery"})
    with pytest.raises(SettingsError):
        Scorecard.from_json({**Scorecard().to_json(), "unit_types": []})


def test_a_perfect_unit_scores_100_and_each_line_is_explained() -> None:
    # April (N = 4): targets 12 signings / 120 000 万 / 6 starts / 30 000 万 funds / 12 000 万 省外 → 序时 ⅓ of each.
    perfect = facts(1, "第一招商分局", signed_count=4, signed_amount=D(40_000), signed_count_target=D(12), signed_amount_target=D(120_000),
                    new_starts=2, new_starts_target=D(6), cohort_signed=5, cohort_started=5, funds=D(10_000), funds_target=D(30_000),
                    out_of_province=D(4_000), out_of_province_target=D(12_000))
    [score] = score_units([perfect], 4)
    assert score.total == 100 and score.rank == 1
    by = {line.item: line for line in score.lines}
    assert by[Item.SIGNED_COUNT].basis is Basis.TARGET and by[Item.SIGNED_COUNT].reference == 4  # 12 × 4 ÷ 12
    assert by[Item.START_RATE].basis is Basis.RATE and by[Item.START_RATE].actual == 100
    assert score.lost == []


def test_points_against_the_time_target_relative_and_penalties() -> None:
    a = facts(1, "甲", signed_count=2, signed_count_target=D(12), signed_amount=D(10_000), new_starts=1, cohort_signed=4, cohort_started=1,
              funds=D(5_000), late_reports=3, overdue_issues=12)
    b = facts(2, "乙", signed_count=0, signed_amount=D(40_000), new_starts=2, funds=D(20_000), out_of_province=D(1_000))
    scores = {s.unit_id: s for s in score_units([a, b], 4)}
    lines = {line.item: line for line in scores[1].lines}
    assert lines[Item.SIGNED_COUNT].points == D("7.50")  # 15 × 2 ÷ (12 × 4 ÷ 12)
    assert lines[Item.SIGNED_AMOUNT].points == D("3.75") and lines[Item.SIGNED_AMOUNT].basis is Basis.RELATIVE  # 15 × 10 000 ÷ 40 000
    assert lines[Item.NEW_STARTS].points == D("7.50")  # 15 × 1 ÷ 2
    assert lines[Item.START_RATE].points == D("2.50")  # 10 × 25 %
    assert lines[Item.FUNDS].points == D("2.50")  # 10 × 5 000 ÷ 20 000
    assert lines[Item.OUT_OF_PROVINCE].points == 0
    assert lines[Item.BASICS].points == D("13.50")  # 15 − 3 × 0.5
    assert lines[Item.ISSUES].points == 0  # 10 − 12, never below zero
    assert scores[2].lines[-1].item is Item.ISSUES and scores[2].total > scores[1].total
    assert scores[2].rank == 1 and scores[1].rank == 2
    assert scores[1].lost[0].item in (Item.ISSUES, Item.SIGNED_AMOUNT, Item.OUT_OF_PROVINCE)


def test_bonuses_add_on_top() -> None:
    big = facts(1, "甲", top_company_projects=("海亮(兴发)工业园",), ten_yi_projects=("海亮(兴发)工业园", "鲁山县石材建材工业城"))
    [score] = score_units([big], 1)
    by = {line.item: line for line in score.lines}
    assert by[Item.BONUS_TOP_COMPANY].points == 3 and by[Item.BONUS_TEN_YI].points == 8
    assert by[Item.BONUS_TEN_YI].names == ("海亮(兴发)工业园", "鲁山县石材建材工业城")
    assert score.total == 15 + 10 + 11  # basics and issues in full, bonuses 3 + 8, nothing else


def test_efficacy_method() -> None:
    # 功效系数法: 60 % + 40 % × (x − min) ÷ (max − min).
    card = Scorecard(method=ScoreMethod.EFFICACY)
    units = [facts(1, "甲", funds=D(100)), facts(2, "乙", funds=D(300)), facts(3, "丙", funds=D(200))]
    scores = {s.unit_id: {line.item: line for line in s.lines} for s in score_units(units, 4, card)}
    assert scores[1][Item.FUNDS].points == 6 and scores[2][Item.FUNDS].points == 10 and scores[3][Item.FUNDS].points == 8
    assert scores[3][Item.FUNDS].basis is Basis.EFFICACY and scores[3][Item.FUNDS].low == 100 and scores[3][Item.FUNDS].reference == 300
    # all equal: full marks when something was done, the 60 % base when nothing was
    assert scores[1][Item.SIGNED_COUNT].points == D("9.00")


def test_ranks_are_shared_on_ties() -> None:
    assert competition_ranks([D(90), D(80), D(80), D(70)]) == [1, 2, 2, 4]


def test_quarter_praise_and_criticism() -> None:
    def month(values: dict[str, int]) -> list:
        return score_units([facts(i, n, signed_count=v) for i, (n, v) in enumerate(values.items(), start=1)], 1)

    months = [month({"甲": 5, "乙": 3, "丙": 1, "丁": 0}), month({"甲": 4, "乙": 4, "丙": 0, "丁": 1})]
    rows = quarter_results(months, Scorecard(praise_top=1, criticise_bottom=2))
    # averages: 甲 (40 + 40) ÷ 2, 乙 (34 + 40) ÷ 2, 丁 (25 + 28.75) ÷ 2, 丙 (28 + 25) ÷ 2
    assert [(r.name, r.average) for r in rows] == [("甲", 40), ("乙", 37), ("丁", D("26.88")), ("丙", D("26.50"))]
    assert rows[0].verdict is Verdict.PRAISE and rows[1].verdict is None
    assert {r.verdict for r in rows[2:]} == {Verdict.CRITICISE}
    assert rows[0].average == (rows[0].monthly[0] + rows[0].monthly[1]) / 2


def test_quarter_verdicts_treat_tied_units_alike() -> None:
    """Seven units tied at the bottom were criticised two of them, in tree order (the demo's Q4): a tie at the
    cut now shares its verdict, at the bottom as at the top."""
    def month(values: dict[str, int]) -> list:
        return score_units([facts(i, n, signed_count=v) for i, (n, v) in enumerate(values.items(), start=1)], 1)

    tied_bottom = [month({"甲": 5, "乙": 3, "丙": 0, "丁": 0, "戊": 0})]
    rows = quarter_results(tied_bottom, Scorecard(praise_top=1, criticise_bottom=2))
    by_name = {r.name: r.verdict for r in rows}
    assert by_name == {"甲": Verdict.PRAISE, "乙": None, "丙": Verdict.CRITICISE, "丁": Verdict.CRITICISE, "戊": Verdict.CRITICISE}
    tied_top = quarter_results([month({"甲": 5, "乙": 5, "丙": 3, "丁": 1})], Scorecard(praise_top=1, criticise_bottom=1))
    assert [r.verdict for r in tied_top] == [Verdict.PRAISE, Verdict.PRAISE, None, Verdict.CRITICISE]
    everyone_equal = quarter_results([month({"甲": 0, "乙": 0, "丙": 0})], Scorecard(praise_top=1, criticise_bottom=1))
    assert {r.verdict for r in everyone_equal} == {None}  # a tie reaching both cuts: nobody stands out


def test_last_place_months_in_a_row_bring_summons_and_accountability() -> None:
    """约谈 for the last place twice in a row, 问责 three times (the defaults; 0 turns either off); a month where
    everyone ties is nobody's last place, and a run is broken by a month off the bottom."""
    def month(values: dict[str, int]) -> list:
        return score_units([facts(i, n, signed_count=v) for i, (n, v) in enumerate(values.items(), start=1)], 1)

    two = [month({"甲": 5, "乙": 3, "丙": 0}), month({"甲": 4, "乙": 2, "丙": 0}), month({"甲": 4, "乙": 0, "丙": 2})]
    rows = {r.name: r for r in quarter_results(two, Scorecard(praise_top=1, criticise_bottom=1))}
    assert (rows["丙"].last_months, rows["丙"].verdict) == (2, Verdict.SUMMON)
    assert (rows["乙"].last_months, rows["乙"].verdict) == (1, None)
    three = [month({"甲": 5, "乙": 3, "丙": 0})] * 3
    assert {r.name: r.verdict for r in quarter_results(three, Scorecard(criticise_bottom=1))}["丙"] is Verdict.ACCOUNT
    off = {r.name: r.verdict for r in quarter_results(three, Scorecard(criticise_bottom=1, summon_after_last=0, account_after_last=0))}
    assert off["丙"] is Verdict.CRITICISE
    assert last_place_runs([month({"甲": 0, "乙": 0})] * 3) == {}
