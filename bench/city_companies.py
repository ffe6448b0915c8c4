"""企业库 of the city: 200,000 companies named by ``bench/synth.py`` (real divisions, 字号, trades, legal forms),
about 10 % with a second name, tags, contacts; search text and blocking keys computed by the app itself."""

from __future__ import annotations

from typing import Any

from city_common import END, START, Ctx, at, money, person, phone, rand_day
from synth import division_rows, generate

from crm.domain.companies import (
    CompanyTag,
    FundingSource,
    OtherNameKind,
    Ownership,
)
from crm.domain.dedup.credit_code import is_valid_credit_code

COMPANY_COLUMNS = ["id", "name", "short_name", "english_name", "credit_code", "ownership", "hq_province", "hq_city", "funding_source",
                   "industry_category", "chain_id", "registered_capital", "website", "notes", "search_text", "merged_into_id",
                   "created_by_id", "version", "created_at", "updated_at"]
LEGAL_FORMS = ("集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限合伙企业", "科技有限公司", "有限公司", "集团", "厂")
# (substring of the trade, 门类) — first match wins; everything else is 制造业 (C).
CATEGORIES = [("物流", "G"), ("运输", "G"), ("仓储", "G"), ("供应链", "G"), ("进出口", "F"), ("商贸", "F"), ("贸易", "F"), ("工贸", "F"),
              ("房地产", "K"), ("置业", "K"), ("物业", "K"), ("酒店", "H"), ("餐饮", "H"), ("软件", "I"), ("信息技术", "I"), ("网络", "I"),
              ("大数据", "I"), ("云计算", "I"), ("投资", "J"), ("担保", "J"), ("融资租赁", "J"), ("咨询", "L"), ("广告", "L"), ("人力资源", "L"),
              ("劳务", "L"), ("会展", "L"), ("检测", "M"), ("设计", "M"), ("建筑工程", "E"), ("建设", "E"), ("装饰工程", "E"), ("燃气", "D"),
              ("水务", "D"), ("能源", "D"), ("矿业", "B"), ("农业", "A"), ("农牧", "A"), ("养殖", "A"), ("茶业", "A"), ("教育", "P"),
              ("健康管理", "Q"), ("养老", "Q"), ("文化传媒", "R"), ("旅游开发", "R"), ("家政", "O"), ("环保", "N")]
# (substrings, demo chain name or extra chain name)
CHAINS = [(("建材", "石材", "水泥", "玻璃", "陶瓷", "碳素", "金刚石", "耐火", "超硬", "磨料"), "新型建材"),
          (("纺织", "针织", "服饰", "服装", "丝绸", "家纺", "特种布", "内衣"), "轻纺"),
          (("旅游用品", "工艺品", "保健器材", "体育用品", "户外用品", "饰品"), "旅游产品加工"),
          (("化工", "塑料", "新材料", "复合材料", "橡胶", "涂料"), "尼龙新材料"),
          (("机械", "重工", "机电", "汽车", "模具", "轴承", "阀门", "泵业", "自动化"), "装备制造"),
          (("电子", "半导体", "集成电路", "光电", "通信", "电池"), "电子信息"),
          (("医药", "药业", "生物", "医疗器械", "保健品"), "生物医药"),
          (("食品", "粮油", "面业", "酒业", "饮品"), "食品加工"),
          (("物流", "供应链", "仓储"), "现代物流")]
HMT = {"香港特别行政区": "香港", "澳门特别行政区": "澳门", "台湾省": "台湾"}


