"""Package data of the matcher: the division list and the 56 民族 (see README.md beside this file).

Read through importlib.resources, so the files are found in a wheel, an editable
install or a zip alike (pyproject.toml lists them as package data).
"""

from __future__ import annotations

import csv
import io
from importlib.resources import files

DIVISIONS_FILE = "divisions.csv"
NATIONS_FILE = "nations.txt"
GLOSSES_FILE = "english_glosses.tsv"
STATUSES = ("current", "former")


def _text(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def division_rows() -> list[tuple[str, str, str]]:
    """(6-digit 区划代码, name, "current" | "former"), in the file's order."""
    rows = []
    for row in csv.DictReader(io.StringIO(_text(DIVISIONS_FILE))):
        status = row["status"]
        if status not in STATUSES:
            raise ValueError(f"{DIVISIONS_FILE}: unknown status {status!r} for {row['code']}")
        rows.append((row["code"], row["name"], status))
    return rows


def nations() -> tuple[str, ...]:
    return tuple(line.strip() for line in _text(NATIONS_FILE).splitlines() if line.strip())


def english_glosses() -> dict[str, tuple[str, ...]]:
    """{English word: its Chinese glosses} (bench/make_english_glosses.py writes the file)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _text(GLOSSES_FILE).splitlines():
        if line and not line.startswith("#"):
            word, _tab, glosses = line.partition("\t")
            out[word] = tuple(glosses.split(","))
    return out
