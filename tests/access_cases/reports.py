"""Access cases of the report pages (records: tests/world_parts/reports.py).

Every role reads the reports of what it sees (a unit's people their own unit); publishing and the
settings are for reviewers and admins; the unit-wide ranking exports and the quarter view are for the
county roles (a unit's people see their own line of published rankings).
"""

from __future__ import annotations

from tests.access_cases.common import LOGIN, REVIEWERS, Case, everyone

MANAGERS_POST = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 302, "leader": 403, "admin": 302}
COUNTY_READ = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 200, "admin": 200}

CASES = [
    Case("reports.monthly", "GET", "/reports/monthly?period=2026-10", everyone(200)),
    Case("reports.monthly", "GET", "/reports/monthly?period=2026-09", everyone(200)),  # county B's published month
    Case("reports.monthly_print", "GET", "/reports/monthly/print?period=2026-10", everyone(200)),
    Case("reports.monthly_export", "GET", "/reports/monthly.xlsx?period=2026-10", everyone(200)),
    Case("reports.monthly_publish", "POST", "/reports/monthly/publish", MANAGERS_POST, data={"period": "2026-10"}),
    Case("reports.monthly_publish", "POST", "/reports/monthly/publish", {**MANAGERS_POST, "reviewer": 400, "admin": 400},
         data={"period": "2099-01"}),
    Case("reports.ranking", "GET", "/reports/ranking?period=2026-10", everyone(200)),
    Case("reports.ranking_publish", "POST", "/reports/ranking/publish", MANAGERS_POST, data={"period": "2026-10"}),
    Case("reports.ranking_export", "GET", "/reports/ranking.xlsx?period=2026-10", COUNTY_READ),
    Case("reports.quarter", "GET", "/reports/ranking/quarter?year=2026&quarter=4", COUNTY_READ),
    Case("reports.quarter_export", "GET", "/reports/ranking/quarter.xlsx?year=2026&quarter=4", COUNTY_READ),
    Case("reports.quarter_notice", "GET", "/reports/ranking/quarter/notice.docx?year=2026&quarter=4", COUNTY_READ),
    Case("reports.ranking_notice", "GET", "/reports/ranking/notice.docx?period=2026-10", COUNTY_READ),
    Case("reports.weekly", "GET", "/reports/weekly?week=2026-W48", everyone(200)),
    Case("reports.weekly", "GET", "/reports/weekly?week=2026-W48&unit={other_unit}", everyone(404)),
    Case("reports.weekly_print", "GET", "/reports/weekly/print?week=2026-W48", everyone(200)),
    Case("reports.weekly_export", "GET", "/reports/weekly.docx?week=2026-W48", everyone(200)),
    Case("reports.batches", "GET", "/reports/batches?year=2026&quarter=4", everyone(200)),
    Case("reports.batches_export", "GET", "/reports/batches.xlsx?year=2026&quarter=4", everyone(200)),
    Case("reports.cohorts", "GET", "/reports/cohorts", everyone(200)),
    Case("reports.cohorts_export", "GET", "/reports/cohorts.xlsx", everyone(200)),
    Case("reports.funds", "GET", "/reports/funds?start=2026-01&end=2026-12", everyone(200)),
    Case("reports.funds_export", "GET", "/reports/funds.xlsx", everyone(200)),
    Case("reports.milestones", "GET", "/reports/milestones", everyone(200)),
    Case("reports.milestones_export", "GET", "/reports/milestones.xlsx", everyone(200)),
    Case("reports.dashboard_export", "GET", "/reports/dashboard.xlsx?period=2026-10", everyone(200)),
    Case("reports.breakdown", "GET", "/reports/breakdown/unit", everyone(200)),
    Case("reports.breakdown", "GET", "/reports/breakdown/nonsense", everyone(404)),
    Case("reports.settings", "GET", "/reports/settings", REVIEWERS),
    Case("reports.settings", "POST", "/reports/settings", {**REVIEWERS, "reviewer": 400, "admin": 400}, data={"threshold": "-1"}),
    Case("web.dashboard", "GET", "/dashboard?period=2026-10", everyone(200)),
]
