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


def build_workbook(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(title[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = workbook.add_format({"bold": True})
    for col, column in enumerate(columns):
        sheet.write(0, col, column.header, head)
        sheet.set_column(col, col, column.width)
    totals = [Decimal(0)] * len(columns)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(count, col, float(value), money)
                totals[col] += value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(count, col, value)
                totals[col] += Decimal(str(value))
            elif isinstance(value, datetime):
                sheet.write_datetime(count, col, value.replace(tzinfo=None), stamp)
            elif isinstance(value, date):
                sheet.write_datetime(count, col, datetime(value.year, value.month, value.day), day)
            elif value is None:
                sheet.write_blank(count, col, None)
            else:
                sheet.write_string(count, col, str(safe_cell(str(value))))
    if any(c.total for c in columns):
        sheet.write(count + 1, 0, "合计", bold)
        for col, column in enumerate(columns):
            if column.total:
                sheet.write_number(count + 1, col, float(totals[col]), money)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Response:
    data = build_workbook(title, columns, rows)
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
