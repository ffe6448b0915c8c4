"""The audit log (1,070,000 rows spread over the records, one busy project and one busy company with ≈ 3,000
rows each) and the bell (≈ 50,000 notifications, unread ones for every demo account)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from city_common import START, TODAY, UTC, Ctx, at, money
from city_projects import PROJECT_COLUMNS

from crm.audit.services import REDACTED
from crm.domain.pipeline import Stage

AUDIT_COLUMNS = ["id", "at", "actor_id", "actor_label", "action", "record_type", "record_id", "record_label", "field", "old_value",
                 "new_value", "unit_id", "remote_addr"]
# rows per family at full size (≈ 1,071,000 with the busy records; scaled to what is left after the demo's own rows)
BUDGETS = {"units": 1_000, "users": 15_000, "companies": 230_000, "company_names": 20_000, "contacts": 50_000, "leads": 170_000,
           "projects": 120_000, "project_stage_events": 120_000, "agreements": 40_000, "project_milestones": 60_000,
           "fund_arrivals": 60_000, "project_leaders": 4_000, "project_team_members": 6_000, "issues": 15_000, "issue_actions": 20_000,
           "visits": 70_000, "follow_ups": 64_000}
BUSY = 3_000
P = {c: i for i, c in enumerate(PROJECT_COLUMNS)}


def _text(value: Any) -> str | None:
    """As ``crm.audit.services.to_text`` writes values."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class Audit:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("audit")
        self.rows: list[tuple] = []

    def add(self, moment: datetime, actor: int | None, action: str, table: str, record_id: int, label: str | None, field: str | None,
            old: Any, new: Any, unit: int | None) -> None:
        rng = self.rng
        self.rows.append((moment, actor, self.ctx.user_label.get(actor, "命令行") if actor else "命令行", action, table, record_id,
                          (label or "")[:200], field, _text(old), _text(new), unit,
                          f"10.{rng.randint(1, 40)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}" if actor else None))


def _family(ctx: Ctx, table: str) -> tuple[dict[str, int], list[tuple]]:
    columns, rows = ctx.rows[table]
    return {c: i for i, c in enumerate(columns)}, rows


