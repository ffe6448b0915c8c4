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
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.process import extract  # noqa: E402
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
    parser.add_argument("--brute", type=int, default=20, help="queries for the brute-force timing")
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

    # brute force in the same run: one name against all the others (rapidfuzz, in C),
    # timed on a sample of queries and extrapolated to all N names
    names = [name for _rid, name, _c, _t in rows]
    rng = random.Random(args.seed)
    sample = [names[rng.randrange(len(names))] for _ in range(args.brute)]
    t0 = time.perf_counter()
    for q in sample:
        extract(q, names, scorer=fuzz.ratio, score_cutoff=85, limit=None)
    per_query = (time.perf_counter() - t0) / len(sample)
    total = per_query * len(names) / 2
    print(f"brute force, all pairs with process.extract(fuzz.ratio): {per_query * 1000:.0f} ms per name "
          f"-> about {total / 3600:.1f} h for all {len(names):,} names (half the pairs; 1 process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
