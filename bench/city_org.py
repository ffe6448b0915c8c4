"""The city's organisation: 平顶山市 above ten counties built on the demo's unit template, their accounts,
the extra 主导产业链 and the targets of every county and year."""

from __future__ import annotations

from decimal import Decimal

from city_common import END, START, County, Ctx, at, person, rand_day

from crm.demo.scenario import BRANCH_SECTORS, COMMANDS, SQUAD_REGIONS, UNITS
from crm.domain.access import Role
from crm.domain.kpi import Indicator, TargetScope
from crm.domain.units import LeaderTitle, UnitType

CITY = "平顶山市"
# (name, username key, sort order in the city's usual listing); 鲁山县 is the demo's county.
COUNTIES = [("鲁山县", "lushan", 7), ("叶县", "yexian", 6), ("郏县", "jiaxian", 8), ("宝丰县", "baofeng", 5),
            ("舞钢市", "wugang", 9), ("汝州市", "ruzhou", 10), ("新华区", "xinhua", 1), ("卫东区", "weidong", 2),
            ("石龙区", "shilong", 3), ("湛河区", "zhanhe", 4)]
EXTRA_CHAINS = ["尼龙新材料", "装备制造", "电子信息", "生物医药", "食品加工", "现代物流"]
UNIT_COLUMNS = ["id", "name", "short_name", "type", "parent_id", "head_title", "sort_order", "is_active", "version", "created_at", "updated_at"]
USER_COLUMNS = ["id", "username", "display_name", "role", "unit_id", "title", "title_note", "email", "phone", "locale", "digest_email",
                "alert_email", "is_active", "password_hash", "session_version", "version", "created_at", "updated_at"]
# The demo's leaders' titles (DOMAIN §d), and a 7th that some counties have.
LEADERS = [(LeaderTitle.PARTY_SECRETARY, "{k}委书记", None), (LeaderTitle.COUNTY_HEAD, "{k}长", None),
           (LeaderTitle.EXECUTIVE_DEPUTY, "常务副{k}长", None), (LeaderTitle.DEPUTY_HEAD, "副{k}长（分管工业）", "分管工业"),
           (LeaderTitle.DEPUTY_HEAD, "副{k}长（分管招商）", "分管招商"), (LeaderTitle.STANDING_COMMITTEE, "{k}委常委", None),
           (LeaderTitle.PEOPLES_CONGRESS_DEPUTY, "{k}人大常委会副主任", None)]
EMAIL_DOMAIN = "pingdingshan.example"


def _kind(county: str) -> str:
    """县 / 区 / 市: how the county's own offices are called (县长, 区长, 市长)."""
    return county[-1]


def build_units(ctx: Ctx) -> None:
    rng = ctx.rng("units")
    demo_units = ctx.demo["units"]  # demo key -> id
    rows: list[tuple] = []

    def unit(name: str, short: str | None, kind: UnitType, parent: int | None, head: str | None, order: int) -> int:
        uid = ctx.ids.take("units")
        created = at(rng, rand_day(rng, START, START.replace(month=3)))
        rows.append((uid, name, short, kind.value, parent, head, order, True, 1, created, created))
        ctx.unit_names[uid] = name
        return uid

    ctx.city_id = unit(CITY, None, UnitType.CITY, None, "市长", 0)
    ctx.city_bureau_id = unit(f"{CITY}招商局", "市招商局", UnitType.BUREAU, ctx.city_id, "局长", 0)
    for index, (name, key, order) in enumerate(COUNTIES):
        if index == 0:  # the demo's 鲁山县, moved under the city afterwards
            ids = {spec.key: demo_units[spec.key] for spec in UNITS}
            for spec in UNITS:
                ctx.unit_names[ids[spec.key]] = spec.name
        else:
            k = _kind(name)
            ids = {}
            county_id = unit(name, None, UnitType.COUNTY, ctx.city_id, f"{k}长", order)
            ids["county"] = county_id
            ids["bureau"] = unit(f"{name}招商局", "招商局", UnitType.BUREAU, county_id, "局长", 1)
            ids["zone"] = unit(f"{name}产业集聚区管委会", "管委会", UnitType.ZONE_OFFICE, county_id, "主任", 2)
            ids["supervision"] = unit("效能监察办公室", None, UnitType.DEPARTMENT, county_id, "主任", 3)
            ids["hr"] = unit(f"{name}人力资源和社会保障局", f"{k}人社局", UnitType.DEPARTMENT, county_id, "局长", 4)
            ids["ndrc"] = unit(f"{name}发展和改革委员会", f"{k}发改委", UnitType.DEPARTMENT, county_id, "主任", 5)
            for i, command in enumerate(COMMANDS):
                ids[f"command{i + 1}"] = unit(command, None, UnitType.COMMAND, county_id, "指挥长", 6 + i)
            for i, sector in enumerate(BRANCH_SECTORS):
                ids[f"branch{i + 1}"] = unit(f"第{'一二三四五六七八九'[i]}招商分局", sector, UnitType.BRANCH, ids["bureau"], "局长", 10 + i)
            for i, region in enumerate(SQUAD_REGIONS):
                ids[f"squad{i + 1}"] = unit(f"{region}招商小分队", None, UnitType.SQUAD, ids["bureau"], "队长", 19 + i)
        county = County(
            index=index, name=name, key=key, unit_id=ids["county"], bureau_id=ids["bureau"], zone_id=ids["zone"],
            supervision_id=ids["supervision"], hr_id=ids["hr"], ndrc_id=ids["ndrc"],
            command_ids=[ids[f"command{i + 1}"] for i in range(4)], branch_ids=[ids[f"branch{i + 1}"] for i in range(9)],
            squad_ids=[ids[f"squad{i + 1}"] for i in range(5)],
        )
        county.lead_units = [county.zone_id, *county.command_ids, county.bureau_id, county.hr_id, county.ndrc_id]
        ctx.counties.append(county)
        for uid in ids.values():
            ctx.county_of_unit[uid] = county
    ctx.add("units", UNIT_COLUMNS, rows)
    ctx.notes.append(f"units: {CITY} (id {ctx.city_id}) with 市招商局 (id {ctx.city_bureau_id}); "
                     f"鲁山县 (id {ctx.counties[0].unit_id}) moved under it; 9 more counties on the demo template")


