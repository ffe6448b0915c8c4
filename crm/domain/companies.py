"""Company master data enumerations (DOMAIN §a 企业/客商)."""

from __future__ import annotations

from enum import StrEnum


class Ownership(StrEnum):
    STATE = "state"  # 国有 (央企/地方国企)
    PRIVATE = "private"  # 民营
    FOREIGN = "foreign"  # 外资
    HMT = "hmt"  # 港澳台资
    MIXED = "mixed"  # 混合所有制


class CompanyTag(StrEnum):
    GLOBAL_500 = "global500"  # 世界500强
    CHINA_500 = "china500"  # 中国企业500强
    PRIVATE_500 = "private500"  # 中国民营企业500强
    CENTRAL_SOE = "central_soe"  # 央企
    LISTED = "listed"  # 上市公司
    INDUSTRY_LEADER = "leader"  # 行业龙头/行业百强
    UNICORN = "unicorn"  # 独角兽
    SPECIALISED = "specialised"  # 专精特新
    NATIONAL_100 = "national100"  # 国内100强


THREE_500S = frozenset({CompanyTag.GLOBAL_500, CompanyTag.CHINA_500, CompanyTag.PRIVATE_500})


class FundingSource(StrEnum):
    IN_COUNTY = "in_county"  # 县内
    IN_CITY = "in_city"  # 市内县外
    IN_PROVINCE = "in_province"  # 省内市外
    OTHER_PROVINCE = "other_province"  # 省外 (国内)
    HMT = "hmt"  # 港澳台
    FOREIGN = "foreign"  # 外国


class IndustryCategory(StrEnum):
    """GB/T 4754-2017 门类."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    H = "H"
    I = "I"  # noqa: E741
    J = "J"
    K = "K"
    L = "L"
    M = "M"
    N = "N"
    O = "O"  # noqa: E741
    P = "P"
    Q = "Q"
    R = "R"
    S = "S"
    T = "T"


class OtherNameKind(StrEnum):
    FORMER = "former"  # 曾用名
    ALIAS = "alias"  # 其他写法 / 简称变体
    MERGED = "merged"  # 合并进来的企业的名称


# Fields a reviewer chooses between, one by one, when merging two companies.
MERGEABLE_FIELDS = (
    "name",
    "short_name",
    "english_name",
    "credit_code",
    "ownership",
    "hq_province",
    "hq_city",
    "funding_source",
    "industry_category",
    "chain_id",
    "registered_capital",
    "website",
    "notes",
)
