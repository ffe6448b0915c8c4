"""审批事项清单 / 联审联批 (issue 17): a project's 审批手续 (立项/备案, 用地预审 …), each with its 代办单位, its
承诺时限 in 工作日 from the 受理/申报日期, and its 办结日期. Pure rules; the pages are in ``crm.approvals``.

- 承诺时限: N 工作日 after the filed day (the filed day itself not counted), on the official calendar.
- 逾期: filed, not 办结 (nor 不适用), and past the deadline (the deadline day itself is still in time).
- The 联审联批 summary: per procedure kind or per 代办单位, the count, the open and overdue ones, and the average
  working days taken by the 办结 ones against the average promised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Callable, Hashable, Iterable

from crm.domain.workdays import add_workdays

MAX_WORKDAYS = 250  # a year's working days: a longer 承诺时限 is a typing error
MAX_KINDS = 40
KIND_LENGTH = 40


class ProcedureStatus(StrEnum):
    PENDING = "pending"  # 未开始 (not filed yet)
    HANDLING = "handling"  # 办理中 (filed)
    DONE = "done"  # 已办结
    NOT_APPLICABLE = "not_applicable"  # 不适用


OPEN = frozenset({ProcedureStatus.PENDING, ProcedureStatus.HANDLING})


@dataclass(frozen=True)
class ProcedureKind:
    """One line of the county's 审批事项清单: the name and its default 承诺时限 (工作日)."""

    name: str
    workdays: int


# The list a county starts from when it has not set its own (the usual 工业项目 审批 chain).
DEFAULT_KINDS: tuple[ProcedureKind, ...] = (
    ProcedureKind("立项/备案", 3),
    ProcedureKind("用地预审", 20),
    ProcedureKind("供地/摘牌", 30),
    ProcedureKind("规划许可", 10),
    ProcedureKind("环评", 30),
    ProcedureKind("能评", 15),
    ProcedureKind("施工许可", 7),
    ProcedureKind("消防", 15),
    ProcedureKind("竣工验收", 15),
)


class KindsError(ValueError):
    """A line of the list that cannot be read; ``line`` is its 1-based number, ``reason`` a code for the page."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


def parse_kinds(text: str) -> list[ProcedureKind]:
    """The list as typed, one kind a line: "用地预审 20" (or "用地预审,20", "用地预审：20"). Blank lines are skipped;
    a name twice, a missing or out-of-range number are refused (``KindsError``)."""
    kinds: list[ProcedureKind] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        for sep in ("，", ",", "：", ":", "\t"):
            line = line.replace(sep, " ")
        name, _sep, days = line.rpartition(" ")
        name = name.strip()
        if not name or not days.strip().isdigit():
            raise KindsError(number, "format")
        if len(name) > KIND_LENGTH:
            raise KindsError(number, "long")
        count = int(days)
        if not 1 <= count <= MAX_WORKDAYS:
            raise KindsError(number, "days")
        if name in seen:
            raise KindsError(number, "twice")
        seen.add(name)
        kinds.append(ProcedureKind(name, count))
    if len(kinds) > MAX_KINDS:
        raise KindsError(MAX_KINDS + 1, "many")
    return kinds


def format_kinds(kinds: Iterable[ProcedureKind]) -> str:
    return "\n".join(f"{k.name} {k.workdays}" for k in kinds)


def deadline_of(filed_on: date | None, workdays: int, is_workday: Callable[[date], bool]) -> date | None:
    """承诺时限: the ``workdays``-th working day after the filed day; None before it is filed."""
    if filed_on is None:
        return None
    return add_workdays(filed_on, workdays, is_workday)


def is_overdue(status: ProcedureStatus, deadline: date | None, today: date) -> bool:
    """逾期: open, filed (it has a deadline) and past it."""
    return status in OPEN and deadline is not None and deadline < today


def status_for(filed_on: date | None, finished_on: date | None, not_applicable: bool = False) -> ProcedureStatus:
    """The status the dates say: 不适用 when marked so, 已办结 with a finish date, 办理中 once filed, else 未开始."""
    if not_applicable:
        return ProcedureStatus.NOT_APPLICABLE
    if finished_on is not None:
        return ProcedureStatus.DONE
    if filed_on is not None:
        return ProcedureStatus.HANDLING
    return ProcedureStatus.PENDING


def date_problem(filed_on: date | None, finished_on: date | None, today: date) -> str | None:
    """Why the dates cannot be right: a code for the page, or None."""
    if filed_on is not None and filed_on > today:
        return "filed_future"
    if finished_on is not None and finished_on > today:
        return "finished_future"
    if finished_on is not None and filed_on is None:
        return "finished_unfiled"
    if finished_on is not None and filed_on is not None and finished_on < filed_on:
        return "finished_before_filed"
    return None


def workdays_between(start: date, end: date, is_workday: Callable[[date], bool]) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_workday(day)
    return count


@dataclass(frozen=True)
class ProcedureFacts:
    """What the summary needs of one procedure."""

    key: Hashable  # the group: the kind's name, or the 代办单位's id
    status: ProcedureStatus
    promised: int  # 承诺时限 (工作日)
    deadline: date | None
    taken: int | None  # 工作日 from filed to 办结, for the 办结 ones


@dataclass(frozen=True)
class GroupLine:
    key: Hashable
    total: int
    open: int
    overdue: int
    done: int
    done_on_time: int
    average_taken: Decimal | None  # over the 办结 ones
    average_promised: Decimal | None  # over the same ones

    @property
    def slower(self) -> bool:
        """Taking longer on average than promised."""
        return self.average_taken is not None and self.average_promised is not None and self.average_taken > self.average_promised


def _average(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarise(facts: Iterable[ProcedureFacts], today: date) -> list[GroupLine]:
    """One line per group, in the order groups first appear; 不适用 ones are left out."""
    groups: dict[Hashable, list[ProcedureFacts]] = {}
    for fact in facts:
        if fact.status is ProcedureStatus.NOT_APPLICABLE:
            continue
        groups.setdefault(fact.key, []).append(fact)
    lines = []
    for key, rows in groups.items():
        done = [r for r in rows if r.status is ProcedureStatus.DONE and r.taken is not None]
        lines.append(GroupLine(
            key=key, total=len(rows), open=sum(r.status in OPEN for r in rows),
            overdue=sum(is_overdue(r.status, r.deadline, today) for r in rows), done=len(done),
            done_on_time=sum(r.taken is not None and r.taken <= r.promised for r in done),
            average_taken=_average([r.taken for r in done if r.taken is not None]), average_promised=_average([r.promised for r in done]),
        ))
    return lines
