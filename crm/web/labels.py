"""Display labels for the domain's enum codes (translated; the domain stores codes)."""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import Any, Callable

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from crm.domain.access import Role
from crm.domain.admission import Outcome as AdmissionOutcome
from crm.domain.admission import ReviewStatus as AdmissionStatus
from crm.domain.aftercare import RequestKind, RequestStatus, Satisfaction
from crm.domain.approvals import ProcedureStatus
from crm.domain.zones import BuildingStatus
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.domain.channels import ChannelKind
from crm.domain.compliance import ComplianceStatus
from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, OtherNameKind, Ownership
from crm.domain.kpi import Indicator, TargetScope
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.domain.imports.fields import Kind as ImportKind
from crm.domain.issues import IssueActionKind, IssueCategory, IssueLevel, IssueSource, IssueStatus
from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import FundPurpose, MilestoneKind, MilestoneStatus, Rag, ReviewStatus, Sector
from crm.domain.units import LeaderTitle, UnitType
from crm.domain.visits import LeaderKind, VisitOutcome, VisitType

# (member, label) pairs. Not a dict keyed by member: StrEnum members of different enums with the same
# value ("contract", "hmt", "A" …) compare equal and would overwrite each other.
_PAIRS: list[tuple[Enum, Any]] = [
    (Role.STAFF, _l("招商专员")),
    (Role.CHIEF, _l("分局长")),
    (Role.REVIEWER, _l("审核员")),
    (Role.LEADER, _l("县级领导")),
    (Role.ADMIN, _l("管理员")),
    (ChannelKind.WECOM, _l("企业微信群机器人")),
    (ComplianceStatus.ON_SCHEDULE, _l("按期")),
    (ComplianceStatus.LATE_START, _l("逾期未开工")),
    (ComplianceStatus.LATE_PRODUCTION, _l("逾期未投产")),
    (ComplianceStatus.INTENSITY_SHORT, _l("投资强度未达")),
    (ComplianceStatus.TAX_SHORT, _l("税收未达")),
    (ComplianceStatus.JOBS_SHORT, _l("用工未达")),
    (BuildingStatus.PLANNED, _l("前期")),
    (BuildingStatus.BUILDING, _l("在建")),
    (BuildingStatus.BUILT, _l("建成")),
    (RequestKind.REQUEST, _l("诉求")),
    (RequestKind.COMPLAINT, _l("投诉")),
    (RequestStatus.ACCEPTED, _l("已受理")),
    (RequestStatus.HANDLING, _l("办理中")),
    (RequestStatus.DONE, _l("已办结")),
    (RequestStatus.REVISITED, _l("已回访")),
    (ProcedureStatus.PENDING, _l("未开始")),
    (ProcedureStatus.HANDLING, _l("办理中")),
    (ProcedureStatus.DONE, _l("已办结")),
    (ProcedureStatus.NOT_APPLICABLE, _l("不适用")),
    (Satisfaction.SATISFIED, _l("满意")),
    (Satisfaction.MOSTLY, _l("基本满意")),
    (Satisfaction.UNSATISFIED, _l("不满意")),
    (ChannelKind.DINGTALK, _l("钉钉群机器人")),
    (AdmissionStatus.AWAITING_JOINT, _l("待会审")),
    (AdmissionStatus.PRELIM_REJECTED, _l("初审未通过")),
    (AdmissionStatus.DECIDED, _l("已会审")),
    (AdmissionOutcome.PASSED, _l("通过")),
    (AdmissionOutcome.CONDITIONAL, _l("有条件通过")),
    (AdmissionOutcome.REJECTED, _l("不通过")),
    (UnitType.PROVINCE, _l("省")),
    (UnitType.CITY, _l("市")),
    (UnitType.COUNTY, _l("县（区）")),
    (UnitType.BUREAU, _l("招商局")),
    (UnitType.BRANCH, _l("招商分局")),
    (UnitType.SQUAD, _l("招商小分队")),
    (UnitType.COMMAND, _l("指挥部")),
    (UnitType.ZONE_OFFICE, _l("管委会内设局办")),
    (UnitType.DEPARTMENT, _l("县直部门")),
    (UnitType.TOWNSHIP, _l("乡镇/街道")),
    (UnitType.SERVICE, _l("服务单位")),
    (LeaderTitle.PARTY_SECRETARY, _l("县委书记")),
    (LeaderTitle.COUNTY_HEAD, _l("县长")),
    (LeaderTitle.EXECUTIVE_DEPUTY, _l("常务副县长")),
    (LeaderTitle.DEPUTY_HEAD, _l("副县长")),
    (LeaderTitle.STANDING_COMMITTEE, _l("县委常委")),
    (LeaderTitle.PEOPLES_CONGRESS_DEPUTY, _l("县人大常委会副主任")),
    (LeaderTitle.CPPCC_DEPUTY, _l("县政协副主席")),
    (Ownership.STATE, _l("国有（央企/地方国企）")),
    (Ownership.PRIVATE, _l("民营")),
    (Ownership.FOREIGN, _l("外资")),
    (Ownership.HMT, _l("港澳台资")),
    (Ownership.MIXED, _l("混合所有制")),
    (CompanyTag.GLOBAL_500, _l("世界500强")),
    (CompanyTag.CHINA_500, _l("中国企业500强")),
    (CompanyTag.PRIVATE_500, _l("中国民营企业500强")),
    (CompanyTag.CENTRAL_SOE, _l("央企")),
    (CompanyTag.LISTED, _l("上市公司")),
    (CompanyTag.INDUSTRY_LEADER, _l("行业龙头")),
    (CompanyTag.UNICORN, _l("独角兽")),
    (CompanyTag.SPECIALISED, _l("专精特新")),
    (CompanyTag.NATIONAL_100, _l("国内100强")),
    (FundingSource.IN_COUNTY, _l("县内")),
    (FundingSource.IN_CITY, _l("市内县外")),
    (FundingSource.IN_PROVINCE, _l("省内市外")),
    (FundingSource.OTHER_PROVINCE, _l("省外（国内）")),
    (FundingSource.HMT, _l("港澳台")),
    (FundingSource.FOREIGN, _l("外国")),
    (IndustryCategory.A, _l("A 农、林、牧、渔业")),
    (IndustryCategory.B, _l("B 采矿业")),
    (IndustryCategory.C, _l("C 制造业")),
    (IndustryCategory.D, _l("D 电力、热力、燃气及水生产和供应业")),
    (IndustryCategory.E, _l("E 建筑业")),
    (IndustryCategory.F, _l("F 批发和零售业")),
    (IndustryCategory.G, _l("G 交通运输、仓储和邮政业")),
    (IndustryCategory.H, _l("H 住宿和餐饮业")),
    (IndustryCategory.I, _l("I 信息传输、软件和信息技术服务业")),
    (IndustryCategory.J, _l("J 金融业")),
    (IndustryCategory.K, _l("K 房地产业")),
    (IndustryCategory.L, _l("L 租赁和商务服务业")),
    (IndustryCategory.M, _l("M 科学研究和技术服务业")),
    (IndustryCategory.N, _l("N 水利、环境和公共设施管理业")),
    (IndustryCategory.O, _l("O 居民服务、修理和其他服务业")),
    (IndustryCategory.P, _l("P 教育")),
    (IndustryCategory.Q, _l("Q 卫生和社会工作")),
    (IndustryCategory.R, _l("R 文化、体育和娱乐业")),
    (IndustryCategory.S, _l("S 公共管理、社会保障和社会组织")),
    (IndustryCategory.T, _l("T 国际组织")),
    (LeadSource.BUSINESS_REFERRAL, _l("以商招商")),
    (LeadSource.CHAIN, _l("产业链招商")),
    (LeadSource.RESIDENT, _l("驻地招商")),
    (LeadSource.SQUAD_VISIT, _l("小分队上门招商")),
    (LeadSource.LEADER_LED, _l("领导带队招商")),
    (LeadSource.EXPO, _l("展会/节会招商")),
    (LeadSource.AGENT, _l("委托招商")),
    (LeadSource.ONLINE, _l("网络招商")),
    (LeadSource.ASSOCIATION, _l("商协会招商")),
    (LeadSource.PARK, _l("专业园区招商")),
    (LeadSource.HOMETOWN, _l("乡贤回归招商")),
    (LeadSource.REFERRED_BY_AUTHORITY, _l("部门推荐/上级推送")),
    (LeadSource.WALK_IN, _l("客商自主来访")),
    (LeadGrade.A, _l("A 级")),
    (LeadGrade.B, _l("B 级")),
    (LeadGrade.C, _l("C 级")),
    (LeadStatus.NEW, _l("新线索")),
    (LeadStatus.FOLLOWING, _l("跟进中")),
    (LeadStatus.CONVERTED, _l("已转项目")),
    (LeadStatus.ABANDONED, _l("已放弃")),
    (AgreementType.INTENT, _l("投资意向书")),
    (AgreementType.FRAMEWORK, _l("投资框架协议")),
    (AgreementType.CONTRACT, _l("正式投资合同/投资协议书")),
    (AgreementType.SUPPLEMENT, _l("补充协议")),
    (AgreementType.CAPITAL_INCREASE, _l("增资协议")),
    (AgreementType.AGENCY, _l("委托招商协议")),
    (AgreementStatus.ACTIVE, _l("有效")),
    (AgreementStatus.TERMINATED, _l("终止")),
    (VisitType.OUTBOUND, _l("外出拜访")),
    (VisitType.INBOUND, _l("客商来访考察")),
    (VisitType.RESIDENT, _l("驻点拜访")),
    (VisitType.EXPO, _l("展会/推介会洽谈")),
    (VisitType.VIDEO, _l("视频洽谈")),
    (VisitType.LEADER_LED, _l("领导带队招商")),
    (VisitType.SIGNING, _l("签约活动")),
    (VisitType.SERVICE, _l("企业服务走访")),
    (VisitOutcome.NEW_LEAD, _l("新线索")),
    (VisitOutcome.INTENT, _l("达成意向")),
    (VisitOutcome.FRAMEWORK, _l("签框架协议")),
    (VisitOutcome.CONTRACT, _l("签合同")),
    (VisitOutcome.NONE, _l("无")),
    (LeaderKind.PARTY_GOVERNMENT_HEAD, _l("党政主职")),
    (LeaderKind.BRANCH_CHIEF, _l("分局局长")),
    (LeaderKind.OTHER, _l("其他")),
    (Stage.LEAD, _l("线索")),
    (Stage.TALKS, _l("在谈")),
    (Stage.SIGNED, _l("签约")),
    (Stage.REGISTERED, _l("注册")),
    (Stage.STARTED, _l("开工")),
    (Stage.PRODUCING, _l("投产")),
    (Stage.FULL_CAPACITY, _l("达产")),
    (Stage.PAUSED, _l("暂缓")),
    (Stage.TERMINATED, _l("中止")),
    (Nature.NEW, _l("新建")),
    (Nature.EXPANSION, _l("扩建")),
    (Nature.RENOVATION, _l("技改")),
    (Nature.CAPITAL_INCREASE, _l("增资")),
    (OtherNameKind.FORMER, _l("曾用名")),
    (OtherNameKind.ALIAS, _l("其他写法")),
    (OtherNameKind.MERGED, _l("合并来源")),
    (ReviewStatus.DRAFT, _l("已保存")),
    (ReviewStatus.PENDING, _l("审核中")),
    (ReviewStatus.APPROVED, _l("审核通过")),
    (ReviewStatus.REJECTED, _l("审核未通过")),
    (Sector.PRIMARY, _l("一产")),
    (Sector.SECONDARY, _l("二产")),
    (Sector.TERTIARY, _l("三产")),
    (FundPurpose.FIXED_ASSETS, _l("固定资产")),
    (FundPurpose.WORKING_CAPITAL, _l("流动资金")),
    (MilestoneKind.REGISTRATION, _l("注册")),
    (MilestoneKind.LAND, _l("供地摘牌")),
    (MilestoneKind.PLANNING_PERMIT, _l("规划许可")),
    (MilestoneKind.CONSTRUCTION_PERMIT, _l("施工许可")),
    (MilestoneKind.GROUNDBREAKING, _l("开工")),
    (MilestoneKind.TOPPING_OUT, _l("主体封顶")),
    (MilestoneKind.EQUIPMENT, _l("设备安装")),
    (MilestoneKind.TRIAL_PRODUCTION, _l("试生产")),
    (MilestoneKind.PRODUCTION, _l("投产")),
    (MilestoneStatus.NOT_STARTED, _l("未开始")),
    (MilestoneStatus.IN_PROGRESS, _l("进行中")),
    (MilestoneStatus.DONE, _l("已完成")),
    (MilestoneStatus.OVERDUE, _l("逾期")),
    (Rag.RED, _l("红")),
    (Rag.AMBER, _l("黄")),
    (Rag.GREEN, _l("绿")),
    (IssueCategory.LAND, _l("用地报批/征收")),
    (IssueCategory.PLANNING, _l("规划")),
    (IssueCategory.ENVIRONMENT, _l("环评/能评")),
    (IssueCategory.FINANCING, _l("融资/担保")),
    (IssueCategory.UTILITIES, _l("水电气路")),
    (IssueCategory.APPROVALS, _l("审批手续")),
    (IssueCategory.RELOCATION, _l("拆迁/补偿争议")),
    (IssueCategory.HIRING, _l("招工培训")),
    (IssueCategory.TALENT, _l("人才引进")),
    (IssueCategory.SITE, _l("施工环境")),
    (IssueCategory.POLICY, _l("政策兑现")),
    (IssueSource.WEEKLY_INSPECTION, _l("周督查")),
    (IssueSource.COMPANY, _l("企业反映")),
    (IssueSource.LEADER_INSTRUCTION, _l("领导批示")),
    (IssueSource.DISPATCH_MEETING, _l("调度会")),
    (IssueLevel.ZONE, _l("集聚区管委会")),
    (IssueLevel.JOINT_MEETING, _l("县发展联席会议")),
    (IssueLevel.GOVERNMENT, _l("县政府常务会")),
    (IssueLevel.PARTY, _l("县委常委会")),
    (IssueStatus.NEW, _l("待交办")),
    (IssueStatus.IN_PROGRESS, _l("办理中")),
    (IssueStatus.RESOLVED, _l("已办结（待销号）")),
    (IssueStatus.CLOSED, _l("已销号")),
    (IssueActionKind.ASSIGN, _l("交办")),
    (IssueActionKind.URGE, _l("催办")),
    (IssueActionKind.TALK, _l("约谈")),
    (IssueActionKind.ONSITE, _l("现场办公")),
    (IssueActionKind.ESCALATE, _l("上提")),
    (IssueActionKind.RESOLVE, _l("办结")),
    (IssueActionKind.REOPEN, _l("退回重办")),
    (IssueActionKind.CLOSE, _l("销号")),
    (IssueActionKind.NOTE, _l("办理记录")),
    (Indicator.YI_PROJECTS, _l("引进亿元以上项目（个）")),
    (Indicator.SIGNED_AMOUNT, _l("签约金额（万元）")),
    (Indicator.CONTRACTED_AMOUNT, _l("合同引资额（万元）")),
    (Indicator.STARTED_PROJECTS, _l("新开工项目（个）")),
    (Indicator.FUNDS_ARRIVED, _l("到位资金（万元）")),
    (Indicator.OUT_OF_PROVINCE_FUNDS, _l("省外资金（万元）")),
    (Indicator.FOREIGN_CAPITAL, _l("实际利用外资（万美元）")),
    (Indicator.FIXED_ASSET_INVESTMENT, _l("固定资产投资（万元）")),
    (Indicator.INDUSTRIAL_INVESTMENT, _l("其中工业项目投资（万元）")),
    (Indicator.INFRASTRUCTURE_INVESTMENT, _l("基础设施投资（万元）")),
    (Indicator.REVENUE, _l("主营业务收入（万元）")),
    (Indicator.TAX, _l("税收（万元）")),
    (Indicator.PROFIT_TAX, _l("利税（万元）")),
    (Indicator.EMPLOYMENT, _l("区内就业（人）")),
    (Indicator.YI_UNDER_CONSTRUCTION, _l("在建亿元以上项目（个）")),
    (Indicator.NEW_STARTS, _l("园区新开工项目（个）")),
    (TargetScope.COUNTY, _l("全县")),
    (TargetScope.UNIT, _l("单位")),
    (TargetScope.LEADER, _l("县级领导")),
    (ImportKind.COMPANIES, _l("企业名录")),
    (ImportKind.LEADS, _l("线索台账")),
    (ImportKind.PROJECTS, _l("项目台账")),
    (ImportKind.VISITS, _l("走访记录")),
    (ImportKind.FUNDS, _l("到位资金")),
    (ImportKind.ISSUES, _l("问题台账")),
]

