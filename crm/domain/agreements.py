"""协议 (agreements): enumerations and the rules an agreement's figures must keep (DOMAIN §a, §b).

The functions return a problem code (a key of ``Problem``) or None; the feature turns a
code into a translated message next to the field it concerns.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum


# The codes are stored (and copied into audit rows as plain text), so they differ from other enums'
# codes such as 走访成果's intent/framework/contract: a code alone says what it is.


class AgreementType(StrEnum):
    """协议类型."""

    INTENT = "letter_of_intent"  # 投资意向书
    FRAMEWORK = "framework_agreement"  # 投资框架协议 (战略合作框架协议)
    CONTRACT = "investment_contract"  # 正式投资合同 / 投资协议书 — the one that moves a project to 签约
    SUPPLEMENT = "supplementary_agreement"  # 补充协议
    CAPITAL_INCREASE = "capital_increase_agreement"  # 增资协议
    AGENCY = "agency_agreement"  # 委托招商协议, signed with an agent rather than an investor


class AgreementStatus(StrEnum):
    ACTIVE = "in_force"  # 有效
    TERMINATED = "rescinded"  # 终止


class Problem(StrEnum):
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_PRECISE = "too_precise"
    ATTRACTED_ABOVE_INVESTMENT = "attracted_above_investment"
    PRODUCTION_BEFORE_START = "production_before_start"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    ALREADY_TERMINATED = "already_terminated"
    REASON_REQUIRED = "reason_required"
    TERMINATED_BEFORE_SIGNING = "terminated_before_signing"


# 万元. 1 亿万元 (= 1 万亿元) is beyond any county project: a larger figure is a typing or unit error.
MAX_AMOUNT = Decimal("100000000")
# 万元/亩 for 投资强度 and 亩均税收: typical values are tens to a few thousand.
MAX_PER_MU = Decimal("1000000")
MAX_JOBS = 1_000_000
MONEY_PLACES = 2
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def amount_problem(value: Decimal | None, maximum: Decimal = MAX_AMOUNT) -> Problem | None:
    """An amount is optional; when given it is finite, not negative, not absurd, with at most two decimals."""
    if value is None:
        return None
    if not value.is_finite():
        return Problem.TOO_LARGE
    if value < 0:
        return Problem.NEGATIVE
    if value > maximum:
        return Problem.TOO_LARGE
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MONEY_PLACES:
        return Problem.TOO_PRECISE
    return None


def amounts_problem(investment: Decimal | None, attracted: Decimal | None) -> Problem | None:
    """合同引资额 is the outside money within 协议投资额 (DOMAIN §b), so it cannot exceed it."""
    if investment is not None and attracted is not None and attracted > investment:
        return Problem.ATTRACTED_ABOVE_INVESTMENT
    return None


def date_problem(day: date | None) -> Problem | None:
    if day is not None and not (EARLIEST_DATE <= day <= LATEST_DATE):
        return Problem.DATE_OUT_OF_RANGE
    return None


def schedule_problem(start: date | None, production: date | None) -> Problem | None:
    """约定投产 cannot come before 约定开工."""
    if start is not None and production is not None and production < start:
        return Problem.PRODUCTION_BEFORE_START
    return None


def termination_problem(status: AgreementStatus, reason: str | None, signed_on: date, terminated_on: date) -> Problem | None:
    """Only an agreement in force can be terminated, with a reason, not before it was signed."""
    if status is AgreementStatus.TERMINATED:
        return Problem.ALREADY_TERMINATED
    if not (reason and reason.strip()):
        return Problem.REASON_REQUIRED
    if terminated_on < signed_on:
        return Problem.TERMINATED_BEFORE_SIGNING
    return None
