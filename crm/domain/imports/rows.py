"""A sheet's data rows into records, or into problems that say row, column and why.

Rows are numbered as Excel and WPS show them (the first row is 1). A blank row (nothing in any imported
column: a 序号 alone is blank) is passed over in silence; a 合计/小计 row, a note, a group heading and a row
that repeats an earlier one are skipped and reported, so the user sees that nothing was lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from crm.domain.imports import values
from crm.domain.imports.fields import FIELDS, Field, Kind, Type, field_named
from crm.domain.imports.headers import Column, Layout, Merge, filled
from crm.domain.imports.problems import Code, Problem, ProblemError
from crm.domain.imports.records import (
    CompanyRecord,
    FundEntry,
    FundRecord,
    IssueRecord,
    LeadRecord,
    ProjectRecord,
    Record,
    VisitRecord,
)
from crm.domain.imports.values import Cell, Unit

RECORD_TYPES: dict[Kind, type] = {
    Kind.PROJECTS: ProjectRecord,
    Kind.COMPANIES: CompanyRecord,
    Kind.LEADS: LeadRecord,
    Kind.VISITS: VisitRecord,
    Kind.FUNDS: FundRecord,
    Kind.ISSUES: IssueRecord,
}


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel shows it
    column: str  # the header
    letter: str  # A, B … AA
    problem: Problem


@dataclass(frozen=True)
class RowResult:
    row: int
    record: Record | None = None
    errors: tuple[RowError, ...] = ()
    skipped: Problem | None = None  # 合计, a note, a heading, a repeat: not an error, not a record


@dataclass(frozen=True)
class SheetResult:
    layout: Layout
    rows: tuple[RowResult, ...]

    @property
    def problems(self) -> tuple[Problem, ...]:
        """What is wrong with the sheet as a whole (a required column missing): nothing can be imported."""
        return self.layout.problems

    def records(self) -> list[Record]:
        return [r.record for r in self.rows if r.record is not None]

    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    def skipped(self) -> list[RowResult]:
        return [r for r in self.rows if r.skipped is not None]


def _day(cell: Cell) -> Any:
    found = values.when(cell)
    return None if found is None else found.day


def _deadline(cell: Cell) -> Any:
    found = values.when(cell)
    return None if found is None else found.last_day()


def _month(cell: Cell) -> Any:
    found = values.when(cell)
    return None if found is None else found.period


READERS: dict[Type, Callable[[Field, Cell, Unit | None], Any]] = {
    Type.TEXT: lambda f, cell, unit: values.text(cell, f.max_length),
    Type.NAMES: lambda f, cell, unit: values.names(cell),
    Type.AMOUNT: lambda f, cell, unit: values.amount(cell, unit),
    Type.AMOUNT_RANGE: lambda f, cell, unit: values.amount_range(cell, unit),
    Type.NUMBER: lambda f, cell, unit: values.number(cell, f.suffix),
    Type.INTEGER: lambda f, cell, unit: values.integer(cell, f.suffix),
    Type.DAY: lambda f, cell, unit: _day(cell),
    Type.DEADLINE: lambda f, cell, unit: _deadline(cell),
    Type.MONTH: lambda f, cell, unit: _month(cell),
    Type.CHOICE: lambda f, cell, unit: values.choice(cell, f.choices),  # type: ignore[arg-type]
    Type.CHOICES: lambda f, cell, unit: values.choice_list(cell, f.choices),  # type: ignore[arg-type]
    Type.YES_NO: lambda f, cell, unit: values.yes_no(cell),
    Type.CREDIT_CODE: lambda f, cell, unit: values.credit_code(cell),
}


def read_cell(spec: Field, cell: Cell, unit: Unit | None = None) -> Any:
    """One cell as its field's type (None or () when blank); ``ProblemError`` when it cannot be read."""
    return READERS[spec.type](spec, cell, unit)


def _blank(value: Any) -> bool:
    return value is None or value == ()


def _error(row: int, column: Column, problem: Problem) -> RowError:
    return RowError(row, column.header, column.letter, problem)


