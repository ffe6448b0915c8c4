"""安商 (aftercare): a company's 诉求 from 受理 to 回访, its unit's 办结率 and 按期办结率 (考核 items), and the
county's 宁静日 (days without inspections of companies). Pure rules; the pages are in ``crm.aftercare``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Iterable

from crm.domain.kpi import ratio


class RequestKind(StrEnum):
    REQUEST = "request"  # 诉求
    COMPLAINT = "complaint"  # 投诉


class RequestStatus(StrEnum):
    ACCEPTED = "accepted"  # 受理
    HANDLING = "handling"  # 办理中
    DONE = "done"  # 办结
    REVISITED = "revisited"  # 已回访


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"  # 满意
    MOSTLY = "mostly"  # 基本满意
    UNSATISFIED = "unsatisfied"  # 不满意


class RequestMove(StrEnum):
    HANDLE = "handle"  # 受理 → 办理
    FINISH = "finish"  # 办理 → 办结
    REVISIT = "revisit"  # 办结 → 回访


MOVES: dict[RequestMove, tuple[RequestStatus, RequestStatus]] = {
    RequestMove.HANDLE: (RequestStatus.ACCEPTED, RequestStatus.HANDLING),
    RequestMove.FINISH: (RequestStatus.HANDLING, RequestStatus.DONE),
    RequestMove.REVISIT: (RequestStatus.DONE, RequestStatus.REVISITED),
}

FINISHED = frozenset({RequestStatus.DONE, RequestStatus.REVISITED})
OPEN = frozenset(RequestStatus) - FINISHED
MAX_WORKDAYS = 250  # a year's working days: a longer 时限 is a typing error


def move_allowed(move: RequestMove, status: RequestStatus) -> bool:
    return MOVES[move][0] is status


# 办理 and 办结 may be done by the 诉求's 责任单位 as well as by the unit that 受理d it; 回访 (and editing, 上报) only by
# the latter (the policy: ``Resource.ASSIGNED_REQUEST``).
HANDLER_MOVES = frozenset({RequestMove.HANDLE, RequestMove.FINISH})


def status_after_revisit(satisfaction: Satisfaction) -> RequestStatus:
    """回访: 不满意 sends the 诉求 back to 办理 (the 责任单位 works on it again); otherwise it is closed as 已回访."""
    return RequestStatus.HANDLING if satisfaction is Satisfaction.UNSATISFIED else RequestStatus.REVISITED


def is_overdue(deadline: date, status: RequestStatus, today: date) -> bool:
    """逾期: still open after its 办理时限 (the deadline day itself is still in time)."""
    return status in OPEN and deadline < today


def on_time(deadline: date, done_on: date | None) -> bool:
    """按期办结: finished on or before the deadline."""
    return done_on is not None and done_on <= deadline


def deadline_problem(received_on: date, deadline: date) -> str | None:
    if deadline < received_on:
        return "deadline_before_received"
    return None


@dataclass(frozen=True)
class RequestFacts:
    """What the rates need of one 诉求."""

    unit_id: int  # its 责任单位
    status: RequestStatus
    deadline: date
    done_on: date | None


@dataclass(frozen=True)
class UnitRates:
    """One 责任单位's 考核 figures. 办结率 = 办结 ÷ 受理; 按期办结率 = 按期办结 ÷ 办结 (None when nothing to divide)."""

    unit_id: int
    received: int
    finished: int
    finished_on_time: int
    overdue_open: int

    @property
    def handling_rate(self) -> Decimal | None:
        return ratio(self.finished, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        return ratio(self.finished_on_time, self.finished)


def unit_rates(requests: Iterable[RequestFacts], today: date) -> list[UnitRates]:
    """Each 责任单位's figures, in the order the units first appear."""
    counts: dict[int, list[int]] = {}
    for r in requests:
        c = counts.setdefault(r.unit_id, [0, 0, 0, 0])
        c[0] += 1
        if r.status in FINISHED:
            c[1] += 1
            c[2] += on_time(r.deadline, r.done_on)
        c[3] += is_overdue(r.deadline, r.status, today)
    return [UnitRates(unit_id, *c) for unit_id, c in counts.items()]


# --- 宁静日 ---------------------------------------------------------------------------------------------
class QuietDaysError(ValueError):
    pass


def parse_month_days(text: str) -> frozenset[int]:
    """"1-20" or "1-5, 15，28" (days of the month, full-width commas and dashes fine) → the days; "" → none."""
    days: set[int] = set()
    cleaned = (text or "").replace("，", ",").replace("、", ",").replace("－", "-").replace("—", "-").replace("～", "-").replace("~", "-")
    for part in filter(None, (p.strip() for p in cleaned.split(","))):
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise QuietDaysError(part) from None
        if not 1 <= first <= last <= 31:
            raise QuietDaysError(part)
        days.update(range(first, last + 1))
    return frozenset(days)


def format_month_days(days: Iterable[int]) -> str:
    """The shortest text ``parse_month_days`` reads back: runs as "1-20"."""
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def quiet_days_between(start: date, end: date | None, month_days: frozenset[int]) -> list[date]:
    """The 宁静日 a visit from ``start`` to ``end`` (both ends counted) falls on."""
    from datetime import timedelta

    last = end if end is not None and end >= start else start
    span = min((last - start).days, 366)
    return [d for d in (start + timedelta(days=i) for i in range(span + 1)) if d.day in month_days]