def build_users(ctx: Ctx) -> None:
    """Admins, reviewers, leaders and chiefs per county, three city accounts, and staff to 4,962 accounts in all."""
    rng = ctx.rng("users")
    demo = ctx.demo["users"]  # username -> (id, unit_id, display_name)
    for username, (uid, unit_id, display) in demo.items():
        ctx.user_label[uid] = f"{display} ({username})"
        ctx.user_unit[uid] = unit_id
    rows: list[tuple] = []

    def user(username: str, display: str, role: Role, unit_id: int, title: LeaderTitle | None = None, note: str | None = None) -> int:
        uid = ctx.ids.take("users")
        created = at(rng, rand_day(rng, START, START.replace(month=6)))
        rows.append((uid, username, display, role.value, unit_id, title.value if title else None, note, f"{username}@{EMAIL_DOMAIN}",
                     None, "zh", True, False, True, ctx.password_hash, 1, 1, created, created))
        ctx.user_label[uid] = f"{display} ({username})"
        ctx.user_unit[uid] = unit_id
        return uid

    user("city_admin", "平顶山市系统管理员", Role.ADMIN, ctx.city_id)
    # At the city itself: a reviewer's reach is their subtree, and the counties sit under the city, not under its 招商局.
    user("city_reviewer", "市招商局审核员", Role.REVIEWER, ctx.city_id)
    user("city_leader", "平顶山市市长", Role.LEADER, ctx.city_id, LeaderTitle.COUNTY_HEAD)
    staff_slots: list[tuple[County, int, str]] = []  # (county, work unit, username prefix)
    for county in ctx.counties:
        k, key = _kind(county.name), county.key
        if county.index == 0:
            county.admin_id = demo["admin"][0]
            county.reviewer_ids = [demo["reviewer"][0], user(f"{key}_reviewer2", f"{county.name}招商局审核员二", Role.REVIEWER, county.bureau_id)]
            county.leader_ids = [demo[u][0] for u in ("secretary", "leader", "exec_deputy", "deputy_industry", "leader2", "standing")]
            title, label, note = LEADERS[6]
            county.leader_ids.append(user(f"{key}_leader7", f"{county.name}{label.format(k=k)}", Role.LEADER, county.unit_id, title, note))
        else:
            county.admin_id = user(f"{key}_admin", f"{county.name}系统管理员", Role.ADMIN, county.unit_id)
            county.reviewer_ids = [user(f"{key}_reviewer{i}", f"{county.name}招商局审核员{'一二'[i - 1]}", Role.REVIEWER, county.bureau_id)
                                   for i in (1, 2)]
            for i, (title, label, note) in enumerate(LEADERS[: rng.choice((6, 7))]):
                county.leader_ids.append(user(f"{key}_leader{i + 1}", f"{county.name}{label.format(k=k)}", Role.LEADER, county.unit_id, title, note))
        for i, unit_id in enumerate(county.work_units):
            tag = f"b{i + 1}" if i < 9 else f"q{i - 8}"
            ctx.members[unit_id] = []
            if county.index == 0 and i == 0:
                chief = demo["chief1"][0]
                ctx.members[unit_id] += [chief, demo["staff1"][0]]
            else:
                chief = user(f"{key}_{tag}_chief", f"{ctx.unit_names[unit_id]}{'局长' if i < 9 else '队长'}{person(rng)}", Role.CHIEF, unit_id)
                ctx.members[unit_id].append(chief)
                if county.index == 0 and i == 1:
                    ctx.members[unit_id].append(demo["staff2"][0])
            ctx.chief_of[unit_id] = chief
            staff_slots.append((county, unit_id, f"{key}_{tag}"))
    # The rest are staff, 20–40 per unit at full size, to the total.
    total = max(ctx.n(4962), len(rows) + len(demo) + len(staff_slots))
    wanted = total - len(rows) - len(demo)
    from city_common import allocate

    counts = allocate(wanted, [rng.uniform(26, 38) for _ in staff_slots])
    for (county, unit_id, prefix), n in zip(staff_slots, counts):
        for j in range(n):
            ctx.members[unit_id].append(user(f"{prefix}_{j + 1:02d}", person(rng), Role.STAFF, unit_id))
    ctx.add("users", USER_COLUMNS, rows)


