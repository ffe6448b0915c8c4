"""The streamed list export (crm/web/xlsx_stream.py): a workbook spreadsheet programs open, written as it goes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from crm.web.xlsx import safe_cell
from crm.web.xlsx_stream import ROWS_PER_CHUNK, column_letters, stream_workbook


def _book(rows, totals=(False, False, True, False, False)):  # type: ignore[no-untyped-def]
    chunks = list(stream_workbook("企业/名录", ["名称", "备注", "金额（万元）", "日期", "时间"], [30, 20, 14, 12, 16], list(totals),
                                  rows, safe_cell, ZoneInfo("Asia/Shanghai")))
    return chunks, load_workbook(BytesIO(b"".join(chunks))).active


def test_column_letters() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


def test_values_formats_and_totals() -> None:
    stamp = datetime(2025, 3, 4, 1, 30, tzinfo=timezone.utc)
    _chunks, sheet = _book([
        ["东莞海威纺织有限公司", "=HYPERLINK(\"x\")", Decimal("30000.50"), date(2025, 4, 15), stamp],
        [" 前后有空格 ", "控制\x01字符", Decimal("1E+2"), None, None],
    ])
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("名称", "备注", "金额（万元）", "日期", "时间")
    assert rows[1][:3] == ("东莞海威纺织有限公司", "'=HYPERLINK(\"x\")", 30000.5)  # a formula stays text
    assert rows[1][3] == datetime(2025, 4, 15)
    assert rows[1][4] == datetime(2025, 3, 4, 9, 30)  # shown in the county's time, to the second
    assert rows[2][:3] == (" 前后有空格 ", "控制_x0001_字符", 100)
    assert rows[3] == ("合计", None, 30100.5, None, None)
    assert sheet.title == "企业名录"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E3"
    assert sheet["C2"].number_format == "#,##0.00" and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.b


def test_the_file_leaves_in_pieces_as_the_rows_come() -> None:
    read = []

    def rows():  # type: ignore[no-untyped-def]
        for n in range(ROWS_PER_CHUNK * 4):
            read.append(n)
            yield [f"企业{n}", None, Decimal(n), None, None]

    stream = stream_workbook("名录", ["名称", "备注", "金额", "日期", "时间"], [10] * 5, [False] * 5, rows(), safe_cell)
    first = next(stream)
    assert first and len(read) < ROWS_PER_CHUNK * 4  # bytes before every row was read
    data = first + b"".join(stream)
    assert load_workbook(BytesIO(data)).active.max_row == ROWS_PER_CHUNK * 4 + 1


def test_an_empty_list_is_a_valid_workbook() -> None:
    _chunks, sheet = _book([])
    assert list(sheet.iter_rows(values_only=True)) == [("名称", "备注", "金额（万元）", "日期", "时间"), ("合计", None, 0, None, None)]
