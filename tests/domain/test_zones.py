"""园区's pure rules: the land ledger's figures (报批 and 供地 within 已征), 可供地, 厂房 vacancy, areas, and a demand
against what the zone has."""

from __future__ import annotations

from decimal import Decimal as D

from crm.domain.zones import (
    AreaProblem,
    BuildingProblem,
    BuildingStatus,
    Fit,
    Land,
    LandProblem,
    area_problems,
    building_problems,
    land_fit,
    land_problems,
    part_area_problem,
    space_fit,
    space_of,
    total_land,
)

LUSHAN = total_land([Land(D(5500), D(5800), D(5000), D(800)), Land(D(3500), D(2900), D(0), D(1100))])


def test_the_ledger_adds_up_and_says_what_is_available():
    assert LUSHAN == Land(D(9000), D(8700), D(5000), D(1900))
    assert LUSHAN.available == D(6800)  # 已征 − 供地
    assert LUSHAN.ready == D(1800)  # less the land still 报批
    assert Land(D(10), D(5), D(0), D(5)).available == D(0)


def test_ledger_rules():
    assert land_problems(LUSHAN) == {}
    assert land_problems(Land(D(-1), D(0), D(0), D(0))) == {"reserve": LandProblem.NEGATIVE}
    assert land_problems(Land(D(0), D(100), D(120), D(0))) == {"approving": LandProblem.APPROVING_OVER_ACQUIRED}
    assert land_problems(Land(D(0), D(100), D(0), D(101))) == {"supplied": LandProblem.SUPPLIED_OVER_ACQUIRED}
    assert land_problems(Land(D(0), D(100), D(60), D(50))) == {"supplied": LandProblem.SUPPLIED_AND_APPROVING_OVER_ACQUIRED}
    assert land_problems(Land(D(0), D(100), D(50), D(50))) == {}
    assert land_problems(Land(D(20_000_000), D(0), D(0), D(0))) == {"reserve": LandProblem.TOO_LARGE}
    assert land_problems(Land(D(50), D(0), D(0), D(0))) == {}  # 储备 is its own figure: it may exceed the 已征


def test_areas():
    assert area_problems(D("16.33"), D("5"), [D("9.65"), D("6.68")]) == {}
    assert area_problems(D("16.33"), D("17"), []) == {"built_km2": AreaProblem.BUILT_OVER_PLANNED}
    assert area_problems(D("10"), None, [D("9.65"), D("6.68")]) == {"planned_km2": AreaProblem.PARTS_OVER_PLANNED}
    assert area_problems(D("-1"), None) == {"planned_km2": AreaProblem.NEGATIVE}
    assert area_problems(None, D("5")) == {}
    assert part_area_problem(D("6.68"), [D("9.65")], D("16.33")) is None
    assert part_area_problem(D("7"), [D("9.65")], D("16.33")) is AreaProblem.PARTS_OVER_PLANNED
    assert part_area_problem(D("7"), [D("9.65")], None) is None


def test_buildings_and_vacancy():
    assert building_problems(BuildingStatus.BUILT, D(100), D(100)) == {}
    assert building_problems(BuildingStatus.BUILT, D(100), D(101)) == {"let_m2": BuildingProblem.LET_OVER_TOTAL}
    assert building_problems(BuildingStatus.BUILDING, D(100), D(10)) == {"let_m2": BuildingProblem.LET_BEFORE_BUILT}
    assert building_problems(BuildingStatus.BUILT, D(-5), D(0)) == {"total_m2": BuildingProblem.NEGATIVE}
    space = space_of([(BuildingStatus.BUILDING, D(60000), D(0)), (BuildingStatus.BUILT, D(30000), D(18000))])
    assert (space.total, space.built, space.let, space.vacant, space.vacancy_pct) == (D(90000), D(30000), D(18000), D(12000), D("40.0"))
    assert space_of([]).vacancy_pct is None


def test_a_demand_against_the_zone():
    assert land_fit(None, LUSHAN) is Fit.NONE and land_fit(D(0), LUSHAN) is Fit.NONE
    assert land_fit(D(120), LUSHAN) is Fit.FITS
    assert land_fit(D(5000), LUSHAN) is Fit.AFTER_APPROVAL  # only once the 5000亩 are through 报批
    assert land_fit(D(7000), LUSHAN) is Fit.SHORT
    space = space_of([(BuildingStatus.BUILT, D(30000), D(18000))])
    assert space_fit(D(12000), space) is Fit.FITS and space_fit(D(12001), space) is Fit.SHORT
