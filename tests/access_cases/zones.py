"""Access cases of 园区 (records: tests/world_parts/zones.py). The zones are county A's: everyone of it reads them,
its 审核员 and admins keep them; county B's zone ({zone_b}) is not found by anyone of county A."""

from __future__ import annotations

from tests.access_cases.common import Case, everyone

KEEPERS = {**everyone(403), "reviewer": 200, "admin": 200}
KEEPERS_REFUSED = {**everyone(403), "reviewer": 400, "admin": 400}
NOWHERE = everyone(404)

CASES = [
    Case("zones.index", "GET", "/zones/", everyone(200)),
    Case("zones.export", "GET", "/zones/export.xlsx", everyone(200)),
    Case("zones.land_export", "GET", "/zones/land.xlsx", everyone(200)),
    Case("zones.buildings_export", "GET", "/zones/buildings.xlsx", everyone(200)),
    Case("zones.detail", "GET", "/zones/{zone}", everyone(200)),
    Case("zones.detail", "GET", "/zones/{zone_b}", NOWHERE),
    Case("zones.demand", "GET", "/zones/{zone}/demand", everyone(200)),
    Case("zones.demand", "GET", "/zones/{zone_b}/demand", NOWHERE),
    Case("zones.create", "GET", "/zones/new", KEEPERS),
    Case("zones.create", "POST", "/zones/new", KEEPERS_REFUSED, data={"name": "", "planned_km2": "-1"}),
    Case("zones.edit", "GET", "/zones/{zone}/edit", KEEPERS),
    Case("zones.edit", "GET", "/zones/{zone_b}/edit", NOWHERE),
    Case("zones.part", "GET", "/zones/{zone}/parts/new", KEEPERS),
    Case("zones.part", "GET", "/zones/{zone}/parts/{zone_part}", KEEPERS),
    Case("zones.part", "GET", "/zones/{zone_b}/parts/new", NOWHERE),
    Case("zones.land", "GET", "/zones/{zone}/land/new", KEEPERS),
    Case("zones.land", "GET", "/zones/{zone}/land/{zone_land}", KEEPERS),
    Case("zones.land", "GET", "/zones/{zone}/land/{zone_b_land}", {**KEEPERS, "reviewer": 404, "admin": 404}),
    Case("zones.land", "POST", "/zones/{zone}/land/new", KEEPERS_REFUSED, data={"as_of": "2025-02-30", "acquired_mu": "十"}),
    Case("zones.land", "GET", "/zones/{zone_b}/land/{zone_b_land}", NOWHERE),
    Case("zones.building", "GET", "/zones/{zone}/buildings/new", KEEPERS),
    Case("zones.building", "GET", "/zones/{zone}/buildings/{zone_building}", KEEPERS),
    Case("zones.building", "POST", "/zones/{zone}/buildings/new", KEEPERS_REFUSED, data={"name": "x", "total_m2": "-3"}),
    Case("zones.building", "GET", "/zones/{zone_b}/buildings/new", NOWHERE),
]
