"""One sheet of one kind, from cells to records: the header found (or the user's mapping), then the rows."""

from __future__ import annotations

from crm.domain.imports.fields import Kind
from crm.domain.imports.headers import Layout, detect, remap
from crm.domain.imports.rows import SheetResult, convert
from crm.imports.reading import Sheet


def layout_of(sheet: Sheet, kind: Kind, mapping: dict[str, str | None] | None = None) -> Layout:
    """The detected layout, corrected by ``mapping`` (header or column letter → field) when the user gave one.

    ``ProblemError`` when no header is found, or the mapping gives one field to two columns."""
    layout = detect(sheet.rows, kind, sheet.merges)
    return remap(layout, mapping) if mapping else layout


def convert_sheet(sheet: Sheet, kind: Kind, mapping: dict[str, str | None] | None = None) -> SheetResult:
    return convert(sheet.rows, layout_of(sheet, kind, mapping), sheet.merges)
