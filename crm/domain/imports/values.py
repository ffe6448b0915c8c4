"""One cell of a county's sheet into a value: text, an amount in 万元, a number, a date or month, a choice, 是/否.

Cells come as the reader gives them: ``None`` for blank, ``str``, ``int``/``float`` (Excel keeps every number
as a float), ``bool``, ``date``/``datetime`` (a cell formatted as a date). Each reader raises ``ProblemError``
with a code when the cell cannot be read; a blank cell is ``None`` and only ``rows`` decides whether that is
allowed. Sheets are typed by hand, often in WPS, so full-width digits and punctuation, thousands separators,
units inside the cell and the usual placeholders for "nothing" (-, /, 无) are all accepted.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Generic, Mapping, TypeVar

from crm.domain.agreements import EARLIEST_DATE, LATEST_DATE, MAX_AMOUNT
from crm.domain.dedup.credit_code import credit_code_problem, normalise_credit_code
from crm.domain.imports.problems import Code, ProblemError

Cell = str | int | float | bool | date | None
E = TypeVar("E", bound=Enum)

# What people type in a cell that has nothing to say.
BLANK_MARKS = frozenset({"-", "--", "—", "——", "/", "无", "暂无"})
CENT = Decimal("0.01")


def squeeze(text: str) -> str:
    """Full-width → half-width (NFKC) and every space removed: the form headers and words are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def text_of(cell: Cell) -> str | None:
    """The cell as text, None when blank; a whole number without ".0" (a phone typed as a number)."""
    if cell is None or isinstance(cell, bool):
        return None if cell is None else ("是" if cell else "否")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell.time() == datetime.min.time():
        return cell.date().isoformat()
    text = str(cell).strip()
    return text or None


def is_blank(cell: Cell) -> bool:
    return text_of(cell) is None


def _placeholder(text: str) -> bool:
    return text in BLANK_MARKS


def text(cell: Cell, max_length: int | None = None) -> str | None:
    value = text_of(cell)
    if value is not None and max_length is not None and len(value) > max_length:
        raise ProblemError(Code.TOO_LONG, value, str(max_length))
    return value


def names(cell: Cell) -> tuple[str, ...]:
    """Several names in one cell: 张三、李四 / 张三，李四 / 张三 李四."""
    value = text_of(cell)
    if value is None:
        return ()
    return tuple(part for part in re.split(r"[、,，;；/\s]+", value) if part)


def credit_code(cell: Cell) -> str | None:
    value = text_of(cell)
    if value is None:
        return None
    code = normalise_credit_code(value)
    if problem := credit_code_problem(code):
        raise ProblemError(Code.BAD_CREDIT_CODE, value, problem)
    return code


# --- amounts ---------------------------------------------------------------------------------------------
class Unit(StrEnum):
    """The scale of an amount; the field says the currency (外资 is in 万美元, everything else in 万元)."""

    YUAN = "元"
    WAN = "万元"
    YI = "亿元"


IN_WAN = {Unit.YUAN: Decimal("0.0001"), Unit.WAN: Decimal(1), Unit.YI: Decimal(10_000)}
# Longest first: 万元 before 万, 亿美元 before 亿.
UNIT_WORDS: tuple[tuple[str, Unit], ...] = (
    ("亿美元", Unit.YI), ("万美元", Unit.WAN), ("亿元", Unit.YI), ("万元", Unit.WAN),
    ("美元", Unit.YUAN), ("亿", Unit.YI), ("万", Unit.WAN), ("元", Unit.YUAN),
)  # fmt: skip
_UNIT_PATTERN = "|".join(word for word, _unit in UNIT_WORDS)
_AMOUNT = re.compile(rf"^(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?P<unit>{_UNIT_PATTERN})?$")
_UNIT_OF = dict(UNIT_WORDS)


def _number_and_unit(raw: str, shown_as: object) -> tuple[Decimal, Unit | None]:
    match = _AMOUNT.match(raw)
    if not match:
        raise ProblemError(Code.BAD_AMOUNT, shown_as)
    unit = match.group("unit")
    return Decimal(match.group("number")), (_UNIT_OF[unit] if unit else None)


