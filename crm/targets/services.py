"""Saving targets and 园区指标. Services validate and flush; the view commits once.

Rules: a value is never negative; counts (个, 人) are whole numbers; an emptied field removes the
row; the owning unit is the county (county and leader targets) or the unit, never a form's.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from crm.domain.kpi import Indicator
from crm.errors import FieldError
from crm.extensions import db
from crm.targets.models import Target, ZoneMetric
from crm.targets.queries import Owner, is_count


class TargetError(FieldError):
    pass


def _check(indicator: Indicator, value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0:
        raise TargetError(indicator.value, _("不能为负数"))
    if is_count(indicator) and value != value.to_integral_value():
        raise TargetError(indicator.value, _("个数、人数须为整数"))


def save_targets(owner: Owner, year: int, values: dict[Indicator, Decimal | None], existing: dict[Indicator, Target]) -> int:
    """Set one owner's targets of a year; returns how many rows changed."""
    changed = 0
    for indicator, value in values.items():
        _check(indicator, value)
        row = existing.get(indicator)
        if value is None:
            if row is not None:
                db.session.delete(row)
                changed += 1
            continue
        if row is None:
            db.session.add(Target(
                year=year, scope=owner.scope, leader_id=owner.leader_id, owner_key=owner.owner_key, indicator=indicator,
                value=value, unit_id=owner.unit_id,
            ))
            changed += 1
        elif row.value != value:
            row.value = value
            changed += 1
    db.session.flush()
    return changed


def save_zone_month(county_id: int, period: str, values: dict[Indicator, tuple[Decimal | None, Decimal | None]],
                    existing: dict[Indicator, ZoneMetric]) -> int:
    """Set a month's 1–N月 园区指标 and their 同比 %; returns how many rows changed."""
    changed = 0
    for indicator, (value, change) in values.items():
        _check(indicator, value)
        row = existing.get(indicator)
        if value is None:
            if change is not None:
                raise TargetError(indicator.value, _("填写同比时须同时填写累计值"))
            if row is not None:
                db.session.delete(row)
                changed += 1
            continue
        if row is None:
            db.session.add(ZoneMetric(unit_id=county_id, period=period, indicator=indicator, value=value, yoy_pct=change))
            changed += 1
        elif row.value != value or row.yoy_pct != change:
            row.value, row.yoy_pct = value, change
            changed += 1
    db.session.flush()
    return changed