def build_audit(ctx: Ctx, existing: int) -> None:
    audit = Audit(ctx)
    rng = audit.rng
    total = ctx.n(1_070_000) - existing
    busy = min(BUSY, max(0, total // 100)) if ctx.scale < 1 else BUSY
    _busy_project(ctx, audit, busy)
    _busy_company(ctx, audit, busy)
    left = total - len(audit.rows)
    whole = sum(BUDGETS.values())
    project_unit = {p["id"]: p["unit"] for p in ctx.projects}
    issue_unit: dict[int, int] = {}
    carry = 0
    for table, budget in BUDGETS.items():
        if table not in ctx.rows:
            continue
        want = int(left * budget / whole) + carry
        c, rows = _family(ctx, table)
        order = list(range(len(rows)))
        rng.shuffle(order)
        made = 0
        emit = FAMILIES[table]
        for i in order:
            if made >= want:
                break
            before = len(audit.rows)
            emit(ctx, audit, c, rows[i], project_unit, issue_unit)
            made += len(audit.rows) - before
        carry = want - made
        if table == "issues":  # the 办理记录 are audited under their issue's unit
            issue_unit.update({row[c["id"]]: row[c["unit_id"]] for row in rows})
    # the 鲁山县 move is a real change of the unit tree
    audit.add(datetime(2024, 1, 2, 1, 0, tzinfo=UTC), ctx.demo["users"]["admin"][0], "update", "units", ctx.counties[0].unit_id, "鲁山县",
              "parent_id", None, ctx.city_id, ctx.counties[0].unit_id)
    rows = sorted(audit.rows, key=lambda r: r[0])  # ids in time order, as the app writes them
    first = ctx.ids.take("audit_log", len(rows))
    ctx.add("audit_log", AUDIT_COLUMNS, [(first + i, *r) for i, r in enumerate(rows)])


def _busy_project(ctx: Ctx, audit: Audit, n: int) -> None:
    """One project of 第一招商分局, edited every working day for three years by its team and reviewed by the county."""
    staff1, chief1 = ctx.demo["users"]["staff1"][0], ctx.demo["users"]["chief1"][0]
    branch1 = ctx.counties[0].branch_ids[0]
    candidates = [p for p in ctx.projects if p["unit"] == branch1 and p["owner"] == staff1 and p["key"]] or \
                 [p for p in ctx.projects if p["unit"] == branch1]
    p = next((q for q in candidates if q["stage"] is Stage.STARTED), candidates[0])
    ctx.busy_project_id = p["id"]
    row = ctx.project_rows[p["index"]]  # type: ignore[attr-defined]
    actors = [staff1, staff1, staff1, chief1, ctx.demo["users"]["reviewer"][0], ctx.demo["users"]["leader2"][0]]
    rng = audit.rng
    span = (TODAY - p["tracked"]).days
    value = float(row[P["total_investment"]])
    progress = p["tracked"]
    for k in range(n):
        day = p["tracked"] + timedelta(days=span * k // n)
        field = rng.choice(("last_progress_on", "last_progress_on", "total_investment", "plan", "construction", "planned_start_on",
                            "site", "land_mu", "contracted_amount"))
        if field == "last_progress_on":
            old, progress = progress, day
            new = progress
        elif field in ("total_investment", "contracted_amount"):
            old, value = money(value), value * rng.uniform(0.97, 1.04)
            new = money(value)
        elif field == "plan":
            old, new = f"推进方案（第{k}版）", f"推进方案（第{k + 1}版）：本周调度事项已落实"
        elif field == "construction":
            old, new = row[P["construction"]], f"{row[P['construction']]}（{day.isoformat()} 更新）"
        elif field == "planned_start_on":
            old, new = day, day + timedelta(days=rng.randint(7, 60))
        elif field == "site":
            old, new = row[P["site"]], row[P["site"]]
            new = f"{new}（{rng.randint(1, 9)}号地块）"
        else:
            old, new = row[P["land_mu"]], money(float(row[P["land_mu"]]) * rng.uniform(0.9, 1.1))
        audit.add(at(rng, day), rng.choice(actors), "update", "projects", p["id"], p["name"], field, old, new, p["unit"])


def _busy_company(ctx: Ctx, audit: Audit, n: int) -> None:
    """The most visited company, touched by every unit that works with it."""
    rng = audit.rng
    cid = ctx.busy_company_id
    name = ctx.company_name(cid)
    people = [u for members in ctx.members.values() for u in members]
    capital = 5000.0
    for k in range(n):
        day = START + timedelta(days=(TODAY - START).days * k // n)
        field = rng.choice(("notes", "notes", "registered_capital", "website", "hq_city", "short_name", "funding_source"))
        if field == "registered_capital":
            old, capital = money(capital), capital * rng.uniform(0.98, 1.08)
            new = money(capital)
        elif field == "notes":
            old, new = f"走访纪要摘录（{k}）", f"{day.isoformat()} 走访：企业投资意向更新"
        elif field == "website":
            old, new = None, f"https://www.example-{cid}.cn/{k}"
        elif field == "hq_city":
            old, new = ctx.company_province[cid - ctx.company_first], rng.choice(("深圳市", "东莞市", "广州市"))
        elif field == "short_name":
            old, new = None, ctx.core(cid)[:20]
        else:
            old, new = "other_province", rng.choice(("other_province", "hmt"))
        audit.add(at(rng, day), rng.choice(people), "update", "companies", cid, name, field, old, new, None)


# --- one emitter per family: the rows the app would write for (part of) a record -------------------------------
def _dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, datetime.min.time(), UTC)


def _units(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    for f in ("name", "type", "parent_id"):
        a.add(row[c["created_at"]], None, "create", "units", row[0], row[c["name"]], f, None, row[c[f]], row[0])


def _users(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    county = ctx.county_of_unit.get(row[c["unit_id"]])
    admin = county.admin_id if county else None
    for f in ("username", "role", "unit_id"):
        a.add(row[c["created_at"]], admin, "create", "users", row[0], row[c["display_name"]], f, None, row[c[f]], row[c["unit_id"]])
    a.add(row[c["created_at"]], admin, "create", "users", row[0], row[c["display_name"]], "password_hash", None, REDACTED, row[c["unit_id"]])


def _simple(table: str, fields: tuple[str, ...], label: Callable, actor: str | None, unit: Callable | None = None) -> Callable:  # type: ignore[type-arg]
    def emit(ctx, a, c, row, project_unit, issue_unit):  # type: ignore[no-untyped-def]
        owner = row[c[actor]] if actor else None
        where = unit(c, row, project_unit, issue_unit) if unit else None
        moment = _dt(row[c["created_at"]] if "created_at" in c else row[c["at"]])
        for f in fields:
            if row[c[f]] is not None:
                a.add(moment, owner, "create", table, row[0], label(c, row), f, None, row[c[f]], where)
    return emit


def _column(name: str, template: str = "{}") -> Callable:  # type: ignore[type-arg]
    return lambda c, row: template.format(row[c[name]])


def _by_unit(c, row, *_):  # type: ignore[no-untyped-def]
    return row[c["unit_id"]]


def _by_project(c, row, project_unit, _issue_unit):  # type: ignore[no-untyped-def]
    return project_unit.get(row[c["project_id"]])


def _companies(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    for f in ("name", "credit_code"):
        if row[c[f]] is not None:
            a.add(row[c["created_at"]], row[c["created_by_id"]], "create", "companies", row[0], row[c["name"]], f, None, row[c[f]], None)


def _leads(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    a.add(row[c["created_at"]], row[c["owner_id"]], "create", "leads", row[0], row[c["name"]], "name", None, row[c["name"]], row[c["unit_id"]])
    if row[c["status"]] != "new":
        a.add(row[c["updated_at"]], row[c["owner_id"]], "update", "leads", row[0], row[c["name"]], "status", "new" if row[c["status"]] != "converted"
              else "following", row[c["status"]], row[c["unit_id"]])


def _projects(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    pid, name, unit, owner = row[0], row[c["name"]], row[c["unit_id"]], row[c["owner_id"]]
    for f, value in (("name", name), ("stage", "talks"), ("total_investment", row[c["total_investment"]])):
        if value is not None:
            a.add(row[c["created_at"]], owner, "create", "projects", pid, name, f, None, value, unit)
    p = ctx.projects[pid - ctx.projects[0]["id"]]
    previous = "talks"
    for step, _month in p["path"][1:]:
        moment = at(a.rng, p["days"][step] + timedelta(days=a.rng.randint(1, 10)))
        a.add(min(moment, _dt(TODAY)), p["county"].reviewer_ids[0], "update", "projects", pid, name, "stage", previous,
              step.value, unit)
        previous = step.value


def _events(ctx, a, c, row, project_unit, _):  # type: ignore[no-untyped-def]
    label = f"{row[c['from_stage']]} → {row[c['to_stage']]}"
    unit = project_unit.get(row[c["project_id"]])
    a.add(row[c["created_at"]], row[c["submitted_by_id"]], "create", "project_stage_events", row[0], label, "to_stage", None, row[c["to_stage"]], unit)
    if row[c["reviewed_at"]] is not None:
        a.add(row[c["reviewed_at"]], row[c["reviewed_by_id"]], "update", "project_stage_events", row[0], label, "review_status", "pending",
              row[c["review_status"]], unit)


def _milestones(ctx, a, c, row, project_unit, _):  # type: ignore[no-untyped-def]
    unit = project_unit.get(row[c["project_id"]])
    a.add(row[c["created_at"]], None, "create", "project_milestones", row[0], row[c["kind"]], "planned_on", None, row[c["planned_on"]], unit)
    if row[c["actual_on"]] is not None:
        a.add(row[c["updated_at"]], None, "update", "project_milestones", row[0], row[c["kind"]], "actual_on", None, row[c["actual_on"]], unit)


def _funds(ctx, a, c, row, project_unit, _):  # type: ignore[no-untyped-def]
    unit, label = project_unit.get(row[c["project_id"]]), f"{row[c['period']]} {row[c['amount']]}"
    a.add(row[c["created_at"]], row[c["submitted_by_id"]], "create", "fund_arrivals", row[0], label, "amount", None, row[c["amount"]], unit)
    if row[c["reviewed_at"]] is not None:
        a.add(row[c["reviewed_at"]], row[c["reviewed_by_id"]], "update", "fund_arrivals", row[0], label, "review_status", "pending",
              row[c["review_status"]], unit)


def _issues(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    a.add(row[c["created_at"]], row[c["created_by_id"]], "create", "issues", row[0], row[c["number"]], "description", None, row[c["description"]],
          row[c["unit_id"]])
    if row[c["status"]] != "to_assign":
        a.add(row[c["updated_at"]], row[c["created_by_id"]], "update", "issues", row[0], row[c["number"]], "status", "to_assign",
              row[c["status"]], row[c["unit_id"]])


def _visits(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    label = f"{row[c['start_on']]} {row[c['destination']] or ''}".strip()
    for f in ("type", "destination"):
        if row[c[f]] is not None:
            a.add(row[c["created_at"]], row[c["created_by_id"]], "create", "visits", row[0], label, f, None, row[c[f]], row[c["unit_id"]])


def _follow_ups(ctx, a, c, row, *_):  # type: ignore[no-untyped-def]
    label = row[c["note"]][:60]
    a.add(row[c["created_at"]], row[c["created_by_id"]], "create", "follow_ups", row[0], label, "note", None, row[c["note"]], row[c["unit_id"]])
    if row[c["done_at"]] is not None:
        a.add(row[c["done_at"]], row[c["assignee_id"]], "update", "follow_ups", row[0], label, "done_at", None, row[c["done_at"]], row[c["unit_id"]])


FAMILIES: dict[str, Callable] = {  # type: ignore[type-arg]
    "units": _units, "users": _users, "companies": _companies,
    "company_names": _simple("company_names", ("name", "kind"), _column("name"), None),
    "contacts": _simple("contacts", ("name", "title"), _column("name"), None),
    "leads": _leads, "projects": _projects, "project_stage_events": _events,
    "agreements": _simple("agreements", ("type", "name", "signed_on"), _column("name"), "created_by_id", _by_unit),
    "project_milestones": _milestones, "fund_arrivals": _funds,
    "project_leaders": _simple("project_leaders", ("leader_id", "slot", "entered_on"), _column("leader_id", "leader #{}"), None, _by_project),
    "project_team_members": _simple("project_team_members", ("user_id", "duty"), _column("user_id", "member #{}"), None, _by_project),
    "issues": _issues,
    "issue_actions": _simple("issue_actions", ("kind", "note"), _column("kind"), "actor_id", lambda c, row, pu, iu: iu.get(row[c["issue_id"]])),
    "visits": _visits, "follow_ups": _follow_ups,
}
