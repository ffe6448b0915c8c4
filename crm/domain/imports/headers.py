"""Where a sheet's header is, which field each column holds, and in which unit its amounts are.

A county's 台账 rarely starts at A1: a merged title (XX县2025年重点项目台账), a 填报单位/填报日期 line and
notes come first, and the header often takes two rows — a unit under its header (总投资 over （亿元）), or a
group over its sub-headers (计划投资 over 总投资 | 一期投资). The header row is the row, among the first
``SCAN_ROWS``, whose cells name the most known fields; the row below or above joins it when it completes it.

Merged cells: the reader gives the value in the top-left cell only, and the ranges where the format keeps them
(``Merge``). Inside the header every merged range is filled; below it only downwards (a 责任单位 merged over the
several projects it follows), never across, where it would put one note into columns of other types. Without
ranges (CSV, or a merge the format lost) a group header is carried right only over empty cells that have a
sub-header below them and continue a group whose first column has one too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from crm.domain.imports.fields import FIELDS, Field, Kind, field_named, header_key, headers_of
from crm.domain.imports.problems import Code, Problem, ProblemError
from crm.domain.imports.values import UNIT_WORDS, Cell, Unit, amount, is_note_row, squeeze, text_of

SCAN_ROWS = 30
MIN_MATCHES = 2  # a header names at least two known columns; one could be a title that happens to say 项目

Merge = tuple[tuple[int, int], tuple[int, int]]  # (first row, first column), (last row, last column), 0-based


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel and WPS show it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as the sheet says it, two-row headers joined (总投资（亿元）, 计划投资 一期投资)
    field: str | None  # None: not imported
    unit: Unit | None = None  # the scale its header gives its amounts: 总投资（亿元）
    period: str | None = None  # a month column of a 到位资金 sheet: YYYY-MM
    month: int | None = None  # the month a month column names, also when its year is unknown

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class Layout:
    kind: Kind
    first_header_row: int  # 0-based; the Excel row is one more
    last_header_row: int
    columns: tuple[Column, ...]
    unit: Unit | None = None  # 单位：万元 in the title: the scale of amounts whose header gives none
    problems: tuple[Problem, ...] = field(default=())

    @property
    def data_start(self) -> int:
        return self.last_header_row + 1

    def column_of(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name and c.period is None), None)

    def month_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.field == "amount" and c.month is not None)

    def mapping(self) -> dict[str, str | None]:
        """header → field, as the user sees and corrects it (``remap``)."""
        return {column.header or column.letter: column.field for column in self.columns}


# --- merged cells -----------------------------------------------------------------------------------------
def _padded(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    return [list(row) + [None] * (width - len(row)) for row in rows]


def filled(rows: list[list[Cell]], merges: tuple[Merge, ...], header_end: int) -> list[list[Cell]]:
    """A copy of ``rows`` with merged values filled: whole ranges that start at or above ``header_end``,
    only the first column downwards for ranges that start below it."""
    width = max((len(row) for row in rows), default=0)
    grid = _padded(rows, width)
    for (top, left), (bottom, right) in merges:
        if top >= len(grid) or left >= width:
            continue
        value = grid[top][left]
        last_column = min(right, width - 1) if top <= header_end else left
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            for c in range(left, last_column + 1):
                grid[r][c] = value
    return grid


# --- reading header cells ---------------------------------------------------------------------------------
_UNITS = "|".join(word for word, _unit in UNIT_WORDS)
_UNIT_ONLY = re.compile(rf"^\(?(?:金额)?(?:单位:)?({_UNITS})\)?$")
_UNIT_IN = re.compile(rf"\((?:金额)?(?:单位:)?({_UNITS})\)|单位:({_UNITS})")
_UNIT_OF = dict(UNIT_WORDS)
_MONTH = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月份?(?:到位(?:资金|金额)?)?$|^(\d{4})[-./](\d{1,2})$")
_YEAR = re.compile(r"(\d{4})年")


def _header_text(cell: Cell) -> str | None:
    """A header cell as text; a date (Excel turns a typed 2025年3月 into one) as that month."""
    if isinstance(cell, date):
        return f"{cell.year}年{cell.month}月"
    return text_of(cell) if isinstance(cell, str) else None


def unit_only(text: str | None) -> Unit | None:
    """（亿元）, 万元, 单位：万元 alone in a cell: the second row of a two-row header."""
    if text is None:
        return None
    match = _UNIT_ONLY.match(squeeze(text))
    return _UNIT_OF[match.group(1)] if match else None


def unit_in(text: str | None) -> Unit | None:
    if text is None:
        return None
    match = _UNIT_IN.search(squeeze(text))
    return _UNIT_OF[match.group(1) or match.group(2)] if match else None


def _month_of(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) of a month column's header: 3月, 2025年3月, 3月份到位, 2025-03."""
    match = _MONTH.match(re.sub(r"\([^)]*\)", "", squeeze(text)))
    if not match:
        return None
    year, month = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
    if not 1 <= int(month) <= 12:
        return None
    return (int(year) if year else None), int(month)