def _fund_entries(layout: Layout, cells: list[Cell], found: dict[str, Any], row: int, errors: list[RowError]) -> tuple[FundEntry, ...]:
    """The row's months: 月份 + 本期到位, or one column per month. A blank or zero month brought nothing."""
    entries: list[FundEntry] = []
    amount_column, period_column = layout.column_of("amount"), layout.column_of("period")
    amount = found.pop("amount", None)
    period = found.pop("period", None)
    if amount and period_column is not None and amount_column is not None:
        if period is None:
            errors.append(_error(row, period_column, Problem(Code.REQUIRED)))
        else:
            entries.append(FundEntry(period, amount))
    for column in layout.month_columns():
        if column.period is None:
            continue  # the sheet's problem (MONTH_WITHOUT_YEAR), said once
        try:
            money = values.amount(cells[column.index], column.unit or layout.unit)
        except ProblemError as error:
            errors.append(_error(row, column, error.problem))
            continue
        if money:
            entries.append(FundEntry(column.period, money))
    return tuple(entries)


def convert_row(layout: Layout, cells: list[Cell], row: int) -> RowResult:
    """One data row (cells padded to the sheet's width) into a record or its errors."""
    found: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in layout.columns:
        if column.field is None or column.month is not None:
            continue
        spec = field_named(layout.kind, column.field)
        try:
            found[spec.name] = read_cell(spec, cells[column.index], column.unit or layout.unit)
        except ProblemError as error:
            errors.append(_error(row, column, error.problem))
            found[spec.name] = error  # read, but wrong: not "missing" as well
    for spec in FIELDS[layout.kind]:
        column = layout.column_of(spec.name)
        if spec.required and column is not None and _blank(found.get(spec.name)):
            errors.append(_error(row, column, Problem(Code.REQUIRED)))
    found = {name: value for name, value in found.items() if not isinstance(value, ProblemError)}
    if layout.kind is Kind.FUNDS:
        found["entries"] = _fund_entries(layout, cells, found, row, errors)
        if not found["entries"] and not errors:
            return RowResult(row, skipped=Problem(Code.NO_AMOUNT))
    if errors:
        return RowResult(row, errors=tuple(errors))
    present = {name: value for name, value in found.items() if not _blank(value) or name == "entries"}
    return RowResult(row, record=RECORD_TYPES[layout.kind](**present))


def _identity(layout: Layout, cells: list[Cell]) -> tuple[str, ...]:
    """What makes two rows the same: the imported cells, compared as squeezed text."""
    return tuple(values.squeeze(values.text_of(cells[c.index]) or "") for c in layout.columns if c.field)


def convert(rows: list[list[Cell]], layout: Layout, merges: tuple[Merge, ...] = ()) -> SheetResult:
    """Every data row below the header. Nothing is converted when the sheet itself has a problem."""
    if layout.problems:
        return SheetResult(layout, ())
    grid = filled(rows, merges, layout.last_header_row)
    width = max([len(r) for r in grid] + [c.index + 1 for c in layout.columns])
    results: list[RowResult] = []
    seen: dict[tuple[str, ...], int] = {}
    for index in range(layout.data_start, len(grid)):
        cells = grid[index] + [None] * (width - len(grid[index]))
        row = index + 1
        if all(values.is_blank(cell) for cell in cells):
            continue
        if values.is_total_row(cells):
            results.append(RowResult(row, skipped=Problem(Code.TOTAL_ROW)))
            continue
        if values.is_note_row(cells):
            results.append(RowResult(row, skipped=Problem(Code.NOTE_ROW)))
            continue
        if values.is_section_row(cells):
            heading = next(values.text_of(c) for c in cells if not values.is_blank(c))
            results.append(RowResult(row, skipped=Problem(Code.SECTION_ROW, heading or "")))
            continue
        if all(values.is_blank(cells[c.index]) for c in layout.columns if c.field):
            continue  # a 序号 typed ahead of the data, or a column nobody imports
        identity = _identity(layout, cells)
        if identity in seen:
            results.append(RowResult(row, skipped=Problem(Code.DUPLICATE, "", str(seen[identity]))))
            continue
        seen[identity] = row
        results.append(convert_row(layout, cells, row))
    return SheetResult(layout, tuple(results))
