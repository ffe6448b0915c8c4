"""``crm companies dedupe INPUT.csv --output GROUPS.csv``: a spreadsheet deduplicated, no database.

Input: UTF-8 CSV (a BOM is fine) with a header holding ``id`` and ``name`` and
optionally ``credit_code`` (header names are matched case-insensitively after
trimming spaces; other columns are ignored).

Output: ``id,group`` — every input id exactly once, in input order; rows that
share ``group`` are judged one company.  ``group`` is the id of the group's
first row.  The file is written as UTF-8 with a BOM so that Excel opens it.

Rows that cannot be judged are reported on ``err`` with their line numbers and
kept as a group of their own:

* an empty name;
* an invalid credit code (wrong length, characters or check character, lower
  case included) — such a row is *not* matched by name either: the code shows
  the row was typed wrongly, so it is set apart for a person to fix and rerun
  rather than merged on a guess;
* an empty id is reported and the row skipped (there is nothing to write for it).

A repeated id is reported; its rows are taken as other names of one company
(the CRM keeps 曾用名 the same way) and the id is written once.  If all of an
id's rows are unusable it is a group of its own.

Exit status: 0 when GROUPS.csv was written (warnings may have been printed),
2 when the input cannot be read (missing, not UTF-8, not CSV, no ``id``/``name``
header) or the output cannot be written.  Never a traceback.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from crm.domain.dedup.cluster import dedupe
from crm.domain.dedup.credit_code import credit_code_problem, normalise_credit_code

EXIT_OK = 0
EXIT_UNREADABLE = 2


class InputError(Exception):
    """The input cannot be used at all (exit status 2)."""


@dataclass
class Sheet:
    ids: list[str] = field(default_factory=list)  # every usable id once, in input order
    records: list[tuple[Hashable, str, str | None]] = field(default_factory=list)
    isolated: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0


def read_sheet(path: str) -> Sheet:
    """Parse the input; raises InputError for an unusable file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start + 1}); save the spreadsheet as “CSV UTF-8” and try again"
        ) from None
    if "\x00" in text:
        raise InputError(f"{path}: contains NUL bytes; this is not a CSV text file")

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from None
    if not header or not any(h.strip() for h in header):
        raise InputError(f"{path}: empty file; expected a header with id and name columns")
    columns = {h.strip().lower(): i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in ("id", "name") if c not in columns]
    if missing:
        raise InputError(
            f"{path}: the header has no {' or '.join(missing)} column (found: {', '.join(h.strip() for h in header)})"
        )
    i_id, i_name, i_code = columns["id"], columns["name"], columns.get("credit_code")

    sheet = Sheet()
    first_line: dict[str, int] = {}
    usable: dict[str, bool] = {}
    try:
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in row):
                continue  # blank line
            sheet.rows += 1
            line = start

            def cell(i: int | None, row: list[str] = row) -> str:
                return row[i].strip() if i is not None and i < len(row) else ""

            rid, name, code_text = cell(i_id), cell(i_name), cell(i_code)
            if not rid:
                sheet.warnings.append(f"line {line}: empty id; row skipped")
                continue
            if rid in first_line:
                sheet.warnings.append(
                    f"line {line}: id {rid} repeats line {first_line[rid]}; taken as another name of the same company"
                )
            else:
                first_line[rid] = line
                sheet.ids.append(rid)
                usable[rid] = False
            problem = None
            code = normalise_credit_code(code_text) if code_text else ""
            if code:
                problem = credit_code_problem(code)
            if not name:
                sheet.warnings.append(f"line {line}: id {rid}: empty name; kept as its own group")
                continue
            if problem:
                sheet.warnings.append(
                    f"line {line}: id {rid}: invalid credit code {code_text!r} ({problem}); kept as its own group"
                )
                continue
            usable[rid] = True
            sheet.records.append((rid, name, code or None))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    sheet.isolated = {rid for rid, ok in usable.items() if not ok}
    return sheet


def group_sheet(sheet: Sheet) -> list[tuple[str, str]]:
    """(id, group) for every id of the sheet, in input order."""
    labels = dedupe(sheet.records)
    out = []
    for rid in sheet.ids:
        label = rid if rid in sheet.isolated else labels.get(rid, rid)
        out.append((rid, str(label)))
    return out


def write_groups(path: str, pairs: list[tuple[str, str]]) -> None:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".groups-", suffix=".csv", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "group"])
            writer.writerows(pairs)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(input_path: str, output_path: str, err: TextIO) -> int:
    """Read INPUT, write GROUPS, report problems on ``err``; the exit status."""
    try:
        sheet = read_sheet(input_path)
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_UNREADABLE
    for warning in sheet.warnings:
        print(f"warning: {warning}", file=err)
    pairs = group_sheet(sheet)
    try:
        write_groups(output_path, pairs)
    except OSError as exc:
        print(f"error: {output_path}: cannot write ({exc.strerror or exc})", file=err)
        return EXIT_UNREADABLE
    sizes: dict[str, int] = {}
    for _rid, group in pairs:
        sizes[group] = sizes.get(group, 0) + 1
    merged = sum(1 for n in sizes.values() if n > 1)
    print(
        f"{len(pairs)} ids in {len(sizes)} groups ({merged} groups of two or more); "
        f"{len(sheet.warnings)} warning(s); written to {output_path}",
        file=err,
    )
    return EXIT_OK
