"""The daily work of the 分局 and 小分队: 100,000 leads, 300,000 visits (1–3 companies each) and 300,000
follow-up tasks, about 15 % of them open, due around today."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from city_common import (
    CITIES,
    CONTACT_TITLES,
    END,
    START,
    TODAY,
    Ctx,
    allocate,
    at,
    money,
    person,
    recent_day,
)

from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.domain.visits import LeaderKind, VisitOutcome, VisitType

LEAD_COLUMNS = ["id", "name", "company_id", "owner_id", "unit_id", "source", "referrer", "amount_low", "amount_high", "construction",
                "land_mu", "expected_output", "expected_tax", "chain_id", "grade", "received_on", "assessment", "status",
                "abandon_reason", "next_follow_up_on", "last_activity_on", "version", "created_at", "updated_at"]
SOURCES = [(LeadSource.BUSINESS_REFERRAL, 16), (LeadSource.CHAIN, 14), (LeadSource.RESIDENT, 8), (LeadSource.SQUAD_VISIT, 10),
           (LeadSource.LEADER_LED, 8), (LeadSource.EXPO, 10), (LeadSource.AGENT, 5), (LeadSource.ONLINE, 6), (LeadSource.ASSOCIATION, 7),
           (LeadSource.PARK, 3), (LeadSource.HOMETOWN, 6), (LeadSource.REFERRED_BY_AUTHORITY, 4), (LeadSource.WALK_IN, 3)]
VISIT_TYPES = [(VisitType.OUTBOUND, 35), (VisitType.INBOUND, 25), (VisitType.RESIDENT, 7), (VisitType.EXPO, 7), (VisitType.VIDEO, 8),
               (VisitType.LEADER_LED, 8), (VisitType.SIGNING, 3), (VisitType.SERVICE, 7)]
OUTCOMES = [(VisitOutcome.NONE, 50), (VisitOutcome.NEW_LEAD, 20), (VisitOutcome.INTENT, 15), (VisitOutcome.FRAMEWORK, 8),
            (VisitOutcome.CONTRACT, 7)]
TASKS = ("电话联系{c}，了解项目投资进展", "向{c}发送招商政策和园区资料", "约{c}负责人来实地考察", "跟进{c}投资协议条款修改意见",
         "陪同{c}考察产业集聚区地块", "整理{c}项目研判材料", "催{c}提交项目可研报告", "协调{c}用地、用电需求", "回访{c}，确认考察行程")
DONE = ("企业表示有兴趣，约定再谈", "已电话沟通，企业近期内部决策", "资料已发送，等待反馈", "企业负责人出差，改约下周", "已完成考察，企业对地块较满意")
BUILDS = ("生产线建设", "厂房及配套设施建设", "研发中心建设", "仓储物流中心建设", "技术改造及扩产")
ABANDON = ("企业投资计划取消", "企业已选择外地落户", "项目不符合产业政策", "长期联系不上企业负责人")


def _split(ctx: Ctx, total: int, mine: int | None = None) -> dict[int, int]:
    """``total`` records over the work units by their number of people; 鲁山县第一招商分局 gets ``mine`` (1/200)."""
    branch1 = ctx.counties[0].branch_ids[0]
    units = [u for c in ctx.counties for u in c.work_units if u != branch1]
    mine = round(total / 200) if mine is None else mine
    counts = dict(zip(units, allocate(total - mine, [len(ctx.members[u]) for u in units])))
    counts[branch1] = mine
    return counts


def build_leads(ctx: Ctx) -> None:
    rng = ctx.rng("leads")
    total = ctx.n(100_000)
    counts = _split(ctx, total)
    staff1 = ctx.demo["users"]["staff1"][0]
    branch1 = ctx.counties[0].branch_ids[0]
    by_unit: dict[int, list[dict]] = defaultdict(list)
    for p in ctx.projects:
        if p["from_lead"]:
            by_unit[p["unit"]].append(p)
    for unit in [u for c in ctx.counties for u in c.work_units]:
        members = ctx.members[unit]
        converted = by_unit.get(unit, [])
        n = max(counts[unit], len(converted))
        mine = sum(1 for p in converted if p["owner"] == staff1)  # staff1 follows ~200 of 第一招商分局's leads
        others = [m for m in members if m != staff1] or members
        for k in range(n):
            lid = ctx.ids.take("leads")
            p = converted[k] if k < len(converted) else None
            if p is not None:
                company, owner, received, status = p["company"], p["owner"], p["tracked"], LeadStatus.CONVERTED
                p["lead"] = lid
                p["name"] = f"{ctx.core(company)}项目"
            else:
                company = ctx.company_id(rng)
                if unit == branch1 and mine < ctx.n(200):
                    owner, mine = staff1, mine + 1
                else:
                    owner = rng.choice(others)
                received = recent_day(rng)
                status = rng.choices((LeadStatus.NEW, LeadStatus.FOLLOWING, LeadStatus.ABANDONED), (22, 60, 18))[0]
            source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
            low = high = None
            if rng.random() < 0.8:
                low = high = money(rng.lognormvariate(9.8, 1.1))
                if rng.random() < 0.25:
                    high = money(float(low) * rng.uniform(1.2, 3))
            referrer = None
            if source in (LeadSource.BUSINESS_REFERRAL, LeadSource.ASSOCIATION, LeadSource.AGENT, LeadSource.HOMETOWN):
                referrer = rng.choice((f"{rng.choice(CITIES)}河南商会", f"{rng.choice(CITIES)}平顶山商会", person(rng), "县台商协会"))
            ci = company - ctx.company_first
            created = at(rng, received)
            ctx.leads.append([
                lid, f"{ctx.core(company)}项目"[:120], company, owner, unit, source.value, referrer, low, high,
                rng.choice(BUILDS) if rng.random() < 0.6 else None, money(rng.uniform(20, 500)) if rng.random() < 0.5 else None,
                money(float(high) * rng.uniform(0.8, 2.5)) if high and rng.random() < 0.4 else None,
                money(float(high) * rng.uniform(0.03, 0.1)) if high and rng.random() < 0.4 else None,
                ctx.company_chain[ci] or (rng.choice(ctx.chain_ids) if rng.random() < 0.3 else None),
                rng.choices((LeadGrade.A, LeadGrade.B, LeadGrade.C), (20, 50, 30))[0].value, received,
                "研判结论：符合主导产业方向，建议跟进。" if status is not LeadStatus.NEW else None, status.value,
                rng.choice(ABANDON) if status is LeadStatus.ABANDONED else None, None, None, 1, created, created,
            ])
    ctx.notes.append(f"leads: {total:,} over {len(counts)} units; 第一招商分局 {counts[branch1]}, of which staff1 owns "
                     f"{sum(1 for lead in ctx.leads if lead[3] == staff1)}")


def build_visits(ctx: Ctx) -> dict[int, date]:
    """Visits with their stops, participants and linked leads; returns each lead's latest visit day."""
    rng = ctx.rng("visits")
    total = ctx.n(300_000)
    counts = _split(ctx, total)
    leads_of: dict[int, list[list]] = defaultdict(list)
    for lead in ctx.leads:
        leads_of[lead[4]].append(lead)
    visits, stops, participants, links = [], [], [], []
    last_visit: dict[int, date] = {}
    staff1 = ctx.demo["users"]["staff1"][0]
    branch1 = ctx.counties[0].branch_ids[0]
    for unit, n in counts.items():
        county = ctx.county_of_unit[unit]
        members, unit_leads = ctx.members[unit], leads_of.get(unit, [])
        squad = unit in county.squad_ids
        for _ in range(n):
            vid = ctx.ids.take("visits")
            kind = VisitType.LEADER_LED if squad and rng.random() < 0.3 else rng.choices([t for t, _ in VISIT_TYPES], [w for _, w in VISIT_TYPES])[0]
            start = recent_day(rng)
            away = kind in (VisitType.OUTBOUND, VisitType.RESIDENT, VisitType.EXPO, VisitType.LEADER_LED)
            end = min(start + timedelta(days=rng.randint(0, 4)), TODAY) if away else (start if rng.random() < 0.5 else None)
            destination = (rng.choice(CITIES) if away else f"{county.name}产业集聚区" if kind in (VisitType.INBOUND, VisitType.SERVICE)
                           else "视频连线" if kind is VisitType.VIDEO else county.name)
            leader = kind_leader = None
            if kind is VisitType.LEADER_LED:
                leader, kind_leader = rng.choice(county.leader_ids), LeaderKind.PARTY_GOVERNMENT_HEAD
            elif away and rng.random() < 0.3:  # led by the 分局局长, who goes along (带队领导 lists county leaders only)
                kind_leader = LeaderKind.BRANCH_CHIEF
            creator = staff1 if unit == branch1 and rng.random() < 0.35 else rng.choice(members)
            lead = rng.choice(unit_leads) if unit_leads and rng.random() < 0.45 else None
            if lead is not None and lead[15] > start:
                lead = None
            size = rng.choices((1, 2, 3), (55, 30, 15))[0]
            companies = [lead[2]] if lead else []
            while len(companies) < size:
                companies.append(ctx.company_id(rng))
            companies = list(dict.fromkeys(companies))
            for company in companies:
                known = ctx.contacts_of.get(company)
                contact = rng.choice(known) if known and rng.random() < 0.7 else ((person(rng), rng.choice(CONTACT_TITLES)) if rng.random() < 0.5 else (None, None))
                stops.append((ctx.ids.take("visit_companies"), vid, company, contact[0], contact[1]))
            outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
            first = ctx.core(companies[0])
            notes = (f"{'赴' + destination if away else '在' + destination}与{first}{'等' + str(len(companies)) + '家企业' if len(companies) > 1 else ''}"
                     f"洽谈，介绍{county.name}投资环境和产业政策。" + ("企业表示有投资意向，约定近期来考察。" if outcome is not VisitOutcome.NONE else "企业暂无投资计划，保持联系。"))
            created = at(rng, end or start)
            visits.append((vid, kind.value, start, end, destination, leader, kind_leader.value if kind_leader else None, outcome.value,
                           notes if rng.random() < 0.85 else None, creator, unit, 1, created, created))
            people = {creator} | set(rng.sample(members, min(len(members), rng.choice((0, 0, 1, 1, 2)))))
            if kind_leader is LeaderKind.BRANCH_CHIEF:
                people.add(ctx.chief_of[unit])
            if unit == branch1 and rng.random() < 0.5:
                people.add(staff1)
            participants += [(vid, u) for u in sorted(people)]
            if lead is not None:
                links.append((vid, lead[0]))
                if last_visit.get(lead[0], START) < start:
                    last_visit[lead[0]] = start
    ctx.add("visits", ["id", "type", "start_on", "end_on", "destination", "leader_id", "leader_kind", "outcome", "notes", "created_by_id",
                       "unit_id", "version", "created_at", "updated_at"], visits)
    ctx.add("visit_companies", ["id", "visit_id", "company_id", "contact_name", "contact_title"], stops)
    ctx.add("visit_participants", ["visit_id", "user_id"], participants)
    ctx.add("visit_leads", ["visit_id", "lead_id"], links)
    ctx.notes.append(f"visits: 第一招商分局 {counts[branch1]:,}; staff1 on {sum(1 for v, u in participants if u == staff1):,} of them")
    return last_visit


