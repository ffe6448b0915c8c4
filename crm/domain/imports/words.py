"""The words county sheets use for each choice, read into the domain's enums.

The first word of each member is the one a downloadable template offers (the label the app shows); the others
are what the 台账 in the seeds and DOMAIN actually say. A word is compared squeezed (full-width → half-width,
no spaces) and lower-cased; a cell that begins with a known word counts too (已开工建设 → 开工). Each enum's
own code (``signed``) is accepted as well, so a file exported from this app reads back.
"""

from __future__ import annotations

from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, Ownership
from crm.domain.imports.values import Choices
from crm.domain.issues import IssueCategory, IssueLevel, IssueSource, IssueStatus
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import FundPurpose, Sector
from crm.domain.visits import LeaderKind, VisitOutcome, VisitType

STAGES = Choices({
    Stage.LEAD: ("线索", "储备", "储备项目", "在库"),
    Stage.TALKS: ("在谈", "洽谈", "洽谈中", "在洽谈", "正在洽谈", "对接中", "意向", "已签意向"),
    Stage.SIGNED: ("签约", "已签约", "签约项目", "已签", "签订合同"),
    Stage.REGISTERED: ("注册", "已注册", "落地", "已落地", "注册落地"),
    Stage.STARTED: ("开工", "在建", "已开工", "新开工", "开工建设", "建设中", "续建", "在建项目", "施工中"),
    Stage.PRODUCING: ("投产", "已投产", "竣工投产", "建成投产", "投产运营"),
    Stage.FULL_CAPACITY: ("达产", "已达产"),
    Stage.PAUSED: ("暂缓", "暂停", "缓建"),
    Stage.TERMINATED: ("中止", "终止", "已中止", "已终止"),
})  # fmt: skip

NATURES = Choices({
    Nature.NEW: ("新建",),
    Nature.EXPANSION: ("扩建", "改扩建"),
    Nature.RENOVATION: ("技改", "技术改造"),
    Nature.CAPITAL_INCREASE: ("增资", "增资扩产"),
})  # fmt: skip

SECTORS = Choices({
    Sector.PRIMARY: ("一产", "第一产业"),
    Sector.SECONDARY: ("二产", "第二产业", "工业"),
    Sector.TERTIARY: ("三产", "第三产业", "服务业"),
})  # fmt: skip

FUNDING_SOURCES = Choices({
    FundingSource.IN_COUNTY: ("县内", "本县"),
    FundingSource.IN_CITY: ("市内县外", "市内"),
    FundingSource.IN_PROVINCE: ("省内市外", "省内"),
    FundingSource.OTHER_PROVINCE: ("省外", "省外（国内）", "国内省外"),
    FundingSource.HMT: ("港澳台", "港澳台资"),
    FundingSource.FOREIGN: ("外国", "国外", "境外"),
})  # fmt: skip

FUND_PURPOSES = Choices({
    FundPurpose.FIXED_ASSETS: ("固定资产", "固定资产投资", "固投"),
    FundPurpose.WORKING_CAPITAL: ("流动资金",),
})  # fmt: skip

OWNERSHIPS = Choices({
    Ownership.STATE: ("国有", "国企", "央企", "地方国企", "国有企业"),
    Ownership.PRIVATE: ("民营", "民企", "私营", "民营企业"),
    Ownership.FOREIGN: ("外资", "外资企业", "外商独资"),
    Ownership.HMT: ("港澳台资", "港资", "台资", "澳资"),
    Ownership.MIXED: ("混合所有制", "混合", "合资"),
})  # fmt: skip

COMPANY_TAGS = Choices({
    CompanyTag.GLOBAL_500: ("世界500强",),
    CompanyTag.CHINA_500: ("中国企业500强", "中国500强"),
    CompanyTag.PRIVATE_500: ("中国民营企业500强", "民营500强", "民企500强"),
    CompanyTag.CENTRAL_SOE: ("央企", "中央企业"),
    CompanyTag.LISTED: ("上市公司", "上市企业", "上市"),
    CompanyTag.INDUSTRY_LEADER: ("行业龙头", "龙头企业", "行业百强"),
    CompanyTag.UNICORN: ("独角兽",),
    CompanyTag.SPECIALISED: ("专精特新",),
    CompanyTag.NATIONAL_100: ("国内100强",),
})  # fmt: skip