def _named(kind: Kind, text: str | None) -> tuple[bool, str | None]:
    """Whether ``text`` is a known header of ``kind``, and the field it names."""
    if text is None:
        return False, None
    known = headers_of(kind)
    key = header_key(text)
    if key in known:
        return True, known[key]
    if kind is Kind.FUNDS and _month_of(text):
        return True, "amount"
    return False, None


def _score(kind: Kind, texts: list[str | None]) -> int:
    """How many different known headers a row names (all the month columns count once)."""
    return len({name for text in texts for known, name in [_named(kind, text)] if known})


def _data_like(cell: Cell) -> bool:
    """A cell no header has: a number, 是/否, or text that reads as an amount (a phone, 1.2亿)."""
    if isinstance(cell, (bool, int, float)):
        return True
    if not isinstance(cell, str) or not any(ch.isdigit() for ch in cell):
        return False
    try:
        amount(cell)
    except ProblemError:
        return False
    return True


def _header_like(row: list[Cell]) -> bool:
    return any(text_of(c) is not None for c in row) and not any(_data_like(c) for c in row)


def _groups(upper: list[str | None], lower: list[str | None]) -> bool:
    """A group header over sub-headers: an upper cell spanning (merged, or empty to its right) two columns
    that both have their own, different, text below."""
    for c in range(len(upper) - 1):
        spans = upper[c + 1] is None or upper[c + 1] == upper[c]
        if upper[c] and lower[c] and lower[c + 1] and lower[c] != upper[c] and spans:
            return True
    return False


def _title_like(row: list[Cell], texts: list[str | None]) -> bool:
    """A title, a 填报单位/注 line or a 单位：万元 line: never a group header, though it may look like one."""
    values = {t for t in texts if t}
    return len(values) <= 1 or is_note_row(row) or any(unit_only(t) or "单位:" in squeeze(t) for t in values)


def _carried_right(upper: list[str | None], lower: list[str | None]) -> list[str | None]:
    carried = list(upper)
    for c in range(1, len(carried)):
        if carried[c] is None and lower[c] is not None and carried[c - 1] is not None and lower[c - 1] is not None:
            carried[c] = carried[c - 1]
    return carried


def _joined(upper: str | None, lower: str | None) -> tuple[str, list[str], Unit | None]:
    """(the header shown, the texts to look its field up by, in order, the unit the lower cell gives)."""
    if upper is None and lower is None:
        return "", [], None
    if lower is None or lower == upper:
        return upper or "", [upper or ""], None
    if upper is None:
        return lower, [lower], None
    if unit := unit_only(lower):
        return upper + lower, [upper], unit
    return f"{upper} {lower}", [upper + lower, lower, upper], None


