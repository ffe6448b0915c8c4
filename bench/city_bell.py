"""≈ 50,000 notifications, as the daily alert and reminder jobs would have left them: each announces a real
record of the recipient's (kind, key and link as ``crm.notifications.alerts`` writes them), older ones read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from city_common import START, TODAY, UTC, Ctx

from crm.domain.schedule import (
    half_month_due,
    half_month_label,
    half_month_of,
    previous_half_month,
)

COLUMNS = ["id", "user_id", "kind", "key", "title", "body", "link", "created_at", "read_at"]
MILESTONE_LABELS = {"registration": "注册", "land": "供地摘牌", "planning_permit": "规划许可", "construction_permit": "施工许可",
                    "groundbreaking": "开工", "topping_out": "主体封顶", "equipment": "设备安装", "trial_production": "试生产",
                    "production": "投产"}


def _morning(day: date) -> datetime:
    return datetime.combine(min(day, TODAY), time(0, 30), UTC)  # 08:30 in China: the daily job


def build_notifications(ctx: Ctx, taken: set[tuple[int, str, str]]) -> None:
    """``taken`` holds the demo's (user, kind, key): the unique constraint is respected."""
    rng = ctx.rng("bell")
    candidates: list[tuple] = []  # (user, kind, key, title, body, link, day)

    def col(table: str) -> tuple[dict[str, int], list[tuple]]:
        columns, rows = ctx.rows[table]
        return {c: i for i, c in enumerate(columns)}, rows

    c, rows = col("follow_ups")
    for r in rows:
        if r[c["done_at"]] is None and r[c["due_on"]] <= TODAY:
            due = r[c["due_on"]]
            candidates.append((r[c["assignee_id"]], "follow_up_due", f"{r[0]}:{due.isoformat()}", f"今日到期的跟进：{r[c['note']][:60]}",
                               f"{ctx.core(r[c['company_id']])} · 截止 {due.isoformat()}", "/todo", due))
    c, rows = col("leads")
    for r in rows:
        since = r[c["last_activity_on"]] or r[c["received_on"]]
        if r[c["status"]] in ("new", "following") and since <= TODAY - timedelta(days=30):
            candidates.append((r[c["owner_id"]], "lead_stale", f"{r[0]}:{since.isoformat()}", f"线索已 30 天未跟进：{r[c['name']]}",
                               f"最近一次走访或跟进：{since.isoformat()}", f"/leads/{r[0]}", since + timedelta(days=30)))
    by_project = {p["id"]: p for p in ctx.projects}
    team: dict[int, list[int]] = {}
    tc, trows = col("project_team_members")
    for r in trows:
        team.setdefault(r[tc["project_id"]], []).append(r[tc["user_id"]])
    c, rows = col("project_milestones")
    overdue_projects: dict[int, date] = {}
    for r in rows:
        planned = r[c["planned_on"]]
        if r[c["actual_on"]] is None and planned <= TODAY + timedelta(days=7):
            p = by_project[r[c["project_id"]]]
            what = f"{p['name']} · {MILESTONE_LABELS[r[c['kind']]]}"
            link = f"/projects/{p['id']}#milestones"
            for user in dict.fromkeys([p["owner"], *team.get(p["id"], [])]):
                candidates.append((user, "milestone_due", f"{r[0]}:{planned.isoformat()}", f"节点将于 {planned.isoformat()} 到期：{what}",
                                   "距计划完成日还有 7 天", link, planned - timedelta(days=7)))
                if planned < TODAY:
                    candidates.append((user, "milestone_overdue", f"{r[0]}:{planned.isoformat()}", f"节点已逾期 1 天：{what}",
                                       f"计划 {planned.isoformat()} 完成，尚未完成", link, planned + timedelta(days=1)))
            if planned < TODAY:
                overdue_projects[p["id"]] = min(planned, overdue_projects.get(p["id"], planned))
    c, rows = col("issues")
    for r in rows:
        if r[c["status"]] in ("to_assign", "in_progress") and r[c["deadline"]] < TODAY:
            deadline = r[c["deadline"]]
            users = [r[c["created_by_id"]], ctx.chief_of.get(r[c["unit_id"]])]
            for user in dict.fromkeys(u for u in users if u):
                candidates.append((user, "issue_overdue", f"{r[0]}:{deadline.isoformat()}",
                                   f"问题逾期未办结：{r[c['number']]} {r[c['description']][:40]}",
                                   f"办理期限 {deadline.isoformat()}，已逾期 1 天；责任人：{r[c['responsible_person']]}", f"/issues/{r[0]}",
                                   deadline + timedelta(days=1)))
    pc = {name: i for i, name in enumerate(ctx.rows["projects"][0])}
    c, rows = col("project_leaders")
    for r in rows:
        if r[c["exited_on"]] is not None:
            continue
        p = by_project[r[c["project_id"]]]
        row = ctx.project_rows[p["index"]]  # type: ignore[attr-defined]
        causes, day = [], None
        if row[pc["stage"]] in ("signed", "registered") and row[pc["planned_start_on"]] < TODAY:
            causes.append(f"start{row[pc['planned_start_on']].isoformat()}")
            day = row[pc["planned_start_on"]] + timedelta(days=1)
        if p["id"] in overdue_projects:
            causes.append(f"ms{overdue_projects[p['id']].isoformat()}")
            day = min(day or TODAY, overdue_projects[p["id"]] + timedelta(days=1))
        if causes:
            candidates.append((r[c["leader_id"]], "project_red", f"{p['id']}:{','.join(causes)}"[:120],
                               f"提醒函：您分包的重点项目「{p['name']}」亮红灯", "原因：计划开工日期已过仍未开工或节点逾期。请督促牵头单位和服务专班尽快推进。",
                               f"/projects/{p['id']}", max(day or TODAY, r[c["entered_on"]])))
    # 半月报 reminders of the last three months to the staff and chiefs of every work unit
    period = half_month_of(TODAY - timedelta(days=16))
    for _ in range(6):
        due = half_month_due(period)
        for members in ctx.members.values():
            if rng.random() < 0.3:  # this unit had not reported on its due day
                for user in members:
                    candidates.append((user, "report_due", period, f"半月报今日截止：{half_month_label(period)}",
                                       f"请于 {due.isoformat()} 前报送：基础设施建设情况、新入驻企业及新上项目情况、争取上级资金情况。",
                                       f"/submissions/periods/{period}", due))
        period = previous_half_month(period)
    _choose(ctx, rng, candidates, taken)


