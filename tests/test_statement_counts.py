"""Every page a role opens runs the same number of SQL statements with eight times the data.

The pages are those of the access matrix (tests/test_access_routes.py) that answer 200 for the role; the data
grows around the world's own records (tests/scale.py), in the user's unit, elsewhere in the county and in another
county, so that lists, detail pages, reports and exports all have more rows to show. A page whose statements grow
with the rows (a query per row) fails here, with the pages that grew named.
"""

from __future__ import annotations

from tests.access_cases.common import ROLES
from tests.helpers import Statement, count_statements
from tests.scale import grow
from tests.test_access_routes import CASES, ids

SIGNED_IN = [role for role in ROLES if role != "anon"]


def _pages(role: str) -> list[str]:
    return sorted({case.path for case in CASES if case.method == "GET" and case.expected[role] == 200})


def _reads_or_writes(statements: list[Statement]) -> list[str]:
    return [s.sql for s in statements if s.sql.lstrip()[:6].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH  ", "WITH")]


def _statements(app, client, auth, world) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    found: dict[tuple[str, str], int] = {}
    for role in SIGNED_IN:
        auth.login_as(role)
        for template in _pages(role):
            path = template.format(**ids(world))
            with count_statements(app) as seen:
                response = client.get(path)
                response.get_data()  # a streamed export reads its rows now
            assert response.status_code == 200, (role, path, response.status_code)
            found[(role, template)] = len(_reads_or_writes(seen))
    return found


def test_no_page_runs_more_statements_with_eight_times_the_data(app, client, auth, world) -> None:
    grow(app, world, 1)
    small = _statements(app, client, auth, world)
    grow(app, world, 7)
    large = _statements(app, client, auth, world)
    grew = {key: (small[key], large[key]) for key in small if large[key] != small[key]}
    assert not grew, "statements grew with the data (role, page): (1×, 8×)\n" + "\n".join(
        f"  {role:9} {page}: {before} → {after}" for (role, page), (before, after) in sorted(grew.items()))
    assert len(small) > 300  # every role's pages were opened
