"""问题台账: enumerations, the status flow, escalation and the overdue rule (DOMAIN §a 问题, §b Issue ledger)."""

from __future__ import annotations

from datetime import date
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


def is_overdue(deadline: date, status: IssueStatus, today: date) -> bool:
    """逾期: past the 办理期限 and not yet 办结 (an 办结 issue waiting for 销号 is not overdue)."""
    return status in (IssueStatus.NEW, IssueStatus.IN_PROGRESS) and deadline < today
