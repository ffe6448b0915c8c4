"""Projects: branch_a1's ``project``/``project_pending`` (staff's and chief's unit), branch_a2's ``project_a2``
(county roles read it), county B's ``project_b``."""

from __future__ import annotations

from tests.access_cases.common import REVIEWERS, UNIT_EDIT, UNIT_READ, UNIT_WORK, Case, everyone

OTHER_BRANCH = {**everyone(200), "staff": 404, "chief": 404}
ONLY_REVIEWER = {**everyone(403), "reviewer": 302}

CASES = [
    Case("projects.index", "GET", "/projects/?rag=red&band=1–3亿&key=1", everyone(200)),
    Case("projects.board", "GET", "/projects/board", everyone(200)),
    Case("projects.export", "GET", "/projects/export.xlsx", everyone(200)),
    Case("projects.create", "GET", "/projects/new", UNIT_WORK),
    Case("projects.detail", "GET", "/projects/{project_pending}", UNIT_READ),
    Case("projects.detail", "GET", "/projects/{project_a2}", OTHER_BRANCH),
    Case("projects.detail", "GET", "/projects/{project_b}", everyone(404)),
    Case("projects.edit", "GET", "/projects/{project}/edit", UNIT_EDIT),
    Case("projects.edit", "GET", "/projects/{project_a2}/edit", {**everyone(403), "staff": 404, "chief": 404}),
    Case("projects.edit", "GET", "/projects/{project_b}/edit", everyone(404)),
    Case("projects.stage_report", "GET", "/projects/{project}/stage/signed", UNIT_EDIT),
    Case("projects.stage_report", "GET", "/projects/{project}/stage/no-such-stage", {**UNIT_EDIT, "staff": 404, "chief": 404}),
    Case("projects.stage_report", "GET", "/projects/{project_b}/stage/signed", everyone(404)),
    Case("projects.discard", "POST", "/projects/{project_pending}/stage-events/{pending_event}/discard", {**UNIT_EDIT, "staff": 302, "chief": 302}),
    Case("projects.discard", "POST", "/projects/{project_b}/stage-events/{pending_event_b}/discard", everyone(404)),
    Case("projects.discard", "POST", "/projects/{project_pending}/stage-events/{pending_event_b}/discard", {**UNIT_EDIT, "staff": 404, "chief": 404}),
    Case("projects.evidence", "GET", "/projects/{project_pending}/stage-events/{pending_event}/files/{pending_file}", UNIT_READ),
    Case("projects.evidence", "GET", "/projects/{project_b}/stage-events/{pending_event_b}/files/{pending_file}", everyone(404)),
    Case("projects.move_back_view", "POST", "/projects/{project_pending}/move-back", {**everyone(403), "admin": 302}, data={"stage": "talks", "reason": "录错"}),
    Case("reviews.queue", "GET", "/reviews/", REVIEWERS),
    Case("reviews.approve_view", "POST", "/reviews/{pending_event}/approve", ONLY_REVIEWER),
    Case("reviews.approve_view", "POST", "/reviews/{pending_event_b}/approve", everyone(404)),
    Case("reviews.reject_view", "POST", "/reviews/{pending_event}/reject", ONLY_REVIEWER, data={"comment": "材料不全"}),
    Case("reviews.reject_view", "POST", "/reviews/{pending_event_b}/reject", everyone(404), data={"comment": "材料不全"}),
    Case("audit.history", "GET", "/history/project_stage_events/{pending_event}", UNIT_READ),
]
