"""Type-ahead lookup latency: CompanyIndex.match against N companies (default 1,000,000).

    .venv/bin/python bench/typeahead.py [--n 1000000] [--queries 2000] [--brute 20]

Builds a CompanyIndex of N synthetic companies, then times ``match`` for
``--queries`` lookups: half are names of indexed companies as people type them
(legal form dropped, region dropped, 字号 only, a homophone typo), half are new
names.  The name-key cache is cleared after building, so every lookup pays for
normalising its query.  For comparison, rapidfuzz's brute-force
``process.extractOne`` over all N names is timed on ``--brute`` queries
(default scorer WRatio, and fuzz.ratio).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process  # noqa: E402
from synth import _homophones, generate  # noqa: E402

from crm.domain.dedup.matcher import CompanyIndex  # noqa: E402
from crm.domain.dedup.normalise import name_key  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def typed(rng: random.Random, name: str, homophones: dict[str, list[str]]) -> str:
    key = name_key(name)
    kind = rng.randrange(5)
    if kind == 0 or not key.brand:
        return name
    if kind == 1:
        return key.normalised.replace("有限公司", "").replace("有限责任公司", "")
    if kind == 2:
        return key.core
    if kind == 3:
        return key.brand
    brand = key.brand
    spots = [i for i, ch in enumerate(brand) if ch in homophones]
    if spots:
        i = rng.choice(spots)
        brand = brand[:i] + rng.choice(homophones[brand[i]]) + brand[i + 1 :]
    return brand + key.trade


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--brute", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    rows = generate(args.n, seed=args.seed)
    started = time.perf_counter()
    index = CompanyIndex()
    for rid, name, code, _truth in rows:
        index.add(rid, name, code or None)
    built = time.perf_counter() - started
    print(f"indexed {len(index):,} companies in {built:.1f} s; peak RSS {peak_rss_mb():,.0f} MB", flush=True)

    homophones = _homophones()
    known = [typed(rng, rows[rng.randrange(len(rows))][1], homophones) for _ in range(args.queries // 2)]
    fresh = [name for _rid, name, _c, _t in generate(args.queries - len(known), seed=args.seed + 1000)]
    queries = known + fresh
    rng.shuffle(queries)
    name_key.cache_clear()

    latencies, hits, examined = [], 0, []
    for q in queries:
        t0 = time.perf_counter()
        found = index.match(q)
        latencies.append((time.perf_counter() - t0) * 1000)
        hits += bool(found)
        examined.append(len(index.candidates(name_key(q))))
    print(f"CompanyIndex.match over {len(queries):,} lookups: median {statistics.median(latencies):.2f} ms, "
          f"p95 {pct(latencies, 95):.2f} ms, max {max(latencies):.1f} ms; "
          f"{hits:,} found a likely duplicate; candidates examined: median {statistics.median(examined):.0f}, "
          f"p95 {pct(examined, 95):.0f}, max {max(examined):,}")

    names = [name for _rid, name, _c, _t in rows]
    sample = queries[: args.brute]
    for label, scorer in (("WRatio", fuzz.WRatio), ("ratio", fuzz.ratio)):
        times = []
        for q in sample:
            t0 = time.perf_counter()
            process.extractOne(q, names, scorer=scorer)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"brute force process.extractOne({label}) over {len(names):,} names: median {statistics.median(times):.1f} ms "
              f"({len(sample)} lookups)")
    print(f"peak RSS {peak_rss_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