INDUSTRIES = Choices({
    IndustryCategory.A: ("A 农、林、牧、渔业", "农林牧渔业", "农业"),
    IndustryCategory.B: ("B 采矿业", "采矿业"),
    IndustryCategory.C: ("C 制造业", "制造业"),
    IndustryCategory.D: ("D 电力、热力、燃气及水生产和供应业", "电力、热力、燃气及水生产和供应业"),
    IndustryCategory.E: ("E 建筑业", "建筑业"),
    IndustryCategory.F: ("F 批发和零售业", "批发和零售业"),
    IndustryCategory.G: ("G 交通运输、仓储和邮政业", "交通运输、仓储和邮政业"),
    IndustryCategory.H: ("H 住宿和餐饮业", "住宿和餐饮业"),
    IndustryCategory.I: ("I 信息传输、软件和信息技术服务业", "信息传输、软件和信息技术服务业"),
    IndustryCategory.J: ("J 金融业", "金融业"),
    IndustryCategory.K: ("K 房地产业", "房地产业"),
    IndustryCategory.L: ("L 租赁和商务服务业", "租赁和商务服务业"),
    IndustryCategory.M: ("M 科学研究和技术服务业", "科学研究和技术服务业"),
    IndustryCategory.N: ("N 水利、环境和公共设施管理业", "水利、环境和公共设施管理业"),
    IndustryCategory.O: ("O 居民服务、修理和其他服务业", "居民服务、修理和其他服务业"),
    IndustryCategory.P: ("P 教育", "教育"),
    IndustryCategory.Q: ("Q 卫生和社会工作", "卫生和社会工作"),
    IndustryCategory.R: ("R 文化、体育和娱乐业", "文化、体育和娱乐业"),
    IndustryCategory.S: ("S 公共管理、社会保障和社会组织", "公共管理、社会保障和社会组织"),
    IndustryCategory.T: ("T 国际组织", "国际组织"),
})  # fmt: skip

LEAD_SOURCES = Choices({
    LeadSource.BUSINESS_REFERRAL: ("以商招商",),
    LeadSource.CHAIN: ("产业链招商", "链式招商"),
    LeadSource.RESIDENT: ("驻地招商", "驻外招商"),
    LeadSource.SQUAD_VISIT: ("小分队上门招商", "小分队招商", "上门招商"),
    LeadSource.LEADER_LED: ("领导带队招商", "领导招商"),
    LeadSource.EXPO: ("展会/节会招商", "展会招商", "节会招商", "展会"),
    LeadSource.AGENT: ("委托招商", "中介招商"),
    LeadSource.ONLINE: ("网络招商", "网上招商"),
    LeadSource.ASSOCIATION: ("商协会招商", "商会招商", "协会招商"),
    LeadSource.PARK: ("专业园区招商", "园区招商"),
    LeadSource.HOMETOWN: ("乡贤回归招商", "乡贤招商", "回归招商"),
    LeadSource.REFERRED_BY_AUTHORITY: ("部门推荐/上级推送", "部门推荐", "上级推送"),
    LeadSource.WALK_IN: ("客商自主来访", "自主来访", "客商来访"),
})  # fmt: skip

LEAD_GRADES = Choices({
    LeadGrade.A: ("A 级", "A级", "甲"),
    LeadGrade.B: ("B 级", "B级", "乙"),
    LeadGrade.C: ("C 级", "C级", "丙"),
})  # fmt: skip

