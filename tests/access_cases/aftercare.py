"""Access cases of 安商 (records: tests/world_parts/aftercare.py).

诉求 are branch_a1's records ({request} …): its staff and chief work them, the county roles read them; another
branch's ({request_a2}) is 404 to branch_a1's people; county B's ({request_b}) to everyone. The 挂牌保护 list
is county A's: everyone of it reads it, its 审核员 and admins keep it. The 宁静日 are read by all and set by those
who set the county's reports (the 审核员, admins)."""

from __future__ import annotations

from tests.access_cases.common import UNIT_READ, Case, everyone

EDITORS = {**everyone(403), "staff": 200, "chief": 200}
EDITORS_POST = {**everyone(403), "staff": 302, "chief": 302}
EDITORS_REFUSED = {**everyone(403), "staff": 400, "chief": 400}
OTHER_BRANCH = {**everyone(200), "staff": 404, "chief": 404}
NOWHERE = everyone(404)
KEEPERS = {**everyone(403), "reviewer": 200, "admin": 200}
V1 = {"version": "1"}

CASES = [
    Case("aftercare.requests", "GET", "/aftercare/requests/", everyone(200)),
    Case("aftercare.requests", "GET", "/aftercare/requests/?status=zz&unit=x&overdue=1&q=%25", everyone(200)),
    Case("aftercare.requests_export", "GET", "/aftercare/requests/export.xlsx", everyone(200)),
    Case("aftercare.rates", "GET", "/aftercare/requests/rates?year=nonsense", everyone(200)),
    Case("aftercare.rates_export", "GET", "/aftercare/requests/rates.xlsx?year=2025", everyone(200)),
    Case("aftercare.create_request", "GET", "/aftercare/requests/new", EDITORS),
    Case("aftercare.create_request", "POST", "/aftercare/requests/new", EDITORS_REFUSED, data={"subject": "", "deadline_workdays": "三"}),
    Case("aftercare.request_detail", "GET", "/aftercare/requests/{request}", UNIT_READ),
    Case("aftercare.request_detail", "GET", "/aftercare/requests/{request_a2}", OTHER_BRANCH),
    Case("aftercare.request_detail", "GET", "/aftercare/requests/{request_b}", NOWHERE),
    Case("aftercare.edit_request", "GET", "/aftercare/requests/{request}/edit", EDITORS),
    Case("aftercare.edit_request", "GET", "/aftercare/requests/{request_a2}/edit", {**everyone(403), "staff": 404, "chief": 404}),
    Case("aftercare.edit_request", "GET", "/aftercare/requests/{request_b}/edit", NOWHERE),
    Case("aftercare.move", "POST", "/aftercare/requests/{request}/move/handle", EDITORS_POST, data=V1),
    Case("aftercare.move", "POST", "/aftercare/requests/{request}/move/finish", EDITORS_REFUSED, data=V1),  # not yet 办理
    Case("aftercare.move", "POST", "/aftercare/requests/{request_handling}/move/finish", EDITORS_POST, data={**V1, "result": "已办结"}),
    Case("aftercare.move", "POST", "/aftercare/requests/{request_done}/move/revisit", EDITORS_POST, data={**V1, "satisfaction": "satisfied"}),
    Case("aftercare.move", "POST", "/aftercare/requests/{request_done}/move/revisit", EDITORS_REFUSED, data={**V1, "satisfaction": "很好"}),
    Case("aftercare.move", "POST", "/aftercare/requests/{request}/move/nonsense", NOWHERE, data=V1),
    Case("aftercare.move", "POST", "/aftercare/requests/{request_b}/move/handle", NOWHERE, data=V1),
    Case("aftercare.escalate", "POST", "/aftercare/requests/{request}/escalate", EDITORS_POST, data=V1),
    Case("aftercare.escalate", "POST", "/aftercare/requests/{request_b}/escalate", NOWHERE, data=V1),
    Case("aftercare.protections", "GET", "/aftercare/protections/", everyone(200)),
    Case("aftercare.protections_export", "GET", "/aftercare/protections/export.xlsx", everyone(200)),
    Case("aftercare.create_protection", "GET", "/aftercare/protections/new", KEEPERS),
    Case("aftercare.create_protection", "POST", "/aftercare/protections/new", {**KEEPERS, "reviewer": 400, "admin": 400},
         data={"company_name": "没有这家企业", "listed_on": "2025-02-30"}),
    Case("aftercare.edit_protection", "GET", "/aftercare/protections/{protection}", KEEPERS),
    Case("aftercare.edit_protection", "GET", "/aftercare/protections/{protection_b}", NOWHERE),
    Case("aftercare.quiet_days", "GET", "/aftercare/quiet-days", everyone(200)),
    Case("aftercare.quiet_days", "POST", "/aftercare/quiet-days", {**everyone(403), "reviewer": 302, "admin": 302}, data={"days": "1-20"}),
    Case("aftercare.quiet_days", "POST", "/aftercare/quiet-days", {**everyone(403), "reviewer": 400, "admin": 400}, data={"days": "1-40"}),
]
