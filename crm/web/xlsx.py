"""Excel (.xlsx) export: headers in the reader's language, units in the header, a totals row when asked, and values that a
spreadsheet would run as formulas neutralised. Lists stream (``xlsx_response``); the reports' workbooks of
several sheets are built with xlsxwriter (``open_workbook``, ``write_table``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Generic, Iterable, Iterator, Sequence, TypeVar
from urllib.parse import quote

import xlsxwriter
from zoneinfo import ZoneInfo

from flask import Response, current_app, stream_with_context
from flask_babel import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: Any  # e.g. _l("注册资本（万元）"): lazy, written in the language of the request that exports
    width: int = 16
    total: bool = False  # sum this column in a totals row


R = TypeVar("R")


@dataclass(frozen=True)
class Field(Generic[R]):
    """A column of an export with the value a typed row gives it: each header is written beside its cell, so the
    two cannot drift apart as columns come and go (the project export has 29)."""

    column: Column
    value: Callable[[R], Any]


def columns_of(fields: Sequence[Field[Any]]) -> list[Column]:
    return [f.column for f in fields]


def cells_of(fields: Sequence[Field[R]], row: R) -> list[Any]:
    return [f.value(row) for f in fields]


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
        sheet.write(top, col, str(column.header), fmt.head)
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
        sheet.write(last, 0, _("合计"), fmt.bold)
        for col, column in enumerate(columns):
            if column.total:
                sheet.write_number(last, col, float(totals[col]), fmt.money)
    return count, last


EXPORT_BATCH = 1_000


def query_rows(stmt: Any, to_row: Callable[..., Sequence[Any]], per_batch: Callable[[list[Any]], Any] | None = None,
               batch: int = EXPORT_BATCH, objects: bool = True) -> Iterator[Sequence[Any]]:
    """The rows of an export, read from the database a batch at a time while the file streams, so that a
    50,000-row export never holds 50,000 objects. ``per_batch`` prepares what a batch's rows need besides the
    objects (红黄绿, leaders …) and is passed to ``to_row`` as its second argument. ``objects=False`` reads a
    statement of plain columns (the fastest: no ORM objects at all) and hands ``to_row`` each result row.

    The rows are read after the view has returned, in the fresh app context Flask gives a streamed response
    (its own ``g`` and database session): the signed-in actor and the session's scope are carried over, so the
    export reads exactly what the page would have.
    """
    from flask import g

    from crm.access.scoping import get_scope, set_scope
    from crm.extensions import db

    scope, actor = get_scope(db.session), g.get("actor")

    def rows() -> Iterator[Sequence[Any]]:
        set_scope(db.session, scope)
        if actor is not None:
            g.actor = actor
        result = db.session.execute(stmt.execution_options(yield_per=batch))
        for found in (result.scalars() if objects else result).partitions():
            if per_batch is None:
                yield from (to_row(item) for item in found)
            else:
                context = per_batch(list(found))
                yield from (to_row(item, context) for item in found)

    return rows()


def download(body: Any, mimetype: str, filename: str) -> Response:
    """A file to save, named in Chinese (RFC 5987): every export, template and document of the app."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(filename: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Response:
    """A list's export, streamed while ``rows`` (best a lazy query) are read (``crm.web.xlsx_stream``)."""
    from crm.web.xlsx_stream import stream_workbook

    body = stream_workbook(
        str(title), [str(c.header) for c in columns], [c.width for c in columns], [c.total for c in columns], rows,
        safe_cell, ZoneInfo(current_app.config["CRM_TIMEZONE"]), _("合计"),
    )
    return download(stream_with_context(body), XLSX_MIMETYPE, filename)


def fields_response(filename: str, title: str, fields: Sequence[Field[R]], rows: Iterable[R]) -> Response:
    """``xlsx_response`` for typed rows, each laid out by ``fields`` as the file streams."""
    return xlsx_response(filename, title, columns_of(fields), (cells_of(fields, row) for row in rows))
