"""Reading an uploaded spreadsheet into rows of cells, or refusing it with a sentence the user can act on.

Workbooks (.xlsx, .xlsm, .xls, .ods) go through python-calamine: fast, formulas give the value the file
last saved, dates come as dates. CSV comes from WPS and Excel in UTF-8 (with or without a BOM) or in
GBK/GB18030, separated by commas, tabs or semicolons. The content decides how a file is read, never the name
alone: a workbook renamed .csv is read as the workbook it is, and a PDF renamed .xlsx is refused.

Rows start at A1 (row ``i`` is Excel's row ``i + 1``), blank cells are ``None``; nothing here knows about
headers or fields (``crm.domain.imports``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Mapping

from charset_normalizer import from_bytes
from flask_babel import lazy_gettext as _l
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from crm.domain.imports.headers import Merge
from crm.domain.imports.values import Cell

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = WORKBOOK_SUFFIXES + (".csv",)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected Office file
# Office keeps a password-protected .xlsx as an OLE container with these streams (names in UTF-16).
ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CSV_DELIMITERS = ",\t;"
SNIFF_CHARS = 16_384
ENCRYPTED = _l("工作簿设置了打开密码：请在 Excel 或 WPS 中取消密码后另存，再上传")


class UnreadableFile(Exception):
    """A file refused before anything is imported; ``message`` says why, in Chinese."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Limits:
    """CRM_IMPORT_MAX_BYTES and CRM_IMPORT_MAX_ROWS (crm/config.py)."""

    max_bytes: int
    max_rows: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(config["CRM_IMPORT_MAX_BYTES"], config["CRM_IMPORT_MAX_ROWS"])


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]
    merges: tuple[Merge, ...]  # as calamine reports them; () for CSV and formats that keep none


def _cell(value: Any) -> Cell:
    return None if value == "" else value


def _trimmed(rows: list[list[Any]]) -> list[list[Cell]]:
    """Blank cells as None, and no blank rows or columns after the last value."""
    grid = [[_cell(value) for value in row] for row in rows]
    while grid and all(value is None for value in grid[-1]):
        grid.pop()
    width = max((i + 1 for row in grid for i, value in enumerate(row) if value is not None), default=0)
    return [row[:width] for row in grid]


def _too_long(name: str, limits: Limits) -> UnreadableFile:
    return UnreadableFile(_l("工作表“%(sheet)s”超过 %(limit)s 行的上限，请拆分后分批导入", sheet=name, limit=limits.max_rows))


class Book:
    """The sheets of one file; ``sheet`` reads one (the user picks it when there are several)."""

    def __init__(self, names: list[str], limits: Limits) -> None:
        self.sheet_names = names
        self.limits = limits

    def sheet(self, name: str | None = None) -> Sheet:
        """The sheet called ``name`` (the first when None); UnreadableFile when it is empty or too long."""
        if not self.sheet_names:
            raise UnreadableFile(_l("工作簿中没有工作表"))
        name = self.sheet_names[0] if name is None else name
        if name not in self.sheet_names:
            raise UnreadableFile(_l("没有名为“%(sheet)s”的工作表", sheet=name))
        sheet = self._read(name)
        if not sheet.rows:
            raise UnreadableFile(_l("工作表“%(sheet)s”是空的", sheet=name))
        if len(sheet.rows) > self.limits.max_rows:
            raise _too_long(name, self.limits)
        return sheet

    def _read(self, name: str) -> Sheet:
        raise NotImplementedError


def _visible_sheets(workbook: CalamineWorkbook) -> list[str]:
    """The sheets a user sees: a hidden one holds a template's dropdown lists or what its author put away, and
    should not make the upload page ask which sheet to import. A workbook of hidden sheets only lists them all."""
    visible = [sheet.name for sheet in workbook.sheets_metadata if sheet.visible == SheetVisibleEnum.Visible]
    return visible or list(workbook.sheet_names)


class _Workbook(Book):
    def __init__(self, workbook: CalamineWorkbook, limits: Limits) -> None:
        super().__init__(_visible_sheets(workbook), limits)
        self.workbook = workbook

    def _read(self, name: str) -> Sheet:
        try:
            sheet = self.workbook.get_sheet_by_name(name)
            # The used range is known before the cells are read: a sheet far above the limit is not loaded.
            if sheet.end is not None and sheet.end[0] + 1 > self.limits.max_rows:
                raise _too_long(name, self.limits)
            rows = sheet.to_python(skip_empty_area=False)
            merges = tuple(sheet.merged_cell_ranges or ())
        except CalamineError as error:
            raise UnreadableFile(_l("工作表“%(sheet)s”无法读取，文件可能已损坏：请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传", sheet=name)) from error
        return Sheet(name, _trimmed(rows), merges)


class _CsvFile(Book):
    def __init__(self, name: str, text: str, limits: Limits) -> None:
        super().__init__([name], limits)
        self.text = text

    def _read(self, name: str) -> Sheet:
        sample = self.text[:SNIFF_CHARS]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS)
        except csv.Error:  # one column, or too little to tell: commas
            dialect = csv.excel
        rows = list(csv.reader(io.StringIO(self.text, newline=""), dialect))
        return Sheet(name, _trimmed([[value.strip() for value in row] for row in rows]), ())


def _csv_text(data: bytes) -> str:
    """The text of a CSV in whatever encoding charset-normalizer recognises (UTF-8 and GB18030 in practice)."""
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile(_l("无法识别 CSV 文件的编码：请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 .xlsx"))
    return str(best)


def _is_spreadsheet_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return True
            return "mimetype" in names and archive.read("mimetype").startswith(ODS_MIMETYPE)
    except zipfile.BadZipFile:
        return False


def _workbook_kind(data: bytes) -> str | None:
    """"workbook", "encrypted", "other" (binary, not a spreadsheet), or None for text."""
    if data.startswith(OLE_MAGIC):
        if any(stream in data for stream in ENCRYPTION_STREAMS):
            return "encrypted"
        return "workbook" if any(stream in data for stream in XLS_STREAMS) else "other"
    if data.startswith(ZIP_MAGIC):
        return "workbook" if _is_spreadsheet_zip(data) else "other"
    return "other" if b"\x00" in data[:SNIFF_CHARS] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) else None


def open_book(data: bytes, filename: str, limits: Limits) -> Book:
    """The file's sheets, or UnreadableFile: a wrong type, a password, a file above the size limit."""
    path = PurePath(filename)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(_l("不支持的文件类型“%(suffix)s”：请上传 .xlsx、.xlsm、.xls、.ods 或 .csv 文件", suffix=suffix or filename))
    if len(data) > limits.max_bytes:
        megabytes = format(limits.max_bytes / 1024 / 1024, "g")
        raise UnreadableFile(_l("文件超过 %(limit)s MB 的上限，请拆分后分批导入", limit=megabytes))
    kind = _workbook_kind(data)
    if kind == "encrypted":
        raise UnreadableFile(ENCRYPTED)
    not_a_spreadsheet = _l("文件“%(name)s”的内容不是电子表格（扩展名可能被改过）：请在 Excel 或 WPS 中另存为 .xlsx 再上传", name=path.name)
    if kind == "other" or (kind is None and suffix != ".csv"):
        raise UnreadableFile(not_a_spreadsheet)
    if kind is None:
        return _CsvFile(path.stem, _csv_text(data), limits)
    try:
        return _Workbook(CalamineWorkbook.from_filelike(io.BytesIO(data)), limits)
    except PasswordError as error:
        raise UnreadableFile(ENCRYPTED) from error
    except CalamineError as error:
        raise UnreadableFile(not_a_spreadsheet) from error
