"""Reports as .xlsx workbooks of several sheets, written as ``crm.web.xlsx`` writes a list: Chinese
headers with units (万元), a totals row where a column adds up, and text that a spreadsheet would run
as a formula neutralised (``safe_cell``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Sequence, TypeVar

from flask import Response

from crm.web.xlsx import XLSX_MIMETYPE, Column, download, Field, Formats, cells_of, columns_of, open_workbook, safe_cell, write_table

R = TypeVar("R")


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: list[Sequence[Any]] = field(default_factory=list)
    heading: str | None = None  # a title line above the table (e.g. "鲁山县招商引资月报（1–4月）")
    notes: list[str] = field(default_factory=list)  # lines below the table (统计口径)

    @classmethod
    def of(cls, title: str, fields: Sequence[Field[R]], rows: Iterable[R], heading: str | None = None,
           notes: Sequence[str] = ()) -> "Sheet":
        """A sheet of typed rows, each laid out by ``fields``."""
        return cls(title, columns_of(fields), [cells_of(fields, row) for row in rows], heading, list(notes))


def percent_cell(value: Decimal | None) -> Decimal | None:
    """A rate (completion, 同比 …) as the workbooks show it: two decimals."""
    return None if value is None else value.quantize(Decimal("0.01"))


def build_book(sheets: Sequence[Sheet]) -> bytes:
    buffer, book = open_workbook()
    fmt = Formats.of(book)
    title_format = book.add_format({"bold": True, "font_size": 14})
    used: set[str] = set()
    for sheet in sheets:
        name = sheet.title[:31]
        while name in used:
            name = name[:29] + str(len(used))
        used.add(name)
        ws = book.add_worksheet(name)
        top = 0
        if sheet.heading:
            ws.write_string(0, 0, str(safe_cell(sheet.heading)), title_format)
            top = 2
        _count, last = write_table(ws, fmt, top, sheet.columns, sheet.rows)
        for offset, note in enumerate(sheet.notes, start=2):
            ws.write_string(last + offset, 0, str(safe_cell(note)))
        ws.freeze_panes(top + 1, 0)
    book.close()
    return buffer.getvalue()


def book_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    return download(build_book(sheets), XLSX_MIMETYPE, filename)
