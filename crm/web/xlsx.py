"""Excel (.xlsx) export for every list: Chinese headers, units in the header, a totals row when asked,
and values that a spreadsheet would run as formulas neutralised."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Sequence
from urllib.parse import quote

import xlsxwriter
from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str  # e.g. "注册资本（万元）"
    width: int = 16
    total: bool = False  # sum this column in a totals row


def safe_cell(value: Any) -> Any:
    """Text that starts like a formula (=, +, -, @ …) is prefixed with ' so Excel shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def open_workbook() -> tuple[io.BytesIO, Any]:
    """An in-memory workbook that never turns text into formulas or links."""
    buffer = io.BytesIO()
    return buffer, xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})


@dataclass(frozen=True)
class Formats:
    head: Any
    money: Any
    day: Any
    stamp: Any
    bold: Any

    @classmethod
    def of(cls, workbook: Any) -> "Formats":
        return cls(
            head=workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
            money=workbook.add_format({"num_format": "#,##0.00"}),
            day=workbook.add_format({"num_format": "yyyy-mm-dd"}),
            stamp=workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            bold=workbook.add_format({"bold": True}),
        )


def write_table(sheet: Any, fmt: Formats, top: int, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> tuple[int, int]:
    """Headers on row ``top``, the rows below, then a totals row when a column asks for one.

    Returns (the number of data rows, the index of the last row written).
    """
    for col, column in enumerate(columns):
        sheet.write(top, col, column.header, fmt.head)
        sheet.set_column(col, col, column.width)
    totals = [Decimal(0)] * len(columns)
    count = 0
    for count, row in enumerate(rows, start=1):
        index = top + count
        for col, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(index, col, float(value), fmt.money)
                totals[col] += value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(index, col, value)
                totals[col] += Decimal(str(value))
            elif isinstance(value, datetime):
                sheet.write_datetime(index, col, value.replace(tzinfo=None), fmt.stamp)
            elif isinstance(value, date):
                sheet.write_datetime(index, col, datetime(value.year, value.month, value.day), fmt.day)
            elif value is None:
                sheet.write_blank(index, col, None)
            else:
                sheet.write_string(index, col, str(safe_cell(str(value))))
    last = top + count
    if any(c.total for c in columns):
        last += 1
        sheet.write(last, 0, "合计", fmt.bold)
        for col, column in enumerate(columns):
            if column.total:
                sheet.write_number(last, col, float(totals[col]), fmt.money)
    return count, last


def build_workbook(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer, workbook = open_workbook()
    sheet = workbook.add_worksheet(title[:31])
    count, _last = write_table(sheet, Formats.of(workbook), 0, columns, rows)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Response:
    data = build_workbook(title, columns, rows)
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
