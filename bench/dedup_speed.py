"""Deduplicate N synthetic company names (default 1,000,000): wall time and peak memory.

    .venv/bin/python bench/dedup_speed.py [--n 1000000] [--seed 1]

Prints the time to generate the names (not counted), the time of
``crm.domain.dedup.cluster.dedupe`` over all of them, the peak resident memory
of the process (resource.getrusage, which includes the generated input), and
the pairwise precision/recall against the generator's truth.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synth import generate  # noqa: E402

from crm.domain.dedup import cluster  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def pair_count(sizes: Counter) -> int:
    return sum(k * (k - 1) // 2 for k in sizes.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rows = generate(args.n, seed=args.seed)
    generated = time.perf_counter() - started
    print(f"generated {len(rows):,} names in {generated:.1f} s; peak RSS so far {peak_rss_mb():,.0f} MB", flush=True)

    gc.collect()
    started = time.perf_counter()
    labels = cluster.dedupe((rid, name, code or None) for rid, name, code, _truth in rows)
    elapsed = time.perf_counter() - started
    peak = peak_rss_mb()

    groups = Counter(labels.values())
    truth = {rid: t for rid, _n, _c, t in rows}
    both = Counter((labels[rid], truth[rid]) for rid in labels)
    tp = pair_count(both)
    found = pair_count(groups)
    real = pair_count(Counter(truth.values()))
    precision = tp / found if found else 1.0
    recall = tp / real if real else 1.0
    print(f"dedupe of {len(rows):,} names: {elapsed:.1f} s wall; peak RSS {peak:,.0f} MB")
    print(f"{len(groups):,} groups ({sum(1 for n in groups.values() if n > 1):,} of two or more)")
    print(f"against the generator's truth: precision {precision:.4f} recall {recall:.4f} ({tp:,}/{real:,} true pairs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
