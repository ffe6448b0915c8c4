"""履约 against the commitments of a 正式合同 (crm.domain.compliance)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.domain.compliance import (
    STATUS_ORDER,
    Actuals,
    Assessment,
    CheckKind,
    Commitments,
    ComplianceStatus as S,
    Outcome,
    add_months,
    assess,
    breached,
    count_statuses,
    per_mu,
    performing,
)
from crm.domain.pipeline import Stage

TODAY = date(2026, 12, 4)
SIGNED = date(2025, 3, 1)


def promise(**kw) -> Commitments:
    return Commitments(signed_on=SIGNED, **kw)


def test_nothing_promised_is_on_schedule() -> None:
    a = assess(promise(), Actuals(Stage.SIGNED), TODAY)
    assert a.statuses == (S.ON_SCHEDULE,) and a.on_schedule and a.status is S.ON_SCHEDULE
    assert {c.outcome for c in a.checks} == {Outcome.NOT_PROMISED}
    assert a.failed == () and a.missing_data == ()


def test_start_date_not_reached_is_not_due_and_the_day_itself_is_in_time() -> None:
    for today in (date(2026, 6, 29), date(2026, 6, 30)):
        a = assess(promise(start_on=date(2026, 6, 30)), Actuals(Stage.SIGNED), today)
        assert a.on_schedule and a.check(CheckKind.START).outcome is Outcome.NOT_DUE


def test_late_start_the_day_after_with_the_days_overdue() -> None:
    a = assess(promise(start_on=date(2025, 6, 30)), Actuals(Stage.REGISTERED), date(2025, 7, 1))
    assert a.statuses == (S.LATE_START,)
    c = a.check(CheckKind.START)
    assert c.outcome is Outcome.SHORT and c.promised == date(2025, 6, 30) and c.actual is None and c.overdue_days == 1
    assert c.status is S.LATE_START and a.failed == (c,)


@pytest.mark.parametrize("stage", [Stage.STARTED, Stage.PRODUCING, Stage.FULL_CAPACITY])
def test_started_meets_the_start_date_whenever_it_happened(stage: Stage) -> None:
    a = assess(promise(start_on=date(2025, 6, 30)), Actuals(stage, start_month="2025-09"), TODAY)
    c = a.check(CheckKind.START)
    assert c.outcome is Outcome.MET and c.actual == "2025-09" and a.on_schedule


def test_a_paused_project_counts_at_the_stage_it_paused_from() -> None:
    started = assess(promise(start_on=date(2025, 6, 30)), Actuals(Stage.PAUSED, paused_from=Stage.STARTED), TODAY)
    assert started.on_schedule
    signed = assess(promise(start_on=date(2025, 6, 30)), Actuals(Stage.PAUSED, paused_from=Stage.SIGNED), TODAY)
    assert signed.statuses == (S.LATE_START,)


def test_a_terminated_project_has_not_started() -> None:
    a = assess(promise(start_on=date(2025, 6, 30)), Actuals(Stage.TERMINATED), TODAY)
    assert a.statuses == (S.LATE_START,)


def test_late_start_and_late_production_both_hold_in_order() -> None:
    a = assess(promise(start_on=date(2025, 6, 30), production_on=date(2026, 6, 30)), Actuals(Stage.SIGNED), TODAY)
    assert a.statuses == (S.LATE_START, S.LATE_PRODUCTION) and a.status is S.LATE_START
    assert a.check(CheckKind.PRODUCTION).overdue_days == (TODAY - date(2026, 6, 30)).days


def test_started_but_not_producing_after_the_date() -> None:
    a = assess(promise(start_on=date(2025, 6, 30), production_on=date(2026, 6, 30)), Actuals(Stage.STARTED), TODAY)
    assert a.statuses == (S.LATE_PRODUCTION,)


def test_intensity_is_funds_in_place_over_land_and_due_with_production() -> None:
    c = promise(production_on=date(2026, 6, 30), intensity=Decimal("300"))
    short = assess(c, Actuals(Stage.PRODUCING, funds_arrived=Decimal("20000"), land_mu=Decimal("100")), TODAY)
    check = short.check(CheckKind.INTENSITY)
    assert short.statuses == (S.INTENSITY_SHORT,)
    assert check.promised == Decimal("300") and check.actual == Decimal("200.00") and check.due_on == date(2026, 6, 30)
    met = assess(c, Actuals(Stage.PRODUCING, funds_arrived=Decimal("30000"), land_mu=Decimal("100")), TODAY)
    assert met.on_schedule and met.check(CheckKind.INTENSITY).outcome is Outcome.MET


def test_intensity_not_due_before_production() -> None:
    c = promise(production_on=date(2027, 6, 30), intensity=Decimal("300"))
    a = assess(c, Actuals(Stage.STARTED, funds_arrived=Decimal("100"), land_mu=Decimal("100")), TODAY)
    assert a.on_schedule and a.check(CheckKind.INTENSITY).outcome is Outcome.NOT_DUE
    # the figure so far is still shown
    assert a.check(CheckKind.INTENSITY).actual == Decimal("1.00")


@pytest.mark.parametrize("funds, land", [(None, Decimal("100")), (Decimal("100"), None), (Decimal("100"), Decimal("0"))])
def test_intensity_without_funds_or_land_is_no_data_not_a_breach(funds, land) -> None:
    c = promise(production_on=date(2026, 6, 30), intensity=Decimal("300"))
    a = assess(c, Actuals(Stage.PRODUCING, funds_arrived=funds, land_mu=land), TODAY)
    check = a.check(CheckKind.INTENSITY)
    assert check.outcome is Outcome.NO_DATA and check.actual is None and a.on_schedule and a.missing_data == (check,)


def test_intensity_without_a_production_date_is_due_once_producing() -> None:
    c = promise(intensity=Decimal("300"))
    assert assess(c, Actuals(Stage.STARTED, funds_arrived=Decimal("1"), land_mu=Decimal("1")), TODAY).on_schedule
    assert assess(c, Actuals(Stage.PRODUCING, funds_arrived=Decimal("1"), land_mu=Decimal("1")), TODAY).statuses == (S.INTENSITY_SHORT,)


def test_tax_is_annualised_per_mu_and_due_a_year_after_production() -> None:
    c = promise(production_on=date(2025, 6, 30), tax_per_mu=Decimal("30"))
    # 月税收 200 × 12 ÷ 100 亩 = 24 万元/亩/年 < 30
    a = assess(c, Actuals(Stage.PRODUCING, monthly_tax=Decimal("200"), land_mu=Decimal("100")), TODAY)
    t = a.check(CheckKind.TAX)
    assert a.statuses == (S.TAX_SHORT,) and t.actual == Decimal("24.00") and t.due_on == date(2026, 6, 30)
    ramping = assess(c, Actuals(Stage.PRODUCING, monthly_tax=Decimal("200"), land_mu=Decimal("100")), date(2026, 6, 30))
    assert ramping.on_schedule and ramping.check(CheckKind.TAX).outcome is Outcome.NOT_DUE


def test_tax_without_a_figure_is_no_data() -> None:
    c = promise(production_on=date(2025, 6, 30), tax_per_mu=Decimal("30"))
    a = assess(c, Actuals(Stage.PRODUCING, land_mu=Decimal("100")), TODAY)
    assert a.on_schedule and a.check(CheckKind.TAX).outcome is Outcome.NO_DATA


def test_jobs_short_and_met() -> None:
    c = promise(production_on=date(2025, 6, 30), jobs=500)
    assert assess(c, Actuals(Stage.PRODUCING, employees=320), TODAY).statuses == (S.JOBS_SHORT,)
    assert assess(c, Actuals(Stage.PRODUCING, employees=500), TODAY).on_schedule
    assert assess(c, Actuals(Stage.PRODUCING), TODAY).check(CheckKind.JOBS).outcome is Outcome.NO_DATA


def test_all_statuses_at_once_follow_the_order() -> None:
    c = Commitments(SIGNED, date(2024, 6, 30), date(2025, 6, 30), Decimal("300"), Decimal("30"), 500)
    a = assess(c, Actuals(Stage.SIGNED, funds_arrived=Decimal("100"), land_mu=Decimal("100"), monthly_tax=Decimal("0"),
                          employees=0), TODAY)
    assert a.statuses == STATUS_ORDER and len(a.failed) == 5


def test_per_mu_rounds_half_up() -> None:
    assert per_mu(Decimal("1000"), Decimal("3")) == Decimal("333.33")
    assert per_mu(Decimal("0.005"), Decimal("1")) == Decimal("0.01")


def test_add_months_keeps_the_day_or_the_month_end() -> None:
    assert add_months(date(2025, 6, 30), 12) == date(2026, 6, 30)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


def test_performing_keeps_the_stage_rule_unless_the_setting_is_on() -> None:
    late = Assessment((S.LATE_START,))
    fine = Assessment((S.ON_SCHEDULE,))
    assert performing(True, late, use_commitments=False) is True
    assert performing(True, late, use_commitments=True) is False
    assert performing(True, fine, use_commitments=True) is True
    assert performing(True, None, use_commitments=True) is True  # no 正式合同: the stage alone
    assert performing(False, fine, use_commitments=True) is False  # 暂缓/中止 stays out whatever the contract


def test_breached_and_counts() -> None:
    items = [(1, Assessment((S.ON_SCHEDULE,))), (2, Assessment((S.LATE_START, S.LATE_PRODUCTION))), (3, Assessment((S.JOBS_SHORT,)))]
    assert breached(items) == frozenset({2, 3})
    counts = count_statuses(a for _id, a in items)
    assert counts[S.ON_SCHEDULE] == 1 and counts[S.LATE_START] == 1 and counts[S.LATE_PRODUCTION] == 1 and counts[S.JOBS_SHORT] == 1
    assert list(counts) == [S.ON_SCHEDULE, *STATUS_ORDER]
