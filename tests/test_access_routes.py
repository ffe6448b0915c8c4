"""Every route × every role, with objects of the actor's own subtree and of another county.

``test_every_route_is_covered`` walks the app's URL map and fails when a route
exists that ``CASES`` does not list: a feature that adds a route must add its
row here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

ROLES = ["anon", "staff", "chief", "reviewer", "leader", "admin"]
ASSET_ENDPOINTS = {"static", "bootstrap.static"}
LOGIN = "login"  # expected: a redirect to the login page


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    path: str  # formatted with the world's ids: {own_user}, {other_user}, {own_unit}, {other_unit}
    expected: dict[str, int | str]
    data: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def everyone(status: int | str, anon: int | str = LOGIN) -> dict[str, int | str]:
    return {"anon": anon, **{role: status for role in ROLES[1:]}}


def admin_only(admin_status: int) -> dict[str, int | str]:
    return {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 403, "leader": 403, "admin": admin_status}


REVIEWERS = {"anon": LOGIN, "staff": 403, "chief": 403, "reviewer": 200, "leader": 403, "admin": 200}

CASES = [
    Case("web.home", "GET", "/", everyone(200)),
    Case("auth.login", "GET", "/login", everyone(302, anon=200)),
    Case("auth.logout", "POST", "/logout", everyone(302, anon=302)),
    Case("auth.logout_everywhere", "POST", "/account/logout-everywhere", everyone(302)),
    Case("auth.account", "GET", "/account", everyone(200)),
    Case("auth.change_password", "POST", "/account/password", everyone(400)),
    Case("auth.preferences", "POST", "/account/preferences", everyone(302), data={"prefs-locale": "zh"}),
    Case("users.index", "GET", "/admin/users/", admin_only(200)),
    Case("users.create", "GET", "/admin/users/new", admin_only(200)),
    Case("users.edit", "GET", "/admin/users/{own_user}/edit", admin_only(200)),
    Case("users.edit", "GET", "/admin/users/{other_user}/edit", admin_only(404)),
    Case("users.password", "GET", "/admin/users/{own_user}/password", admin_only(200)),
    Case("users.password", "GET", "/admin/users/{other_user}/password", admin_only(404)),
    Case("users.toggle_active", "POST", "/admin/users/{own_user}/active", admin_only(302), data={"active": "1"}),
    Case("users.toggle_active", "POST", "/admin/users/{other_user}/active", admin_only(404), data={"active": "0"}),
    Case("units.index", "GET", "/admin/units/", admin_only(200)),
    Case("units.create", "GET", "/admin/units/new", admin_only(200)),
    Case("units.edit", "GET", "/admin/units/{own_unit}/edit", admin_only(200)),
    Case("units.edit", "GET", "/admin/units/{other_unit}/edit", admin_only(404)),
    Case("audit.search", "GET", "/admin/audit", admin_only(200)),
    Case("audit.history", "GET", "/history/users/{own_user}", {**everyone(404), "admin": 200}),
    Case("audit.history", "GET", "/history/users/{other_user}", everyone(404)),
    Case("audit.history", "GET", "/history/units/{own_unit}", {**everyone(404), "admin": 200}),
    Case("audit.history", "GET", "/history/units/{other_unit}", everyone(404)),
    Case("audit.history", "GET", "/history/no_such_table/1", everyone(404)),
    Case("audit.history", "GET", "/history/companies/{company}", everyone(200)),
    Case("catalog.chains", "GET", "/admin/chains/", admin_only(200)),
    Case("catalog.edit", "GET", "/admin/chains/{chain}/edit", admin_only(200)),
    # Companies are shared master data: everyone reads; leaders do not edit; reviewers and admins merge.
    Case("companies.index", "GET", "/companies/", everyone(200)),
    Case("companies.export", "GET", "/companies/export.xlsx", everyone(200)),
    Case("companies.check", "GET", "/companies/check?name=海威纺织", everyone(200)),
    Case("companies.detail", "GET", "/companies/{company}", everyone(200)),
    Case("companies.detail", "GET", "/companies/999999", everyone(404)),
    Case("companies.create", "GET", "/companies/new", {**everyone(200), "leader": 403}),
    Case("companies.edit", "GET", "/companies/{company}/edit", {**everyone(200), "leader": 403}),
    Case("companies.contact_create", "GET", "/companies/{company}/contacts/new", {**everyone(200), "leader": 403}),
    Case("companies.contact_edit", "GET", "/companies/contacts/{contact}/edit", {**everyone(200), "leader": 403}),
    Case("companies.contact_active", "POST", "/companies/contacts/{contact}/active", {**everyone(302), "leader": 403}, data={"active": "1"}),
    Case("companies.duplicates", "GET", "/companies/duplicates", REVIEWERS),
    Case("companies.review", "GET", "/companies/duplicates/{group}", REVIEWERS),
    Case("companies.dismiss", "POST", "/companies/duplicates/999999/dismiss", {**REVIEWERS, "reviewer": 404, "admin": 404}),
    Case("companies.compare", "POST", "/companies/{company}/compare/{other_company}", {**REVIEWERS, "reviewer": 302, "admin": 302}),
    Case("companies.undo", "POST", "/companies/merges/999999/undo", {**REVIEWERS, "reviewer": 404, "admin": 404}),
]


def ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        **world.records,
        # staff_a2 sits in the admin's subtree but outside staff's and chief's own unit.
        "own_user": world.users["staff_a2"].id,
        "other_user": world.users["staff_b"].id,
        "own_unit": world.units["branch_a2"].id,
        "other_unit": world.units["branch_b1"].id,
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.parametrize("role", ROLES)
def test_route_access(case: Case, role: str, client, auth, world) -> None:  # type: ignore[no-untyped-def]
    if role != "anon":
        auth.login_as(role)
    path = case.path.format(**ids(world))
    response = client.open(path, method=case.method, data=case.data)
    expected = case.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]


def test_every_route_is_covered(app) -> None:  # type: ignore[no-untyped-def]
    covered = {case.endpoint for case in CASES}
    routes = {rule.endpoint for rule in app.url_map.iter_rules()} - ASSET_ENDPOINTS
    assert routes - covered == set(), "routes without access tests — add them to CASES"


def test_every_case_names_a_real_route(app) -> None:  # type: ignore[no-untyped-def]
    routes = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {case.endpoint for case in CASES} - routes == set()
