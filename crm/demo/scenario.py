"""The 鲁山县 demo scenario (DOMAIN §d) as data: units and accounts.

Titles only for leaders, no personal names (DOMAIN). The nine 分局 and five
小分队 labels are the invented ones of DOMAIN.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.domain.access import Role
from crm.domain.units import LeaderTitle, UnitType

DEMO_PASSWORD = "zhaoshang2025"
COUNTY = "鲁山县"
BUREAU = "鲁山县招商局"


@dataclass(frozen=True)
class DemoUnit:
    key: str
    name: str
    type: UnitType
    parent: str | None
    short_name: str | None = None
    head_title: str | None = None


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    unit: str
    title: LeaderTitle | None = None
    title_note: str | None = None


CHINESE_ORDINALS = "一二三四五六七八九"
BRANCH_SECTORS = ["新型建材", "石材", "轻纺服装", "旅游产品加工", "装备制造", "食品农副", "现代服务业", "港澳台及外资", "商会联络"]
SQUAD_REGIONS = ["珠三角（东莞/深圳）", "长三角", "京津冀", "闽台", "港澳"]
SERVICE_UNITS = [("鲁山县自然资源局", "县自然资源局"), ("鲁山县住房和城乡建设局", "县住建局"), ("鲁山县市场监督管理局", "县市场监管局"),
                 ("鲁山县税务局", "县税务局"), ("国网鲁山县供电公司", "县供电公司")]
COMMANDS = ["招商选资指挥部", "土地综合利用指挥部", "规划建设管理指挥部", "新型社区建设指挥部"]

UNITS: list[DemoUnit] = [
    DemoUnit("county", COUNTY, UnitType.COUNTY, None, head_title="县长"),
    DemoUnit("bureau", BUREAU, UnitType.BUREAU, "county", short_name="县招商局", head_title="局长"),
    DemoUnit("zone", "鲁山县产业集聚区管委会", UnitType.ZONE_OFFICE, "county", short_name="管委会", head_title="主任"),
    DemoUnit("supervision", "效能监察办公室", UnitType.DEPARTMENT, "county", head_title="主任"),
    DemoUnit("hr", "鲁山县人力资源和社会保障局", UnitType.DEPARTMENT, "county", short_name="县人社局", head_title="局长"),
    DemoUnit("ndrc", "鲁山县发展和改革委员会", UnitType.DEPARTMENT, "county", short_name="县发改委", head_title="主任"),
    *[DemoUnit(f"command{i + 1}", name, UnitType.COMMAND, "county", head_title="指挥长") for i, name in enumerate(COMMANDS)],
    *[
        DemoUnit(f"branch{i + 1}", f"第{CHINESE_ORDINALS[i]}招商分局", UnitType.BRANCH, "bureau", short_name=sector, head_title="局长")
        for i, sector in enumerate(BRANCH_SECTORS)
    ],
    *[
        DemoUnit(f"squad{i + 1}", f"{region}招商小分队", UnitType.SQUAD, "bureau", head_title="队长")
        for i, region in enumerate(SQUAD_REGIONS)
    ],
    # 服务单位 of the 行风评议 (crm/demo/ratings.py): the offices a project deals with for land, permits and power.
    *[DemoUnit(f"service{i + 1}", name, UnitType.SERVICE, "county", short_name=short, head_title="局长")
      for i, (name, short) in enumerate(SERVICE_UNITS)],
]

ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin", "系统管理员", Role.ADMIN, "county"),
    DemoAccount("reviewer", "县招商局审核员", Role.REVIEWER, "bureau"),
    DemoAccount("leader", "县长", Role.LEADER, "county", LeaderTitle.COUNTY_HEAD),
    DemoAccount("leader2", "副县长（分管招商）", Role.LEADER, "county", LeaderTitle.DEPUTY_HEAD, "分管招商"),
    DemoAccount("secretary", "县委书记", Role.LEADER, "county", LeaderTitle.PARTY_SECRETARY),
    DemoAccount("exec_deputy", "常务副县长", Role.LEADER, "county", LeaderTitle.EXECUTIVE_DEPUTY),
    DemoAccount("deputy_industry", "副县长（分管工业）", Role.LEADER, "county", LeaderTitle.DEPUTY_HEAD, "分管工业"),
    DemoAccount("standing", "县委常委", Role.LEADER, "county", LeaderTitle.STANDING_COMMITTEE),
    DemoAccount("chief1", "第一招商分局局长", Role.CHIEF, "branch1"),
    DemoAccount("staff1", "第一招商分局专员", Role.STAFF, "branch1"),
    DemoAccount("staff2", "第二招商分局专员", Role.STAFF, "branch2"),
]

# Shown by `make run` and in README.
DEMO_LOGINS = [(a.username, a.display_name) for a in ACCOUNTS if a.username in {"admin", "reviewer", "leader", "leader2", "chief1", "staff1", "staff2"}]
