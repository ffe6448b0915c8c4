"""Access cases of the issue ledger. {issue} and friends are branch_a1's (staff's and chief's unit),
{issue_a2} another branch's of county A (county roles read it, the branch_a1 people get 404),
{issue_b} county B's (404 for everyone). See tests/world_parts/issues.py."""

from __future__ import annotations

from tests.access_cases.common import UNIT_READ, Case, everyone

EDITORS = {**everyone(403), "staff": 200, "chief": 200}
EDITORS_POST = {**everyone(403), "staff": 302, "chief": 302}
REVIEWER_POST = {**everyone(403), "reviewer": 302}
OTHER_BRANCH = {**everyone(200), "staff": 404, "chief": 404}
NOWHERE = everyone(404)
V1 = {"version": "1"}

CASES = [
    Case("issues.index", "GET", "/issues/", everyone(200)),
    Case("issues.index", "GET", "/issues/?status=open&overdue=1&sort=deadline&unit=x&category=zz", everyone(200)),
    Case("issues.export", "GET", "/issues/export.xlsx", everyone(200)),
    Case("issues.report", "GET", "/issues/report", everyone(200)),
    Case("issues.report", "GET", "/issues/report?start=2025-10-06&end=2025-10-12", everyone(200)),
    Case("issues.report", "GET", "/issues/report?start=nonsense&end=2025-13-45", everyone(200)),
    Case("issues.report_export", "GET", "/issues/report.xlsx?start=2025-10-06&end=2025-10-12", everyone(200)),
    Case("issues.create", "GET", "/issues/new", {**EDITORS, "reviewer": 200}),
    Case("issues.create_for_project", "GET", "/projects/{project}/issues/new", {**EDITORS, "reviewer": 200}),
    Case("issues.create_for_project", "GET", "/projects/{issues_project_b}/issues/new", NOWHERE),
    Case("issues.create_for_project", "POST", "/projects/{issues_project_b}/issues/new", NOWHERE),
    Case("issues.detail", "GET", "/issues/{issue}", UNIT_READ),
    Case("issues.detail", "GET", "/issues/{issue_a2}", OTHER_BRANCH),
    Case("issues.detail", "GET", "/issues/{issue_b}", NOWHERE),
    Case("issues.edit", "GET", "/issues/{issue}/edit", EDITORS),
    Case("issues.edit", "GET", "/issues/{issue_a2}/edit", {**everyone(403), "staff": 404, "chief": 404}),
    Case("issues.edit", "GET", "/issues/{issue_b}/edit", NOWHERE),
    Case("issues.assign", "POST", "/issues/{issue}/assign", {**EDITORS_POST, "reviewer": 302}, data=V1),
    Case("issues.assign", "POST", "/issues/{issue_a2}/assign", {**everyone(403), "staff": 404, "chief": 404, "reviewer": 302}, data=V1),
    Case("issues.assign", "POST", "/issues/{issue_b}/assign", NOWHERE, data=V1),
    Case("issues.resolve", "POST", "/issues/{issue_progress}/resolve", EDITORS_POST, data={**V1, "note": "已协调解决"}),
    Case("issues.resolve", "POST", "/issues/{issue_b}/resolve", NOWHERE, data={**V1, "note": "已协调解决"}),
    Case("issues.close", "POST", "/issues/{issue_resolved}/close", REVIEWER_POST, data=V1),
    Case("issues.close", "POST", "/issues/{issue_b}/close", NOWHERE, data=V1),
    Case("issues.reopen", "POST", "/issues/{issue_resolved}/reopen", REVIEWER_POST, data={**V1, "note": "佐证材料不全"}),
    Case("issues.reopen", "POST", "/issues/{issue_b}/reopen", NOWHERE, data={**V1, "note": "佐证材料不全"}),
    Case("issues.escalate", "POST", "/issues/{issue}/escalate", {**EDITORS_POST, "reviewer": 302}, data=V1),
    Case("issues.escalate", "POST", "/issues/{issue_b}/escalate", NOWHERE, data=V1),
    Case("issues.record_action", "POST", "/issues/{issue}/actions", {**EDITORS_POST, "reviewer": 302}, data={"kind": "urge", "note": "请加快办理"}),
    Case("issues.record_action", "POST", "/issues/{issue_b}/actions", NOWHERE, data={"kind": "urge", "note": "请加快办理"}),
    Case("issues.instruct", "POST", "/issues/{issue}/instruction", {**everyone(403), "leader": 302}, data={"note": "请抓紧协调"}),
    Case("issues.instruct", "POST", "/issues/{issue_b}/instruction", NOWHERE, data={"note": "请抓紧协调"}),
    Case("audit.history", "GET", "/history/issues/{issue}", UNIT_READ),
    Case("audit.history", "GET", "/history/issues/{issue_b}", NOWHERE),
]