def _open_due(rng, today: date = TODAY) -> date:  # type: ignore[no-untyped-def]
    """An open task's due date: overdue, today, this week (to Sunday) or later."""
    sunday = today + timedelta(days=6 - today.weekday())
    r = rng.random()
    if r < 0.40:
        return today - timedelta(days=rng.randint(1, 45))
    if r < 0.48:
        return today
    if r < 0.65 and sunday > today:
        return today + timedelta(days=rng.randint(1, (sunday - today).days))
    return sunday + timedelta(days=rng.randint(1, 60))


def build_follow_ups(ctx: Ctx, last_visit: dict[int, date]) -> None:
    rng = ctx.rng("follow-ups")
    total = ctx.n(300_000)
    counts = _split(ctx, total)
    staff1 = ctx.demo["users"]["staff1"][0]
    branch1 = ctx.counties[0].branch_ids[0]
    leads_of: dict[int, list[list]] = defaultdict(list)
    for lead in ctx.leads:
        leads_of[lead[4]].append(lead)
    rows = []
    next_due: dict[int, date] = {}
    last_done: dict[int, date] = dict(last_visit)
    staff1_open = min(ctx.n(300), counts[branch1])
    buckets = [(-60, -1)] * 100 + [(0, 0)] * 20 + [(1, 5)] * 60 + [(6, 90)] * 120  # staff1's 300 open tasks
    for unit, n in counts.items():
        members, unit_leads = ctx.members[unit], leads_of.get(unit, [])
        open_leads = [lead for lead in unit_leads if lead[17] in ("new", "following")]
        for k in range(n):
            fid = ctx.ids.take("follow_ups")
            if unit == branch1 and k < staff1_open:
                lo, hi = buckets[int(k * len(buckets) / staff1_open)]
                due, done, assignee = TODAY + timedelta(days=rng.randint(lo, hi)), False, staff1
            else:
                done = rng.random() >= 0.15
                due = recent_day(rng, START, TODAY - timedelta(days=1)) if done else _open_due(rng)
                assignee = None
            pool = unit_leads if done else open_leads
            lead = rng.choice(pool) if pool and rng.random() < 0.7 else None
            if lead is not None and lead[15] > due:
                lead = None
            if assignee is None:
                assignee = lead[3] if lead is not None and rng.random() < 0.8 else rng.choice(members)
            company = lead[2] if lead is not None else ctx.company_id(rng)
            created_day = max(START, min(due, TODAY) - timedelta(days=rng.randint(1, 20)))
            if lead is not None:
                created_day = max(created_day, lead[15])
            created = at(rng, created_day)
            done_at = at(rng, min(due + timedelta(days=rng.randint(-2, 3)), TODAY)) if done else None
            if done_at is not None and done_at < created:
                done_at = created
            rows.append((fid, assignee, ctx.chief_of[unit] if rng.random() < 0.2 else assignee, company, lead[0] if lead else None, due,
                         rng.choice(TASKS).format(c=ctx.core(company)), done_at, rng.choice(DONE) if done else None, unit, 1, created,
                         done_at or created))
            if lead is not None:
                if done:
                    if last_done.get(lead[0], START) < due:
                        last_done[lead[0]] = due
                elif due < next_due.get(lead[0], date.max):
                    next_due[lead[0]] = due
    ctx.add("follow_ups", ["id", "assignee_id", "created_by_id", "company_id", "lead_id", "due_on", "note", "done_at", "done_note",
                           "unit_id", "version", "created_at", "updated_at"], rows)
    for lead in ctx.leads:
        lead[19] = next_due.get(lead[0])
        lead[20] = last_done.get(lead[0])
        if lead[20] is not None and lead[20] > lead[15]:
            lead[23] = at(rng, min(lead[20], END))
    ctx.add("leads", LEAD_COLUMNS, [tuple(lead) for lead in ctx.leads])
    mine = [r for r in rows if r[1] == staff1 and r[7] is None]
    ctx.notes.append(f"follow-ups: 第一招商分局 {counts[branch1]:,}; staff1 has {len(mine)} open "
                     f"({sum(r[5] < TODAY for r in mine)} overdue, {sum(r[5] == TODAY for r in mine)} today, "
                     f"{sum(TODAY < r[5] <= TODAY + timedelta(days=6 - TODAY.weekday()) for r in mine)} this week, "
                     f"{sum(r[5] > TODAY + timedelta(days=6 - TODAY.weekday()) for r in mine)} later)")