LEAD_STATUSES = Choices({
    LeadStatus.NEW: ("新线索", "新增", "未跟进"),
    LeadStatus.FOLLOWING: ("跟进中", "跟进", "在跟进", "正在跟进"),
    LeadStatus.CONVERTED: ("已转项目", "转项目", "已转化"),
    LeadStatus.ABANDONED: ("已放弃", "放弃"),
})  # fmt: skip

VISIT_TYPES = Choices({
    VisitType.OUTBOUND: ("外出拜访", "外出", "走出去", "上门拜访", "拜访"),
    VisitType.INBOUND: ("客商来访考察", "来访", "考察", "请进来", "来县考察"),
    VisitType.RESIDENT: ("驻点拜访", "驻点"),
    VisitType.EXPO: ("展会/推介会洽谈", "展会洽谈", "推介会", "展会"),
    VisitType.VIDEO: ("视频洽谈", "视频", "线上洽谈"),
    VisitType.LEADER_LED: ("领导带队招商", "领导带队"),
    VisitType.SIGNING: ("签约活动", "签约仪式"),
    VisitType.SERVICE: ("企业服务走访", "企业服务", "服务走访"),
})  # fmt: skip

VISIT_OUTCOMES = Choices({
    VisitOutcome.NEW_LEAD: ("新线索", "获得线索"),
    VisitOutcome.INTENT: ("达成意向", "意向"),
    VisitOutcome.FRAMEWORK: ("签框架协议", "框架协议", "签订框架协议"),
    VisitOutcome.CONTRACT: ("签合同", "签约", "签订合同"),
    VisitOutcome.NONE: ("无", "暂无成果"),
})  # fmt: skip

LEADER_KINDS = Choices({
    LeaderKind.PARTY_GOVERNMENT_HEAD: ("党政主职", "党政主要领导"),
    LeaderKind.BRANCH_CHIEF: ("分局局长", "局长"),
    LeaderKind.OTHER: ("其他",),
})  # fmt: skip

ISSUE_CATEGORIES = Choices({
    IssueCategory.LAND: ("用地报批/征收", "用地", "土地", "用地报批", "征收", "征地"),
    IssueCategory.PLANNING: ("规划",),
    IssueCategory.ENVIRONMENT: ("环评/能评", "环评", "能评"),
    IssueCategory.FINANCING: ("融资/担保", "融资", "担保", "资金"),
    IssueCategory.UTILITIES: ("水电气路", "水电", "供水", "供电", "供气", "道路"),
    IssueCategory.APPROVALS: ("审批手续", "审批", "手续"),
    IssueCategory.RELOCATION: ("拆迁/补偿争议", "拆迁", "补偿"),
    IssueCategory.HIRING: ("招工培训", "招工", "用工"),
    IssueCategory.TALENT: ("人才引进", "人才"),
    IssueCategory.SITE: ("施工环境",),
    IssueCategory.POLICY: ("政策兑现", "政策"),
})  # fmt: skip

ISSUE_SOURCES = Choices({
    IssueSource.WEEKLY_INSPECTION: ("周督查", "督查"),
    IssueSource.COMPANY: ("企业反映", "企业"),
    IssueSource.LEADER_INSTRUCTION: ("领导批示", "批示"),
    IssueSource.DISPATCH_MEETING: ("调度会", "调度"),
})  # fmt: skip

ISSUE_LEVELS = Choices({
    IssueLevel.ZONE: ("集聚区管委会", "管委会"),
    IssueLevel.JOINT_MEETING: ("县发展联席会议", "联席会议", "联席会"),
    IssueLevel.GOVERNMENT: ("县政府常务会", "常务会", "政府常务会"),
    IssueLevel.PARTY: ("县委常委会", "常委会"),
})  # fmt: skip

ISSUE_STATUSES = Choices({
    IssueStatus.NEW: ("待交办", "未交办", "新增"),
    IssueStatus.IN_PROGRESS: ("办理中", "正在办理", "推进中", "未办结"),
    IssueStatus.RESOLVED: ("已办结", "已办结（待销号）", "办结", "已解决"),
    IssueStatus.CLOSED: ("已销号", "销号"),
})  # fmt: skip
