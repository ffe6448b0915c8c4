"""The kinds of sheet a county keeps, the fields of each, and the header words that name a field.

The first header of a field is the one a downloadable template prints; the others are what real 台账 say
(DOMAIN, the seed reports). Headers are compared by ``header_key``: squeezed, without a unit in brackets
(总投资（亿元） is 总投资), without the * a template puts on required columns and without colons.
Field names are the model's where the model has the field (``total_investment``, ``signed_month``); people,
units and companies stay names (``owner``, ``unit``, ``investor``) for the next layer to look up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from crm.domain.imports import words
from crm.domain.imports.values import Choices, squeeze


class Kind(StrEnum):
    COMPANIES = "companies"  # 企业名录 (with a contact per row)
    LEADS = "leads"  # 线索台账
    PROJECTS = "projects"  # 项目台账
    VISITS = "visits"  # 走访记录
    FUNDS = "funds"  # 到位资金, one row per month or one column per month
    ISSUES = "issues"  # 问题台账


class Type(StrEnum):
    TEXT = "text"
    NAMES = "names"  # 张三、李四
    AMOUNT = "amount"  # 万元 (外资: 万美元)
    AMOUNT_RANGE = "amount_range"  # 拟投资额: 1-2亿
    NUMBER = "number"  # 亩
    INTEGER = "integer"  # 人
    DAY = "day"  # a month alone means its first day
    DEADLINE = "deadline"  # a month alone means its last day
    MONTH = "month"  # YYYY-MM
    CHOICE = "choice"
    CHOICES = "choices"  # several in one cell
    YES_NO = "yes_no"
    CREDIT_CODE = "credit_code"


@dataclass(frozen=True)
class Field:
    name: str
    headers: tuple[str, ...]
    type: Type = Type.TEXT
    choices: Choices | None = None
    required: bool = False
    max_length: int | None = None  # the model column's length
    suffix: str = ""  # a NUMBER's unit people write after it (120亩)

    @property
    def label(self) -> str:
        return self.headers[0]


def _f(name: str, *headers: str, **options: object) -> Field:
    return Field(name, headers, **options)  # type: ignore[arg-type]


# Shared by several kinds.
UNIT = ("所属单位", "责任单位", "招商单位", "跟踪单位", "承办单位", "填报单位", "单位")
INVESTOR = ("投资方", "投资主体", "企业名称", "客商", "客商名称", "客商单位", "投资企业", "投资商", "外来投资方", "签约企业", "项目单位", "投资单位")
PHONE = ("联系电话", "电话", "手机", "手机号", "联系方式")
CONTACT = ("联系人", "联系人姓名", "企业联系人")

PROJECT_FIELDS = (
    _f("name", "项目名称", "项目", "项目名", required=True, max_length=120),
    _f("investor", *INVESTOR, required=True, max_length=200),
    _f("local_investor", "本地投资方", "本地企业", max_length=200),
    _f("credit_code", "统一社会信用代码", "社会信用代码", "信用代码", type=Type.CREDIT_CODE),
    _f("construction", "建设内容", "主要建设内容", "建设规模及内容", "建设规模及主要内容", "项目内容", "建设规模"),
    _f("stage", "项目阶段", "阶段", "所处阶段", "项目状态", "进展阶段", "进展情况", type=Type.CHOICE, choices=words.STAGES),
    _f("nature", "项目性质", "建设性质", type=Type.CHOICE, choices=words.NATURES),
    _f("total_investment", "总投资", "计划总投资", "投资总额", "项目总投资", "总投资额", "协议投资额", type=Type.AMOUNT),
    _f("first_phase_investment", "一期投资", "一期投资额", type=Type.AMOUNT),
    _f("contracted_amount", "合同引资额", "合同引资", "引资额", "合同外资金额", type=Type.AMOUNT),
    _f("out_of_province_amount", "其中省外资金", "省外资金", "其中省外", type=Type.AMOUNT),
    _f("foreign_capital", "外资", "利用外资", "其中外资", type=Type.AMOUNT),
    _f("funding_source", "资金来源地", "资金来源", "来源地", type=Type.CHOICE, choices=words.FUNDING_SOURCES),
    _f("industry_category", "行业门类", "国民经济行业", type=Type.CHOICE, choices=words.INDUSTRIES),
    _f("sector", "三次产业", "产业类型", type=Type.CHOICE, choices=words.SECTORS),
    _f("chain", "产业链", "所属产业链", "主导产业链", "产业", "行业", "所属产业", "所属行业", "产业类别", "行业类别"),
    _f("site", "建设地点", "项目地点", "建设地址", "园区", "落地园区", "所在园区", max_length=120),
    _f("land_mu", "用地", "用地面积", "占地面积", "占地", type=Type.NUMBER, suffix="亩"),
    _f("is_key", "是否重点项目", "重点项目", "是否重点", type=Type.YES_NO),
    _f("planned_start_on", "计划开工时间", "计划开工", "计划开工日期", type=Type.DAY),
    _f("planned_production_on", "计划投产时间", "计划投产", "计划投产日期", type=Type.DAY),
    _f("talks_month", "洽谈时间", "对接时间", type=Type.MONTH),
    _f("signed_month", "签约时间", "签约日期", "签约月份", "签约", type=Type.MONTH),
    _f("registered_month", "注册时间", "注册日期", "落地时间", type=Type.MONTH),
    _f("start_month", "开工时间", "开工日期", "实际开工时间", "开工", type=Type.MONTH),
    _f("production_month", "投产时间", "投产日期", "实际投产时间", "投产", type=Type.MONTH),
    _f("registered_name", "工商注册名称", "注册名称", "注册企业名称", max_length=200),
    _f("registration_number", "工商注册号", "注册号", max_length=40),
    _f("registered_capital", "注册资本", "注册资金", type=Type.AMOUNT),
    _f("legal_representative", "法人代表", "法定代表人", max_length=60),
    _f("capacity", "已形成产能", "产能", max_length=200),
    _f("monthly_sales", "月销售收入", "月销售额", type=Type.AMOUNT),
    _f("monthly_tax", "月税收", "月纳税", type=Type.AMOUNT),
    _f("employees", "用工人数", "用工", "从业人员", "就业人数", type=Type.INTEGER, suffix="人"),
    _f("unit", *UNIT),
    _f("lead_unit", "牵头单位", "牵头部门"),
    _f("owner", "跟踪人", "项目负责人", "跟踪责任人", "负责人", "责任人"),
    _f("leaders", "分包县级领导", "分包领导", "县级分包领导", "包联领导", "县级领导", type=Type.NAMES),
    _f("contact_name", *CONTACT),
    _f("contact_phone", *PHONE),
    _f("notes", "备注", "说明"),
)

COMPANY_FIELDS = (
    _f("name", "企业名称", "公司名称", "客商名称", "企业", "单位名称", "名称", "投资方", required=True, max_length=200),
    _f("short_name", "简称", "企业简称", max_length=60),
    _f("english_name", "英文名称", max_length=200),
    _f("credit_code", "统一社会信用代码", "社会信用代码", "信用代码", type=Type.CREDIT_CODE),
    _f("ownership", "所有制", "企业性质", "经济类型", "所有制性质", type=Type.CHOICE, choices=words.OWNERSHIPS),
    _f("tags", "企业标签", "标签", "企业类型", type=Type.CHOICES, choices=words.COMPANY_TAGS),
    _f("hq_province", "总部所在省", "所在省份", "省份", "所在省", max_length=20),
    _f("hq_city", "总部所在市", "所在城市", "城市", "所在市", max_length=30),
    _f("funding_source", "资金来源地", "来源地", type=Type.CHOICE, choices=words.FUNDING_SOURCES),
    _f("industry_category", "行业门类", "所属行业", "行业", type=Type.CHOICE, choices=words.INDUSTRIES),
    _f("chain", "产业链", "所属产业链"),
    _f("registered_capital", "注册资本", "注册资金", type=Type.AMOUNT),
    _f("website", "网址", "官网", "企业网址", max_length=200),
    _f("contact_name", *CONTACT, max_length=60),
    _f("contact_title", "职务", "联系人职务", max_length=60),
    _f("contact_phone", *PHONE, max_length=120),
    _f("contact_email", "邮箱", "电子邮箱", "email", max_length=120),
    _f("contact_wechat", "微信", "微信号", max_length=60),
    _f("notes", "备注", "说明"),
)

LEAD_FIELDS = (
    _f("name", "线索名称", "项目名称", "线索", "项目", required=True, max_length=120),
    _f("investor", *INVESTOR, required=True, max_length=200),
    _f("source", "来源方式", "招商方式", "线索来源", "来源", type=Type.CHOICE, choices=words.LEAD_SOURCES),
    _f("referrer", "引荐人", "引荐单位", "引荐人/引荐单位", "信息提供人", "信息来源人", max_length=120),
    _f("amount", "拟投资额", "投资额", "计划投资", "拟投资", "总投资", type=Type.AMOUNT_RANGE),
    _f("construction", "建设内容", "项目内容", "投资内容"),
    _f("land_mu", "用地需求", "用地", "需求用地", type=Type.NUMBER, suffix="亩"),
    _f("expected_output", "预计年产值", "年产值", type=Type.AMOUNT),
    _f("expected_tax", "预计年税收", "年税收", type=Type.AMOUNT),
    _f("chain", "产业链", "所属产业链", "产业", "行业", "所属行业"),
    _f("grade", "等级", "线索等级", "级别", type=Type.CHOICE, choices=words.LEAD_GRADES),
    _f("received_on", "接收日期", "获取时间", "获取日期", "信息获取时间", "录入日期", "收集时间", type=Type.DAY),
    _f("assessment", "研判结论", "研判意见", "研判情况"),
    _f("status", "线索状态", "状态", "跟进状态", type=Type.CHOICE, choices=words.LEAD_STATUSES),
    _f("abandon_reason", "放弃原因", max_length=500),
    _f("next_follow_up_on", "下次跟进日期", "下次跟进时间", type=Type.DAY),
    _f("unit", "跟进单位", *UNIT),
    _f("owner", "跟进人", "负责人", "责任人"),
    _f("contact_name", *CONTACT),
    _f("contact_phone", *PHONE),
    _f("notes", "备注", "跟进情况", "进展情况"),
)

VISIT_FIELDS = (
    _f("start_on", "走访日期", "开始日期", "出发日期", "走访时间", "日期", "时间", type=Type.DAY, required=True),
    _f("end_on", "结束日期", "返回日期", type=Type.DAY),
    _f("type", "走访类型", "类型", "走访方式", "方式", type=Type.CHOICE, choices=words.VISIT_TYPES),
    _f("destination", "目的地", "走访地点", "地点", "城市", max_length=120),
    _f("company", "走访企业", "拜访企业", "企业名称", "客商", "洽谈企业", max_length=200),
    _f("contact_name", "会见人", "接洽人", "对接人", "联系人", max_length=60),
    _f("contact_title", "职务", "会见人职务", max_length=60),
    _f("leader", "带队领导", "带队人"),
    _f("leader_kind", "领导类型", "带队领导类型", type=Type.CHOICE, choices=words.LEADER_KINDS),
    _f("participants", "参加人员", "参与人员", "随行人员", "走访人员", type=Type.NAMES),
    _f("outcome", "走访成果", "成果", "洽谈成果", type=Type.CHOICE, choices=words.VISIT_OUTCOMES),
    _f("notes", "纪要", "洽谈内容", "走访内容", "主要内容", "备注"),
    _f("unit", "走访单位", *UNIT),
    _f("lead", "关联线索", "线索"),
)

FUND_FIELDS = (
    _f("project", "项目名称", "项目", required=True),
    _f("investor", *INVESTOR),
    _f("period", "月份", "到位月份", "期间", "统计月份", "到位时间", type=Type.MONTH),
    _f("amount", "本期到位", "本月到位", "到位资金", "到位金额", "本月到位资金", "到位额", type=Type.AMOUNT),
    _f("source", "来源地", "资金来源地", "资金来源", type=Type.CHOICE, choices=words.FUNDING_SOURCES),
    _f("purpose", "用途", "资金用途", type=Type.CHOICE, choices=words.FUND_PURPOSES),
    _f("note", "备注", "说明", max_length=500),
    _f("unit", *UNIT),
)

ISSUE_FIELDS = (
    _f("number", "编号", "问题编号", max_length=20),
    _f("project", "项目名称", "所属项目", "项目"),
    _f("description", "问题描述", "存在问题", "问题内容", "主要问题", "问题", required=True),
    _f("category", "问题类别", "类别", "问题类型", type=Type.CHOICE, choices=words.ISSUE_CATEGORIES),
    _f("source", "问题来源", "来源", type=Type.CHOICE, choices=words.ISSUE_SOURCES),
    _f("raised_on", "提出日期", "提出时间", "发现时间", "交办日期", type=Type.DAY),
    _f("responsible_unit", "责任单位", "承办单位", "牵头单位", required=True),
    _f("responsible_person", "负责人", "责任人", required=True, max_length=60),
    _f("deadline", "办理期限", "完成时限", "时限要求", "办结时限", "完成时间", type=Type.DEADLINE, required=True),
    _f("leaders", "分包领导", "分包县级领导", "县级领导", type=Type.NAMES),
    _f("level", "协调层级", "层级", type=Type.CHOICE, choices=words.ISSUE_LEVELS),
    _f("status", "办理状态", "状态", type=Type.CHOICE, choices=words.ISSUE_STATUSES),
    _f("long_term", "长期跟踪", "是否长期跟踪", type=Type.YES_NO),
    _f("resolved_on", "办结日期", "办结时间", type=Type.DAY),
    _f("closed_on", "销号日期", "销号时间", type=Type.DAY),
    _f("progress", "办理情况", "进展情况", "推进情况", "落实情况"),
    _f("unit", "所属单位", "填报单位"),
)

FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.PROJECTS: PROJECT_FIELDS,
    Kind.COMPANIES: COMPANY_FIELDS,
    Kind.LEADS: LEAD_FIELDS,
    Kind.VISITS: VISIT_FIELDS,
    Kind.FUNDS: FUND_FIELDS,
    Kind.ISSUES: ISSUE_FIELDS,
}

# Known headers that name nothing to import; they still tell the header row from a title.
IGNORED_HEADERS = ("序号", "排序", "编号", "No.", "No")

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


def header_key(text: str) -> str:
    """What a header is compared by: 总投资（亿元）, ＊总投资 and 总投资： are all 总投资."""
    key = _BRACKETED.sub("", squeeze(text))
    return key.replace("*", "").replace(":", "").lower()


def field_named(kind: Kind, name: str) -> Field:
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(f"{kind} has no field {name!r}")


@cache
def headers_of(kind: Kind) -> dict[str, str | None]:
    """header key → field name (None for a known header that imports nothing); the first field to claim a
    header keeps it (项目 is the project's name, not a lead's)."""
    found: dict[str, str | None] = {}
    for spec in FIELDS[kind]:
        for header in spec.headers:
            found.setdefault(header_key(header), spec.name)
    for header in IGNORED_HEADERS:
        found.setdefault(header_key(header), None)
    return found
