"""The app's own duplicate check (``likely_duplicates``) against N companies stored in the database.

    .venv/bin/python bench/typeahead_db.py [--n 1000000] [--queries 500] [--database-url URL]

With --database-url, point it at a scratch database: its public schema is dropped and rebuilt
(e.g. ``createdb -h 127.0.0.1 -U postgres crm_bench`` and
``--database-url postgresql+psycopg://postgres@127.0.0.1:5432/crm_bench``).

``bench/typeahead.py`` times the in-memory ``CompanyIndex``. The web app
instead finds candidates with SQL over the ``company_name_keys`` table, then
judges them in Python. This script times that real path: it builds a migrated
database (a temporary SQLite file unless ``--database-url`` is given), bulk-loads
N synthetic companies and their blocking keys, and times the check for typed
queries, as the new-company form sends them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from synth import _homophones, generate  # noqa: E402
from typeahead import pct, typed  # noqa: E402

from crm import create_app  # noqa: E402
from crm.access.scoping import SYSTEM, set_scope  # noqa: E402
from crm.companies.duplicates import likely_duplicates  # noqa: E402
from crm.companies.models import Company, CompanyNameKey  # noqa: E402
from crm.domain.dedup.normalise import blocking_keys, name_key  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.migrate import run as run_alembic  # noqa: E402

BATCH = 20_000


def load(n: int) -> list[str]:
    rows = generate(n)
    names = [name for _, name, _, _ in rows]
    companies = Company.__table__
    keys = CompanyNameKey.__table__
    for start in range(0, len(names), BATCH):
        chunk = names[start : start + BATCH]
        with db.engine.begin() as connection:
            connection.execute(
                sa.insert(companies),
                [{"id": start + i + 1, "name": name, "search_text": "", "version": 1} for i, name in enumerate(chunk)],
            )
            connection.execute(
                sa.insert(keys),
                [
                    {"company_id": start + i + 1, "key": key}
                    for i, name in enumerate(chunk)
                    for key in blocking_keys(name_key(name))
                ],
            )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="crm-bench-")
    os.environ["CRM_INSTANCE_PATH"] = workdir
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
        run_alembic(db.engine, "upgrade", "head")
        started = time.perf_counter()
        names = load(args.n)
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        print(f"loaded {args.n:,} companies in {time.perf_counter() - started:.0f} s ({db.engine.dialect.name})")

        rng = random.Random(5)
        homophones = _homophones()
        queries = [typed(rng, rng.choice(names), homophones) for _ in range(args.queries)]
        set_scope(db.session, SYSTEM)
        timings, found = [], 0
        for query in queries:
            name_key.cache_clear() if hasattr(name_key, "cache_clear") else None
            t0 = time.perf_counter()
            matches = likely_duplicates([query], None)
            timings.append((time.perf_counter() - t0) * 1000)
            found += bool(matches)
            db.session.expunge_all()
        print(
            f"likely_duplicates over {args.n:,} stored companies, {len(queries)} typed queries: "
            f"median {statistics.median(timings):.1f} ms, p95 {pct(timings, 95):.1f} ms, max {max(timings):.1f} ms; "
            f"{found / len(queries):.0%} of queries found a likely duplicate"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
