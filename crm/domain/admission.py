"""准入评审 (admission review): the county's 评审表 (criteria with their 满分 and thresholds, and the 一票否决 items),
a review's 初审 then 会审, its total and the outcome the scores allow. Pure rules; the pages are in ``crm.admission``.

A 评审表 is modelled on 团风's 100-point sheets: each criterion has its 满分; 投资强度 and 亩均税收 also have a
threshold the project's figure is compared with (达标 or not). The outcome the scores allow:
- any 一票否决 item hit → 不通过;
- total ≥ 通过分 and every threshold met → 通过 at best;
- total ≥ 有条件通过分 (or ≥ 通过分 with a threshold missed) → 有条件通过 at best;
- else 不通过.
The 会审 may be stricter than the scores, never more lenient; 有条件通过 states its conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Iterable, Mapping


class ReviewStatus(StrEnum):
    AWAITING_JOINT = "awaiting_joint"  # 初审通过，待会审
    PRELIM_REJECTED = "prelim_rejected"  # 初审未通过
    DECIDED = "decided"  # 已会审


class Outcome(StrEnum):
    PASSED = "passed"  # 通过
    CONDITIONAL = "conditional"  # 有条件通过
    REJECTED = "rejected"  # 不通过


class Figure(StrEnum):
    """A project figure a criterion's threshold is compared with (≥ the threshold)."""

    INVESTMENT_INTENSITY = "investment_intensity"  # 投资强度 (万元/亩)
    TAX_PER_MU = "tax_per_mu"  # 亩均税收 (万元/亩/年)


PASSED_OUTCOMES = frozenset({Outcome.PASSED, Outcome.CONDITIONAL})
RANK = {Outcome.REJECTED: 0, Outcome.CONDITIONAL: 1, Outcome.PASSED: 2}
FIGURE_WORDS = {"投资强度": Figure.INVESTMENT_INTENSITY, "亩均税收": Figure.TAX_PER_MU,
                **{f.value: f for f in Figure}}
MAX_CRITERIA = 20
MAX_VETOES = 20
MAX_POINTS = Decimal(1000)


class SheetError(ValueError):
    """A 评审表 that does not hold together; ``code`` says why, ``line`` which line (1-based, 0: the sheet)."""

    def __init__(self, code: str, line: int = 0, text: str = "") -> None:
        super().__init__(code)
        self.code, self.line, self.text = code, line, text


@dataclass(frozen=True)
class Criterion:
    name: str
    points: Decimal  # 满分
    figure: Figure | None = None
    threshold: Decimal | None = None  # the figure must be ≥ this

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "points": str(self.points), "figure": self.figure.value if self.figure else None,
                "threshold": str(self.threshold) if self.threshold is not None else None}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _or_invalid(value: Any) -> Decimal:
    number = _decimal(value)
    return Decimal(-1) if number is None else number


