"""Access cases of the 服务单位评议 (records: tests/world_parts/ratings.py).

The gate lets in chiefs, leaders, reviewers and admins (staff: 403). Raters (the 分局长, county leaders) score a
服务单位 of their county (another county's: 404); the county roles read the results; the county's 审核员 and
admins set the criteria."""

from __future__ import annotations

from tests.access_cases.common import LOGIN, Case

IN_GATE = {"anon": LOGIN, "staff": 403, "chief": 200, "reviewer": 200, "leader": 200, "admin": 200}
RATERS = {"anon": LOGIN, "staff": 403, "chief": 200, "reviewer": 403, "leader": 200, "admin": 403}
RESULTS = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 200, "admin": 200}
MANAGERS = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 403, "admin": 200}

CASES = [
    Case("ratings.index", "GET", "/ratings/", IN_GATE),
    Case("ratings.rate", "GET", "/ratings/{service_a}", RATERS),
    Case("ratings.rate", "GET", "/ratings/{service_b}", {**RATERS, "chief": 404, "leader": 404}),
    Case("ratings.rate", "POST", "/ratings/{service_a}", {**RATERS, "chief": 400, "leader": 400}, data={"comment": "未打分"}),
    Case("ratings.export", "GET", "/ratings/results.xlsx", RESULTS),
    Case("ratings.criteria", "GET", "/ratings/criteria", MANAGERS),
    Case("ratings.criteria", "POST", "/ratings/criteria", {**MANAGERS, "reviewer": 400, "admin": 400}, data={"name": "", "max_points": "0"}),
    Case("ratings.criterion", "GET", "/ratings/criteria/{rating_criterion}", MANAGERS),
    Case("ratings.criterion", "GET", "/ratings/criteria/999999", {**MANAGERS, "reviewer": 404, "admin": 404}),
]
