"""Every route × every role, with objects of the actor's own subtree and of another county.

``test_every_route_is_covered`` walks the app's URL map and fails when a route
exists that ``CASES`` does not list: a feature that adds a route must add its
row here.
"""

from __future__ import annotations

import pytest

from tests.access_cases import feature_cases
from tests.access_cases.common import (
    ASSET_ENDPOINTS,
    LOGIN,
    REVIEWERS,
    ROLES,
    UNIT_EDIT,
    UNIT_READ,
    UNIT_WORK,
    Case,
    admin_only,
    everyone,
)

CASES = [
    Case("web.home", "GET", "/", everyone(200)),
    Case("web.workbench", "GET", "/workbench", everyone(200)),
    Case("search.search", "GET", "/search?q=rgjg", everyone(200)),
    Case("web.health", "GET", "/healthz", everyone(200, anon=200)),
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
    Case("unit_pickers.candidates", "GET", "/units/candidates?q=分局", everyone(200)),
    Case("unit_pickers.candidates", "GET", "/units/candidates?within=manage&q=分局", admin_only(200)),
    Case("unit_pickers.candidates", "GET", "/units/candidates?within=nonsense", everyone(404)),
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
    Case("companies.pick", "GET", "/companies/pick?company_name=rongge", everyone(200)),
    # Leads belong to branch_a1 (staff's and chief's unit). Another branch's staff gets 404;
    # county-level roles read them but do not edit.
    Case("leads.index", "GET", "/leads/", everyone(200)),
    Case("leads.export", "GET", "/leads/export.xlsx", everyone(200)),
    Case("leads.create", "GET", "/leads/new", UNIT_WORK),
    Case("leads.candidates", "GET", "/leads/candidates?q=荣格", UNIT_WORK),
    Case("leads.detail", "GET", "/leads/{lead}", UNIT_READ),
    Case("leads.edit", "GET", "/leads/{lead}/edit", UNIT_EDIT),
    Case("leads.status", "POST", "/leads/{lead}/status", {**UNIT_EDIT, "staff": 302, "chief": 302}, data={"status": "following"}),
    Case("leads.add_follow_up", "POST", "/leads/{lead}/follow-ups", {**UNIT_EDIT, "staff": 302, "chief": 302}),
    Case("audit.history", "GET", "/history/leads/{lead}", UNIT_READ),
    Case("followups.todo", "GET", "/todo", everyone(200)),
    Case("followups.create", "GET", "/follow-ups/new", {**everyone(403), "staff": 200, "chief": 200}),
    Case("followups.team", "GET", "/team-todo", {**everyone(403), "chief": 200}),
    Case("followups.team_reassign", "POST", "/team-todo/reassign", {**everyone(403), "chief": 302}),
    Case("followups.for_company", "POST", "/companies/{company}/follow-ups", {**UNIT_EDIT, "staff": 302, "chief": 302},
         data={"due_on": "2026-12-01", "note": "电话回访"}),
    Case("leads.convert", "POST", "/leads/{lead}/convert", {**UNIT_EDIT, "staff": 302, "chief": 302}),
    Case("projects.index", "GET", "/projects/", everyone(200)),
    Case("projects.detail", "GET", "/projects/{project}", UNIT_READ),
    Case("audit.history", "GET", "/history/projects/{project}", UNIT_READ),
    Case("visits.index", "GET", "/visits/", everyone(200)),
    Case("visits.create", "GET", "/visits/new", UNIT_WORK),
    Case("visits.detail", "GET", "/visits/{visit}", UNIT_READ),
    Case("visits.edit", "GET", "/visits/{visit}/edit", UNIT_EDIT),
    Case("visits.hints", "GET", "/visits/hints?company=荣格精工有限公司", everyone(200)),
    Case("audit.history", "GET", "/history/visits/{visit}", UNIT_READ),
    Case("followups.done", "POST", "/follow-ups/{follow_up}/done", {**UNIT_EDIT, "staff": 302, "chief": 302}),
    Case("followups.snooze_task", "POST", "/follow-ups/{follow_up}/snooze", {**UNIT_EDIT, "staff": 302, "chief": 302}),
    Case("followups.reassign_task", "POST", "/follow-ups/{follow_up}/reassign", {**UNIT_EDIT, "staff": 403, "chief": 302}),
    # Agreements: {agreement} is branch_a1's (staff's and chief's unit), {agreement_a2} another branch's
    # of the same county (county roles read it, the branch_a1 people get 404), {agreement_b} another county's.
    Case("agreements.index", "GET", "/agreements/", everyone(200)),
    Case("agreements.export", "GET", "/agreements/export.xlsx", everyone(200)),
    Case("agreements.create", "GET", "/agreements/new", {**everyone(403), "staff": 200, "chief": 200}),
    Case("agreements.detail", "GET", "/agreements/{agreement}", everyone(200)),
    Case("agreements.detail", "GET", "/agreements/{agreement_a2}", {**everyone(200), "staff": 404, "chief": 404}),
    Case("agreements.detail", "GET", "/agreements/{agreement_b}", everyone(404)),
    Case("agreements.edit", "GET", "/agreements/{agreement}/edit", {**everyone(403), "staff": 200, "chief": 200}),
    Case("agreements.edit", "GET", "/agreements/{agreement_a2}/edit", {**everyone(403), "staff": 404, "chief": 404}),
    Case("agreements.edit", "GET", "/agreements/{agreement_b}/edit", everyone(404)),
    Case("agreements.terminate", "GET", "/agreements/{agreement}/terminate", {**everyone(403), "staff": 200, "chief": 200}),
    Case("agreements.terminate", "GET", "/agreements/{agreement_a2}/terminate", {**everyone(403), "staff": 404, "chief": 404}),
    Case("agreements.terminate", "GET", "/agreements/{agreement_b}/terminate", everyone(404)),
    Case("agreements.upload", "POST", "/agreements/{agreement}/attachments", {**everyone(403), "staff": 400, "chief": 400}),
    Case("agreements.upload", "POST", "/agreements/{agreement_a2}/attachments", {**everyone(403), "staff": 404, "chief": 404}),
    Case("agreements.upload", "POST", "/agreements/{agreement_b}/attachments", everyone(404)),
    Case("agreements.attachment", "GET", "/agreements/{agreement}/attachments/{agreement_file}", everyone(200)),
    Case("agreements.attachment", "GET", "/agreements/{agreement_a2}/attachments/{agreement_a2_file}", {**everyone(200), "staff": 404, "chief": 404}),
    Case("agreements.attachment", "GET", "/agreements/{agreement_b}/attachments/{agreement_b_file}", everyone(404)),
    Case("agreements.attachment", "GET", "/agreements/{agreement}/attachments/{agreement_a2_file}", everyone(404)),
    Case("agreements.delete_attachment", "POST", "/agreements/{agreement}/attachments/{agreement_file}/delete", {**everyone(403), "staff": 302, "chief": 302}),
    Case("agreements.delete_attachment", "POST", "/agreements/{agreement_a2}/attachments/{agreement_a2_file}/delete", {**everyone(403), "staff": 404, "chief": 404}),
    Case("agreements.delete_attachment", "POST", "/agreements/{agreement_b}/attachments/{agreement_b_file}/delete", everyone(404)),
    Case("audit.history", "GET", "/history/agreements/{agreement}", everyone(200)),
    Case("audit.history", "GET", "/history/agreements/{agreement_a2}", {**everyone(200), "staff": 404, "chief": 404}),
    Case("audit.history", "GET", "/history/agreements/{agreement_b}", everyone(404)),
    Case("audit.history", "GET", "/history/attachments/{agreement_file}", everyone(200)),
] + feature_cases()


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


@pytest.mark.parametrize(
    "path",
    ["/leads/{lead}", "/leads/{lead}/edit", "/history/leads/{lead}", "/visits/{visit}", "/visits/{visit}/edit", "/projects/{project}"],
)
def test_another_units_staff_gets_404(path: str, client, auth, world) -> None:  # type: ignore[no-untyped-def]
    """staff_a2 works in branch_a2: branch_a1's records do not exist for them."""
    auth.login_as("staff_a2")
    assert client.get(path.format(**ids(world))).status_code == 404
    listing = client.get("/leads/").get_data(as_text=True)
    assert "荣格精工扩产线索" not in listing
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(client.get("/leads/export.xlsx").data)).active
    assert all("荣格精工扩产线索" not in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def test_another_units_staff_cannot_touch_the_follow_up(client, auth, world) -> None:  # type: ignore[no-untyped-def]
    auth.login_as("staff_a2")
    for action in ("done", "snooze", "reassign"):
        assert client.post(f"/follow-ups/{world.records['follow_up']}/{action}").status_code == 404
    assert "电话回访" not in client.get("/todo").get_data(as_text=True)
