"""问题台账: enumerations, the status flow, escalation and the overdue rule (DOMAIN §a 问题, §b Issue ledger)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class IssueCategory(StrEnum):
    LAND = "land"  # 用地报批/征收
    PLANNING = "planning"  # 规划
    ENVIRONMENT = "environment"  # 环评/能评
    FINANCING = "financing"  # 融资/担保
    UTILITIES = "utilities"  # 水电气路
    APPROVALS = "approvals"  # 审批手续
    RELOCATION = "relocation"  # 拆迁/补偿争议
    HIRING = "hiring"  # 招工培训
    TALENT = "talent"  # 人才引进
    SITE = "site"  # 施工环境
    POLICY = "policy"  # 政策兑现


class IssueSource(StrEnum):
    WEEKLY_INSPECTION = "weekly_inspection"  # 周督查
    COMPANY = "company"  # 企业反映
    LEADER_INSTRUCTION = "leader_instruction"  # 领导批示
    DISPATCH_MEETING = "dispatch_meeting"  # 调度会


class IssueLevel(StrEnum):
    """协调层级, the seed's 四级保障机制, lowest first."""

    ZONE = "zone_committee"  # 集聚区管委会
    JOINT_MEETING = "joint_meeting"  # 县发展联席会议
    GOVERNMENT = "government_executive"  # 县政府常务会
    PARTY = "party_standing"  # 县委常委会


LEVELS = tuple(IssueLevel)


class IssueStatus(StrEnum):
    NEW = "to_assign"  # 待交办
    IN_PROGRESS = "in_progress"  # 办理中
    RESOLVED = "resolved"  # 已办结 (待核验)
    CLOSED = "closed"  # 已销号


class IssueActionKind(StrEnum):
    ASSIGN = "assign"  # 交办
    URGE = "urge"  # 催办
    TALK = "talk"  # 约谈
    ONSITE = "onsite"  # 现场办公
    ESCALATE = "escalate"  # 上提
    RESOLVE = "resolve"  # 办结
    REOPEN = "reopen"  # 退回重办
    CLOSE = "close"  # 销号
    NOTE = "note"  # 办理记录


# status -> the statuses it may move to (销号 only by a reviewer; see the service).
NEXT_STATUS: dict[IssueStatus, tuple[IssueStatus, ...]] = {
    IssueStatus.NEW: (IssueStatus.IN_PROGRESS,),
    IssueStatus.IN_PROGRESS: (IssueStatus.RESOLVED,),
    IssueStatus.RESOLVED: (IssueStatus.CLOSED, IssueStatus.IN_PROGRESS),
    IssueStatus.CLOSED: (),
}


def can_move(current: IssueStatus, target: IssueStatus) -> bool:
    return target in NEXT_STATUS[current]


def next_level(level: IssueLevel) -> IssueLevel | None:
    """Escalation goes up one 协调层级 at a time; None at the top."""
    index = LEVELS.index(level)
    return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


# 未办结: the statuses in which an issue still needs work (and can be overdue). SQL: ``Issue.is_open()``.
OPEN_STATUSES = (IssueStatus.NEW, IssueStatus.IN_PROGRESS)


def is_overdue(deadline: date, status: IssueStatus, today: date) -> bool:
    """逾期: past the 办理期限 and not yet 办结 (an 办结 issue waiting for 销号 is not overdue). SQL: ``Issue.overdue_on``."""
    return status in OPEN_STATUSES and deadline < today


# --- numbering, checks ----------------------------------------------------------------------
NUMBER_PREFIX = "WT"
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)


class Problem(StrEnum):
    RAISED_IN_FUTURE = "raised_in_future"
    DEADLINE_BEFORE_RAISED = "deadline_before_raised"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    WRONG_STATUS = "wrong_status"
    CLOSED = "closed"
    TOP_LEVEL = "top_level"
    NOT_OPEN = "not_open"
    NOTE_REQUIRED = "note_required"
    REASON_REQUIRED = "reason_required"


def number_prefix(year: int) -> str:
    """编号 are WT{year}-{seq}, counted per year of the 提出日期."""
    return f"{NUMBER_PREFIX}{year}-"


def issue_number(year: int, seq: int) -> str:
    """WT2025-007: three digits at least (a thousandth issue of a year reads WT2025-1000)."""
    return f"{number_prefix(year)}{seq:03d}"


def sequence_of(number: str | None, year: int) -> int | None:
    """The running number of a 编号 of ``year`` (None for another year's or a malformed one)."""
    prefix = number_prefix(year)
    if not number or not number.startswith(prefix) or not number[len(prefix):].isdigit():
        return None
    return int(number[len(prefix):])


def next_sequence(numbers: list[str], year: int) -> int:
    """One more than the highest running number already used in ``year``."""
    used = [seq for n in numbers if (seq := sequence_of(n, year)) is not None]
    return max(used, default=0) + 1


