"""The seed's companies (DOMAIN §d), with a few realistic duplicates left for the review queue."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass

from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, Ownership
from crm.domain.dedup.credit_code import check_character

CHAINS = ["新型建材", "轻纺", "旅游产品加工"]


def code(first17: str) -> str:
    """A well-formed 统一社会信用代码 (demo data only: the numbers are invented)."""
    return first17 + check_character(first17)


@dataclass(frozen=True)
class DemoCompany:
    name: str
    _: KW_ONLY
    chain: str | None = None
    credit_code: str | None = None
    ownership: Ownership | None = Ownership.PRIVATE
    funding_source: FundingSource | None = FundingSource.OTHER_PROVINCE
    province: str | None = None
    city: str | None = None
    short_name: str | None = None
    tags: tuple[CompanyTag, ...] = ()
    category: IndustryCategory | None = IndustryCategory.C
    capital: int | None = None  # 万元
    contacts: tuple[tuple[str, str, str], ...] = ()  # (name, title, phone)


COMPANIES: list[DemoCompany] = [
    DemoCompany("海亮集团有限公司", chain="新型建材", credit_code=code("91330681146232560"), province="浙江省", city="绍兴市", short_name="海亮",
                tags=(CompanyTag.CHINA_500, CompanyTag.PRIVATE_500), capital=331_000, contacts=(("周经理", "投资发展部经理", "0575-87069000"),)),
    DemoCompany("海威纺织有限公司", chain="轻纺", credit_code=code("91441900MA4UH1K2X"), province="广东省", city="东莞市", short_name="海威纺织",
                capital=5_000, contacts=(("陈总", "总经理", "0769-22001234"),)),
    DemoCompany("海威香港实业有限公司", chain="轻纺", credit_code=None, ownership=Ownership.HMT, funding_source=FundingSource.HMT, province="香港", city="香港", capital=2_000),
    DemoCompany("深圳荣格集团有限公司", chain=None, credit_code=code("91440300192245860"), province="广东省", city="深圳市", short_name="荣格集团", capital=20_000),
    DemoCompany("河南圣光集团有限公司", chain="旅游产品加工", credit_code=code("91410000170000327"), funding_source=FundingSource.IN_PROVINCE, province="河南省", city="郑州市",
                short_name="圣光", capital=12_000),
    DemoCompany("平顶山方圆碳素有限公司", chain="新型建材", credit_code=code("91410400MA3X2F1C5"), funding_source=FundingSource.IN_CITY, province="河南省",
                city="平顶山市", short_name="方圆碳素", capital=8_000),
    DemoCompany("鲁吉兰美体内衣有限公司", chain="轻纺", credit_code=None, funding_source=FundingSource.OTHER_PROVINCE, province="广东省", city="汕头市", capital=3_000),
    DemoCompany("鲁山县尧盛针织有限公司", chain="轻纺", credit_code=None, funding_source=FundingSource.IN_COUNTY, province="河南省", city="平顶山市", capital=1_000),
    DemoCompany("河南靖焜丝绸有限公司", chain="轻纺", credit_code=code("91410423MA44Q1K6X"), funding_source=FundingSource.IN_PROVINCE, province="河南省",
                city="平顶山市", capital=2_000),
    DemoCompany("台威运动用品有限公司", chain="轻纺", credit_code=None, ownership=Ownership.HMT, funding_source=FundingSource.HMT, province="广东省", city="东莞市",
                contacts=(("林董事长", "董事长", "0769-85301234"),)),
    DemoCompany("东莞市台商商会", chain=None, credit_code=None, ownership=None, funding_source=FundingSource.HMT, province="广东省", city="东莞市", category=IndustryCategory.S,
                contacts=(("黄秘书长", "秘书长", "0769-22881234"),)),
    DemoCompany("浙江中德纺织科技有限公司", chain="轻纺", credit_code=None, ownership=Ownership.FOREIGN, funding_source=FundingSource.FOREIGN, province="浙江省", city="杭州市"),
    # 柘城 (3亿元以上) projects, used for 投产-stage examples.
    DemoCompany("河南德兴纺织有限公司", chain="轻纺", credit_code=None, province="河南省", city="商丘市", funding_source=FundingSource.IN_PROVINCE),
    DemoCompany("力量新材料制造集团有限公司", chain="新型建材", credit_code=None, province="河南省", city="商丘市", funding_source=FundingSource.IN_PROVINCE,
                tags=(CompanyTag.INDUSTRY_LEADER,)),
    DemoCompany("华商药业有限公司", chain=None, credit_code=None, province="河南省", city="郑州市", funding_source=FundingSource.IN_PROVINCE),
    DemoCompany("海乐电子有限公司", chain=None, credit_code=None, province="广东省", city="深圳市"),
    DemoCompany("惠丰金刚石有限公司", chain="新型建材", credit_code=None, province="河南省", city="商丘市", funding_source=FundingSource.IN_PROVINCE,
                tags=(CompanyTag.SPECIALISED,)),
    DemoCompany("海涛面业有限公司", chain=None, credit_code=None, province="河南省", city="商丘市", category=IndustryCategory.C, funding_source=FundingSource.IN_PROVINCE),
    DemoCompany("恒生药业有限公司", chain=None, credit_code=None, province="河南省", city="郑州市", funding_source=FundingSource.IN_PROVINCE),
    DemoCompany("来堂服饰有限公司", chain="轻纺", credit_code=None, province="福建省", city="泉州市"),
    # The county's investment platform: the seed names no investor for the 石材建材工业城, which it develops.
    DemoCompany("鲁山县隆源投资开发有限公司", chain="新型建材", credit_code=None, ownership=Ownership.STATE,
                funding_source=FundingSource.IN_COUNTY, province="河南省", city="平顶山市", category=IndustryCategory.L, capital=50_000),
    DemoCompany("哈药集团有限公司", chain=None, credit_code=code("91230100127057741"), ownership=Ownership.STATE, province="黑龙江省", city="哈尔滨市",
                tags=(CompanyTag.CHINA_500, CompanyTag.LISTED)),
]

# Entered twice by different branches before anyone noticed: they wait in the review queue.
DUPLICATES: list[DemoCompany] = [
    DemoCompany("东莞市海伟纺织有限公司", chain="轻纺", credit_code=None, province="广东省", city="东莞市"),
    DemoCompany("方圆碳素（平顶山）有限公司", chain="新型建材", credit_code=None, funding_source=FundingSource.IN_CITY, province="河南省", city="平顶山市"),
    DemoCompany("靖焜丝绸有限公司", chain="轻纺", credit_code=None, funding_source=FundingSource.IN_PROVINCE, province="河南省"),
]