# --- the layout -------------------------------------------------------------------------------------------
def detect(rows: list[list[Cell]], kind: Kind, merges: tuple[Merge, ...] = (), at: tuple[int, int] | None = None) -> Layout:
    """The sheet's header rows and columns; ``ProblemError(NO_HEADER)`` when no row names enough fields.

    ``at`` (first, last header row, 0-based) is the user's choice when the header is not found or found wrong.
    """
    scanned = max(SCAN_ROWS, at[1] + 1 if at else 0)
    grid = filled(rows[:scanned], merges, scanned)  # padded: every row as wide as the widest
    texts = [[_header_text(cell) for cell in row] for row in grid]
    if at is not None:
        return _layout(kind, texts, *at)
    scores = [_score(kind, row) for row in texts]
    if not scores or max(scores) < MIN_MATCHES:
        raise ProblemError(Code.NO_HEADER, "", "、".join(f.label for f in FIELDS[kind] if f.required))
    best = scores.index(max(scores))
    first = last = best
    below = best + 1
    if below < len(grid) and _header_like(grid[below]):
        joined = [_joined(u, lo)[0] for u, lo in zip(texts[best], texts[below])]
        if any(unit_only(t) for t in texts[below]) or _score(kind, joined) > scores[best] or _groups(texts[best], texts[below]):
            last = below
    if last == best and best > 0:
        above = best - 1
        if _header_like(grid[above]) and not _title_like(grid[above], texts[above]) and _groups(texts[above], texts[best]):
            first = above
    return _layout(kind, texts, first, last)


def _layout(kind: Kind, texts: list[list[str | None]], first: int, last: int) -> Layout:
    upper = texts[first] if first == last else _carried_right(texts[first], texts[last])
    lower = texts[last] if first != last else [None] * len(upper)
    titles = [t for row in texts[:first] for t in row if t]
    title_unit = next((u for t in titles if (u := unit_in(t) or unit_only(t))), None)
    year = next((int(m.group(1)) for t in titles if (m := _YEAR.search(squeeze(t)))), None)
    columns = _columns(kind, upper, lower, year)
    return Layout(kind, first, last, columns, title_unit, _problems(kind, columns))


def _columns(kind: Kind, upper: list[str | None], lower: list[str | None], year: int | None) -> tuple[Column, ...]:
    columns: list[Column] = []
    taken: set[str] = set()
    for index, (top, bottom) in enumerate(zip(upper, lower)):
        shown, candidates, lower_unit = _joined(top, bottom)
        matched = next((text for text in candidates if _named(kind, text)[0]), None)
        name = _named(kind, matched)[1]
        unit = lower_unit or unit_in(shown)
        month = _month_of(matched) if kind is Kind.FUNDS and name == "amount" and matched else None
        if month is not None:
            month_year = month[0] or year
            period = f"{month_year:04d}-{month[1]:02d}" if month_year else None
            columns.append(Column(index, shown, name, unit, period, month[1]))
            continue
        if name is not None and name in taken:
            name = None  # the first column that names a field keeps it; the user may move it (remap)
        if name is not None:
            taken.add(name)
        columns.append(Column(index, shown, name, unit))
    return tuple(columns)


def _problems(kind: Kind, columns: tuple[Column, ...]) -> tuple[Problem, ...]:
    present = {c.field for c in columns if c.field}
    needed: list[Field] = [f for f in FIELDS[kind] if f.required]
    months = [c for c in columns if c.field == "amount" and c.month is not None]
    if kind is Kind.FUNDS and not months:
        needed += [field_named(kind, "period"), field_named(kind, "amount")]
    problems = [Problem(Code.MISSING_COLUMN, "", f.label) for f in needed if f.name not in present]
    problems += [Problem(Code.MONTH_WITHOUT_YEAR, c.header) for c in months if c.period is None]
    return tuple(problems)


def remap(layout: Layout, mapping: dict[str, str | None]) -> Layout:
    """The layout with the user's corrections: header (or column letter) → field name, None to leave a column out.

    An unknown field name is a programming error (KeyError); two columns for one field is the user's
    (``ProblemError(SAME_FIELD_TWICE)``)."""
    names = {f.name: f for f in FIELDS[layout.kind]}
    columns = []
    for column in layout.columns:
        key = column.letter if column.letter in mapping else column.header
        if key not in mapping:
            columns.append(column)
            continue
        name = mapping[key]
        if name is not None and name not in names:
            raise KeyError(f"{layout.kind} has no field {name!r}")
        keeps_month = name == "amount" and column.month is not None
        columns.append(replace(column, field=name, period=column.period if keeps_month else None, month=column.month if keeps_month else None))
    claimed = [c.field for c in columns if c.field and c.month is None]
    if twice := next((name for name in claimed if claimed.count(name) > 1), None):
        raise ProblemError(Code.SAME_FIELD_TWICE, "", names[twice].label)
    return replace(layout, columns=tuple(columns), problems=_problems(layout.kind, tuple(columns)))