def raised_problem(raised_on: date | None, today: date) -> Problem | None:
    """提出日期: a real day, not in the future (a problem is recorded once it was raised)."""
    if raised_on is None:
        return None
    if not (EARLIEST_DATE <= raised_on <= LATEST_DATE):
        return Problem.DATE_OUT_OF_RANGE
    if raised_on > today:
        return Problem.RAISED_IN_FUTURE
    return None


def deadline_problem(raised_on: date | None, deadline: date | None) -> Problem | None:
    """办理期限: not before the day the problem was raised."""
    if deadline is None:
        return None
    if not (EARLIEST_DATE <= deadline <= LATEST_DATE):
        return Problem.DATE_OUT_OF_RANGE
    if raised_on is not None and deadline < raised_on:
        return Problem.DEADLINE_BEFORE_RAISED
    return None


def transition_problem(current: IssueStatus, target: IssueStatus) -> Problem | None:
    """Moves follow NEXT_STATUS: 待交办 → 办理中 → 已办结 → 已销号, and 已办结 back to 办理中 (退回重办)."""
    if current is IssueStatus.CLOSED:
        return Problem.CLOSED
    return None if can_move(current, target) else Problem.WRONG_STATUS


class Move(StrEnum):
    """The named moves of the flow; each starts from exactly one status (NEXT_STATUS allows both ways out of
    已办结, so the move, not just the target, decides: 交办 never sends an 已办结 issue back)."""

    ASSIGN = "assign"  # 交办: 待交办 → 办理中
    RESOLVE = "resolve"  # 办结: 办理中 → 已办结
    CLOSE = "close"  # 销号: 已办结 → 已销号 (a reviewer)
    REOPEN = "reopen"  # 退回重办: 已办结 → 办理中 (a reviewer, with a reason)


MOVES: dict[Move, tuple[IssueStatus, IssueStatus]] = {
    Move.ASSIGN: (IssueStatus.NEW, IssueStatus.IN_PROGRESS),
    Move.RESOLVE: (IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED),
    Move.CLOSE: (IssueStatus.RESOLVED, IssueStatus.CLOSED),
    Move.REOPEN: (IssueStatus.RESOLVED, IssueStatus.IN_PROGRESS),
}


def move_problem(move: Move, current: IssueStatus) -> Problem | None:
    """A move applies only from its own starting status (and follows NEXT_STATUS)."""
    source, target = MOVES[move]
    if current is IssueStatus.CLOSED:
        return Problem.CLOSED
    if current is not source:
        return Problem.WRONG_STATUS
    return transition_problem(current, target)


def escalation_problem(status: IssueStatus, level: IssueLevel) -> Problem | None:
    """上提 is for problems still being worked on, one level at a time, and stops at 县委常委会."""
    if status is IssueStatus.CLOSED:
        return Problem.CLOSED
    if status not in OPEN_STATUSES:
        return Problem.NOT_OPEN
    if next_level(level) is None:
        return Problem.TOP_LEVEL
    return None


# 催办, 约谈, 现场办公 push an unfinished issue; 办理记录 (a note) may be added until it is 销号.
PUSHING_ACTIONS = (IssueActionKind.URGE, IssueActionKind.TALK, IssueActionKind.ONSITE)
MANUAL_ACTIONS = PUSHING_ACTIONS + (IssueActionKind.NOTE,)


def action_problem(kind: IssueActionKind, status: IssueStatus) -> Problem | None:
    if status is IssueStatus.CLOSED:
        return Problem.CLOSED
    if kind in PUSHING_ACTIONS and status not in OPEN_STATUSES:
        return Problem.NOT_OPEN
    if kind not in MANUAL_ACTIONS:
        return Problem.WRONG_STATUS
    return None


# --- the period report (周督查: 新增, 推进落实, 已办结销号) ------------------------------------------
class ReportList(StrEnum):
    NEW = "new"  # 新增
    PROGRESS = "progress"  # 推进落实
    FINISHED = "finished"  # 已办结销号


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday of the week ``day`` falls in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def report_lists(
    raised_on: date,
    resolved_on: date | None,
    closed_on: date | None,
    had_action: bool,
    start: date,
    end: date,
) -> set[ReportList]:
    """The lists of the period report ``start``–``end`` (both included) an issue belongs in.

    - 新增: raised in the period.
    - 已办结销号: 办结 or 销号 in the period.
    - 推进落实: open at some time in the period and either worked on in it (an action, the
      办结 itself included) or still open at its end.

    The lists overlap on purpose: an issue raised and still open is 新增 and 推进落实; one
    worked on and finished in the period is 推进落实 and 已办结销号.
    """
    lists: set[ReportList] = set()
    if raised_on > end:
        return lists
    finished_on = resolved_on or closed_on  # 办结 comes first; 销号 alone stands for it
    if _within(raised_on, start, end):
        lists.add(ReportList.NEW)
    finished = _within(resolved_on, start, end) or _within(closed_on, start, end)
    if finished:
        lists.add(ReportList.FINISHED)
    open_during = finished_on is None or finished_on >= start
    open_at_end = finished_on is None or finished_on > end
    if open_during and (had_action or open_at_end):
        lists.add(ReportList.PROGRESS)
    return lists
