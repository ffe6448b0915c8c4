"""Access cases of 年度目标 and 园区指标 (records: tests/world_parts/targets.py).

Everyone reads the targets they may see; admins and reviewers edit (others 403); another county's unit
is not an owner here (404). 园区指标 are the county's: county roles read, admins and reviewers type.
"""

from __future__ import annotations

from tests.access_cases.common import LOGIN, Case, everyone

EDITORS = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 403, "admin": 200}
COUNTY_READ = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 200, "admin": 200}

CASES = [
    Case("targets.index", "GET", "/targets/?year=2026", everyone(200)),
    Case("targets.export", "GET", "/targets/export.xlsx?year=2026", everyone(200)),
    # The county's targets: a unit's people have no such owner (404); leaders read only.
    Case("targets.edit", "GET", "/targets/edit?year=2026&owner=county", {**EDITORS, "staff": 404, "chief": 404}),
    Case("targets.edit", "GET", "/targets/edit?year=2026&owner=unit:{targets_branch_a1}", EDITORS),
    Case("targets.edit", "POST", "/targets/edit?year=2026&owner=unit:{targets_branch_a1}",
         {**EDITORS, "reviewer": 400, "admin": 400}, data={"signed_amount": "-5"}),
    Case("targets.edit", "GET", "/targets/edit?year=2026&owner=unit:{targets_branch_b1}", everyone(404)),
    Case("targets.zone", "GET", "/targets/zone?year=2026", COUNTY_READ),
    Case("targets.zone_export", "GET", "/targets/zone.xlsx?year=2026", COUNTY_READ),
    Case("targets.zone_edit", "GET", "/targets/zone/edit?period=2026-10", {**EDITORS, "leader": 403}),
    Case("targets.zone_edit", "POST", "/targets/zone/edit?period=2026-10", {**EDITORS, "reviewer": 400, "admin": 400},
         data={"fixed_asset_investment": "-1"}),
]
