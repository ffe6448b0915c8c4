"""园区 (issue 17): a county's industrial zone, its land ledger in 亩 and its 标准化厂房 in m² — the pure rules.

Areas of the zone and its 分区 are in 平方公里 (the seed's unit: 规划面积16.33平方公里); land in 亩 (1 平方公里 =
1500 亩); 厂房 in m².

The land ledger's four figures, as a county's 土地综合利用指挥部 reports them:
- 储备 (reserve): land the zone holds in its 土地储备 plan (鲁山: 9000亩);
- 已征 (acquired): land whose 征收 is done (鲁山: 5000亩 plus 3700亩 of the new 10 000亩);
- 报批 (in approval): of the 已征, land waiting for its 农用地转用/征收 approval (鲁山: the 5000亩): at most 已征;
- 供地 (supplied): of the 已征, land already given to projects (挂牌/划拨): at most 已征.
可供地 (available) is 已征 − 供地: what the zone can still offer a project. The land 报批 is counted in it but
cannot be given yet, so 可即供地 (ready) is 已征 − 报批 − 供地 (never below 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Iterable

ZERO = Decimal(0)
MU_PER_KM2 = Decimal(1500)
MAX_KM2 = Decimal(10_000)  # a zone of 10 000 平方公里 is a typing error
MAX_MU = Decimal(10_000_000)
MAX_M2 = Decimal(100_000_000)


class BuildingStatus(StrEnum):
    """标准化厂房's state: only a 建成 building has space to let."""

    PLANNED = "planned"  # 前期
    BUILDING = "building"  # 在建
    BUILT = "built"  # 建成


class LandProblem(StrEnum):
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    APPROVING_OVER_ACQUIRED = "approving_over_acquired"
    SUPPLIED_OVER_ACQUIRED = "supplied_over_acquired"
    SUPPLIED_AND_APPROVING_OVER_ACQUIRED = "supplied_and_approving_over_acquired"


@dataclass(frozen=True)
class Land:
    """One line of the ledger (a zone's, or one 分区's), in 亩."""

    reserve: Decimal = ZERO  # 储备
    acquired: Decimal = ZERO  # 已征
    approving: Decimal = ZERO  # 报批
    supplied: Decimal = ZERO  # 供地

    @property
    def available(self) -> Decimal:
        """可供地: 已征 − 供地."""
        return max(self.acquired - self.supplied, ZERO)

    @property
    def ready(self) -> Decimal:
        """可即供地: 已征 − 报批 − 供地 (the 已征 land whose approval is through and is not given yet)."""
        return max(self.acquired - self.approving - self.supplied, ZERO)

    def __add__(self, other: "Land") -> "Land":
        return Land(self.reserve + other.reserve, self.acquired + other.acquired, self.approving + other.approving,
                    self.supplied + other.supplied)


FIELDS = ("reserve", "acquired", "approving", "supplied")


def land_problems(land: Land) -> dict[str, LandProblem]:
    """What is wrong with a ledger line, by field (empty when it is right). Land 报批 and land 供地 are both parts of
    the 已征 (land is 报批 before it is given), so each is at most the 已征, and together too: land already given
    is through its approval."""
    found: dict[str, LandProblem] = {}
    for name in FIELDS:
        value = getattr(land, name)
        if value < ZERO:
            found[name] = LandProblem.NEGATIVE
        elif value > MAX_MU:
            found[name] = LandProblem.TOO_LARGE
    if found:
        return found
    if land.approving > land.acquired:
        found["approving"] = LandProblem.APPROVING_OVER_ACQUIRED
    if land.supplied > land.acquired:
        found["supplied"] = LandProblem.SUPPLIED_OVER_ACQUIRED
    elif land.supplied + land.approving > land.acquired and "approving" not in found:
        found["supplied"] = LandProblem.SUPPLIED_AND_APPROVING_OVER_ACQUIRED
    return found


def total_land(lines: Iterable[Land]) -> Land:
    total = Land()
    for line in lines:
        total = total + line
    return total


class AreaProblem(StrEnum):
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    BUILT_OVER_PLANNED = "built_over_planned"
    PARTS_OVER_PLANNED = "parts_over_planned"