@dataclass(frozen=True)
class Sheet:
    criteria: tuple[Criterion, ...]
    vetoes: tuple[str, ...] = ()
    pass_score: Decimal = Decimal(80)  # 通过分
    conditional_score: Decimal = Decimal(60)  # 有条件通过分
    gate: bool = False  # a passed review is part of the 签约 gate

    @property
    def total_points(self) -> Decimal:
        return sum((c.points for c in self.criteria), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {"criteria": [c.to_json() for c in self.criteria], "vetoes": list(self.vetoes), "pass_score": str(self.pass_score),
                "conditional_score": str(self.conditional_score), "gate": self.gate}

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> "Sheet":
        """A stored sheet; None → the default. Raises SheetError when it does not validate."""
        if value is None:
            return default_sheet()
        if not isinstance(value, Mapping) or not isinstance(value.get("criteria"), list):
            raise SheetError("shape")
        criteria = []
        for i, item in enumerate(value["criteria"], 1):
            if not isinstance(item, Mapping):
                raise SheetError("shape", i)
            figure = item.get("figure")
            criteria.append(Criterion(str(item.get("name") or ""), _or_invalid(item.get("points")),
                                      Figure(figure) if figure in {f.value for f in Figure} else None, _decimal(item.get("threshold"))))
        vetoes = value.get("vetoes") or []
        if not isinstance(vetoes, list):
            raise SheetError("shape")
        sheet = cls(tuple(criteria), tuple(str(v) for v in vetoes), _or_invalid(value.get("pass_score")),
                    _or_invalid(value.get("conditional_score")), bool(value.get("gate")))
        validate_sheet(sheet)
        return sheet


def default_sheet() -> Sheet:
    """A 100-point sheet in 团风's manner, for a county that has not set its own."""
    return Sheet(
        criteria=(
            Criterion("投资强度（万元/亩）", Decimal(25), Figure.INVESTMENT_INTENSITY, Decimal(300)),
            Criterion("亩均税收（万元/亩/年）", Decimal(20), Figure.TAX_PER_MU, Decimal(30)),
            Criterion("能耗水平", Decimal(15)),
            Criterion("环保要求", Decimal(15)),
            Criterion("产业链匹配", Decimal(15)),
            Criterion("带动就业", Decimal(10)),
        ),
        vetoes=("属于国家淘汰类、限制类产业", "不符合国土空间规划或占用生态保护红线", "存在重大环境风险或安全隐患"),
    )


def validate_sheet(sheet: Sheet) -> None:
    """A sheet holds together: 1–20 named criteria of positive 满分 (names unique), thresholds only with a figure
    and ≥ 0, 0 ≤ 有条件通过分 ≤ 通过分 ≤ the sheet's total, veto items named and unique."""
    if not sheet.criteria:
        raise SheetError("no_criteria")
    if len(sheet.criteria) > MAX_CRITERIA:
        raise SheetError("too_many")
    seen: set[str] = set()
    for i, c in enumerate(sheet.criteria, 1):
        if not c.name.strip():
            raise SheetError("name", i)
        if c.name in seen:
            raise SheetError("duplicate", i, c.name)
        seen.add(c.name)
        if not Decimal(0) < c.points <= MAX_POINTS:
            raise SheetError("points", i, c.name)
        if (c.figure is None) != (c.threshold is None) or (c.threshold is not None and c.threshold < 0):
            raise SheetError("threshold", i, c.name)
    if len(sheet.vetoes) > MAX_VETOES or any(not v.strip() for v in sheet.vetoes) or len(set(sheet.vetoes)) != len(sheet.vetoes):
        raise SheetError("vetoes")
    if not Decimal(0) <= sheet.conditional_score <= sheet.pass_score <= sheet.total_points:
        raise SheetError("scores")


# --- the sheet as text (the settings page) ----------------------------------------------------------
def parse_criteria(text: str) -> tuple[Criterion, ...]:
    """One criterion a line: "名称|满分" or "名称|满分|投资强度|300" (full-width ｜ fine). Raises SheetError."""
    criteria = []
    for i, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        line = line.replace("｜", "|")
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (2, 4):
            raise SheetError("line", i, raw.strip())
        points = _decimal(parts[1])
        if points is None:
            raise SheetError("points", i, parts[0])
        figure, threshold = None, None
        if len(parts) == 4:
            figure = FIGURE_WORDS.get(parts[2])
            threshold = _decimal(parts[3])
            if figure is None or threshold is None:
                raise SheetError("threshold", i, parts[0])
        criteria.append(Criterion(parts[0], points, figure, threshold))
    return tuple(criteria)


def format_criteria(criteria: Iterable[Criterion], figure_word: Mapping[Figure, str] | None = None) -> str:
    words = figure_word or {Figure.INVESTMENT_INTENSITY: "投资强度", Figure.TAX_PER_MU: "亩均税收"}
    lines = []
    for c in criteria:
        line = f"{c.name}|{_plain(c.points)}"
        if c.figure is not None and c.threshold is not None:
            line += f"|{words[c.figure]}|{_plain(c.threshold)}"
        lines.append(line)
    return "\n".join(lines)


def parse_vetoes(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _plain(number: Decimal) -> str:
    """300.00 → "300", 12.50 → "12.5"."""
    text = format(number.normalize(), "f")
    return text


# --- a review's scores --------------------------------------------------------------------------------
class ScoreError(ValueError):
    def __init__(self, code: str, index: int = 0) -> None:
        super().__init__(code)
        self.code, self.index = code, index


def check_scores(sheet: Sheet, scores: list[Decimal | None]) -> list[Decimal]:
    """Every criterion scored, 0 ≤ score ≤ its 满分 (ScoreError naming the first that is not)."""
    if len(scores) != len(sheet.criteria):
        raise ScoreError("count")
    checked = []
    for i, (criterion, score) in enumerate(zip(sheet.criteria, scores)):
        if score is None:
            raise ScoreError("missing", i)
        if not Decimal(0) <= score <= criterion.points:
            raise ScoreError("range", i)
        checked.append(score)
    return checked


def total(scores: Iterable[Decimal]) -> Decimal:
    return sum(scores, Decimal(0))


def threshold_met(criterion: Criterion, figures: Mapping[Figure, Decimal | None]) -> bool | None:
    """达标: the figure ≥ the threshold; None when the criterion has no threshold or the figure is unknown."""
    if criterion.figure is None or criterion.threshold is None:
        return None
    value = figures.get(criterion.figure)
    return None if value is None else value >= criterion.threshold


@dataclass(frozen=True)
class Verdict:
    total: Decimal
    allowed: Outcome  # the best outcome the scores allow
    vetoed: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()  # criteria whose threshold is not met (or whose figure is unknown)
    notes: tuple[str, ...] = field(default=())


def verdict(sheet: Sheet, scores: list[Decimal], vetoes_hit: Iterable[str], figures: Mapping[Figure, Decimal | None]) -> Verdict:
    """The total and the best outcome allowed (module docstring). An unknown figure counts as not met: the
    会审 has to see it to let the project through unconditionally."""
    vetoed = tuple(v for v in vetoes_hit if v in sheet.vetoes)
    missed = tuple(c.name for c in sheet.criteria if c.figure is not None and threshold_met(c, figures) is not True)
    points = total(scores)
    if vetoed:
        allowed = Outcome.REJECTED
    elif points >= sheet.pass_score and not missed:
        allowed = Outcome.PASSED
    elif points >= sheet.conditional_score:
        allowed = Outcome.CONDITIONAL
    else:
        allowed = Outcome.REJECTED
    return Verdict(points, allowed, vetoed, missed)


def outcome_problem(chosen: Outcome, allowed: Outcome, conditions: str | None) -> str | None:
    """Why the 会审's outcome cannot stand: "too_lenient" (better than the scores allow) or "conditions" (有条件通过
    without its conditions); None when it stands."""
    if RANK[chosen] > RANK[allowed]:
        return "too_lenient"
    if chosen is Outcome.CONDITIONAL and not (conditions or "").strip():
        return "conditions"
    return None


def is_passed(status: ReviewStatus, outcome: Outcome | None) -> bool:
    """A passed review (the 签约 gate's): 会审 done with 通过 or 有条件通过."""
    return status is ReviewStatus.DECIDED and outcome in PASSED_OUTCOMES


def signing_allowed(gate_on: bool, has_passed_review: bool) -> bool:
    """With the county's setting on, 签约 needs a passed review; off, it needs none."""
    return not gate_on or has_passed_review
