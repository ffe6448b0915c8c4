"""Access cases of 导入台账: staff, chiefs, reviewers and admins import (Gate.IMPORTS); leaders do not. An upload is
its uploader's alone and an import is seen by its author and those who see its unit: made-up ones are 404."""

from __future__ import annotations

from tests.access_cases.common import LOGIN, Case

IMPORTERS = {"anon": LOGIN, "staff": 200, "chief": 200, "reviewer": 200, "leader": 403, "admin": 200}
NOT_FOUND = {**IMPORTERS, "staff": 404, "chief": 404, "reviewer": 404, "admin": 404}
TOKEN = "no-such-upload-token-0000000"

CASES = [
    Case("imports.index", "GET", "/imports/", IMPORTERS),
    Case("imports.new", "GET", "/imports/new", IMPORTERS),
    Case("imports.template", "GET", "/imports/template/projects.xlsx", IMPORTERS),
    Case("imports.template", "GET", "/imports/template/nonsense.xlsx", NOT_FOUND),
    Case("imports.columns", "GET", f"/imports/upload/{TOKEN}", NOT_FOUND),
    Case("imports.preview", "GET", f"/imports/upload/{TOKEN}/preview", NOT_FOUND),
    Case("imports.plan_more", "POST", f"/imports/upload/{TOKEN}/plan", NOT_FOUND),
    Case("imports.commit", "POST", f"/imports/upload/{TOKEN}/commit", NOT_FOUND),
    Case("imports.show", "GET", "/imports/999999", NOT_FOUND),
    # Someone else's or a missing import: refused with a message, nothing reverted.
    Case("imports.revert", "POST", "/imports/999999/revert", {**IMPORTERS, "staff": 302, "chief": 302, "reviewer": 302, "admin": 302}),
]