def _in_wan(number: Decimal, unit: Unit, shown_as: object) -> Decimal:
    value = (number * IN_WAN[unit]).quantize(CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        raise ProblemError(Code.NEGATIVE, shown_as)
    if value > MAX_AMOUNT:
        raise ProblemError(Code.TOO_LARGE, shown_as)
    return value


def _amount_text(cell: Cell) -> str | None:
    """The cell squeezed for reading a number, None when blank; refuses what can never be an amount."""
    if isinstance(cell, bool) or isinstance(cell, date):
        raise ProblemError(Code.BAD_AMOUNT, cell)
    if isinstance(cell, (int, float)):
        return format(Decimal(repr(cell)), "f")  # never 1e-05: the pattern reads plain decimals
    value = text_of(cell)
    if value is None:
        return None
    squeezed = squeeze(value).replace(",", "")
    return None if _placeholder(squeezed) else squeezed


def amount(cell: Cell, unit: Unit | None = None) -> Decimal | None:
    """An amount in 万元 (to the cent of a 万元): a unit in the cell wins over the column's ``unit``, and an
    amount with neither is in 万元 already."""
    raw = _amount_text(cell)
    if raw is None:
        return None
    try:
        number, own_unit = _number_and_unit(raw, cell)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ProblemError(Code.BAD_AMOUNT, cell) from None
    return _in_wan(number, own_unit or unit or Unit.WAN, cell)


_RANGE = re.compile(r"^(?P<low>[^~～至到—-]+)(?:-|~|～|至|到|—)(?P<high>[^~～至到—-]+)$")


def amount_range(cell: Cell, unit: Unit | None = None) -> tuple[Decimal, Decimal] | None:
    """拟投资额 as one amount or a range, in 万元: 1.2亿, 1-2亿 (the unit on the right counts for both ends),
    5000万~1亿. One amount is a range from itself to itself."""
    raw = _amount_text(cell)
    if raw is None:
        return None
    match = _RANGE.match(raw)
    if not match:
        single = amount(cell, unit)
        assert single is not None
        return single, single
    low_number, low_unit = _number_and_unit(match.group("low"), cell)
    high_number, high_unit = _number_and_unit(match.group("high"), cell)
    high = _in_wan(high_number, high_unit or unit or Unit.WAN, cell)
    low = _in_wan(low_number, low_unit or high_unit or unit or Unit.WAN, cell)
    if high < low:
        raise ProblemError(Code.BAD_RANGE, cell)
    return low, high


def number(cell: Cell, suffix: str = "") -> Decimal | None:
    """A plain quantity (亩, 人), never negative; ``suffix`` is the unit people write after it (120亩)."""
    if isinstance(cell, bool) or isinstance(cell, date):
        raise ProblemError(Code.BAD_NUMBER, cell)
    if isinstance(cell, (int, float)):
        value = Decimal(repr(cell))
    else:
        raw = text_of(cell)
        if raw is None:
            return None
        squeezed = squeeze(raw).replace(",", "")
        if _placeholder(squeezed):
            return None
        if suffix and squeezed.endswith(suffix):
            squeezed = squeezed[: -len(suffix)]
        try:
            value = Decimal(squeezed)
        except InvalidOperation:
            raise ProblemError(Code.BAD_NUMBER, cell) from None
        if not value.is_finite():
            raise ProblemError(Code.BAD_NUMBER, cell)
    if value < 0:
        raise ProblemError(Code.NEGATIVE, cell)
    return value


def integer(cell: Cell, suffix: str = "") -> int | None:
    value = number(cell, suffix)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ProblemError(Code.BAD_INTEGER, cell)
    return int(value)


# --- dates -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class When:
    """A day, or a month when the sheet names only the month (``day`` is then its first day)."""

    day: date
    month_only: bool = False

    @property
    def period(self) -> str:
        """YYYY-MM, the form statistics periods and the project's 签约月/开工月 are kept in."""
        return f"{self.day.year:04d}-{self.day.month:02d}"

    def last_day(self) -> date:
        """For a deadline: 2025年6月 means by the end of June."""
        if not self.month_only:
            return self.day
        return self.day.replace(day=calendar.monthrange(self.day.year, self.day.month)[1])


EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Lotus's 1900-02-29 is accounted for
EARLIEST_SERIAL = (EARLIEST_DATE - EXCEL_EPOCH).days
LATEST_SERIAL = (LATEST_DATE - EXCEL_EPOCH).days

_YMD = re.compile(r"^(\d{4})(?:年|[./-])(\d{1,2})(?:月|[./-])(\d{1,2})(?:日|号)?$")
_YM = re.compile(r"^(\d{4})(?:年|[./-])(\d{1,2})(?:月份?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")  # grid_chi's yyyyMM, and yyyyMMdd
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_WITH_TIME = re.compile(r"^(\S+)\s+\d{1,2}:\d{2}(?::\d{2})?$")


def _checked(cell: Cell, year: int, month: int, day: int | None) -> When:
    try:
        value = date(year, month, day or 1)
    except ValueError:
        raise ProblemError(Code.BAD_DATE, cell) from None
    if not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ProblemError(Code.DATE_OUT_OF_RANGE, cell)
    return When(value, month_only=day is None)


def _serial(cell: Cell, serial: float) -> When:
    if not (EARLIEST_SERIAL <= serial <= LATEST_SERIAL):
        raise ProblemError(Code.DATE_OUT_OF_RANGE, cell)
    return When(EXCEL_EPOCH + timedelta(days=int(serial)))


def _from_number(cell: int | float) -> When:
    if float(cell).is_integer() and cell >= 10_000:
        return _serial(cell, cell)
    whole = int(cell)
    if 1000 <= whole <= 9999 and not float(cell).is_integer():
        # 2025.4 typed into a cell becomes a number; Excel has already dropped the 0 of 2025.10.
        digits = repr(float(cell)).split(".")[1]
        if digits == "1":
            raise ProblemError(Code.AMBIGUOUS_MONTH, cell)
        return _checked(cell, whole, int(digits), None)
    if cell >= 10_000:
        return _serial(cell, cell)  # a serial with a time of day
    raise ProblemError(Code.BAD_DATE, cell)


def when(cell: Cell) -> When | None:
    """A date or a month: an Excel date, a serial (also typed as text), 2025-04-15, 2025/4/15, 2025.4.15,
    2025年4月15日, 2025年4月, 2025.4, 2025-04, 202504."""
    if isinstance(cell, bool):
        raise ProblemError(Code.BAD_DATE, cell)
    if isinstance(cell, date):  # a datetime too
        return _checked(cell, cell.year, cell.month, cell.day)
    if isinstance(cell, (int, float)):
        return _from_number(cell)
    raw = text_of(cell)
    if raw is None:
        return None
    if timed := _WITH_TIME.match(raw):
        raw = timed.group(1)
    squeezed = squeeze(raw)
    if _placeholder(squeezed):
        return None
    if match := _YMD.match(squeezed):
        return _checked(cell, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _YM.match(squeezed):
        return _checked(cell, int(match.group(1)), int(match.group(2)), None)
    if match := _COMPACT.match(squeezed):
        return _checked(cell, int(match.group(1)), int(match.group(2)), int(match.group(3)) if match.group(3) else None)
    if _SERIAL.match(squeezed):
        return _serial(cell, float(squeezed))
    raise ProblemError(Code.BAD_DATE, cell)


# --- choices ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choices(Generic[E]):
    """The words a sheet uses for each member of an enum; the first word of each is the one a template offers."""

    words: Mapping[E, tuple[str, ...]]
    _lookup: dict[str, E] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, E] = {}
        for member, words in self.words.items():
            for word in (*words, str(member.value)):
                key = squeeze(word).lower()
                if lookup.setdefault(key, member) is not member:
                    raise ValueError(f"{word!r} names both {lookup[key]} and {member}")
        object.__setattr__(self, "_lookup", lookup)

    def offered(self) -> list[str]:
        return [words[0] for words in self.words.values()]

    def find(self, key: str) -> E | None:
        """The member a word names: the word itself, or the longest known word it begins with (已开工建设 → 开工)."""
        if key in self._lookup:
            return self._lookup[key]
        starts = [word for word in self._lookup if len(word) >= 2 and key.startswith(word)]
        return self._lookup[max(starts, key=len)] if starts else None


def choice(cell: Cell, choices: Choices[E]) -> E | None:
    raw = text_of(cell)
    if raw is None:
        return None
    key = squeeze(raw).lower()
    if _placeholder(key):
        return None
    member = choices.find(key)
    if member is None:
        raise ProblemError(Code.BAD_CHOICE, cell, "、".join(choices.offered()))
    return member


def choice_list(cell: Cell, choices: Choices[E]) -> tuple[E, ...]:
    """Several choices in one cell (企业标签: 世界500强、上市公司)."""
    found: list[E] = []
    for part in names(cell):
        member = choice(part, choices)
        if member is not None and member not in found:
            found.append(member)
    return tuple(found)


YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "有", "对"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "✗", "✘", "x", "无", "不是"})


