"""线索 (investor leads): enumerations and the rules of their status (DOMAIN §a, §b)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class LeadSource(StrEnum):
    """来源方式 / 招商方式."""

    BUSINESS_REFERRAL = "business_referral"  # 以商招商
    CHAIN = "chain"  # 产业链招商
    RESIDENT = "resident"  # 驻地招商
    SQUAD_VISIT = "squad_visit"  # 小分队上门招商
    LEADER_LED = "leader_led"  # 领导带队招商
    EXPO = "expo"  # 展会/节会招商
    AGENT = "agent"  # 委托招商
    ONLINE = "online"  # 网络招商
    ASSOCIATION = "association"  # 商协会招商
    PARK = "park"  # 专业园区招商
    HOMETOWN = "hometown"  # 乡贤回归招商
    REFERRED_BY_AUTHORITY = "authority"  # 部门推荐/上级推送
    WALK_IN = "walk_in"  # 客商自主来访


class LeadGrade(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class LeadStatus(StrEnum):
    NEW = "new"  # 新线索
    FOLLOWING = "following"  # 跟进中
    CONVERTED = "converted"  # 已转项目
    ABANDONED = "abandoned"  # 已放弃


# Still being worked: these leads can go 长期未跟进 (stale). SQL: ``Lead.quiet_since``, ``Lead.stale_on``.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.FOLLOWING)

# Which status may follow which. Converting happens only through the project issue's conversion.
ALLOWED_STATUS = {
    LeadStatus.NEW: {LeadStatus.FOLLOWING, LeadStatus.ABANDONED},
    LeadStatus.FOLLOWING: {LeadStatus.ABANDONED},
    LeadStatus.ABANDONED: {LeadStatus.FOLLOWING},  # picked up again
    LeadStatus.CONVERTED: set(),
}

MAX_AMOUNT = Decimal("100000000")  # 万元 = 1 万亿: anything above is a typing error


def status_problem(current: LeadStatus, wanted: LeadStatus, reason: str | None) -> str | None:
    """Why a status change is not allowed, or None."""
    if wanted == current:
        return None
    if wanted not in ALLOWED_STATUS[current]:
        return "该状态不能直接改为所选状态"
    if wanted is LeadStatus.ABANDONED and not (reason and reason.strip()):
        return "放弃线索须填写原因"
    return None


def amount_problem(low: Decimal | None, high: Decimal | None) -> str | None:
    """拟投资额: one amount, or a range whose ends are in order; never negative or absurd."""
    for value in (low, high):
        if value is not None and (value < 0 or value > MAX_AMOUNT):
            return "金额应在 0 到 1 亿万元之间"
    if low is not None and high is not None and high < low:
        return "区间上限不能小于下限"
    return None
