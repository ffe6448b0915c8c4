"""Display labels for the domain's enum codes (translated; the domain stores codes)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l

from crm.domain.access import Role
from crm.domain.units import LeaderTitle, UnitType

LABELS: dict[Enum, Any] = {
    Role.STAFF: _l("招商专员"),
    Role.CHIEF: _l("分局长"),
    Role.REVIEWER: _l("审核员"),
    Role.LEADER: _l("县级领导"),
    Role.ADMIN: _l("管理员"),
    UnitType.PROVINCE: _l("省"),
    UnitType.CITY: _l("市"),
    UnitType.COUNTY: _l("县（区）"),
    UnitType.BUREAU: _l("招商局"),
    UnitType.BRANCH: _l("招商分局"),
    UnitType.SQUAD: _l("招商小分队"),
    UnitType.COMMAND: _l("指挥部"),
    UnitType.ZONE_OFFICE: _l("管委会内设局办"),
    UnitType.DEPARTMENT: _l("县直部门"),
    UnitType.TOWNSHIP: _l("乡镇/街道"),
    UnitType.SERVICE: _l("服务单位"),
    LeaderTitle.PARTY_SECRETARY: _l("县委书记"),
    LeaderTitle.COUNTY_HEAD: _l("县长"),
    LeaderTitle.EXECUTIVE_DEPUTY: _l("常务副县长"),
    LeaderTitle.DEPUTY_HEAD: _l("副县长"),
    LeaderTitle.STANDING_COMMITTEE: _l("县委常委"),
    LeaderTitle.PEOPLES_CONGRESS_DEPUTY: _l("县人大常委会副主任"),
    LeaderTitle.CPPCC_DEPUTY: _l("县政协副主席"),
}


def label(value: Any) -> Any:
    """The label of an enum member (or of its code), else the value itself."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return LABELS.get(value, value.value)
    for member in LABELS:
        if member.value == value:
            return LABELS[member]
    return value


def choices(enum_cls: type[Enum]) -> list[tuple[str, Any]]:
    return [(member.value, LABELS.get(member, member.value)) for member in enum_cls]
