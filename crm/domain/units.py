"""Enumerations of the organisation: unit types and leaders' titles (DOMAIN §a)."""

from __future__ import annotations

from enum import StrEnum


class UnitType(StrEnum):
    PROVINCE = "province"  # 省
    CITY = "city"  # 市
    COUNTY = "county"  # 县 (区)
    BUREAU = "bureau"  # 县招商局
    BRANCH = "branch"  # 招商分局
    SQUAD = "squad"  # 招商小分队
    COMMAND = "command"  # 指挥部
    ZONE_OFFICE = "zone_office"  # 管委会内设局办
    DEPARTMENT = "department"  # 县直部门
    TOWNSHIP = "township"  # 乡镇/街道
    SERVICE = "service"  # 服务单位 (行风评议对象)


class LeaderTitle(StrEnum):
    PARTY_SECRETARY = "party_secretary"  # 县委书记
    COUNTY_HEAD = "county_head"  # 县长
    EXECUTIVE_DEPUTY = "executive_deputy"  # 常务副县长
    DEPUTY_HEAD = "deputy_head"  # 副县长
    STANDING_COMMITTEE = "standing_committee"  # 县委常委
    PEOPLES_CONGRESS_DEPUTY = "congress_deputy"  # 县人大常委会副主任
    CPPCC_DEPUTY = "cppcc_deputy"  # 县政协副主席
