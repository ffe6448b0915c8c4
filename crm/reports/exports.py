"""Reports as .xlsx workbooks of several sheets, written as ``crm.web.xlsx`` writes a list: Chinese
headers with units (万元), a totals row where a column adds up, and text that a spreadsheet would run
as a formula neutralised (``safe_cell``)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence
from urllib.parse import quote

import xlsxwriter
from flask import Response

from crm.web.xlsx import Column, safe_cell


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: list[Sequence[Any]] = field(default_factory=list)
    heading: str | None = None  # a title line above the table (e.g. "鲁山县招商引资月报（1–4月）")
    notes: list[str] = field(default_factory=list)  # lines below the table (统计口径)


def build_book(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = book.add_format({"bold": True})
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
        for col, column in enumerate(sheet.columns):
            ws.write(top, col, column.header, head)
            ws.set_column(col, col, column.width)
        totals = [Decimal(0)] * len(sheet.columns)
        row_index = top
        for row_index, row in enumerate(sheet.rows, start=top + 1):
            for col, value in enumerate(row):
                if isinstance(value, Decimal):
                    ws.write_number(row_index, col, float(value), money)
                    totals[col] += value
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(row_index, col, value)
                    totals[col] += Decimal(str(value))
                elif isinstance(value, datetime):
                    ws.write_datetime(row_index, col, value.replace(tzinfo=None), stamp)
                elif isinstance(value, date):
                    ws.write_datetime(row_index, col, datetime(value.year, value.month, value.day), day)
                elif value is None:
                    ws.write_blank(row_index, col, None)
                else:
                    ws.write_string(row_index, col, str(safe_cell(str(value))))
        if any(c.total for c in sheet.columns):
            row_index += 1
            ws.write(row_index, 0, "合计", bold)
            for col, column in enumerate(sheet.columns):
                if column.total:
                    ws.write_number(row_index, col, float(totals[col]), money)
        for offset, note in enumerate(sheet.notes, start=2):
            ws.write_string(row_index + offset, 0, str(safe_cell(note)))
        ws.freeze_panes(top + 1, 0)
    book.close()
    return buffer.getvalue()


def book_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    response = Response(build_book(sheets), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
