"""World records of the targets feature (see tests/world_parts/__init__.py).

- 2026 targets of county A (签约金额 100 000 万元, 固定资产投资 600 000 万元) and of branch_a1 (签约金额
  20 000 万元); a 园区指标 of county A for 2026-10 (固定资产投资 150 000 万元, 同比 +61.3 %).
- County B's 2026 签约金额 target (999 999 万元) and 园区指标, which county A's people never see.
- ``targets_branch_a1`` / ``targets_branch_b1``: unit ids for the targets pages' ``owner`` argument.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.domain.kpi import Indicator, TargetScope
    from crm.extensions import db
    from crm.targets.models import Target, ZoneMetric

    county_a, county_b, branch_a1 = w.units["county_a"].id, w.units["county_b"].id, w.units["branch_a1"].id
    with app.app_context():
        set_scope(db.session, SYSTEM)
        rows = [
            Target(year=2026, scope=TargetScope.COUNTY, owner_key=f"unit:{county_a}", indicator=Indicator.SIGNED_AMOUNT,
                   value=Decimal("100000"), unit_id=county_a),
            Target(year=2026, scope=TargetScope.COUNTY, owner_key=f"unit:{county_a}", indicator=Indicator.FIXED_ASSET_INVESTMENT,
                   value=Decimal("600000"), unit_id=county_a),
            Target(year=2026, scope=TargetScope.UNIT, owner_key=f"unit:{branch_a1}", indicator=Indicator.SIGNED_AMOUNT,
                   value=Decimal("20000"), unit_id=branch_a1),
            Target(year=2026, scope=TargetScope.COUNTY, owner_key=f"unit:{county_b}", indicator=Indicator.SIGNED_AMOUNT,
                   value=Decimal("999999"), unit_id=county_b),
            ZoneMetric(unit_id=county_a, period="2026-10", indicator=Indicator.FIXED_ASSET_INVESTMENT, value=Decimal("150000"),
                       yoy_pct=Decimal("61.3")),
            ZoneMetric(unit_id=county_b, period="2026-10", indicator=Indicator.FIXED_ASSET_INVESTMENT, value=Decimal("777777")),
        ]
        db.session.add_all(rows)
        db.session.commit()
        w.records.update(targets_branch_a1=branch_a1, targets_branch_b1=w.units["branch_b1"].id,
                         targets_county_b_target=rows[3].id)
