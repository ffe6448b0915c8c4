"""Access cases of 审批手续 (records: tests/world_parts/approvals.py).

A procedure is its project's: branch_a1's ({procedure}) is worked by its staff and chief and read by the county
roles; branch_a2's ({procedure_a2}) is 404 to branch_a1's people; county B's ({procedure_b}) to everyone. The
联审联批 view reads what its reader sees; its exports are the county roles' (审核员, 县级领导, admins). The
审批事项清单 is read by all and set by those who set the county's reports (the 审核员, admins)."""

from __future__ import annotations

from tests.access_cases.common import UNIT_EDIT, UNIT_READ, Case, everyone

OTHER_BRANCH_EDIT = {**UNIT_EDIT, "staff": 404, "chief": 404}
NOWHERE = everyone(404)
COUNTY_ROLES = {**everyone(403), "reviewer": 200, "leader": 200, "admin": 200}
V1 = {"version": "1"}
FORM = {"kind": "环评", "agent_unit_id": "", "filed_on": "2025-02-30"}

CASES = [
    Case("approvals.report", "GET", "/approvals/", everyone(200)),
    Case("approvals.report", "GET", "/approvals/?kind=%25&unit=x&status=zz&q=%25", everyone(200)),
    Case("approvals.export", "GET", "/approvals/export.xlsx", COUNTY_ROLES),
    Case("approvals.summary_export", "GET", "/approvals/summary.xlsx?status=overdue", COUNTY_ROLES),
    Case("approvals.kinds", "GET", "/approvals/kinds", everyone(200)),
    Case("approvals.kinds", "POST", "/approvals/kinds", {**everyone(403), "reviewer": 302, "admin": 302}, data={"kinds": "用地预审 20\n环评 30"}),
    Case("approvals.kinds", "POST", "/approvals/kinds", {**everyone(403), "reviewer": 400, "admin": 400}, data={"kinds": "用地预审 二十"}),
    Case("approvals.create", "GET", "/projects/{project}/approvals/new", UNIT_EDIT),
    Case("approvals.create", "POST", "/projects/{project}/approvals/new", {**UNIT_EDIT, "staff": 400, "chief": 400}, data=FORM),
    Case("approvals.create", "GET", "/projects/{project_a2}/approvals/new", OTHER_BRANCH_EDIT),
    Case("approvals.create", "GET", "/projects/{project_b}/approvals/new", NOWHERE),
    Case("approvals.edit", "GET", "/approvals/{procedure}/edit", UNIT_EDIT),
    Case("approvals.edit", "GET", "/approvals/{procedure_a2}/edit", OTHER_BRANCH_EDIT),
    Case("approvals.edit", "GET", "/approvals/{procedure_b}/edit", NOWHERE),
    Case("approvals.escalate", "POST", "/approvals/{procedure}/escalate", {**UNIT_EDIT, "staff": 302, "chief": 302}, data=V1),
    Case("approvals.escalate", "POST", "/approvals/{procedure_a2}/escalate", OTHER_BRANCH_EDIT, data=V1),
    Case("approvals.escalate", "POST", "/approvals/{procedure_b}/escalate", NOWHERE, data=V1),
    Case("audit.history", "GET", "/history/approval_procedures/{procedure}", UNIT_READ),
    Case("audit.history", "GET", "/history/approval_procedures/{procedure_b}", NOWHERE),
]