def area_problems(planned: Decimal | None, built: Decimal | None, parts: Iterable[Decimal] = ()) -> dict[str, AreaProblem]:
    """规划面积 and 建成区 in 平方公里: not negative, the 建成区 within the 规划面积, the 分区 adding up to at most
    the 规划面积 (a 分区 of a zone lies inside it)."""
    found: dict[str, AreaProblem] = {}
    for name, value in (("planned_km2", planned), ("built_km2", built)):
        if value is not None and value < ZERO:
            found[name] = AreaProblem.NEGATIVE
        elif value is not None and value > MAX_KM2:
            found[name] = AreaProblem.TOO_LARGE
    if found or planned is None:
        return found
    if built is not None and built > planned:
        found["built_km2"] = AreaProblem.BUILT_OVER_PLANNED
    if sum(parts, ZERO) > planned:
        found["planned_km2"] = AreaProblem.PARTS_OVER_PLANNED
    return found


def part_area_problem(planned: Decimal | None, others: Iterable[Decimal], zone_planned: Decimal | None) -> AreaProblem | None:
    """A 分区's 规划面积: not negative, and with the zone's other 分区 at most the zone's."""
    if planned is None:
        return None
    if planned < ZERO:
        return AreaProblem.NEGATIVE
    if planned > MAX_KM2:
        return AreaProblem.TOO_LARGE
    if zone_planned is not None and planned + sum(others, ZERO) > zone_planned:
        return AreaProblem.PARTS_OVER_PLANNED
    return None


class BuildingProblem(StrEnum):
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    LET_OVER_TOTAL = "let_over_total"
    LET_BEFORE_BUILT = "let_before_built"


def building_problems(status: BuildingStatus, total_m2: Decimal, let_m2: Decimal) -> dict[str, BuildingProblem]:
    """厂房: areas not negative, the area let at most the total, and nothing let before the building is 建成."""
    found: dict[str, BuildingProblem] = {}
    for name, value in (("total_m2", total_m2), ("let_m2", let_m2)):
        if value < ZERO:
            found[name] = BuildingProblem.NEGATIVE
        elif value > MAX_M2:
            found[name] = BuildingProblem.TOO_LARGE
    if found:
        return found
    if let_m2 > total_m2:
        found["let_m2"] = BuildingProblem.LET_OVER_TOTAL
    elif let_m2 > ZERO and status is not BuildingStatus.BUILT:
        found["let_m2"] = BuildingProblem.LET_BEFORE_BUILT
    return found


@dataclass(frozen=True)
class Space:
    """标准化厂房 totals in m²: every building's area, the 建成 ones', what is let, what is vacant."""

    total: Decimal = ZERO  # all buildings, 在建 and 前期 too
    built: Decimal = ZERO
    let: Decimal = ZERO

    @property
    def vacant(self) -> Decimal:
        return max(self.built - self.let, ZERO)

    @property
    def vacancy_pct(self) -> Decimal | None:
        """空置率 of the 建成 厂房, one decimal; None when nothing is built."""
        if self.built <= ZERO:
            return None
        return (self.vacant * 100 / self.built).quantize(Decimal("0.1"))


def space_of(buildings: Iterable[tuple[BuildingStatus, Decimal, Decimal]]) -> Space:
    total = built = let = ZERO
    for status, total_m2, let_m2 in buildings:
        total += total_m2
        if status is BuildingStatus.BUILT:
            built += total_m2
            let += let_m2
    return Space(total, built, let)


class Fit(StrEnum):
    """A demand against what the zone has."""

    NONE = "none"  # no demand stated
    FITS = "fits"  # the zone's 可即供地 (or vacant 厂房) covers it
    AFTER_APPROVAL = "after_approval"  # covered only once the land 报批 is through (可供地, not 可即供地)
    SHORT = "short"  # the zone cannot meet it


def land_fit(demand_mu: Decimal | None, land: Land) -> Fit:
    if demand_mu is None or demand_mu <= ZERO:
        return Fit.NONE
    if demand_mu <= land.ready:
        return Fit.FITS
    if demand_mu <= land.available:
        return Fit.AFTER_APPROVAL
    return Fit.SHORT


def space_fit(demand_m2: Decimal | None, space: Space) -> Fit:
    if demand_m2 is None or demand_m2 <= ZERO:
        return Fit.NONE
    return Fit.FITS if demand_m2 <= space.vacant else Fit.SHORT


def km2_to_mu(km2: Decimal) -> Decimal:
    return km2 * MU_PER_KM2
