"""The demo scenario's targets, 园区指标 and published reports (DOMAIN §d).

The seed speaks as of 2025-05-21 about 2025: its months move with the load day by whole months
(the seed's May is the load month, its April the month before …), the targets' year with them, so the
dashboard shows 固定资产投资 150 000 万元 = 25 % of 600 000 万元 in the anchored April whatever day the
demo is loaded. The 月报 of the anchored March is published (frozen) at load time. Unit and leader
targets are illustrative (the seed gives none).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from crm.domain.calendar import REPORT_DAY
from crm.domain.kpi import Indicator, TargetScope, months_between, period_of, shift_period
from crm.extensions import db
from crm.targets.models import Target, ZoneMetric
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

COUNTY = "鲁山县"
I = Indicator
COUNTY_TARGETS = {  # DOMAIN §d 2025 targets
    I.YI_PROJECTS: 20,  # 引进亿元以上项目 20 个
    I.SIGNED_AMOUNT: 1_800_000,  # 签约金额 ≥ 1 800 000 万元
    I.FIXED_ASSET_INVESTMENT: 600_000,
    I.REVENUE: 600_000,  # 主营业务收入
    I.PROFIT_TAX: 15_000,  # 利税
    I.EMPLOYMENT: 20_000,  # 区内就业 (人)
    I.INFRASTRUCTURE_INVESTMENT: 88_000,  # 基础设施投资 ≥ 88 000 万元
}
UNIT_TARGETS = {  # illustrative
    "第一招商分局": {I.YI_PROJECTS: 6, I.SIGNED_AMOUNT: 600_000, I.STARTED_PROJECTS: 4, I.FUNDS_ARRIVED: 60_000, I.OUT_OF_PROVINCE_FUNDS: 40_000},
    "第二招商分局": {I.YI_PROJECTS: 5, I.SIGNED_AMOUNT: 600_000, I.STARTED_PROJECTS: 3, I.FUNDS_ARRIVED: 50_000, I.OUT_OF_PROVINCE_FUNDS: 30_000},
    "第三招商分局": {I.YI_PROJECTS: 3, I.SIGNED_AMOUNT: 200_000, I.STARTED_PROJECTS: 2, I.FUNDS_ARRIVED: 20_000},
}
LEADER_TARGETS = {"leader": {I.YI_PROJECTS: 5, I.SIGNED_AMOUNT: 800_000}}  # 县长's 分包 projects, illustrative
# (seed period, indicator, 1–N月 value, 同比 %)
ZONE_FIGURES = [
    ("2025-03", I.FIXED_ASSET_INVESTMENT, 102_000, "61"),
    ("2025-03", I.INDUSTRIAL_INVESTMENT, 92_000, None),
    ("2025-03", I.INFRASTRUCTURE_INVESTMENT, 10_000, None),
    ("2025-03", I.REVENUE, 114_000, "21"),
    ("2025-03", I.EMPLOYMENT, 4_350, None),
    ("2025-03", I.YI_UNDER_CONSTRUCTION, 18, None),
    ("2025-04", I.FIXED_ASSET_INVESTMENT, 150_000, "61.3"),
    ("2025-04", I.REVENUE, 170_000, "30"),
    ("2025-04", I.TAX, 6_000, None),
    ("2025-04", I.EMPLOYMENT, 4_350, None),
    ("2025-04", I.YI_UNDER_CONSTRUCTION, 18, None),
    ("2025-04", I.NEW_STARTS, 4, None),
]
PUBLISHED_MONTH = "2025-03"  # the seed's March: its 月报 and 月评比 are published


def anchored_period(seed_period: str, today: date) -> str:
    """A seed month moved as the seed's report month (May 2025) moves to the load month."""
    return shift_period(seed_period, months_between(period_of(REPORT_DAY), period_of(today)))


def target_year(today: date) -> int:
    """The year of the seed's targets: the year of the anchored April (the latest month with figures)."""
    return int(anchored_period("2025-04", today)[:4])


def load_reports(report: "LoadReport", today: date) -> None:
    """Targets, 园区指标 and the published March reports, once each (by natural key). Flushes only."""
    county = db.session.scalars(sa.select(Unit).where(Unit.name == COUNTY, Unit.parent_id.is_(None))).first()
    if county is None:
        return
    year = target_year(today)
    existing = {(t.owner_key, t.indicator) for t in db.session.scalars(sa.select(Target).where(Target.year == year))}

    def target(scope: TargetScope, unit_id: int, owner_key: str, indicator: Indicator, value: int, leader_id: int | None = None) -> None:
        if (owner_key, indicator) in existing:
            return
        db.session.add(Target(year=year, scope=scope, unit_id=unit_id, owner_key=owner_key, indicator=indicator,
                              value=Decimal(value), leader_id=leader_id))
        existing.add((owner_key, indicator))
        report.add("targets")

    for indicator, value in COUNTY_TARGETS.items():
        target(TargetScope.COUNTY, county.id, f"unit:{county.id}", indicator, value)
    units = {u.name: u for u in db.session.scalars(sa.select(Unit).where(Unit.name.in_(UNIT_TARGETS)))}
    for name, values in UNIT_TARGETS.items():
        if name in units:
            for indicator, value in values.items():
                target(TargetScope.UNIT, units[name].id, f"unit:{units[name].id}", indicator, value)
    leaders = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(LEADER_TARGETS)))}
    for username, values in LEADER_TARGETS.items():
        if username in leaders:
            for indicator, value in values.items():
                target(TargetScope.LEADER, county.id, f"leader:{leaders[username].id}", indicator, value, leaders[username].id)

    typed = {(m.period, m.indicator) for m in db.session.scalars(sa.select(ZoneMetric).where(ZoneMetric.unit_id == county.id))}
    for seed_period, indicator, value, change in ZONE_FIGURES:
        period = anchored_period(seed_period, today)
        if (period, indicator) in typed:
            continue
        db.session.add(ZoneMetric(unit_id=county.id, period=period, indicator=indicator, value=Decimal(value),
                                  yoy_pct=Decimal(change) if change else None))
        report.add("zone metrics")
    db.session.flush()
    _publish_march(county.id, today, report)


def _publish_march(county_id: int, today: date, report: "LoadReport") -> None:
    from crm.reports import monthly, ranking
    from crm.reports.scope import county_scope
    from crm.reports.services import publish
    from crm.reports.settings import load_settings

    scope = county_scope(county_id)
    settings = load_settings(county_id)
    period = anchored_period(PUBLISHED_MONTH, today)
    reviewer = db.session.scalars(sa.select(User).where(User.username == "reviewer")).first()
    user_id = reviewer.id if reviewer else None
    if monthly.published(scope, monthly.KIND, period) is None:
        built = monthly.build_report(scope, settings, period, bool(current_app.config.get("CRM_FULL_CAPACITY_STAGE")))
        publish(scope, user_id, monthly.KIND, period, built.to_json(), today)
        report.add("published reports")
    if ranking.published_ranking(scope, period) is None:
        scores = ranking.monthly_ranking(scope, settings, period, today)
        publish(scope, user_id, ranking.KIND, period, ranking.ranking_json(period, settings.scorecard, scores), today)
        report.add("published reports")
