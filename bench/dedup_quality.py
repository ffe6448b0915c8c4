"""Pairwise precision, recall and F1 of the dedupe on labelled CSVs (id,name,credit_code,truth).

    .venv/bin/python bench/dedup_quality.py [--set dev|holdout|unseen|all] [--data PATH] [--show N]

* ``dev``: ../shared/data/companies-dedup-dev.csv beside the repository (the set the matcher is tuned on);
* ``holdout``: bench/data/companies-dedup-holdout.csv, written by bench/make_holdout_set.py with
  other regions, trades and 字号, English names and renamed divisions — not for tuning;
* ``unseen``: bench/data/companies-dedup-unseen.csv, the same generator with ``--fresh-trades``:
  trades the matcher's vocabulary does not know — not for tuning.

Default: all three.  A set may have a ``*.tags.csv`` beside it (id,tags); then recall is also given
for the kinds of true pair: ``english`` (a name in English), ``renamed`` (a name writes a
division's former name: 长垣县, 许昌县), ``other``, and ``traditional`` (across the others).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crm.domain.dedup.cluster import dedupe  # noqa: E402

SETS = {
    "dev": ROOT / ".." / "shared" / "data" / "companies-dedup-dev.csv",
    "holdout": ROOT / "bench" / "data" / "companies-dedup-holdout.csv",
    "unseen": ROOT / "bench" / "data" / "companies-dedup-unseen.csv",
}
DEFAULT = SETS["dev"]


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
            "tp": tp, "true": t, "found": f, "false_pos": sorted(f - t), "false_neg": sorted(t - f), "labels": labels}


def pair_kind(tags: dict[str, set[str]], a: str, b: str) -> str:
    both = tags.get(a, set()) | tags.get(b, set())
    if "english" in both:
        return "english"
    if "renamed-old" in both:
        return "renamed"
    return "other"


def breakdown(result: dict[str, object], tags: dict[str, set[str]]) -> dict[str, tuple[int, int]]:
    """kind → (true pairs found, true pairs)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    found = result["found"]
    for a, b in result["true"]:
        kinds = [pair_kind(tags, a, b)]
        if "traditional" in tags.get(a, set()) | tags.get(b, set()):
            kinds.append("traditional")
        for kind in kinds:
            out[kind][1] += 1
            out[kind][0] += (a, b) in found
    return {k: (v[0], v[1]) for k, v in out.items()}


def read(path: Path) -> tuple[list[dict[str, str]], dict[str, set[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    tags: dict[str, set[str]] = {}
    tag_path = path.with_suffix(".tags.csv")
    if tag_path.exists():
        with tag_path.open(encoding="utf-8", newline="") as fh:
            tags = {r["id"]: set(r["tags"].split()) for r in csv.DictReader(fh)}
    return rows, tags


def report(title: str, path: Path, show: int) -> None:
    rows, tags = read(path)
    started = time.perf_counter()
    result = evaluate(rows)
    elapsed = time.perf_counter() - started
    print(f"== {title}: {path.name}")
    print(f"rows {len(rows)}  true pairs {result['true_pairs']}  found pairs {result['found_pairs']}  ({elapsed:.2f} s)")
    print(f"precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}")
    if tags:
        for kind in ("english", "renamed", "other", "traditional"):
            hit, total = breakdown(result, tags).get(kind, (0, 0))
            if total:
                print(f"  recall {kind:<12} {hit / total:.4f}  ({hit} of {total})")
    if show:
        by_id = {r["id"]: r for r in rows}
        for label, items in (("false positives", result["false_pos"]), ("false negatives", result["false_neg"])):
            print(f"-- {label}: {len(items)}")
            for a, b in items[:show]:
                ra, rb = by_id[a], by_id[b]
                print(f"  {ra['name']!r} [{ra['credit_code']}] {ra['truth']}  ~  {rb['name']!r} [{rb['credit_code']}] {rb['truth']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=("dev", "holdout", "unseen", "all", "both"), default="all")
    parser.add_argument("--data", type=Path, help="any labelled CSV instead of the named sets")
    parser.add_argument("--show", type=int, default=0, help="print N false positives and N false negatives")
    args = parser.parse_args(argv)
    if args.data:
        report("data", args.data, args.show)
        return 0
    names = {"all": tuple(SETS), "both": ("dev", "holdout")}.get(args.set, (args.set,))
    for name in names:
        report(name, SETS[name], args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
