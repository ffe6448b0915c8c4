"""Access cases of 准入评审 (records: tests/world_parts/admission.py).

Reviews are their project's unit's records: branch_a1's ({review}) is written (初审) by its staff and chief and read
by the county roles; the 会审 is the 审核员's and the admins'. Another branch's ({review_a2}) is 404 to branch_a1's
people; county B's ({review_b}) to everyone. The 评审表 is read by all and set by those who set the county's
reports."""

from __future__ import annotations

from tests.access_cases.common import UNIT_READ, Case, everyone

EDITORS = {**everyone(403), "staff": 200, "chief": 200}
OTHER_BRANCH = {**everyone(200), "staff": 404, "chief": 404}
NOWHERE = everyone(404)
JOINT_REFUSED = {**everyone(403), "reviewer": 400, "admin": 400}
V1 = {"version": "1"}
SHEET = {"criteria": "投资强度|50|投资强度|300\n产业链匹配|50", "vetoes": "淘汰类产业", "pass_score": "80", "conditional_score": "60"}

CASES = [
    Case("admission.index", "GET", "/admission/", everyone(200)),
    Case("admission.index", "GET", "/admission/?status=zz&outcome=%25&q=%25", everyone(200)),
    Case("admission.export", "GET", "/admission/export.xlsx", everyone(200)),
    Case("admission.create", "GET", "/admission/projects/{project}/new", EDITORS),
    Case("admission.create", "GET", "/admission/projects/{project_a2}/new", {**everyone(403), "staff": 404, "chief": 404}),
    Case("admission.create", "GET", "/admission/projects/{project_b}/new", NOWHERE),
    Case("admission.create", "POST", "/admission/projects/{project}/new", {**everyone(403), "staff": 400, "chief": 400},
         data={"prelim_on": "2025-02-30", "opinion": ""}),
    Case("admission.detail", "GET", "/admission/{review}", UNIT_READ),
    Case("admission.detail", "GET", "/admission/{review_a2}", OTHER_BRANCH),
    Case("admission.detail", "GET", "/admission/{review_b}", NOWHERE),
    Case("admission.edit", "GET", "/admission/{review}/edit", EDITORS),
    Case("admission.edit", "GET", "/admission/{review_a2}/edit", {**everyone(403), "staff": 404, "chief": 404}),
    Case("admission.edit", "GET", "/admission/{review_b}/edit", NOWHERE),
    Case("admission.joint", "POST", "/admission/{review}/joint", JOINT_REFUSED, data={**V1, "joint_on": "", "scores-0": "999"}),
    Case("admission.joint", "POST", "/admission/{review_a2}/joint", {**JOINT_REFUSED, "staff": 404, "chief": 404}, data=V1),
    Case("admission.joint", "POST", "/admission/{review_b}/joint", NOWHERE, data=V1),
    Case("admission.settings", "GET", "/admission/settings", everyone(200)),
    Case("admission.settings", "POST", "/admission/settings", {**everyone(403), "reviewer": 302, "admin": 302}, data=SHEET),
    Case("admission.settings", "POST", "/admission/settings", {**everyone(403), "reviewer": 400, "admin": 400},
         data={**SHEET, "criteria": "能耗"}),
]
