"""What hangs off the projects: 倒排工期 milestones (some overdue), 到位资金 (mostly approved, some waiting for
review), monthly progress, 三个一 (分包县级领导 and 服务专班) and the 问题台账 with its 办理记录."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from city_common import (
    MONTHS,
    TODAY,
    Ctx,
    allocate,
    at,
    day_in_month,
    money,
    month_index,
    period_of,
    recent_day,
)
from city_projects import PROJECT_COLUMNS

from crm.domain.issues import (
    IssueActionKind,
    IssueCategory,
    IssueLevel,
    IssueSource,
    IssueStatus,
    issue_number,
)
from crm.domain.pipeline import Stage
from crm.domain.projects import FundPurpose, MilestoneKind, ReviewStatus

S, K = Stage, MilestoneKind
ORDER = list(MilestoneKind)  # 注册 … 投产
P = {c: i for i, c in enumerate(PROJECT_COLUMNS)}
LEVEL_LABELS = ("集聚区管委会", "县发展联席会议", "县政府常务会", "县委常委会")
MILESTONE_WEIGHTS = {S.PRODUCING: 4.6, S.STARTED: 4.6, S.REGISTERED: 2.0, S.SIGNED: 1.3, S.PAUSED: 1.5, S.TERMINATED: 0.4}
PLANS = ("一、目标：{goal}。\n二、措施：{lead}牵头，服务专班每周调度，协调用地、用电和审批手续。\n三、倒排工期：按节点计划推进，逾期节点专题研究。",
         "一、目标：{goal}。\n二、措施：分包领导每月现场办公一次；要素保障问题列入问题台账限时办结。")
PROGRESS = ("场地平整完成，厂房基础施工", "主体结构施工，钢结构吊装", "主体封顶，内部装修施工", "设备进场安装调试", "试生产，产品送检",
            "一期满负荷生产，二期设备订货")
PERSONS = ("指挥长", "主任", "局长", "副局长", "常务副主任", "科长")


def build_milestones(ctx: Ctx) -> None:
    rng = ctx.rng("milestones")
    projects = ctx.projects
    counts = allocate(ctx.n(51_000), [MILESTONE_WEIGHTS[p["stage"]] for p in projects])
    rows = []
    for p, k in zip(projects, counts):
        county, tracked, days = p["county"], p["tracked"], p["days"]
        responsible = {K.REGISTRATION: county.bureau_id, K.LAND: county.command_ids[1], K.PLANNING_PERMIT: county.command_ids[2],
                       K.CONSTRUCTION_PERMIT: county.command_ids[2], K.GROUNDBREAKING: county.zone_id}
        reached = p["base"] if p["stage"] in (S.PAUSED, S.TERMINATED) else p["stage"]
        started = days.get(S.STARTED)
        planned_start = ctx.project_rows[p["index"]][P["planned_start_on"]]  # type: ignore[attr-defined]
        if reached in (S.STARTED, S.PRODUCING):
            kinds = sorted(rng.sample(ORDER, min(k, 9)), key=ORDER.index)
        else:
            kinds = sorted(rng.sample(ORDER[:5], min(k, 5)), key=ORDER.index)
        signed = days[S.SIGNED]
        for kind in kinds:
            i = ORDER.index(kind)
            actual = None
            if reached in (S.STARTED, S.PRODUCING) and i <= 4:  # up to 开工: done
                anchor = started or signed
                planned = anchor - timedelta(days=(4 - i) * rng.randint(10, 40))
                actual = planned + timedelta(days=rng.randint(-5, 10))
            elif reached is S.PRODUCING:
                end = days[S.PRODUCING]
                planned = started + (end - started) * (i - 4) // 4 if started else end
                actual = planned + timedelta(days=rng.randint(-10, 15)) if kind is not K.PRODUCTION else end
            elif reached is S.STARTED:  # after 开工: planned ahead, some already done, some overdue
                planned = (started or signed) + timedelta(days=(i - 4) * rng.randint(60, 160))
                if planned < TODAY and rng.random() < 0.6:
                    actual = planned + timedelta(days=rng.randint(-10, 20))
            else:  # not started: before 计划开工, the early ones done if their day has passed
                planned = signed + (max(planned_start, signed + timedelta(days=30)) - signed) * (i + 1) // 5
                if kind is K.REGISTRATION and reached is S.REGISTERED:
                    actual = days.get(S.REGISTERED, planned)
                elif planned < TODAY and kind is not K.GROUNDBREAKING and rng.random() < 0.5:
                    actual = planned + timedelta(days=rng.randint(-5, 15))
            planned = max(planned, tracked)
            if actual is not None:
                actual = min(max(actual, tracked), TODAY)
            created = at(rng, max(tracked, signed))
            rows.append((ctx.ids.take("project_milestones"), p["id"], kind.value, planned, actual, responsible.get(kind, county.zone_id),
                         "节点滞后，已列入问题台账" if actual is None and planned < TODAY and rng.random() < 0.2 else None, 1, created,
                         at(rng, actual) if actual else created))
    ctx.add("project_milestones", ["id", "project_id", "kind", "planned_on", "actual_on", "responsible_unit_id", "note", "version",
                                   "created_at", "updated_at"], rows)


def build_funds_and_progress(ctx: Ctx) -> None:
    rng = ctx.rng("funds")
    funded = [p for p in ctx.projects if (p["base"] if p["stage"] in (S.PAUSED, S.TERMINATED) else p["stage"]) in (S.STARTED, S.PRODUCING)]
    counts = allocate(ctx.n(37_000), [4.5 if p["stage"] is S.PRODUCING else 3.0 for p in funded])
    pending_left = {c.index: max(1, ctx.n(50)) for c in ctx.counties}
    pending_from = {c.index: sum(1 for p in funded if p["county"] is c) for c in ctx.counties}
    funds, reports = [], []
    for p, k in zip(funded, counts):
        row = ctx.project_rows[p["index"]]  # type: ignore[attr-defined]
        county, tracked = p["county"], p["tracked"]
        start_month = month_index(p["days"][S.STARTED])
        first_month = max(month_index(tracked), start_month - 1)
        contracted = row[P["contracted_amount"]] or row[P["total_investment"]]
        rate = rng.uniform(0.15, 0.9)
        reviewer = rng.choice(county.reviewer_ids)
        for j in range(max(k, 1)):
            month = first_month if j == 0 else rng.randint(first_month, MONTHS - 1)
            status = ReviewStatus.APPROVED
            if j == k - 1 and j > 0 and pending_left[county.index] > 0 and rng.random() < pending_left[county.index] / max(pending_from[county.index], 1) * 3:
                status, month = ReviewStatus.PENDING, MONTHS - 1
                pending_left[county.index] -= 1
            elif j > 0 and rng.random() < 0.012:
                status = ReviewStatus.REJECTED
            day = day_in_month(rng, month)
            reviewed = min(day + timedelta(days=rng.randint(2, 15)), TODAY)
            amount = money(float(contracted) * rate / max(k, 1) * rng.uniform(0.5, 1.5))
            source = row[P["funding_source"]] if rng.random() < 0.8 else "other_province"
            done = status is not ReviewStatus.PENDING
            funds.append((ctx.ids.take("fund_arrivals"), p["id"], period_of(month), amount, source,
                          (FundPurpose.FIXED_ASSETS if rng.random() < 0.85 else FundPurpose.WORKING_CAPITAL).value, None, status.value,
                          p["owner"], reviewer if done else None, at(rng, reviewed) if done else None,
                          "进账单金额与填报金额不符，请核对后重新提交" if status is ReviewStatus.REJECTED else None, 1, at(rng, day),
                          at(rng, reviewed) if done else at(rng, day)))
        pending_from[county.index] -= 1
        # 月度进展: the latest months; half of the living ones reported in the last two weeks (绿)
        last = row[P["last_progress_on"]]
        if p["stage"] in (S.STARTED, S.PRODUCING):
            fresh = rng.random() < 0.55
            latest = TODAY - timedelta(days=rng.randint(0, 13) if fresh else rng.randint(15, 120))
            n = rng.randint(1, 4)
            total = row[P["total_investment"]]
            for j in range(n):
                month = month_index(latest) - (n - 1 - j)
                if month < max(start_month, month_index(tracked)):
                    continue
                day = latest if j == n - 1 else day_in_month(rng, month)
                reports.append((ctx.ids.take("project_progress"), p["id"], period_of(month),
                                money(float(total) * min(1.0, (j + 1) / (n + 1) * rng.uniform(0.5, 1.1))), rng.choice(PROGRESS), p["owner"],
                                1, at(rng, day), at(rng, day)))
                last = max(last, day)
            row[P["last_progress_on"]] = last
    ctx.add("fund_arrivals", ["id", "project_id", "period", "amount", "source", "purpose", "note", "review_status", "submitted_by_id",
                              "reviewed_by_id", "reviewed_at", "review_comment", "version", "created_at", "updated_at"], funds)
    ctx.add("project_progress", ["id", "project_id", "period", "cumulative_investment", "description", "reported_by_id", "version",
                                 "created_at", "updated_at"], reports)


def build_assignments(ctx: Ctx) -> None:
    """三个一: one 分包县级领导 of the project's county, a 牵头单位, a 推进方案 and a 服务专班 of 2–5 (some from other units)."""
    rng = ctx.rng("assignments")
    leader2 = ctx.demo["users"]["leader2"][0]
    leaders_rows, team_rows = [], []
    lushan_keys = [p for p in ctx.projects if p["key"] and p["county"] is ctx.counties[0]]
    wanted = min(len(lushan_keys), max(1, ctx.n(29)))
    for p in ctx.projects:
        if not p["key"]:
            continue
        county, row = p["county"], ctx.project_rows[p["index"]]  # type: ignore[attr-defined]
        others = [lid for lid in county.leader_ids if lid != leader2]
        if county is ctx.counties[0]:
            leader = leader2 if lushan_keys.index(p) < wanted else others[lushan_keys.index(p) % len(others)]
        else:
            leader = rng.choice(county.leader_ids)
        entered = min(max(p["days"][S.SIGNED], p["tracked"]) + timedelta(days=rng.randint(0, 30)), TODAY)
        lead_unit = rng.choice([county.zone_id, *county.command_ids])
        row[P["is_key"]], row[P["lead_unit_id"]] = True, lead_unit
        goal = {S.SIGNED: "年内开工", S.REGISTERED: "尽快开工", S.STARTED: "年底主体封顶", S.PRODUCING: "满负荷生产"}.get(p["stage"], "恢复推进")
        row[P["plan"]] = rng.choice(PLANS).format(goal=goal, lead=ctx.unit_names[lead_unit])
        created = at(rng, entered)
        if rng.random() < 0.05 and entered - p["tracked"] > timedelta(days=40):
            past = rng.choice([lid for lid in county.leader_ids if lid != leader] or [leader])
            since = entered - timedelta(days=rng.randint(30, (entered - p["tracked"]).days))
            leaders_rows.append((ctx.ids.take("project_leaders"), p["id"], past, 1, since, entered - timedelta(days=1), "县政府领导分工调整", 1,
                                 at(rng, since), created))
        leaders_rows.append((ctx.ids.take("project_leaders"), p["id"], leader, 1, entered, None, None, 1, created, created))
        if rng.random() < 0.03:
            continue  # no 服务专班 yet: the page flags it
        members = [p["owner"]]
        chief = ctx.chief_of[p["unit"]]
        if chief not in members and rng.random() < 0.6:
            members.append(chief)
        for _ in range(rng.randint(2, 5) - len(members)):
            r = rng.random()
            unit = rng.choice(county.work_units) if r < 0.75 else p["unit"]  # picks stay within the project's county
            members.append(rng.choice(ctx.members[unit]))
        for j, user in enumerate(dict.fromkeys(members)):
            team_rows.append((ctx.ids.take("project_team_members"), p["id"], user, "手续代办、日常联络" if j == 0 else
                              rng.choice(("统筹协调、要素保障", "外资登记、政策对接", "用地报批协调", "用工招聘对接")), j == 0, entered, None, None, 1,
                              created, created))
    ctx.add("project_leaders", ["id", "project_id", "leader_id", "slot", "entered_on", "exited_on", "exit_reason", "version", "created_at",
                                "updated_at"], leaders_rows)
    ctx.add("project_team_members", ["id", "project_id", "user_id", "duty", "is_chief_servant", "entered_on", "exited_on", "exit_reason",
                                     "version", "created_at", "updated_at"], team_rows)
    ctx.notes.append(f"三个一: {sum(p['key'] for p in ctx.projects):,} key projects; leader2 分包 {wanted} generated ones "
                     f"(+ the demo's); {len(team_rows):,} 服务专班 members")