def _choose(ctx: Ctx, rng, candidates: list[tuple], taken: set[tuple[int, str, str]]) -> None:  # type: ignore[no-untyped-def]
    """All of the demo accounts' alerts (capped), then a sample of everyone's, to the total; older ones mostly read."""
    demo_ids = {uid for name, (uid, _u, _d) in ctx.demo["users"].items() if name in {"admin", "reviewer", "leader", "leader2", "chief1",
                                                                                    "staff1", "staff2"}}
    seen = set(taken)
    unique = []
    for cand in candidates:
        key = (cand[0], cand[1], cand[2])
        if key not in seen and cand[6] >= START:
            seen.add(key)
            unique.append(cand)
    rng.shuffle(unique)
    mine = [cand for cand in unique if cand[0] in demo_ids]
    per_user: dict[int, int] = {}
    chosen = []
    for cand in mine:
        if per_user.get(cand[0], 0) < 150:
            per_user[cand[0]] = per_user.get(cand[0], 0) + 1
            chosen.append(cand)
    total = ctx.n(50_000)
    rest = [cand for cand in unique if cand[0] not in demo_ids]
    chosen += rest[: max(0, total - len(chosen) - 40)]
    # the app's rules never notify an admin: the demo admin is shown the county's overdue issues it would chase
    admin = ctx.demo["users"]["admin"][0]
    lushan = set(ctx.counties[0].work_units) | {ctx.counties[0].bureau_id}
    ic = {name: i for i, name in enumerate(ctx.rows["issues"][0])}
    for r in [r for r in ctx.rows["issues"][1] if r[ic["unit_id"]] in lushan and r[ic["status"]] in ("to_assign", "in_progress")
              and r[ic["deadline"]] < TODAY][:40]:
        chosen.append((admin, "issue_overdue", f"{r[0]}:{r[ic['deadline']].isoformat()}", f"问题逾期未办结：{r[ic['number']]} {r[ic['description']][:40]}",
                       f"办理期限 {r[ic['deadline']].isoformat()}", f"/issues/{r[0]}", r[ic["deadline"]] + timedelta(days=1)))
    rows = []
    first = ctx.ids.take("notifications", len(chosen))
    for i, (user, kind, key, title, body, link, day) in enumerate(sorted(chosen, key=lambda cand: cand[6])):
        created = _morning(day)
        age = (TODAY - day).days
        read = None
        if age > 3 and rng.random() < (0.6 if user in demo_ids else 0.85):
            read = created + timedelta(hours=rng.randint(1, 72))
        rows.append((first + i, user, kind, key[:120], title[:200], body, link, created, read))
    ctx.add("notifications", COLUMNS, rows)
    unread = {}
    for r in rows:
        if r[1] in demo_ids and r[8] is None:
            unread[r[1]] = unread.get(r[1], 0) + 1
    names = {uid: name for name, (uid, _u, _d) in ctx.demo["users"].items()}
    ctx.notes.append("unread notifications of the demo accounts (generated): " + ", ".join(f"{names[u]} {n}" for u, n in sorted(unread.items())))
