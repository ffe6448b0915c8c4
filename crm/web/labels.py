"""Display labels for the domain's enum codes (translated; the domain stores codes)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l

from crm.domain.access import Role
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, OtherNameKind, Ownership
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.domain.pipeline import Nature, Stage
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
]

LABELS: dict[tuple[type, str], Any] = {(type(member), member.value): text for member, text in _PAIRS}


def label(value: Any) -> Any:
    """The label of an enum member, else the value itself."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return LABELS.get((type(value), value.value), value.value)
    return value


def choices(enum_cls: type[Enum]) -> list[tuple[str, Any]]:
    return [(member.value, label(member)) for member in enum_cls]
