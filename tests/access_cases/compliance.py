"""Access cases of 履约 (issue 17): the list and its export are everyone's, over the projects each reads (the unit
scope); the county's setting is read by all and set by those who set the county's reports (the 审核员, admins)."""

from __future__ import annotations

from tests.access_cases.common import Case, everyone

CASES = [
    Case("compliance.index", "GET", "/compliance/", everyone(200)),
    Case("compliance.index", "GET", "/compliance/?status=zz&unit=x&q=%25", everyone(200)),
    Case("compliance.export", "GET", "/compliance/export.xlsx?status=late", everyone(200)),
    Case("compliance.settings", "GET", "/compliance/settings", everyone(200)),
    Case("compliance.settings", "POST", "/compliance/settings", {**everyone(403), "reviewer": 302, "admin": 302}, data={"uses_commitments": "y"}),
]
