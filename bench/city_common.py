"""Shared pieces of the city generator (``bench/city.py``): the clock, the id counters, random helpers,
text pools and the context that the generator parts fill and read.

Every generated value is deterministic for a given ``--seed`` and ``--scale``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

TODAY = date(2026, 12, 1)  # the benchmark's "today" (the demo is anchored to it as well)
START = date(2024, 1, 1)  # records are created from here …
END = TODAY  # … to here
SPAN_DAYS = (END - START).days
FIRST_PERIOD = "2024-01"
LAST_PERIOD = "2026-11"  # stage events and funds: 2024-01 … 2026-11
MONTHS = 35  # 2024-01 … 2026-11


def period_of(index: int) -> str:
    """Month ``index`` counted from 2024-01 (0) as YYYY-MM."""
    return f"{2024 + index // 12:04d}-{index % 12 + 1:02d}"


def month_index(day: date) -> int:
    return (day.year - 2024) * 12 + day.month - 1


def day_in_month(rng: random.Random, index: int, last: date = TODAY) -> date:
    """A day of month ``index`` (not after ``last``)."""
    year, month = 2024 + index // 12, index % 12 + 1
    first = date(year, month, 1)
    day = first + timedelta(days=rng.randrange(28))
    return min(day, last)


def rand_day(rng: random.Random, lo: date = START, hi: date = END) -> date:
    span = (hi - lo).days
    return lo + timedelta(days=rng.randint(0, max(span, 0)))


def recent_day(rng: random.Random, lo: date = START, hi: date = END, power: float = 1.3) -> date:
    """A day between ``lo`` and ``hi``, more often recent (work grows over the years)."""
    span = (hi - lo).days
    return hi - timedelta(days=int(span * rng.random() ** power))


def at(rng: random.Random, day: date) -> datetime:
    """A UTC moment during office hours of ``day`` in China (08:00–18:00 Beijing = 00:00–10:00 UTC)."""
    return datetime.combine(day, time(rng.randint(0, 9), rng.randint(0, 59), rng.randint(0, 59)), UTC)


def money(value: float) -> Decimal:
    """万元, whole numbers above 100, two places below."""
    if value >= 100:
        return Decimal(round(value))
    return Decimal(f"{max(value, 0.01):.2f}")


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), exactly."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:rest]:
        counts[i] += 1
    return counts


SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆"
            "汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤牛葛")
GIVEN = "建国军华明伟强磊洋勇艳杰娟涛超秀英霞平刚桂芳玲丽敏静燕红鹏飞宇浩然博文思远志海波辉亮晨晓东旭阳新春梅兰凤云鑫宏"
CONTACT_TITLES = ("总经理", "董事长", "副总经理", "投资发展部经理", "行政总监", "财务总监", "项目经理", "办公室主任", "秘书长", "厂长")
CITIES = ("深圳", "东莞", "广州", "佛山", "上海", "苏州", "杭州", "宁波", "温州", "北京", "天津", "厦门", "泉州", "福州", "郑州",
          "洛阳", "许昌", "武汉", "长沙", "成都", "重庆", "西安", "青岛", "济南", "南京", "无锡", "常州", "合肥", "香港", "台北")
REASONS_PAUSE = ("投资方资金链紧张，项目暂缓", "市场行情变化，投资方调整投资计划", "用地指标未落实，暂缓推进", "环评审批未通过，暂缓实施")
REASONS_STOP = ("投资方战略调整，项目终止", "项目不符合产业政策，予以中止", "投资方主体变更，原协议终止", "长期无实质进展，列入中止项目")


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def phone(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))


class Ids:
    """The next explicit id of each table, after what the demo loader left."""

    def __init__(self, start: dict[str, int]) -> None:
        self._next = {table: n + 1 for table, n in start.items()}

    def take(self, table: str, n: int = 1) -> int:
        first = self._next.get(table, 1)
        self._next[table] = first + n
        return first


@dataclass
class County:
    index: int
    name: str
    key: str  # pinyin, for usernames
    unit_id: int
    bureau_id: int
    zone_id: int
    supervision_id: int
    hr_id: int
    ndrc_id: int
    command_ids: list[int]
    branch_ids: list[int]  # 9 分局
    squad_ids: list[int]  # 5 小分队
    admin_id: int = 0
    reviewer_ids: list[int] = field(default_factory=list)
    leader_ids: list[int] = field(default_factory=list)
    lead_units: list[int] = field(default_factory=list)  # 牵头单位 / 责任单位 candidates

    @property
    def work_units(self) -> list[int]:
        return self.branch_ids + self.squad_ids


@dataclass
class Ctx:
    """What the parts share. Rows are kept as (columns, list of tuples) per table until written."""

    scale: float
    seed: int
    ids: Ids
    demo: dict[str, Any]  # ids of the demo's accounts, units and records
    password_hash: str = ""
    city_id: int = 0
    city_bureau_id: int = 0
    counties: list[County] = field(default_factory=list)
    county_of_unit: dict[int, County] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # work unit -> staff and chief ids
    chief_of: dict[int, int] = field(default_factory=dict)
    user_label: dict[int, str] = field(default_factory=dict)  # "display (username)" for audit rows
    user_unit: dict[int, int] = field(default_factory=dict)
    unit_names: dict[int, str] = field(default_factory=dict)
    chain_ids: list[int] = field(default_factory=list)
    company_first: int = 0  # generated companies are company_first … company_first + n_companies - 1
    n_companies: int = 0
    company_names: list[str] = field(default_factory=list)  # by index
    company_codes: list[str | None] = field(default_factory=list)
    company_province: list[str | None] = field(default_factory=list)
    company_core: list[str] = field(default_factory=list)  # 字号 + 行业 (the name without region and legal form)
    company_category: list[str | None] = field(default_factory=list)
    company_chain: list[int | None] = field(default_factory=list)
    company_source: list[str | None] = field(default_factory=list)
    contacts_of: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # company id -> (name, title)
    busy_company_id: int = 0
    busy_project_id: int = 0
    rows: dict[str, tuple[list[str], list[tuple]]] = field(default_factory=dict)
    pool: Any = None  # worker processes for the app's derived company columns
    company_rows: Any = None
    project_rows: list[list[Any]] = field(default_factory=list)
    # what later parts need about earlier records
    leads: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the scopes were filled, for the report

    def n(self, full: int) -> int:
        """A count at this scale."""
        return max(0, round(full * self.scale))

    def rng(self, part: str) -> random.Random:
        return random.Random(f"{self.seed}:{part}")

    def add(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if table in self.rows:
            have, existing = self.rows[table]
            if have != columns:
                raise ValueError(f"{table}: columns differ between parts")
            existing.extend(rows)
        else:
            self.rows[table] = (columns, rows)

    def company_id(self, rng: random.Random, power: float = 1.6) -> int:
        """A generated company, popular ones (low ids) more often."""
        return self.company_first + int(self.n_companies * rng.random() ** power)

    def company_name(self, company_id: int) -> str:
        return self.company_names[company_id - self.company_first]

    def core(self, company_id: int) -> str:
        return self.company_core[company_id - self.company_first]
