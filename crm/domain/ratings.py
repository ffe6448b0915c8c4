"""服务单位月评议 (行风评议): the 招商分局 and the county leaders score each 服务单位 every month on the county's
criteria (DOMAIN §c, Monthly; the seed's 鲁发[2025]2号 "对服务单位月评议"), and the bottom two of a quarter are
named in the 季奖惩 通报 (DOMAIN §c, Quarterly).

Pure rules: what a score sheet may hold, its total, a month's ranking (the mean of the raters' totals) and a
quarter's (the mean of its rated months)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Iterable, Mapping, Sequence

from crm.domain.access import Role
from crm.domain.units import UnitType

RATING_DAYS = 10  # a month is rated in its first days after it ends: until the 10th the page opens on the last month
QUARTER_BOTTOM = 2  # 行风评议后2名的服务单位 (the seed's Q1 record)
MAX_POINTS = Decimal(100)  # one criterion's ceiling; a county's sheet is usually 100 in all
POINT_STEP = Decimal("0.5")


class SheetProblem(StrEnum):
    MISSING = "missing"  # a criterion left blank
    NEGATIVE = "negative"
    ABOVE_MAX = "above_max"
    STEP = "step"  # not a multiple of 0.5


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    max_points: Decimal


def rating_month(today: date) -> str:
    """The month a rater is asked about: last month in the first ``RATING_DAYS`` days, else this one."""
    year, month = (today.year, today.month) if today.day > RATING_DAYS else (
        (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1))
    return f"{year}-{month:02d}"


def may_rate(role: Role, unit_type: UnitType) -> bool:
    """Who scores: the 招商分局 (its 分局长, for the unit) and the county leaders."""
    return (role is Role.CHIEF and unit_type is UnitType.BRANCH) or role is Role.LEADER


def sheet_problems(criteria: Sequence[Criterion], points: Mapping[int, Decimal | None]) -> dict[int, SheetProblem]:
    """Each criterion's problem (criterion id → problem); empty when the sheet may be saved."""
    problems: dict[int, SheetProblem] = {}
    for criterion in criteria:
        value = points.get(criterion.id)
        if value is None:
            problems[criterion.id] = SheetProblem.MISSING
        elif value < 0:
            problems[criterion.id] = SheetProblem.NEGATIVE
        elif value > criterion.max_points:
            problems[criterion.id] = SheetProblem.ABOVE_MAX
        elif value % POINT_STEP:
            problems[criterion.id] = SheetProblem.STEP
    return problems


def sheet_total(points: Iterable[Decimal]) -> Decimal:
    return sum(points, Decimal(0))


def mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    unit_id: int
    name: str
    score: Decimal  # the month: the mean of the raters' totals; the quarter: the mean of the rated months
    count: int  # raters (a month) or rated months (a quarter)
    rank: int = 0


def ranked(results: Iterable[Result]) -> list[Result]:
    """Highest first; equal scores share a rank (1, 2, 2, 4); then by name."""
    ordered = sorted(results, key=lambda r: (-r.score, r.name))
    out: list[Result] = []
    for position, result in enumerate(ordered, start=1):
        rank = out[-1].rank if out and out[-1].score == result.score else position
        out.append(Result(result.unit_id, result.name, result.score, result.count, rank))
    return out


def month_results(totals: Iterable[tuple[int, Decimal]], names: Mapping[int, str]) -> list[Result]:
    """A month's ranking from (服务单位 id, a rater's total): units nobody rated are left out."""
    by_unit: dict[int, list[Decimal]] = {}
    for unit_id, total in totals:
        by_unit.setdefault(unit_id, []).append(total)
    return ranked(Result(unit_id, names.get(unit_id, ""), mean(values), len(values)) for unit_id, values in by_unit.items())


def quarter_results(months: Iterable[Sequence[Result]]) -> list[Result]:
    """A quarter's ranking: each unit's mean over the months it was rated in."""
    scores: dict[int, list[Decimal]] = {}
    names: dict[int, str] = {}
    for month in months:
        for result in month:
            scores.setdefault(result.unit_id, []).append(result.score)
            names[result.unit_id] = result.name
    return ranked(Result(unit_id, names[unit_id], mean(values), len(values)) for unit_id, values in scores.items())


def bottom(results: Sequence[Result], count: int = QUARTER_BOTTOM) -> list[Result]:
    """The last ``count`` places, lowest first; a unit tied with the last one named is named too. Fewer than
    three rated units name nobody: a ranking of two has no bottom two."""
    if len(results) <= count:
        return []
    cut = results[-count].score
    return sorted((r for r in results if r.score <= cut), key=lambda r: (r.score, r.name))
