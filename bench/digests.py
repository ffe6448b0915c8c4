"""Benchmark: building the weekly digests of 10,000 users on a large generated dataset.

    .venv/bin/python bench/digests.py                       # 10,000 users, temporary SQLite file
    .venv/bin/python bench/digests.py --users 2000 --units 100
    .venv/bin/python bench/digests.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/crm_bench
    .venv/bin/python bench/digests.py --existing --database-url URL     # a database as it is (bench/city.py's)

The database is migrated to head and filled with Core bulk inserts (no audit rows): one county, a
bureau with ``--units`` 招商分局 (one chief and ~19 staff each), 60 county leaders, 20 reviewers and
5 admins; per staff member 5 leads, 10 follow-ups and 2 visits; 1 project per staff member with
approved stage events, 3 milestones and issues; key projects 分包 by the leaders; county targets.
Then every digest is built (under each recipient's own scope), rendered and queued, in one
transaction, as the Monday job does; SQL statements are counted per recipient, per role.
On PostgreSQL the target database must exist and is emptied first (DROP SCHEMA public CASCADE).

With ``--existing`` nothing is generated or emptied: the job runs once over every active user of the database,
exactly as the Monday job calls it (one ``queue_digests``), and the outbox rows it queued are rolled back, so
the run can be repeated.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

PERIOD = "2026-W48"
AS_OF = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)
CHUNK = 5000


def _insert(session, table, rows) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), CHUNK):
        session.execute(sa.insert(table), rows[start : start + CHUNK])


def generate(session, n_users: int, n_units: int, seed: int = 1) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from crm.domain.access import Role
    from crm.domain.issues import IssueCategory, IssueLevel, IssueSource, IssueStatus
    from crm.domain.kpi import Indicator, TargetScope
    from crm.domain.leads import LeadSource, LeadStatus
    from crm.domain.pipeline import Stage
    from crm.domain.projects import MilestoneKind, ReviewStatus
    from crm.domain.units import LeaderTitle, UnitType
    from crm.domain.visits import VisitType
    from crm.models import Base  # noqa: F401 (every model)

    rng = random.Random(seed)
    T = Base.metadata.tables
    counts: Counter[str] = Counter()

    def add(table: str, rows: list[dict]) -> None:
        _insert(session, T[table], rows)
        counts[table] += len(rows)

    add("units", [{"id": 1, "name": "基准县", "type": UnitType.COUNTY, "parent_id": None, "sort_order": 0},
                  {"id": 2, "name": "基准县招商局", "type": UnitType.BUREAU, "parent_id": 1, "sort_order": 0}])
    branch_ids = list(range(10, 10 + n_units))
    add("units", [{"id": uid, "name": f"第{i + 1}招商分局", "type": UnitType.BRANCH, "parent_id": 2, "sort_order": i} for i, uid in enumerate(branch_ids)])
    from crm.units.tree import refresh_paths

    refresh_paths(session)  # units.path, which the ORM keeps for units it writes itself

    users: list[dict] = []
    specials = [("leader", Role.LEADER, 1, 60), ("reviewer", Role.REVIEWER, 2, 20), ("admin", Role.ADMIN, 1, 5)]
    uid = 1
    for prefix, role, unit, n in specials:
        for i in range(n):
            users.append({"id": uid, "username": f"{prefix}{i}", "display_name": f"{prefix}{i}", "role": role, "unit_id": unit,
                          "title": (LeaderTitle.COUNTY_HEAD if i < 2 else LeaderTitle.DEPUTY_HEAD) if role is Role.LEADER else None})
            uid += 1
    rest = n_users - len(users)
    per_unit = max(1, rest // n_units)
    staff_ids: list[tuple[int, int]] = []
    for k in range(rest):
        unit = branch_ids[min(k // per_unit, n_units - 1)]
        role = Role.CHIEF if k % per_unit == 0 else Role.STAFF
        users.append({"id": uid, "username": f"u{uid}", "display_name": f"专员{uid}", "role": role, "unit_id": unit, "title": None})
        if role is Role.STAFF:
            staff_ids.append((uid, unit))
        uid += 1
    for user in users:
        user.update(email=f"{user['username']}@bench.example", password_hash="x")
    add("users", users)
    leader_ids = [u["id"] for u in users if u["role"] is Role.LEADER]

    add("companies", [{"id": i, "name": f"基准企业{i}有限公司"} for i in range(1, 2001)])

    leads, follow_ups, visits, projects = [], [], [], []
    lead_id = follow_id = visit_id = project_id = 0
    for owner, unit in staff_ids:
        for _ in range(5):
            lead_id += 1
            received = AS_OF - timedelta(days=rng.randint(0, 400))
            active = received + timedelta(days=rng.randint(0, 60))
            leads.append({"id": lead_id, "name": f"线索{lead_id}", "company_id": rng.randint(1, 2000), "owner_id": owner, "unit_id": unit,
                          "source": LeadSource.WALK_IN, "received_on": received, "status": LeadStatus.FOLLOWING,
                          "last_activity_on": min(active, AS_OF)})
            for _ in range(2):
                follow_id += 1
                follow_ups.append({"id": follow_id, "unit_id": unit, "assignee_id": owner, "lead_id": lead_id,
                                   "due_on": AS_OF + timedelta(days=rng.randint(-30, 30)), "note": f"跟进{follow_id}"})
        for _ in range(2):
            visit_id += 1
            visits.append({"id": visit_id, "unit_id": unit, "type": VisitType.OUTBOUND, "start_on": AS_OF + timedelta(days=rng.randint(-60, 10)),
                           "destination": "东莞"})
        project_id += 1
        projects.append({"id": project_id, "name": f"项目{project_id}", "company_id": rng.randint(1, 2000), "owner_id": owner, "unit_id": unit,
                         "stage": rng.choice([Stage.TALKS, Stage.SIGNED, Stage.STARTED]), "total_investment": Decimal(rng.randint(5000, 200000)),
                         "is_key": project_id % 20 == 0, "planned_start_on": AS_OF - timedelta(days=rng.randint(-90, 90)),
                         "last_progress_on": AS_OF - timedelta(days=rng.randint(0, 30))})
    add("leads", leads)
    add("follow_ups", follow_ups)
    add("visits", visits)
    add("projects", projects)

    events, milestones, issues, leaders_rows = [], [], [], []
    for p in projects:
        reviewed = NOW - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        events.append({"project_id": p["id"], "from_stage": Stage.TALKS, "to_stage": Stage.SIGNED, "period": reviewed.strftime("%Y-%m"),
                       "total_investment": p["total_investment"], "contracted_amount": p["total_investment"],
                       "review_status": ReviewStatus.APPROVED if rng.random() < 0.9 else ReviewStatus.PENDING, "reviewed_at": reviewed})
        for kind in (MilestoneKind.LAND, MilestoneKind.PLANNING_PERMIT, MilestoneKind.GROUNDBREAKING):
            milestones.append({"project_id": p["id"], "kind": kind, "planned_on": AS_OF + timedelta(days=rng.randint(-60, 60)),
                               "actual_on": None if rng.random() < 0.7 else AS_OF - timedelta(days=5)})
        if p["id"] % 4 == 0:
            issues.append({"number": f"WT2026-{p['id']:05d}", "unit_id": p["unit_id"], "project_id": p["id"], "description": f"问题{p['id']}",
                           "category": IssueCategory.LAND, "source": IssueSource.COMPANY, "raised_on": AS_OF - timedelta(days=rng.randint(1, 90)),
                           "responsible_unit_id": p["unit_id"], "responsible_person": "局长", "deadline": AS_OF + timedelta(days=rng.randint(-30, 30)),
                           "level": IssueLevel.ZONE, "status": IssueStatus.IN_PROGRESS, "created_by_id": p["owner_id"]})
        if p["is_key"]:
            leaders_rows.append({"project_id": p["id"], "leader_id": leader_ids[(p["id"] // 20) % len(leader_ids)], "slot": 1,
                                 "entered_on": date(2026, 1, 1)})
    add("project_stage_events", events)
    add("project_milestones", milestones)
    add("issues", issues)
    add("project_leaders", leaders_rows)
    add("targets", [{"year": 2026, "scope": TargetScope.COUNTY, "owner_key": "unit:1", "indicator": ind, "value": Decimal(value), "unit_id": 1}
                    for ind, value in ((Indicator.SIGNED_AMOUNT, 1_800_000), (Indicator.YI_PROJECTS, 20), (Indicator.FUNDS_ARRIVED, 500_000))])
    session.commit()
    return dict(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--existing", action="store_true", help="run the job once on the database as it is, then roll back")
    args = parser.parse_args()
    if args.existing:
        if not args.database_url:
            parser.error("--existing needs --database-url")
        existing(args.database_url)
        return

    folder = tempfile.mkdtemp(prefix="crm-bench-digests-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("CRM_INSTANCE_PATH", folder)
    from crm.migrate import empty_postgresql

    empty_postgresql(url)

    from crm import create_app
    from crm.access.scoping import SYSTEM, set_scope
    from crm.digests.send import queue_digests
    from crm.extensions import db
    from crm.migrate import run as migrate
    from crm.users.models import User

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CRM_BASE_URL": "https://crm.lushan.example"})
    with app.app_context():
        migrate(db.engine, "upgrade", "head")
        session = db.session
        set_scope(session, SYSTEM)
        started = time.monotonic()
        counts = generate(session, args.users, args.units)
        print(f"generated in {time.monotonic() - started:.0f} s ({db.engine.dialect.name}): "
              + ", ".join(f"{n:,} {table}" for table, n in counts.items()))

        statements = [0]

        def count(*_args) -> None:  # type: ignore[no-untyped-def]
            statements[0] += 1

        sa.event.listen(db.engine, "before_cursor_execute", count)
        users = list(session.scalars(sa.select(User).where(User.is_active).order_by(User.id)))
        by_role: dict[str, list[User]] = {}
        for user in users:
            by_role.setdefault(user.role.value, []).append(user)
        total_started = time.monotonic()
        queued = empty = 0
        lines = []
        for role, people in sorted(by_role.items(), key=lambda kv: -len(kv[1])):
            statements[0] = 0
            started = time.monotonic()
            run = queue_digests(PERIOD, NOW, users=people)
            seconds = time.monotonic() - started
            queued += run.queued
            empty += run.empty
            lines.append(f"  {role:<9} {len(people):>6} recipients  {seconds:7.1f} s  {seconds / len(people) * 1000:6.1f} ms each  "
                         f"{statements[0] / len(people):5.2f} SQL statements per recipient")
        session.commit()
        total = time.monotonic() - total_started
        sa.event.remove(db.engine, "before_cursor_execute", count)
        print(f"built, rendered and queued the {PERIOD} digests of {len(users):,} users in {total:.1f} s "
              f"({total / len(users) * 1000:.1f} ms per recipient); {queued:,} queued, {empty:,} empty (not sent)")
        for line in lines:
            print(line)


def existing(url: str) -> None:
    from crm import create_app
    from crm.access.scoping import SYSTEM, set_scope
    from crm.digests.send import queue_digests
    from crm.extensions import db
    from crm.users.models import User

    os.environ.setdefault("CRM_INSTANCE_PATH", tempfile.mkdtemp(prefix="crm-bench-digests-"))
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "CRM_BASE_URL": "https://crm.lushan.example"})
    with app.app_context():
        session = db.session
        set_scope(session, SYSTEM)
        statements = [0]

        def count(*_args) -> None:  # type: ignore[no-untyped-def]
            statements[0] += 1

        roles = Counter(session.scalars(sa.select(User.role).where(User.is_active)))
        sa.event.listen(db.engine, "before_cursor_execute", count)
        started = time.monotonic()
        run = queue_digests(PERIOD, NOW)
        session.flush()
        seconds = time.monotonic() - started
        sa.event.remove(db.engine, "before_cursor_execute", count)
        session.rollback()  # the queued rows go: the run can be repeated
        people = sum(roles.values())
        print(f"{db.engine.dialect.name}: built, rendered and queued the {PERIOD} digests of {people:,} active users "
              f"({', '.join(f'{n:,} {role.value}' for role, n in roles.most_common())}) in {seconds:.1f} s; "
              f"{run.queued:,} queued, {run.empty:,} empty, {run.already:,} queued before; "
              f"{statements[0]:,} SQL statements ({statements[0] / max(people, 1):.2f} per user); rolled back")


if __name__ == "__main__":
    main()