def yes_no(cell: Cell) -> bool | None:
    if isinstance(cell, bool):
        return cell
    raw = text_of(cell)
    if raw is None:
        return None
    key = squeeze(raw).lower()
    if key in YES:
        return True
    if key in NO:
        return False
    if _placeholder(key):
        return None
    raise ProblemError(Code.BAD_YES_NO, cell)


# --- whole rows ------------------------------------------------------------------------------------------
_TOTAL = re.compile(r"^(合计|小计|总计|共计)($|[\d(:,、])|(合计|小计|总计)$")
# Lines above or below a table that are not records: 填报单位：…, 注：…, 填表人：…
_NOTE = re.compile(r"^(注|备注|说明|填表说明|填报说明|填表人|制表人|审核人|填报人|制表|审核|填报单位|报送单位|填报日期|统计时间|统计截止)\d*[:]")
# 一、签约项目 / （二）在建项目: a group heading inside the table, alone on its row.
_SECTION = re.compile(r"^([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")


def _first_texts(row: list[Cell], count: int) -> list[str]:
    """The first non-blank cells that are text (a 序号 number before 合计 does not count)."""
    found = []
    for cell in row:
        if isinstance(cell, str) and cell.strip():
            found.append(squeeze(cell))
            if len(found) == count:
                break
    return found


def is_total_row(row: list[Cell]) -> bool:
    return any(_TOTAL.search(text) for text in _first_texts(row, 2))


def is_note_row(row: list[Cell]) -> bool:
    first = _first_texts(row, 1)
    return bool(first) and bool(_NOTE.match(first[0]))


def is_section_row(row: list[Cell]) -> bool:
    filled = [cell for cell in row if not is_blank(cell)]
    return len(filled) == 1 and isinstance(filled[0], str) and bool(_SECTION.match(squeeze(filled[0])))
