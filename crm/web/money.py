"""How amounts read, everywhere: pages, emails, exports' notes and flash messages.

Amounts are stored in 万元 (DOMAIN conventions). Pages show them with thousands separators to 2 dp ("150,000.00"),
totals of many projects to whole 万元, large ones also in 亿元; the digest reads them as reports do, in 亿元 from 1 亿
up. Templates use the filters registered in ``crm.web.navigation`` (``|wan``, ``|yi``, ``|pct``, ``|yoy``, ``|pts``,
``|count``) and the macros of ``templates/_macros/money.html``, never a format string of their own.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

CENT = Decimal("0.01")
YI = Decimal(10_000)  # 万元 in one 亿元


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value: Any, places: int = 2) -> str:
    """万元 with thousands separators ("150,000.00", ``places`` decimals, rounded half up); empty for None."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return f"{amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"


def yi(value: Any) -> str:
    """万元 read in 亿元 to 2 dp ("15.00"); empty for None."""
    amount = _decimal(value)
    return "" if amount is None else number(amount / YI)


def _english() -> bool:
    """English readers count in millions and billions, not in 万 and 亿 (see ``english``)."""
    locale = get_locale()
    return locale is not None and locale.language == "en"


def _trimmed(amount: Decimal) -> str:
    return number(amount).rstrip("0").rstrip(".")


def english(amount: Decimal) -> str:
    """The one English reading of an amount in 万元, whatever its Chinese unit: "CNY 690 million" (6.90 亿元),
    "CNY 1.5 billion" (15 亿元), "CNY 15 million" (1,500 万元), "CNY 50,000" (5 万元); no trailing zeros."""
    if abs(amount) >= 100_000:  # 1 billion yuan
        return _("CNY %(n)s billion", n=_trimmed(amount / 100_000))
    if abs(amount) >= 100:  # 1 million yuan
        return _("CNY %(n)s million", n=_trimmed(amount / 100))
    return _("CNY %(n)s", n=number(amount * 10_000, 0))


def wan_text(value: Any, places: int = 2) -> str:
    """"150,000.00 万元" ("CNY 1.5 billion" in English), or "—" when there is no amount."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return english(amount) if _english() else f"{number(amount, places)} 万元"


def range_text(low: Any, high: Any, places: int = 2) -> str:
    """A range such as 拟投资额: "3,000.00 – 5,000.00 万元" ("CNY 30 million – CNY 50 million"); one amount when both
    ends agree; "—" without a low end."""
    low_amount, high_amount = _decimal(low), _decimal(high)
    if low_amount is None:
        return "—"
    if high_amount is None or high_amount == low_amount:
        return wan_text(low_amount, places)
    if _english():
        return f"{english(low_amount)} – {english(high_amount)}"
    return f"{number(low_amount, places)} – {number(high_amount, places)} 万元"


def yi_text(value: Any) -> str:
    """"6.90 亿元" ("CNY 690 million" in English), or "—" when there is no amount."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return english(amount) if _english() else f"{yi(amount)} 亿元"


def reading(value: Any) -> str:
    """An amount as reports read it: "6.00 亿元" from 1 亿 up, else "1,500 万元" (no trailing zeros); "—" for None.
    In English: ``english``."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if _english():
        return english(amount)
    if abs(amount) >= YI:
        return yi_text(amount)
    return f"{_trimmed(amount)} 万元"


def yi_aside(value: Any) -> str:
    """The 亿元 beside a large amount shown in 万元 ("（15.00 亿元）"); nothing in English, where ``wan_text``
    already reads it in billions, nor below 1 亿."""
    amount = _decimal(value)
    if amount is None or abs(amount) < YI or _english():
        return ""
    return f"（{yi_text(amount)}）"


def percent(value: Any, signed: bool = False) -> str:
    """A rate in percent to 2 dp ("25.00%", or "+25.00" when ``signed``); "—" when there is none."""
    rate = _decimal(value)
    if rate is None:
        return "—"
    rounded = rate.quantize(CENT, ROUND_HALF_UP)
    return f"{rounded:+.2f}" if signed else f"{rounded:.2f}%"


def points(value: Any) -> str:
    """Scorecard points to 2 dp; empty for None."""
    score = _decimal(value)
    return "" if score is None else f"{score.quantize(CENT, ROUND_HALF_UP):.2f}"


def count(value: Any) -> str:
    """A count with thousands separators ("12,345")."""
    return f"{int(value):,}"


def chart_value(value: Decimal | int) -> str:
    """A chart's axis or bar label: whole numbers without decimals, others to 2 dp."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return number(value)
    return count(value)


def year_on_year(rate: Any, current: Any = None, previous: Any = None) -> str:
    """同比 as a leader reads it: the rate; 新增 where last year had nothing and this year has something; "—" where
    there is no rate otherwise (nothing either year, or last year's base too tiny to compare: crm.domain.kpi.yoy)."""
    if _decimal(rate) is not None:
        return percent(rate)
    now, before = _decimal(current), _decimal(previous)
    if now is not None and now > 0 and (before is None or before <= 0):
        return _("新增")
    return "—"


FILTERS = {"range_text": range_text, "wan": number, "yi": yi, "wan_text": wan_text, "yi_text": yi_text, "yi_aside": yi_aside, "money": reading, "pct": percent, "yoy": year_on_year, "pts": points, "count": count}
