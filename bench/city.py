"""A city's worth of data through the app's own schema, for page and concurrency benchmarks.

    .venv/bin/python bench/city.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/crm_city
    .venv/bin/python bench/city.py --database-url sqlite:////tmp/crm_city_small.db --scale 0.1

The database is emptied (PostgreSQL: the public schema is dropped; SQLite: the file is deleted), migrated
to head, and the 鲁山县 demo scenario is loaded by the app's own loader (``crm demo load``), so the demo
accounts (admin, reviewer, leader, leader2, chief1, staff1, staff2; password zhaoshang2025) and their records
are exactly the demo's. Around it the generator builds 平顶山市: the city unit and its 市招商局, 鲁山县 moved
under it, nine more counties on the demo's unit template, 4,962 accounts, 200,000 companies, 100,000 leads,
300,000 visits, 300,000 follow-ups, 20,000 projects with their approved stage history, milestones, funds,
三个一, issues, agreements, notifications, targets and 1,070,000 audit rows (``--scale`` multiplies every
count but the units and the demo accounts). Rows are bulk-inserted with explicit ids (PostgreSQL: COPY),
sequences are reset, counts per table are printed and the database is ANALYZEd.

Derived columns (a company's search text, its blocking keys) are computed with the app's own functions,
and the one password hash comes from ``crm.auth.passwords.hash_password``. "Today" is 2026-12-01.

The demo's attachments (photos, bank slips) are written under ``--instance-path``; start the app with the
same ``CRM_INSTANCE_PATH`` to serve them. The parts live in ``bench/city_*.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import sqlalchemy as sa
from city_common import TODAY, Ctx, Ids

WRITE_ORDER = ["units", "users", "industry_chains", "companies", "company_names", "company_tags", "company_name_keys", "contacts", "leads",
               "projects", "agreements", "project_stage_events", "follow_ups", "visits", "visit_companies", "visit_participants",
               "visit_leads", "project_milestones", "fund_arrivals", "project_progress", "project_leaders", "project_team_members",
               "issues", "issue_actions", "targets", "notifications", "audit_log"]
BATCH = 5_000


class Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<44} {now - self.last:6.1f} s   (total {now - self.start:6.1f} s)", flush=True)
        self.last = now


def empty_database(url: str) -> None:
    from crm.migrate import empty_postgresql

    if url.startswith("postgresql"):
        empty_postgresql(url)
        return
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(path + suffix).unlink(missing_ok=True)


def load_demo_scenario() -> None:
    """The function behind ``crm demo load``, in its own transaction (system scope, audit label 演示数据)."""
    from crm.cli import system_session
    from crm.demo.services import load_demo

    with system_session("演示数据"):
        load_demo(TODAY)


def read_demo(connection: sa.Connection) -> dict[str, Any]:
    """What the generator builds on: the demo's ids, and the natural keys it must not collide with."""
    from crm.demo.scenario import UNITS

    names = {spec.name: spec.key for spec in UNITS}
    units = {names[name]: uid for uid, name in connection.execute(sa.text("SELECT id, name FROM units")) if name in names}
    users = {u: (i, unit, d) for i, u, unit, d in connection.execute(sa.text("SELECT id, username, unit_id, display_name FROM users"))}
    chains = {name: cid for cid, name in connection.execute(sa.text("SELECT id, name FROM industry_chains"))}
    codes = {c for (c,) in connection.execute(sa.text("SELECT credit_code FROM companies WHERE credit_code IS NOT NULL"))}
    numbers: dict[int, int] = {}
    for (number,) in connection.execute(sa.text("SELECT number FROM issues")):
        year, seq = number[2:6], number[7:]
        if year.isdigit() and seq.isdigit():
            numbers[int(year)] = max(numbers.get(int(year), 0), int(seq))
    targets = {(y, o, i) for y, o, i in connection.execute(sa.text("SELECT year, owner_key, indicator FROM targets"))}
    bell = {(u, k, key) for u, k, key in connection.execute(sa.text('SELECT user_id, kind, "key" FROM notifications'))}
    audit = connection.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one()
    return {"units": units, "users": users, "chains": chains, "codes": codes, "numbers": numbers, "targets": targets, "bell": bell,
            "audit": audit}


def max_ids(connection: sa.Connection, metadata: sa.MetaData) -> dict[str, int]:
    out = {}
    for table in metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            out[table.name] = connection.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()
    return out


