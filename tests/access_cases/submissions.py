"""Access cases of the 半月报. ``{submission}`` is branch_a1's (staff's and chief's unit), ``{submission_a2}``
another branch's of the same county, ``{submission_b}`` county B's. Units write their own; everybody
who sees the unit's records reads them."""

from __future__ import annotations

from tests.access_cases.common import UNIT_READ, Case, everyone

WRITERS = {**everyone(403), "staff": 200, "chief": 200}
OTHER_BRANCH = {**UNIT_READ, "staff": 404, "chief": 404}
REPORT = {"infrastructure": "道路施工", "new_projects": "无", "funding": "无"}

CASES = [
    Case("submissions.index", "GET", "/submissions/", everyone(200)),
    Case("submissions.index", "GET", "/submissions/?period=2026-10-2", everyone(200)),
    Case("submissions.index", "GET", "/submissions/?period=nonsense", everyone(200)),
    Case("submissions.edit", "GET", "/submissions/periods/2026-10-2", WRITERS),
    Case("submissions.edit", "POST", "/submissions/periods/2026-10-2", {**WRITERS, "staff": 302, "chief": 302}, data={**REPORT, "version": "1"}),
    Case("submissions.edit", "GET", "/submissions/periods/2099-01-1", {**WRITERS, "staff": 404, "chief": 404}),
    Case("submissions.edit", "GET", "/submissions/periods/2026-13-1", {**WRITERS, "staff": 404, "chief": 404}),
    Case("submissions.detail", "GET", "/submissions/{submission}", UNIT_READ),
    Case("submissions.detail", "GET", "/submissions/{submission_a2}", OTHER_BRANCH),
    Case("submissions.detail", "GET", "/submissions/{submission_b}", everyone(404)),
    Case("audit.history", "GET", "/history/submissions/{submission}", UNIT_READ),
    Case("audit.history", "GET", "/history/submissions/{submission_b}", everyone(404)),
]