# 规模档 names are codes (crm.domain.projects.SCALE_BANDS, also SQL literals in reports); these are their words.
SCALE_BAND_LABELS: dict[str, Any] = {
    "<5000万": _l("<5000万"),
    "5000万–1亿": _l("5000万–1亿"),
    "1–3亿": _l("1–3亿"),
    "3–5亿": _l("3–5亿"),
    "5–10亿": _l("5–10亿"),
    "10–20亿": _l("10–20亿"),
    "20–50亿": _l("20–50亿"),
    "50–100亿": _l("50–100亿"),
    "≥100亿": _l("≥100亿"),
}


def band_label(name: str | None) -> Any:
    """A 规模档 in the reader's language ("" for none); lazy, like ``label``, so a cached figure keeps no language."""
    return "" if not name else SCALE_BAND_LABELS.get(name, name)


LABELS: dict[tuple[type, str], Any] = {(type(member), member.value): text for member, text in _PAIRS}


def label(value: Any) -> Any:
    """The label of an enum member, else the value itself."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return LABELS.get((type(value), value.value), value.value)
    return value


def label_text(value: Any) -> str:
    """The label as plain text in the request's language. Exports ask for it cell by cell, so each label is
    translated once per language, not once per cell."""
    if value is None:
        return ""
    if not isinstance(value, Enum):
        return str(value)
    return _label_text(str(get_locale()), type(value), value.value)


def label_texts() -> Callable[[Any], str]:
    """``label_text`` for a whole export: the language is looked up once, each label once."""
    locale = str(get_locale())
    found: dict[tuple[type, str], str] = {}

    def text(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, Enum):
            return str(value)
        key = (type(value), value.value)
        if key not in found:
            found[key] = _label_text(locale, *key)
        return found[key]

    return text


@lru_cache(maxsize=2048)
def _label_text(locale: str, enum_type: type, code: str) -> str:
    return str(LABELS.get((enum_type, code), code))  # rendered in ``locale``, the request's language


def choices(enum_cls: type[Enum]) -> list[tuple[str, Any]]:
    return [(member.value, label(member)) for member in enum_cls]
