"""走访/洽谈记录: enumerations and rules (DOMAIN §a)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class VisitType(StrEnum):
    OUTBOUND = "outbound"  # 外出拜访 (走出去)
    INBOUND = "inbound"  # 客商来访/考察 (请进来)
    RESIDENT = "resident"  # 驻点拜访
    EXPO = "expo"  # 展会/推介会洽谈
    VIDEO = "video"  # 视频洽谈
    LEADER_LED = "leader_led"  # 领导带队招商
    SIGNING = "signing"  # 签约活动
    SERVICE = "service"  # 企业服务走访


class VisitOutcome(StrEnum):
    NEW_LEAD = "new_lead"  # 新线索
    INTENT = "intent"  # 达成意向
    FRAMEWORK = "framework"  # 签框架协议
    CONTRACT = "contract"  # 签合同
    NONE = "none"  # 无


class LeaderKind(StrEnum):
    """招商领导类型."""

    PARTY_GOVERNMENT_HEAD = "head"  # 党政主职
    BRANCH_CHIEF = "chief"  # 分局局长
    OTHER = "other"  # 其他


MAX_DAYS = 60  # a trip longer than two months is a typing error


def date_problem(start: date, end: date | None) -> str | None:
    if end is not None and end < start:
        return "结束日期不能早于开始日期"
    if end is not None and (end - start).days > MAX_DAYS:
        return "一次走访不应超过 60 天"
    return None


def days(start: date, end: date | None) -> int:
    """天数, counting both ends."""
    return ((end or start) - start).days + 1
