"""三个一 routes × roles.

{assignments_project} is branch_a1's key project (staff's and chief's unit), 分包 by the world's leader;
{project} is branch_a1's project outside 三个一 (no leader); {assignments_project_b} is another county's.
Reviewers decide 纳入/退出, leaders and 牵头单位; the unit's chief (or a reviewer) staffs the team; the
project's editors and its own 分包 leader write the 推进方案; another county's project answers 404.
"""

from __future__ import annotations

from tests.access_cases.common import LOGIN, Case, everyone

DECIDE = {**everyone(403), "reviewer": 200}
STAFF_TEAM = {**everyone(403), "chief": 200, "reviewer": 200}
NOT_FOUND = everyone(404)

P, B = "/projects/{assignments_project}", "/projects/{assignments_project_b}"

CASES = [
    Case("assignments.enter", "GET", "/projects/{project}/key/enter", DECIDE),
    Case("assignments.enter", "GET", B + "/key/enter", NOT_FOUND),
    Case("assignments.enter", "POST", "/projects/{project}/key/enter", {**everyone(403), "reviewer": 400}, data={"enter-version": "0"}),
    Case("assignments.exit_key_view", "GET", P + "/key/exit", DECIDE),
    Case("assignments.exit_key_view", "GET", B + "/key/exit", NOT_FOUND),
    Case("assignments.lead_unit", "GET", P + "/lead-unit", DECIDE),
    Case("assignments.lead_unit", "GET", B + "/lead-unit", NOT_FOUND),
    Case("assignments.add_leader_view", "GET", P + "/leaders/new", DECIDE),
    Case("assignments.add_leader_view", "POST", P + "/leaders/new", {**everyone(403), "reviewer": 400}, data={"leader-entered_on": ""}),
    Case("assignments.add_leader_view", "GET", B + "/leaders/new", NOT_FOUND),
    Case("assignments.exit_leader_view", "GET", P + "/leaders/{assignments_leader_row}/exit", DECIDE),
    Case("assignments.exit_leader_view", "GET", "/projects/{project}/leaders/{assignments_leader_row}/exit", {**DECIDE, "reviewer": 404}),
    Case("assignments.exit_leader_view", "GET", B + "/leaders/{assignments_leader_row}/exit", NOT_FOUND),
    Case("assignments.add_member_view", "GET", P + "/team/new", STAFF_TEAM),
    Case("assignments.add_member_view", "POST", P + "/team/new", {**everyone(403), "chief": 400, "reviewer": 400}, data={"member-user_id": ""}),
    Case("assignments.add_member_view", "GET", B + "/team/new", NOT_FOUND),
    Case("assignments.team_candidates", "GET", P + "/team/candidates?q=staff", STAFF_TEAM),
    Case("assignments.team_candidates", "GET", B + "/team/candidates?q=staff", NOT_FOUND),
    Case("assignments.edit_member", "GET", P + "/team/{assignments_member_row}/edit", STAFF_TEAM),
    Case("assignments.edit_member", "GET", "/projects/{project}/team/{assignments_member_row}/edit", {**STAFF_TEAM, "chief": 404, "reviewer": 404}),
    Case("assignments.edit_member", "GET", B + "/team/{assignments_member_row_b}/edit", NOT_FOUND),
    Case("assignments.exit_member_view", "GET", P + "/team/{assignments_member_row}/exit", STAFF_TEAM),
    Case("assignments.exit_member_view", "GET", B + "/team/{assignments_member_row_b}/exit", NOT_FOUND),
    Case("assignments.plan", "GET", P + "/plan", {**everyone(403), "staff": 200, "chief": 200, "leader": 200}),
    Case("assignments.plan", "GET", "/projects/{project}/plan", {**everyone(403), "staff": 200, "chief": 200}),
    Case("assignments.plan", "POST", P + "/plan", {**everyone(403), "staff": 400, "chief": 400, "leader": 400}, data={"plan": "新方案", "version": "0"}),
    Case("assignments.plan", "GET", B + "/plan", NOT_FOUND),
    Case("assignments.my_projects", "GET", "/my-projects", {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 403, "leader": 200, "admin": 403}),
    # 项目简报: of the leaders whose projects the reader sees; another county's leader is not found.
    Case("assignments.briefs", "GET", "/my-projects/briefs", everyone(200)),
    Case("assignments.briefs", "GET", "/my-projects/briefs?leader={other_user}", everyone(404)),
    # 提醒函 of a key project: read by whoever reads the project; another county's is not found.
    Case("assignments.reminder", "GET", f"{P}/reminder", everyone(200)),
    Case("assignments.reminder", "GET", f"{B}/reminder", NOT_FOUND),
    Case("assignments.reminder_docx", "GET", f"{P}/reminder.docx", everyone(200)),
    Case("audit.history", "GET", "/history/project_leaders/{assignments_leader_row}", {**everyone(200), "staff": 200}),
    Case("audit.history", "GET", "/history/project_team_members/{assignments_member_row_b}", NOT_FOUND),
]