def build_issues(ctx: Ctx, used_numbers: dict[int, int]) -> None:
    """≈ 6,000 issues with their 办理记录; ``used_numbers`` is the highest 编号 per year already taken (the demo's)."""
    rng = ctx.rng("issues")
    total = ctx.n(6_000)
    weights = [5.0 if p["key"] else 0.2 if p["stage"] is S.TERMINATED else 1.0 for p in ctx.projects]
    chosen = rng.choices(ctx.projects, weights, k=total)
    issues, actions = [], []
    seq = defaultdict(int, used_numbers)
    drafts = []
    for n, p in enumerate(chosen):
        county_level = n % 20 == 0
        county = p["county"]
        raised = recent_day(rng, max(p["tracked"], p["days"][S.SIGNED]), TODAY)
        drafts.append((raised, p, county, county_level))
    drafts.sort(key=lambda d: d[0])
    for raised, p, county, county_level in drafts:
        age = (TODAY - raised).days
        if age > 200:
            status = rng.choices(list(IssueStatus), (0, 20, 10, 70))[0]
        elif age > 60:
            status = rng.choices(list(IssueStatus), (5, 40, 20, 35))[0]
        else:
            status = rng.choices(list(IssueStatus), (30, 50, 15, 5))[0]
        level = rng.choices(list(IssueLevel), (50, 25, 15, 10))[0]
        deadline = raised + timedelta(days=rng.randint(10, 120))
        resolved = closed = closer = None
        if status in (IssueStatus.RESOLVED, IssueStatus.CLOSED):
            resolved = min(raised + timedelta(days=rng.randint(3, max(4, age))), TODAY)
        reviewer = rng.choice(county.reviewer_ids)
        if status is IssueStatus.CLOSED:
            closed, closer = min(resolved + timedelta(days=rng.randint(0, 20)), TODAY), reviewer  # type: ignore[operator]
        seq[raised.year] += 1
        iid = ctx.ids.take("issues")
        source = rng.choice(list(IssueSource))
        # 周督查 findings are raised by the county's 审核员 (督查), the demo's reviewer first
        inspector = county.reviewer_ids[0] if rng.random() < 0.7 else reviewer
        editor = inspector if county_level or source is IssueSource.WEEKLY_INSPECTION else p["owner"]
        unit = county.bureau_id if county_level else p["unit"]
        created = at(rng, raised)
        issues.append((iid, issue_number(raised.year, seq[raised.year]), None if county_level else p["id"],
                       f"{'' if county_level else p['name'] + '：'}{rng.choice(ISSUE_TEXTS)}", rng.choice(list(IssueCategory)).value,
                       source.value, raised, rng.choice(county.lead_units), rng.choice(PERSONS), deadline, level.value,
                       status.value, rng.random() < 0.05, resolved, closed, closer, editor, unit, 1, created,
                       at(rng, closed or resolved or raised)))
        lines = []
        end = resolved or TODAY
        if status is not IssueStatus.NEW:
            lines.append((raised + timedelta(days=rng.randint(0, 3)), IssueActionKind.ASSIGN, editor, "交办责任单位限期办理"))
        elif rng.random() < 0.5:
            lines.append((raised, IssueActionKind.NOTE, editor, "已登记，待交办"))
        for step in range(list(IssueLevel).index(level)):
            lines.append((raised + (end - raised) * (step + 1) // 4, IssueActionKind.ESCALATE, editor,
                          f"{LEVEL_LABELS[step]} → {LEVEL_LABELS[step + 1]}：提请上一级协调"))
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice((IssueActionKind.URGE, IssueActionKind.TALK, IssueActionKind.ONSITE, IssueActionKind.NOTE))
            who = rng.choice((reviewer, editor, rng.choice(county.leader_ids)))
            lines.append((raised + timedelta(days=rng.randint(0, max(0, (end - raised).days))), kind, who, ACTION_TEXTS[kind]))
        if resolved:
            lines.append((resolved, IssueActionKind.RESOLVE, editor, "问题已解决，请督查核验销号"))
        if closed:
            lines.append((closed, IssueActionKind.CLOSE, closer, "核验属实，予以销号"))
        for day, kind, who, note in sorted(lines, key=lambda line: line[0]):
            actions.append((ctx.ids.take("issue_actions"), iid, kind.value, note, who, at(rng, min(day, TODAY))))
    ctx.add("issues", ["id", "number", "project_id", "description", "category", "source", "raised_on", "responsible_unit_id",
                       "responsible_person", "deadline", "level", "status", "long_term", "resolved_on", "closed_on", "closed_by_id",
                       "created_by_id", "unit_id", "version", "created_at", "updated_at"], issues)
    ctx.add("issue_actions", ["id", "issue_id", "kind", "note", "actor_id", "at"], actions)


ISSUE_TEXTS = ("用地报批进展缓慢，影响项目按期开工", "施工用电增容未落实", "环评审批手续办理滞后", "企业融资困难，资金到位慢", "周边群众阻工，施工环境需协调",
               "熟练工缺口较大，需组织招工培训", "规划调整未完成，影响施工许可办理", "优惠政策兑现不及时", "拆迁补偿争议未解决", "供水供气管网未接通")
ACTION_TEXTS = {IssueActionKind.URGE: "周督查：进度滞后，请加快办理", IssueActionKind.TALK: "约谈责任单位负责人，明确办结时限",
                IssueActionKind.ONSITE: "分包领导现场办公，协调解决", IssueActionKind.NOTE: "责任单位反馈：正在办理中"}
