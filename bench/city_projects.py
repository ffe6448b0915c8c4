"""项目 of the city: 20,000 projects, each with its approved stage history (在谈, 签约, …) and the in-force
正式投资合同 the 签约 gate asks for, plus the other agreements (≈ 25,000 in all).

Plans come first (``plan_projects``) because the leads that became projects are dated from them; the rows
are built once the leads exist (``build_projects``).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from city_common import (
    MONTHS,
    START,
    TODAY,
    Ctx,
    allocate,
    at,
    day_in_month,
    money,
    period_of,
    person,
)
from synth import _credit_code

from crm.domain.agreements import AgreementStatus, AgreementType
from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import ReviewStatus, Sector

S = Stage
# current stage → weight (DOMAIN: about half reached 开工, a quarter 投产, a few 暂缓/中止)
STAGE_WEIGHTS = {S.PRODUCING: 25, S.STARTED: 25, S.REGISTERED: 15, S.SIGNED: 30, S.PAUSED: 3, S.TERMINATED: 2}
BANDS = [(1000, 5000, 10), (5000, 10000, 25), (10000, 30000, 30), (30000, 50000, 13), (50000, 100000, 10), (100000, 200000, 7),
         (200000, 500000, 3.5), (500000, 1000000, 1), (1000000, 3000000, 0.5)]
SUFFIXES = ("项目", "产业园项目", "生产基地项目", "智能制造项目", "扩建项目", "新材料项目", "产业化项目", "总部基地项目")
SECTOR = {"A": Sector.PRIMARY, "B": Sector.SECONDARY, "C": Sector.SECONDARY, "D": Sector.SECONDARY, "E": Sector.SECONDARY}
PROJECT_COLUMNS = [
    "id", "name", "construction", "company_id", "local_company_id", "owner_id", "lead_id", "stage", "paused_from", "stage_since",
    "stop_reason", "nature", "tracked_since", "total_investment", "first_phase_investment", "contracted_amount",
    "out_of_province_amount", "foreign_capital", "funding_source", "industry_category", "sector", "chain_id", "site", "land_mu",
    "is_key", "lead_unit_id", "plan", "planned_start_on", "planned_production_on", "signed_month", "registration_number",
    "registered_name", "registered_capital", "legal_representative", "start_month", "production_month", "capacity",
    "monthly_sales", "monthly_tax", "employees", "last_progress_on", "unit_id", "version", "created_at", "updated_at",
]
EVENT_COLUMNS = ["id", "project_id", "from_stage", "to_stage", "period", "reason", "note", "agreement_id", "total_investment",
                 "contracted_amount", "review_status", "submitted_by_id", "submitted_at", "reviewed_by_id", "reviewed_at",
                 "review_comment", "version", "created_at", "updated_at"]
AGREEMENT_COLUMNS = ["id", "type", "name", "number", "signed_on", "signing_event", "party_a", "company_id", "lead_id", "project_id",
                     "investment_amount", "attracted_amount", "planned_start_on", "planned_production_on", "investment_intensity",
                     "tax_per_mu", "jobs", "notes", "status", "terminated_on", "termination_reason", "created_by_id", "unit_id",
                     "version", "created_at", "updated_at"]
SIGNING_EVENTS = ("第{n}期“三个一批”集中签约活动", "中国·河南国际投资贸易洽谈会", "平顶山市重点项目集中签约仪式", "{county}招商引资推介会",
                  "粤港澳大湾区招商推介会", "长三角产业转移对接会")
REJECTIONS = ("佐证材料不全，请补充后重新提交", "注册资本与营业执照不符，请核对", "发生月份填写有误，请更正", "投资协议未盖章，请补充")


def _months(rng, steps: list[tuple[Stage, tuple[int, int]]]) -> list[int]:
    """Gaps (in months) between the steps, squeezed into 2024-01 … 2026-11, from a random first month."""
    gaps = [rng.randint(lo, hi) for _stage, (lo, hi) in steps]
    total = sum(gaps)
    if total > MONTHS - 1:
        gaps = [int(g * (MONTHS - 1) / total) for g in gaps]
        total = sum(gaps)
    month = rng.randint(0, MONTHS - 1 - total)
    out = [month]
    for g in gaps:
        month += g
        out.append(month)
    return out


def plan_projects(ctx: Ctx) -> None:
    """Each project's unit, owner, investor, stage path with its months, and whether it came from a lead."""
    rng = ctx.rng("project-plans")
    n = ctx.n(20_000)
    branch1 = ctx.counties[0].branch_ids[0]
    units = [u for c in ctx.counties for u in c.work_units]
    mine = round(n / 200)
    others = [u for u in units if u != branch1]
    counts = dict(zip(others, allocate(n - mine, [len(ctx.members[u]) for u in others])))
    counts[branch1] = mine
    staff1 = ctx.demo["users"]["staff1"][0]
    first = ctx.ids.take("projects", n)
    pid = first
    for unit in units:
        members = ctx.members[unit]
        for k in range(counts[unit]):
            stage = rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()))[0]
            nature = rng.choices(list(Nature), (70, 12, 8, 10))[0]
            skip_registration = nature in (Nature.EXPANSION, Nature.CAPITAL_INCREASE) and rng.random() < 0.7
            base = stage
            if stage is S.PAUSED:
                base = rng.choice((S.SIGNED, S.REGISTERED, S.STARTED))
            elif stage is S.TERMINATED:
                base = rng.choice((S.SIGNED, S.SIGNED, S.REGISTERED))
            path: list[tuple[Stage, tuple[int, int]]] = [(S.SIGNED, (0, 8))]
            line = [S.SIGNED, S.STARTED, S.PRODUCING] if skip_registration and base in (S.STARTED, S.PRODUCING) else \
                [S.SIGNED, S.REGISTERED, S.STARTED, S.PRODUCING]
            gaps = {S.REGISTERED: (1, 4), S.STARTED: (1, 6) if not skip_registration else (2, 8), S.PRODUCING: (4, 16)}
            for s in line[1 : line.index(base) + 1]:
                path.append((s, gaps[s]))
            if stage in (S.PAUSED, S.TERMINATED):
                path.append((stage, (1, 10)))
            months = _months(rng, path)
            first_of = date(2024 + months[0] // 12, months[0] % 12 + 1, 1)
            tracked = max(START, first_of - timedelta(days=rng.randint(0, 90)))
            owner = staff1 if unit == branch1 and k < ctx.n(35) else rng.choice(members)
            company = ctx.company_id(rng)
            ctx.projects.append({
                "id": pid, "unit": unit, "county": ctx.county_of_unit[unit], "owner": owner, "company": company, "stage": stage,
                "base": base, "nature": nature, "path": [(S.TALKS, months[0])] + [(s, m) for (s, _g), m in zip(path, months[1:])],
                "from_lead": rng.random() < 0.6, "lead": None, "key": False, "tracked": tracked,
            })
            pid += 1
    _choose_key(ctx, rng)


def _choose_key(ctx: Ctx, rng) -> None:  # type: ignore[no-untyped-def]
    """About 10 % are key projects (三个一), the larger and living ones first."""
    for p in ctx.projects:
        p["total"] = _total(rng)
    for county in ctx.counties:
        mine = [p for p in ctx.projects if p["county"] is county and p["stage"] is not S.TERMINATED]
        mine.sort(key=lambda p: -float(p["total"]) * rng.uniform(0.3, 1.0))
        for p in mine[: round(len([q for q in ctx.projects if q["county"] is county]) * 0.10)]:
            p["key"] = True
    # staff1's own larger projects are on the 重点项目名录 too (the busy project is one of them)
    staff1 = ctx.demo["users"]["staff1"][0]
    own = sorted((p for p in ctx.projects if p["owner"] == staff1 and p["stage"] is S.STARTED), key=lambda p: -p["total"])
    for p in own[:4]:
        p["key"] = True


def _total(rng) -> Decimal:  # type: ignore[no-untyped-def]
    lo, hi, _w = rng.choices(BANDS, [b[2] for b in BANDS])[0]
    return money(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def _day(rng, month: int, after: date) -> date:  # type: ignore[no-untyped-def]
    day = day_in_month(rng, month)
    if day <= after:
        day = min(after + timedelta(days=rng.randint(1, 3)), TODAY)
    return day


def build_projects(ctx: Ctx) -> None:
    rng = ctx.rng("projects")
    projects, events, agreements = [], [], []
    seq: dict[tuple[str, int], int] = {}
    contract_index: dict[int, int] = {}
    pending: set[int] = set()  # 审核中 reports, about 50 per county's reviewers
    for county in ctx.counties:
        eligible = [p["id"] for p in ctx.projects if p["county"] is county and p["stage"] in (S.SIGNED, S.STARTED)]
        pending.update(rng.sample(eligible, min(len(eligible), max(1, ctx.n(50)))))

    def number(county, kind: str, year: int) -> str:  # type: ignore[no-untyped-def]
        seq[(county.key + kind, year)] = seq.get((county.key + kind, year), 0) + 1
        return f"{county.key[:2].upper()}{kind}-{year}-{seq[(county.key + kind, year)]:04d}"

    def agreement(p: dict, kind: AgreementType, signed: date, name: str, total, attracted, status=AgreementStatus.ACTIVE, **extra: Any) -> int:
        aid = ctx.ids.take("agreements")
        county = p["county"]
        start, production = extra.get("start"), extra.get("production")
        terminated = extra.get("terminated")
        created = at(rng, signed)
        event = rng.choice(SIGNING_EVENTS).format(n=rng.randint(1, 12), county=county.name) if rng.random() < 0.6 else None
        code = {AgreementType.CONTRACT: "TZ", AgreementType.INTENT: "YX", AgreementType.FRAMEWORK: "KJ",
                AgreementType.SUPPLEMENT: "BC", AgreementType.CAPITAL_INCREASE: "ZZ", AgreementType.AGENCY: "WT"}[kind]
        contract_index[aid] = len(agreements)
        agreements.append((
            aid, kind.value, name[:200], number(county, code, signed.year), signed, event,
            f"{county.name}人民政府" if rng.random() < 0.6 else f"{county.name}产业集聚区管理委员会", p["company"], p.get("lead"),
            p["id"] if extra.get("linked", True) else None, total, attracted, start, production,
            money(rng.uniform(150, 600)) if start else None, money(rng.uniform(5, 40)) if start else None,
            rng.randint(50, 2000) if start else None, None, status.value, terminated,
            extra.get("reason") if terminated else None, p["owner"], p["unit"], 1, created, created,
        ))
        return aid

    for index, p in enumerate(ctx.projects):
        p["index"] = index
        county, company, total = p["county"], p["company"], p["total"]
        ci = company - ctx.company_first
        first_phase = money(float(total) * rng.uniform(0.3, 1.0))
        contracted = money(float(total) * rng.uniform(0.6, 1.0))
        source = ctx.company_source[ci] or "other_province"
        out_of_province = money(float(contracted) * rng.uniform(0.5, 1.0)) if source in ("other_province", "hmt", "foreign") else None
        foreign = money(float(contracted) / 7 * rng.uniform(0.2, 0.9)) if source in ("hmt", "foreign") else None
        category = ctx.company_category[ci] or "C"
        name = p.get("name") or f"{ctx.core(company)}{rng.choice(SUFFIXES)}"
        p["name"] = name[:120]
        tracked = p["tracked"]
        owner, reviewer = p["owner"], rng.choice(county.reviewer_ids)
        # the approved steps
        facts: dict[str, Any] = {}
        previous, last_day, contract_id = S.LEAD, tracked, None
        for step, month in p["path"]:
            day = _day(rng, month, last_day if step is not S.TALKS else tracked - timedelta(days=1))
            reviewed = min(day + timedelta(days=rng.randint(1, 12)), TODAY)
            agreement_id = None
            if step is S.SIGNED:
                start = day + timedelta(days=rng.randint(60, 300))
                production = start + timedelta(days=rng.randint(180, 720))
                p["planned"] = (start, production)
                if rng.random() < 0.10:
                    agreement(p, AgreementType.INTENT, max(tracked, day - timedelta(days=rng.randint(20, 120))),
                              f"{p['name']}投资意向书", total, contracted)
                contract_id = agreement_id = agreement(p, AgreementType.CONTRACT, day, f"{p['name']}投资协议书", total, contracted,
                                                       start=start, production=production)
                facts["signed_month"] = period_of(month)
            elif step is S.STARTED:
                facts["start_month"] = period_of(month)
                if previous is S.SIGNED:
                    agreement_id = contract_id
            elif step is S.PRODUCING:
                facts["production_month"] = period_of(month)
            if step in (S.REGISTERED, S.STARTED) and "registration" not in facts and step is S.REGISTERED:
                facts["registration"] = True
            if rng.random() < 0.02 and step in (S.REGISTERED, S.STARTED, S.PRODUCING):  # an earlier attempt was sent back
                events.append((ctx.ids.take("project_stage_events"), p["id"], previous.value, step.value, period_of(month), None, None,
                               agreement_id, total, contracted, ReviewStatus.REJECTED.value, owner, at(rng, day - timedelta(days=3)),
                               reviewer, at(rng, day - timedelta(days=1)), rng.choice(REJECTIONS), 1, at(rng, day - timedelta(days=4)),
                               at(rng, day - timedelta(days=1))))
            reason = None
            if step is S.PAUSED:
                reason = rng.choice(("投资方资金链紧张，项目暂缓", "市场行情变化，投资方调整投资计划", "用地指标未落实，暂缓推进"))
            elif step is S.TERMINATED:
                reason = rng.choice(("投资方战略调整，项目终止", "项目不符合产业政策，予以中止", "长期无实质进展，列入中止项目"))
            events.append((ctx.ids.take("project_stage_events"), p["id"], previous.value, step.value, period_of(month), reason, None,
                           agreement_id, total if step is not S.TALKS else None, contracted if step is not S.TALKS else None,
                           ReviewStatus.APPROVED.value, owner, at(rng, day), reviewer, at(rng, reviewed), None, 1, at(rng, day), at(rng, reviewed)))
            p.setdefault("days", {})[step] = day
            p["reason"] = reason or p.get("reason")
            previous, last_day = step, day
            p["stage_since"] = reviewed
        stage = p["stage"]
        # one open report per county's queue (审核中): 签约 → 注册 or 开工 → 投产, gates met
        open_report = None
        if p["id"] in pending:
            open_report = S.REGISTERED if stage is S.SIGNED else S.PRODUCING
            submitted = TODAY - timedelta(days=rng.randint(0, 20))
            if open_report is S.REGISTERED:
                facts["registration"] = True
            events.append((ctx.ids.take("project_stage_events"), p["id"], stage.value, open_report.value, "2026-11", None, None, None,
                           total, contracted, ReviewStatus.PENDING.value, owner, at(rng, submitted), None, None, None, 1,
                           at(rng, submitted), at(rng, submitted)))
        elif stage in (S.SIGNED, S.REGISTERED) and rng.random() < 0.01:
            saved = TODAY - timedelta(days=rng.randint(0, 30))
            events.append((ctx.ids.take("project_stage_events"), p["id"], stage.value,
                           (S.REGISTERED if stage is S.SIGNED else S.STARTED).value, "2026-11", None, None, None, total, contracted,
                           ReviewStatus.DRAFT.value, None, None, None, None, None, 1, at(rng, saved), at(rng, saved)))
        p["open_report"] = open_report
        start, production = p["planned"]
        if stage in (S.STARTED, S.PRODUCING) or p["base"] in (S.STARTED,):
            start = p["days"].get(S.STARTED, start)
        producing = stage is S.PRODUCING or open_report is S.PRODUCING
        reg = facts.get("registration")
        site = f"{county.name}产业集聚区{rng.choice(('北区', '南区'))}" if rng.random() < 0.7 else f"{county.name}{rng.choice(('城东', '城西', '城南', '城北'))}工业园"
        created = at(rng, tracked)
        paused_from = p["base"].value if stage is S.PAUSED else None
        projects.append([
            p["id"], p["name"], f"{ctx.core(company)}，建设{rng.choice(('生产线', '厂房及配套设施', '研发中心', '仓储物流中心'))}",
            company, None, owner, p.get("lead"), stage.value, paused_from, p["stage_since"],
            p["reason"] if stage in (S.PAUSED, S.TERMINATED) else None, p["nature"].value, tracked, total, first_phase, contracted,
            out_of_province, foreign, source, category, (SECTOR.get(category) or Sector.TERTIARY).value,
            ctx.company_chain[ci] or (rng.choice(ctx.chain_ids) if rng.random() < 0.4 else None), site,
            money(float(total) / rng.uniform(150, 600)), False, None, None, start, max(production, start),
            facts.get("signed_month"), (ctx.company_codes[ci] or _credit_code(rng)) if reg else None,
            ctx.company_name(company) if reg else None, money(float(first_phase) * rng.uniform(0.1, 0.5)) if reg else None,
            person(rng) if reg else None, facts.get("start_month"), facts.get("production_month"),
            f"年产{rng.choice(('产品', '面料', '设备', '新材料', '配件'))}{rng.randint(1, 50) * 1000}{rng.choice(('吨', '万件', '台套', '万米'))}" if producing else None,
            money(float(total) * rng.uniform(0.005, 0.03)) if producing else None,
            money(float(total) * rng.uniform(0.0005, 0.003)) if producing else None, rng.randint(30, 1500) if producing else None,
            p["stage_since"], p["unit"], 1, created, max(created, at(rng, p["stage_since"])),
        ])
        # other agreements: 框架协议 early, 补充协议 after signing, rescinded contracts of 中止 projects
        if rng.random() < 0.04:
            agreement(p, AgreementType.FRAMEWORK, max(tracked, p["days"][S.SIGNED] - timedelta(days=rng.randint(10, 90))),
                      f"{p['name']}投资框架协议", None, None)
        if stage is not S.TERMINATED and rng.random() < 0.03:
            agreement(p, AgreementType.SUPPLEMENT, min(p["days"][S.SIGNED] + timedelta(days=rng.randint(30, 300)), TODAY),
                      f"{p['name']}补充协议", None, None)
        if p["nature"] is Nature.CAPITAL_INCREASE and rng.random() < 0.15:
            agreement(p, AgreementType.CAPITAL_INCREASE, min(p["days"][S.SIGNED] + timedelta(days=rng.randint(10, 200)), TODAY),
                      f"{p['name']}增资协议", money(float(total) * 0.3), money(float(total) * 0.2))
        if stage is S.TERMINATED and rng.random() < 0.7:
            idx = contract_index[contract_id]
            row = list(agreements[idx])
            row[18], row[19], row[20] = AgreementStatus.TERMINATED.value, p["days"][S.TERMINATED], "项目中止，协议解除"
            agreements[idx] = tuple(row)
    _lead_agreements(ctx, rng, agreements, agreement)
    ctx.add("projects", PROJECT_COLUMNS, projects)  # type: ignore[arg-type]  # lists: 三个一 and progress fill in more
    ctx.add("project_stage_events", EVENT_COLUMNS, events)
    ctx.add("agreements", AGREEMENT_COLUMNS, agreements)
    ctx.project_rows = projects  # type: ignore[attr-defined]


def _lead_agreements(ctx: Ctx, rng, agreements: list, agreement) -> None:  # type: ignore[no-untyped-def]
    """意向书 with leads not yet projects, and 委托招商协议 with agents, to about 25,000 agreements."""
    wanted = ctx.n(25_000) - len(agreements)
    open_leads = [lead for lead in ctx.leads if lead[17] in ("new", "following") and lead[15] < TODAY - timedelta(days=10)]
    rng.shuffle(open_leads)
    for lead in open_leads[: max(0, wanted)]:
        county = ctx.county_of_unit[lead[4]]
        signed = min(lead[15] + timedelta(days=rng.randint(10, 200)), TODAY)
        kind = AgreementType.AGENCY if rng.random() < 0.08 else AgreementType.INTENT
        fake = {"id": None, "county": county, "company": lead[2], "lead": lead[0] if kind is AgreementType.INTENT else None,
                "owner": lead[3], "unit": lead[4]}
        agreement(fake, kind, signed, f"{lead[1]}{'委托招商协议' if kind is AgreementType.AGENCY else '投资意向书'}", lead[8], lead[8],
                  linked=False)