def _region_map() -> dict[str, tuple[str, str | None]]:
    """Every region prefix synth writes (province, prefecture, county; a district after its city) → (province, city)."""
    names, rows = division_rows()
    out: dict[str, tuple[str, str | None]] = {}
    for code, name in rows:
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        province = names.get(code[:2] + "0000", name)
        city = names.get(code[:4] + "00")
        if city in (None, "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            city = None
        level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
        if level == 3 and name.endswith("区"):
            parent = names.get(code[:4] + "00")
            if parent in (None, "市辖区"):
                parent = names.get(code[:2] + "0000")
            name = (parent or "") + name
        if level == 1:
            city = None
        elif level == 2:
            city = name
        elif province in ("北京市", "天津市", "上海市", "重庆市"):
            city = province
        out[name] = (HMT.get(province, province), city or None)
    return out


def _derive(names: list[list[str]]) -> list[tuple[str, list[str]]]:
    """The app's own derived columns: search text (names, pinyin, initials) and the blocking keys (≤ 80 chars)."""
    from crm.companies.duplicates import keys_for
    from crm.companies.services import _search_text

    out = []
    for all_names in names:
        keys = sorted({k[:80] for k in keys_for(all_names)})
        out.append((_search_text(all_names), keys))
    return out


def build_companies(ctx: Ctx, taken_codes: set[str]) -> None:
    rng = ctx.rng("companies")
    n = ctx.n(200_000)
    raw = generate(int(n * 1.2) + 100, seed=ctx.seed, dup_share=0.105)
    entities: list[tuple[str, str, list[str]]] = []  # (name, code, variants)
    by_entity: dict[int, int] = {}
    for _id, name, code, entity in raw:
        if entity in by_entity:
            entities[by_entity[entity]][2].append(name)
        elif len(entities) < n:
            by_entity[entity] = len(entities)
            entities.append((name, code, []))
    regions = _region_map()
    chain_by_name = {name: cid for name, cid in ctx.demo["chains"].items()}
    first = ctx.ids.take("companies", len(entities))
    ctx.company_first, ctx.n_companies = first, len(entities)
    staff = [u for members in ctx.members.values() for u in members]
    rows: list[list[Any]] = []
    names_rows, tag_rows, all_names = [], [], []
    for i, (name, code, variants) in enumerate(entities):
        cid = first + i
        region = next((name[:k] for k in range(min(len(name) - 2, 18), 1, -1) if name[:k] in regions), None)
        province, city = regions[region] if region else (None, None)
        rest = name[len(region):] if region else name
        for form in LEGAL_FORMS:
            if rest.endswith(form):
                rest = rest[: -len(form)]
                break
        if code and (code in taken_codes or not is_valid_credit_code(code)):
            code = ""
        taken_codes.add(code)
        if province in ("香港", "澳门", "台湾"):
            ownership, source = Ownership.HMT, FundingSource.HMT
        elif province == "河南省":
            ownership = rng.choices((Ownership.PRIVATE, Ownership.STATE, Ownership.MIXED), (80, 12, 8))[0]
            source = FundingSource.IN_CITY if city == "平顶山市" else FundingSource.IN_PROVINCE
        else:
            ownership = rng.choices((Ownership.PRIVATE, Ownership.STATE, Ownership.MIXED, Ownership.FOREIGN), (76, 9, 8, 7))[0]
            source = FundingSource.FOREIGN if ownership is Ownership.FOREIGN else FundingSource.OTHER_PROVINCE
        category = next((c for key, c in CATEGORIES if key in rest), "C")
        chain = next((chain_by_name.get(cn) for keys, cn in CHAINS if any(key in rest for key in keys)), None)
        if chain is not None and rng.random() < 0.4:
            chain = None
        short = rest if rest and len(rest) <= 30 and rng.random() < 0.18 else None
        capital = money(rng.lognormvariate(7.5, 1.6)) if rng.random() < 0.45 else None
        created = at(rng, rand_day(rng, START, END))
        updated = at(rng, rand_day(rng, created.date(), END)) if rng.random() < 0.3 else created
        second = None
        if variants and variants[0].strip() and variants[0].strip() != name:
            second = variants[0].strip()[:200]
            kind = OtherNameKind.FORMER if rng.random() < 0.3 else OtherNameKind.ALIAS
            names_rows.append((ctx.ids.take("company_names"), cid, second, kind.value, created))
        if rng.random() < 0.04:
            for tag in rng.sample(list(CompanyTag), rng.choice((1, 1, 2))):
                tag_rows.append((cid, tag.value))
        rows.append([cid, name, short, None, code or None, ownership.value if rng.random() < 0.9 else None, province, city,
                     source.value if rng.random() < 0.92 else None, category if rng.random() < 0.9 else None, chain, capital,
                     None, None, "", None, rng.choice(staff) if rng.random() < 0.7 else None, 1, created, updated])
        all_names.append(list(dict.fromkeys([name] + ([second] if second else []) + ([short] if short else []))))
        ctx.company_names.append(name)
        ctx.company_codes.append(code or None)
        ctx.company_province.append(province)
        ctx.company_core.append(rest or name)
        ctx.company_category.append(category)
        ctx.company_chain.append(chain)
        ctx.company_source.append(source.value)
    chunks = [all_names[s : s + 5000] for s in range(0, len(all_names), 5000)]
    # The app's pinyin and blocking keys are the slow part: the workers compute them while the rest is generated.
    pending = ctx.pool.map_async(_derive, chunks) if ctx.pool is not None else None
    ctx.busy_company_id = first  # the most visited company (ids are drawn popular-first)
    ctx.company_rows = (rows, pending if pending is not None else _derive(all_names))
    ctx.add("companies", COMPANY_COLUMNS, rows)  # type: ignore[arg-type]  # lists: the search text is filled in later
    ctx.add("company_names", ["id", "company_id", "name", "kind", "created_at"], names_rows)
    ctx.add("company_tags", ["company_id", "tag"], tag_rows)

    _contacts(ctx)


def finish_companies(ctx: Ctx) -> None:
    """Fill in the search text and blocking keys once the workers are done, and hand the rows over."""
    rows, pending = ctx.company_rows
    derived = pending if isinstance(pending, list) else [d for part in pending.get() for d in part]
    first, key_rows = ctx.company_first, []
    for i, (search_text, keys) in enumerate(derived):
        rows[i][14] = search_text
        key_rows += [(first + i, k) for k in keys]
    ctx.add("company_name_keys", ["company_id", "key"], key_rows)


def _contacts(ctx: Ctx) -> None:
    """60,000 contacts, on the companies most worked with (1–3 each)."""
    rng = ctx.rng("contacts")
    total = ctx.n(60_000)
    rows = []
    index = 0
    while len(rows) < total and index < ctx.n_companies:
        cid = ctx.company_first + index
        index += 1
        for _ in range(rng.choices((1, 2, 3), (55, 35, 10))[0]):
            if len(rows) >= total:
                break
            surname = person(rng)
            name = surname if rng.random() < 0.6 else surname[0] + rng.choice(("总", "经理", "董", "主任"))
            title = rng.choice(("总经理", "董事长", "副总经理", "投资发展部经理", "行政总监", "财务总监", "项目经理", "办公室主任"))
            created = at(rng, rand_day(rng, START, END))
            rows.append((ctx.ids.take("contacts"), cid, name, title, phone(rng) if rng.random() < 0.9 else None,
                         f"{rng.randint(10000, 99999999)}@qq.com" if rng.random() < 0.3 else None,
                         f"wx{rng.randint(100000, 9999999)}" if rng.random() < 0.3 else None, None, rng.random() < 0.95, 1, created, created))
            ctx.contacts_of.setdefault(cid, []).append((name, title))
        if index % 4 == 0:
            index += int(rng.random() * 2)  # not every popular company has a contact on file
    ctx.add("contacts", ["id", "company_id", "name", "title", "phones", "email", "wechat", "notes", "is_active", "version",
                         "created_at", "updated_at"], rows)
