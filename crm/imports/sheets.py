"""One sheet of one kind, from cells to records: the header found (or the user's mapping), then the rows."""

from __future__ import annotations

from typing import Mapping

from crm.domain.imports.fields import FIELDS, Kind
from crm.domain.imports.headers import Layout, detect, remap
from crm.domain.imports.problems import ProblemError
from crm.domain.imports.rows import SheetResult, convert
from crm.imports.reading import Sheet


def layout_of(sheet: Sheet, kind: Kind, mapping: dict[str, str | None] | None = None, *, at: tuple[int, int] | None = None,
              remembered: Mapping[str, str | None] | None = None) -> Layout:
    """The detected layout (``at``: the header rows the user named, 0-based), with the mapping the unit used last
    time (header → field; dropped when it no longer fits this sheet), corrected by ``mapping`` (header or column
    letter → field) when the user gave one.

    ``ProblemError`` when no header is found, or the mapping gives one field to two columns."""
    layout = detect(sheet.rows, kind, sheet.merges, at=at)
    if remembered:
        known = {f.name for f in FIELDS[kind]}
        headers = {c.header for c in layout.columns}
        kept = {h: f for h, f in remembered.items() if h in headers and (f is None or f in known)}
        try:
            layout = remap(layout, kept)
        except ProblemError:  # it would give a field to two columns of this sheet: the detection stands
            pass
    return remap(layout, mapping) if mapping else layout


def convert_sheet(sheet: Sheet, kind: Kind, mapping: dict[str, str | None] | None = None, **options: object) -> SheetResult:
    return convert(sheet.rows, layout_of(sheet, kind, mapping, **options), sheet.merges)  # type: ignore[arg-type]
