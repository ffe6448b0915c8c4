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


def nearest_county(chain: list[int], types: dict[int, UnitType]) -> int:
    """The county whose settings and targets apply to a unit: the nearest 县 at or above it, else the top of its
    tree. ``chain`` runs from the top of the tree down to the unit (its path), ``types`` gives each unit's type."""
    for unit_id in reversed(chain):
        if types.get(unit_id) is UnitType.COUNTY:
            return unit_id
    return chain[0]


def chain_of(unit_id: int, parent_of: dict[int, int | None]) -> list[int]:
    """The unit's ancestors from the top of the tree down to the unit itself; a cycle of bad data stops the walk."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return chain[::-1]
