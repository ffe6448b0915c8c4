"""The leaders' formulas reproduce the published figures quoted in DOMAIN §b."""

from decimal import Decimal

import pytest

from crm.domain.kpi import (
    Cohort,
    ahead_of_schedule,
    cohort_rates,
    completion_rate,
    double_half,
    pct,
    ratio,
    time_progress,
)


def test_xuchang_2017_three_rates() -> None:
    # 许昌: 244/247 履约, 222/247 开工, 370/1077 亿 到位 → 98.8 %, 90 %, 34 %.
    rates = cohort_rates(Cohort(signed=247, active=244, started=222, producing=0, landed=0,
                                funds_arrived=Decimal(370) * 10_000, contracted=Decimal(1077) * 10_000))
    assert pct(rates.performance, 1) == Decimal("98.8")
    assert pct(rates.start, 0) == Decimal("90")
    assert pct(rates.funds, 0) == Decimal("34")


def test_lanzhou_fair_rates() -> None:
    # 兰洽会: 907/1093 = 82.98 %, 401/1093 = 36.69 %, 2794.49/6129.09 = 45.59 %.
    rates = cohort_rates(Cohort(signed=1093, active=907, started=907, producing=401, landed=0,
                                funds_arrived=Decimal("2794.49"), contracted=Decimal("6129.09")))
    assert pct(rates.start) == Decimal("82.98")
    assert pct(rates.production) == Decimal("36.69")
    assert pct(rates.funds) == Decimal("45.59")


def test_panzhihua_ahead_of_schedule() -> None:
    # 攀枝花 Jan–Oct: 125.64 % − 83.33 % = +42.31 points.
    progress = time_progress(10)
    assert pct(progress) == Decimal("83.33")
    assert pct(ahead_of_schedule(Decimal("125.64"), progress)) == Decimal("42.31")


def test_seed_fixed_asset_investment() -> None:
    # 鲁山 2025-04: 固定资产投资 15 亿 of a 60 亿 target = 25 %, behind a 33.33 % time progress.
    completion = completion_rate(150_000, 600_000)
    assert completion == Decimal(25)
    assert pct(ahead_of_schedule(completion, time_progress(4))) == Decimal("-8.33")


def test_double_half() -> None:
    assert double_half(Decimal("50.01"), 6)
    assert not double_half(Decimal(50), 6)
    assert not double_half(Decimal(80), 5)  # not yet mid-year
    assert not double_half(None, 6)


def test_nothing_to_divide_by() -> None:
    assert ratio(5, 0) is None and completion_rate(10, 0) is None
    rates = cohort_rates(Cohort(0, 0, 0, 0, 0, Decimal(0), Decimal(0)))
    assert rates.performance is None and rates.funds is None


def test_time_progress_bounds() -> None:
    assert time_progress(0) == 0 and time_progress(12) == 100
    with pytest.raises(ValueError):
        time_progress(13)
