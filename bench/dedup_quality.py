"""Pairwise precision, recall and F1 of the dedupe on a labelled CSV (id,name,credit_code,truth).

    .venv/bin/python bench/dedup_quality.py [--data PATH] [--show N]

Default data: ../shared/data/companies-dedup-dev.csv beside the repository.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm.domain.dedup.cluster import dedupe  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "companies-dedup-dev.csv"


def pairs(groups: dict[object, list[object]]) -> set[tuple[object, object]]:
    out = set()
    for members in groups.values():
        for a, b in combinations(sorted(members, key=str), 2):
            out.add((a, b))
    return out


def evaluate(rows: list[dict[str, str]]) -> dict[str, object]:
    labels = dedupe((r["id"], r["name"], r.get("credit_code") or None) for r in rows)
    truth: dict[str, list[str]] = defaultdict(list)
    found: dict[object, list[str]] = defaultdict(list)
    for r in rows:
        truth[r["truth"]].append(r["id"])
        found[labels[r["id"]]].append(r["id"])
    t, f = pairs(truth), pairs(found)
    tp = len(t & f)
    precision = tp / len(f) if f else 1.0
    recall = tp / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": len(t), "found_pairs": len(f),
            "tp": tp, "false_pos": sorted(f - t), "false_neg": sorted(t - f), "labels": labels}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--show", type=int, default=0, help="print N false positives and N false negatives")
    args = parser.parse_args(argv)
    with args.data.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    started = time.perf_counter()
    result = evaluate(rows)
    elapsed = time.perf_counter() - started
    print(f"rows {len(rows)}  true pairs {result['true_pairs']}  found pairs {result['found_pairs']}  ({elapsed:.2f} s)")
    print(f"precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}")
    if args.show:
        by_id = {r["id"]: r for r in rows}
        for title, items in (("false positives", result["false_pos"]), ("false negatives", result["false_neg"])):
            print(f"-- {title}: {len(items)}")
            for a, b in items[: args.show]:
                ra, rb = by_id[a], by_id[b]
                print(f"  {ra['name']!r} [{ra['credit_code']}] {ra['truth']}  ~  {rb['name']!r} [{rb['credit_code']}] {rb['truth']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
