"""The leaders' dashboard (the home page) and the 月报 against N projects.

    .venv/bin/python bench/dashboard.py [--n 10000] [--requests 20] [--database-url URL]

Builds a migrated database (a temporary SQLite file unless ``--database-url`` is given; its public
schema is then dropped and rebuilt), bulk-loads one county with nine 招商分局 and N projects with
their approved stage history (签约, and 开工 for half of them), 到位资金, 倒排工期 节点, issues and
三个一 leaders, then renders ``/`` as the county leader and ``/reports/monthly`` as the reviewer and
reports the time per request and the number of SQL statements (which must not depend on N).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from crm import create_app  # noqa: E402
from crm.access.scoping import SYSTEM, set_scope  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.migrate import empty_postgresql  # noqa: E402
from crm.migrate import run as run_alembic  # noqa: E402

BATCH = 5_000
PERIODS = [f"2026-{m:02d}" for m in range(1, 12)] + [f"2025-{m:02d}" for m in range(1, 13)]


def _insert(table: sa.Table, rows: list[dict]) -> None:
    keys = {k for row in rows for k in row}
    rows = [{k: row.get(k) for k in keys} for row in rows]  # executemany needs the same keys in every row
    for start in range(0, len(rows), BATCH):
        with db.engine.begin() as connection:
            connection.execute(sa.insert(table), rows[start : start + BATCH])


def load(n: int) -> None:
    from crm.assignments.models import ProjectLeader
    from crm.auth.passwords import hash_password
    from crm.companies.models import Company
    from crm.domain.access import Role
    from crm.domain.units import LeaderTitle, UnitType
    from crm.issues.models import Issue
    from crm.progress.models import FundArrival, Milestone
    from crm.projects.models import Project, StageEvent
    from crm.units.models import Unit
    from crm.users.models import User

    rng = random.Random(7)
    units = [{"id": 1, "name": "基准县", "type": UnitType.COUNTY, "parent_id": None, "sort_order": 0, "version": 1}]
    units += [{"id": 2 + i, "name": f"第{i + 1}招商分局", "type": UnitType.BRANCH, "parent_id": 1, "sort_order": i + 1, "version": 1}
              for i in range(9)]
    _insert(Unit.__table__, units)
    from crm.units.tree import refresh_paths

    with db.engine.begin() as connection:
        refresh_paths(connection)  # units.path, which the ORM keeps for units it writes itself
    password = hash_password("bench-password")
    users = [
        {"id": 1, "username": "leader", "display_name": "县长", "role": Role.LEADER, "unit_id": 1, "title": LeaderTitle.COUNTY_HEAD,
         "password_hash": password, "version": 1},
        {"id": 2, "username": "reviewer", "display_name": "审核员", "role": Role.REVIEWER, "unit_id": 1, "password_hash": password, "version": 1},
    ] + [{"id": 3 + i, "username": f"staff{i}", "display_name": f"专员{i}", "role": Role.STAFF, "unit_id": 2 + i,
          "password_hash": password, "version": 1} for i in range(9)]
    _insert(User.__table__, users)
    _insert(Company.__table__, [{"id": i + 1, "name": f"基准企业{i}", "search_text": "", "version": 1} for i in range(200)])
    projects, events, funds, milestones, issues, leaders = [], [], [], [], [], []
    for pid in range(1, n + 1):
        unit = 2 + pid % 9
        signed = rng.choice(PERIODS)
        started = pid % 2 == 0
        total = Decimal(rng.choice([3000, 8000, 12000, 30000, 60000, 150000, 600000]))
        projects.append({
            "id": pid, "name": f"基准项目{pid}", "company_id": 1 + pid % 200, "owner_id": 3 + pid % 9, "unit_id": unit,
            "stage": "started" if started else "signed", "nature": "new", "tracked_since": date(2024, 1, 1),
            "total_investment": total, "contracted_amount": total, "funding_source": rng.choice(["other_province", "in_province", "in_county"]),
            "industry_category": rng.choice(["C", "C", "C", "K", "F"]), "is_key": pid % 10 == 0, "signed_month": signed,
            "planned_start_on": date(2026, rng.randint(1, 12), 1), "version": 1,
        })
        events.append({"project_id": pid, "from_stage": "talks", "to_stage": "signed", "period": signed, "review_status": "approved",
                       "total_investment": total, "contracted_amount": total, "version": 1})
        if started:
            events.append({"project_id": pid, "from_stage": "signed", "to_stage": "started", "period": max(signed, rng.choice(PERIODS)),
                           "review_status": "approved", "total_investment": total, "contracted_amount": total, "version": 1})
        funds.append({"project_id": pid, "period": rng.choice(PERIODS), "amount": Decimal(rng.randint(100, 5000)),
                      "source": rng.choice(["other_province", "in_province"]), "purpose": "fixed_assets", "review_status": "approved", "version": 1})
        milestones.append({"project_id": pid, "kind": "land", "planned_on": date(2026, rng.randint(1, 12), 1), "version": 1})
        if pid % 7 == 0:
            issues.append({"number": f"WT-{pid}", "project_id": pid, "description": "问题", "category": "land", "source": "company",
                           "raised_on": date(2026, 1, 1), "responsible_unit_id": unit, "responsible_person": "负责人",
                           "deadline": date(2026, rng.randint(1, 12), 1), "level": "zone_committee", "status": "in_progress",
                           "unit_id": unit, "version": 1})
        if pid % 10 == 0:
            leaders.append({"project_id": pid, "leader_id": 1, "slot": 1, "entered_on": date(2026, 1, 1), "version": 1})
    for table, rows in ((Project.__table__, projects), (StageEvent.__table__, events), (FundArrival.__table__, funds),
                        (Milestone.__table__, milestones), (Issue.__table__, issues), (ProjectLeader.__table__, leaders)):
        _insert(table, rows)


def timed(client, path: str, requests: int, engine: sa.Engine) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    client.get(path)  # warm up
    times = []
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(requests):
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return times, len(statements)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    base = tempfile.mkdtemp(prefix="crm-bench-")
    os.environ["CRM_INSTANCE_PATH"] = base
    url = args.database_url or f"sqlite:///{base}/bench.db"
    empty_postgresql(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "CRM_ARGON2_TIME_COST": 1,
                      "CRM_ARGON2_MEMORY_COST": 1024})
    with app.app_context():
        run_alembic(db.engine, "upgrade", "head")
        set_scope(db.session, SYSTEM)
        start = time.perf_counter()
        load(args.n)
        print(f"loaded {args.n:,} projects in {time.perf_counter() - start:.1f} s ({db.engine.dialect.name})")
        engine = db.engine
    client = app.test_client()
    for username, path in (("leader", "/?period=2026-11"), ("reviewer", "/reports/monthly?period=2026-10"),
                           ("reviewer", "/reports/ranking?period=2026-10")):
        with app.app_context():
            from crm.users.models import User

            set_scope(db.session, SYSTEM)
            user = db.session.scalars(sa.select(User).where(User.username == username)).one()
            cookie = user.get_id()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = cookie
            flask_session["_fresh"] = True
        times, statements = timed(client, path, args.requests, engine)
        print(f"{path} as {username}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
              f"over {args.requests} requests; {statements} SQL statements per request")


if __name__ == "__main__":
    main()
