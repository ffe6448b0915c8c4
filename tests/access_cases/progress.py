"""Access cases of 倒排工期, progress reports and 到位资金 (records: tests/world_parts/progress.py).

``{progress_*}`` are branch_a1's (staff's and chief's unit), ``{progress_*_a2}`` another branch's of the
same county (county roles see them, the branch_a1 people get 404), ``{progress_*_b}`` another county's.
Recording is for those who may edit the project; reviewing for reviewers; reading for all who see it.
"""

from __future__ import annotations

from tests.access_cases.common import LOGIN, UNIT_EDIT, UNIT_READ, Case, everyone

OTHER_BRANCH_READ = {**UNIT_READ, "staff": 404, "chief": 404}
OTHER_BRANCH_EDIT = {**UNIT_EDIT, "staff": 404, "chief": 404}
NOBODY = everyone(404)


def edit(status: int) -> dict[str, int | str]:
    """Editors get ``status``; county roles see the record but may not change it."""
    return {**UNIT_EDIT, "staff": status, "chief": status}


def review(status: int, unit: str = "a1") -> dict[str, int | str]:
    """Reviewers get ``status``; others 403, or 404 where they cannot see the record at all."""
    hidden = 404 if unit == "a2" else 403
    return {"anon": LOGIN, "staff": hidden, "chief": hidden, "reviewer": status, "leader": 403, "admin": 403}


def triple(endpoint: str, method: str, path: str, own: dict, a2: dict, data: dict[str, str] | None = None) -> list[Case]:
    """The same route on branch_a1's, branch_a2's and county B's records."""
    suffixed = path.replace("}", "_a2}")
    other = path.replace("}", "_b}")
    return [
        Case(endpoint, method, path, own, data or {}),
        Case(endpoint, method, suffixed, a2, data or {}),
        Case(endpoint, method, other, NOBODY, data or {}),
    ]


FUND = {"period": "2025-06", "amount": "0", "source": "other_province", "purpose": "fixed_assets"}

CASES = [
    # 倒排工期
    *triple("progress.milestone_create", "GET", "/projects/{progress_project}/milestones/new", UNIT_EDIT, OTHER_BRANCH_EDIT),
    *triple("progress.milestone_create", "POST", "/projects/{progress_project}/milestones/new", edit(400), OTHER_BRANCH_EDIT,
            {"kind": "topping_out", "planned_on": "2099-01-01"}),
    *triple("progress.milestone_edit", "GET", "/milestones/{progress_milestone}/edit", UNIT_EDIT, OTHER_BRANCH_EDIT),
    *triple("progress.milestone_delete", "POST", "/milestones/{progress_milestone}/delete", edit(302), OTHER_BRANCH_EDIT),
    *triple("progress.schedule", "GET", "/projects/{progress_project}/schedule", UNIT_EDIT, OTHER_BRANCH_EDIT),
    Case("audit.history", "GET", "/history/project_milestones/{progress_milestone}", UNIT_READ),
    Case("audit.history", "GET", "/history/project_milestones/{progress_milestone_b}", NOBODY),
    # 月度进展 and photos
    *triple("progress.project_progress", "GET", "/projects/{progress_project}/progress", UNIT_READ, OTHER_BRANCH_READ),
    *triple("progress.report_create", "GET", "/projects/{progress_project}/progress/new", UNIT_EDIT, OTHER_BRANCH_EDIT),
    *triple("progress.report_detail", "GET", "/progress/{progress_report}", UNIT_READ, OTHER_BRANCH_READ),
    *triple("progress.report_edit", "GET", "/progress/{progress_report}/edit", UNIT_EDIT, OTHER_BRANCH_EDIT),
    *triple("progress.photo_upload", "POST", "/progress/{progress_report}/photos", edit(400), OTHER_BRANCH_EDIT),
    *triple("progress.photo", "GET", "/progress/{progress_report}/photos/{progress_photo}", UNIT_READ, OTHER_BRANCH_READ),
    Case("progress.photo", "GET", "/progress/{progress_report}/photos/{progress_photo_a2}", NOBODY),  # another report's photo
    Case("progress.photo", "GET", "/progress/{progress_report}/photos/{progress_evidence}", NOBODY),  # a fund's file
    *triple("progress.photo_delete", "POST", "/progress/{progress_report}/photos/{progress_photo}/delete", edit(302), OTHER_BRANCH_EDIT),
    Case("audit.history", "GET", "/history/project_progress/{progress_report}", UNIT_READ),
    # 到位资金, evidence and review
    *triple("progress.fund_create", "GET", "/projects/{progress_project}/funds/new", UNIT_EDIT, OTHER_BRANCH_EDIT),
    *triple("progress.fund_create", "POST", "/projects/{progress_project}/funds/new", edit(400), OTHER_BRANCH_EDIT, FUND),
    *triple("progress.fund_export", "GET", "/projects/{progress_project}/funds/export.xlsx", UNIT_READ, OTHER_BRANCH_READ),
    *triple("progress.fund_detail", "GET", "/funds/{progress_fund}", UNIT_READ, OTHER_BRANCH_READ),
    *triple("progress.fund_edit", "GET", "/funds/{progress_fund}/edit", UNIT_EDIT, OTHER_BRANCH_EDIT),
    *triple("progress.fund_delete", "POST", "/funds/{progress_fund}/delete", edit(302), OTHER_BRANCH_EDIT),
    *triple("progress.evidence_upload", "POST", "/funds/{progress_fund}/evidence", edit(400), OTHER_BRANCH_EDIT),
    *triple("progress.evidence", "GET", "/funds/{progress_fund}/evidence/{progress_evidence}", UNIT_READ, OTHER_BRANCH_READ),
    Case("progress.evidence", "GET", "/funds/{progress_fund}/evidence/{progress_evidence_a2}", NOBODY),
    *triple("progress.evidence_delete", "POST", "/funds/{progress_fund}/evidence/{progress_evidence}/delete", edit(302), OTHER_BRANCH_EDIT),
    *triple("progress.fund_approve", "POST", "/funds/{progress_fund}/approve", review(302), review(302, "a2"), {"version": "1"}),
    *triple("progress.fund_reject", "GET", "/funds/{progress_fund}/reject", review(200), review(200, "a2")),
    *triple("progress.fund_reject", "POST", "/funds/{progress_fund}/reject", review(400), review(400, "a2"), {"version": "1", "comment": ""}),
    Case("progress.fund_reviews", "GET", "/funds/reviews", {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 403, "admin": 403}),
    Case("audit.history", "GET", "/history/fund_arrivals/{progress_fund}", UNIT_READ),
    Case("audit.history", "GET", "/history/fund_arrivals/{progress_fund_a2}", OTHER_BRANCH_READ),
]