def generate(ctx: Ctx, clock: Clock) -> None:
    import gc
    import multiprocessing

    import city_audit
    import city_bell
    import city_companies
    import city_org
    import city_progress
    import city_projects
    import city_work

    gc.freeze()  # the workers are forked now, while the heap is small, and do not copy it page by page later
    ctx.pool = multiprocessing.get_context("fork").Pool(2)
    city_org.build_units(ctx)
    city_org.build_users(ctx)
    city_org.build_chains(ctx)
    clock.lap("units, accounts, chains")
    city_companies.build_companies(ctx, set(ctx.demo["codes"]))
    clock.lap("companies, contacts")
    city_projects.plan_projects(ctx)
    city_work.build_leads(ctx)
    last_visit = city_work.build_visits(ctx)
    city_work.build_follow_ups(ctx, last_visit)
    clock.lap("leads, visits, follow-ups")
    city_projects.build_projects(ctx)
    city_progress.build_assignments(ctx)
    city_progress.build_milestones(ctx)
    city_progress.build_funds_and_progress(ctx)
    city_progress.build_issues(ctx, ctx.demo["numbers"])
    city_org.build_targets(ctx, set(ctx.demo["targets"]))
    clock.lap("projects, agreements, progress, issues")
    city_bell.build_notifications(ctx, set(ctx.demo["bell"]))
    city_audit.build_audit(ctx, ctx.demo["audit"])
    clock.lap("notifications, audit log")
    city_companies.finish_companies(ctx)
    ctx.pool.close()
    ctx.pool.join()
    clock.lap("companies' search text and keys (workers)")


def write(engine: sa.Engine, metadata: sa.MetaData, ctx: Ctx, clock: Clock) -> None:
    postgres = engine.dialect.name == "postgresql"
    for name in WRITE_ORDER + [t for t in ctx.rows if t not in WRITE_ORDER]:
        if name not in ctx.rows:
            continue
        columns, rows = ctx.rows[name]
        table = metadata.tables[name]
        missing = [c.name for c in table.columns if c.name not in columns and not c.nullable and c.default is None
                   and c.server_default is None and not (c.primary_key and c.autoincrement is True)]
        if missing:
            raise RuntimeError(f"{name}: NOT NULL columns without a value or default: {missing}")
        defaulted = [c.name for c in table.columns if c.name not in columns]
        if defaulted:
            print(f"    ({name}: left to their defaults: {', '.join(defaulted)})")
        with engine.begin() as connection:
            if postgres:
                cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
                quoted = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                statement = sa.insert(table)
                for start in range(0, len(rows), BATCH):
                    connection.execute(statement, [dict(zip(columns, row)) for row in rows[start : start + BATCH]])
            if name == "units":
                move_lushan(connection, ctx)
        clock.lap(f"write {name} ({len(rows):,})")
    with engine.begin() as connection:
        if postgres:
            for table in metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, (sa.Integer, sa.BigInteger)):
                    connection.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM \"{table.name}\"), (SELECT MAX(id) IS NOT NULL FROM \"{table.name}\"))"
                    ))


def move_lushan(connection: sa.Connection, ctx: Ctx) -> None:
    """鲁山县 now belongs to the city; the units' derived paths (where the schema has them) follow, by the app's own code."""
    connection.execute(sa.text("UPDATE units SET parent_id = :city, sort_order = 7 WHERE id = :id"),
                       {"city": ctx.city_id, "id": ctx.counties[0].unit_id})
    try:
        from crm.units.tree import refresh_paths
    except ImportError:  # a schema without units.path
        return
    refresh_paths(connection)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--instance-path", help="CRM_INSTANCE_PATH for the demo's attachments (default: /tmp/crm_city_instance/<database>)")
    args = parser.parse_args(argv)
    url = args.database_url
    database = Path(sa.engine.make_url(url).database or "crm").stem
    instance = args.instance_path or f"/tmp/crm_city_instance/{database}"
    os.environ["CRM_INSTANCE_PATH"] = instance
    clock = Clock()
    print(f"city of scale {args.scale} (seed {args.seed}) into {sa.engine.make_url(url).render_as_string(hide_password=True)}", flush=True)

    from crm import create_app
    from crm.access.scoping import SYSTEM, set_scope
    from crm.auth.passwords import hash_password
    from crm.demo.scenario import DEMO_PASSWORD
    from crm.extensions import db
    from crm.migrate import run as run_alembic
    from crm.models import metadata

    empty_database(url)
    app = create_app({"DATABASE_URL": url})
    with app.app_context():
        run_alembic(db.engine, "upgrade", "head")
        clock.lap("empty database, alembic upgrade head")
        load_demo_scenario()
        clock.lap("demo scenario (crm demo load)")
        set_scope(db.session, SYSTEM)
        with db.engine.connect() as connection:
            demo = read_demo(connection)
            start_ids = max_ids(connection, metadata)
        ctx = Ctx(scale=args.scale, seed=args.seed, ids=Ids(start_ids), demo=demo, password_hash=hash_password(DEMO_PASSWORD))
        generate(ctx, clock)
        write(db.engine, metadata, ctx, clock)
        engine = db.engine
        with engine.connect() as connection:
            counts = {t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}
        elapsed = time.perf_counter() - clock.start
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        clock.lap("ANALYZE")
    print("\nrows per table:")
    for name in sorted(counts):
        print(f"  {name:<28} {counts[name]:>10,}")
    print(f"  {'(all)':<28} {sum(counts.values()):>10,}")
    print("\nscopes:")
    for note in ctx.notes:
        print(f"  - {note}")
    print(f"  - busy project id {ctx.busy_project_id}, busy company id {ctx.busy_company_id}")
    print(f"\ninstance path (attachments): {instance}")
    print(f"generated in {elapsed:.1f} s; with ANALYZE {time.perf_counter() - clock.start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