def build_chains(ctx: Ctx) -> None:
    rng = ctx.rng("chains")
    rows = []
    for i, name in enumerate(EXTRA_CHAINS):
        cid = ctx.ids.take("industry_chains")
        created = at(rng, START)
        rows.append((cid, name, 10 + i, True, 1, created, created))
        ctx.demo["chains"][name] = cid
    ctx.chain_ids = list(ctx.demo["chains"].values())
    ctx.add("industry_chains", ["id", "name", "sort_order", "is_active", "version", "created_at", "updated_at"], rows)


# 全县 targets (万元 or 个) of a county of the city, per year; a county's size scales them.
COUNTY_TARGETS = {Indicator.YI_PROJECTS: 20, Indicator.SIGNED_AMOUNT: 1_800_000, Indicator.CONTRACTED_AMOUNT: 1_200_000,
                  Indicator.STARTED_PROJECTS: 30, Indicator.FUNDS_ARRIVED: 500_000, Indicator.OUT_OF_PROVINCE_FUNDS: 300_000,
                  Indicator.FIXED_ASSET_INVESTMENT: 600_000, Indicator.REVENUE: 600_000, Indicator.PROFIT_TAX: 15_000,
                  Indicator.EMPLOYMENT: 20_000, Indicator.INFRASTRUCTURE_INVESTMENT: 88_000}
UNIT_TARGETS = {Indicator.YI_PROJECTS: 3, Indicator.SIGNED_AMOUNT: 200_000, Indicator.STARTED_PROJECTS: 3, Indicator.FUNDS_ARRIVED: 40_000}


def build_targets(ctx: Ctx, existing: set[tuple[int, str, str]]) -> None:
    """County targets for 2024–2026 for every county (and the city), unit targets for 2026, a few leader targets.
    ``existing`` holds the demo's (year, owner_key, indicator)."""
    rng = ctx.rng("targets")
    rows = []

    def target(year: int, scope: TargetScope, unit_id: int, owner: str, indicator: Indicator, value: float, leader: int | None = None) -> None:
        if (year, owner, indicator.value) in existing:
            return
        existing.add((year, owner, indicator.value))
        created = at(rng, END.replace(year=year - 1, month=12, day=rng.randint(10, 28)) if year > 2024 else START)
        rows.append((ctx.ids.take("targets"), year, scope.value, leader, owner, indicator.value, Decimal(int(value)), unit_id, 1, created, created))

    for year in (2024, 2025, 2026):
        growth = {2024: 0.85, 2025: 1.0, 2026: 1.15}[year]
        target(year, TargetScope.COUNTY, ctx.city_id, f"unit:{ctx.city_id}", Indicator.SIGNED_AMOUNT, 18_000_000 * growth)
        target(year, TargetScope.COUNTY, ctx.city_id, f"unit:{ctx.city_id}", Indicator.YI_PROJECTS, 200 * growth)
        for county in ctx.counties:
            size = rng.uniform(0.7, 1.3)
            for indicator, value in COUNTY_TARGETS.items():
                target(year, TargetScope.COUNTY, county.unit_id, f"unit:{county.unit_id}", indicator, value * size * growth)
            if year == 2026:
                for unit_id in county.work_units:
                    for indicator, value in UNIT_TARGETS.items():
                        target(year, TargetScope.UNIT, unit_id, f"unit:{unit_id}", indicator, value * rng.uniform(0.6, 1.5))
                for leader in county.leader_ids[:3]:
                    target(year, TargetScope.LEADER, county.unit_id, f"leader:{leader}", Indicator.YI_PROJECTS, rng.randint(3, 6), leader)
    ctx.add("targets", ["id", "year", "scope", "leader_id", "owner_key", "indicator", "value", "unit_id", "version", "created_at", "updated_at"], rows)
