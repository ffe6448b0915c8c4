"""Pages gated by role, and the county a reviewer answers for, as the policy says (crm/domain/access.py)."""

from __future__ import annotations

import pytest
from flask import url_for

from crm.access.policy import build_actor
from crm.reports.scope import county_scope, may_edit_targets_of, may_manage
from crm.web.navigation import NAV_ITEMS, flat, nav_for

ROLES = ["staff", "chief", "reviewer", "leader", "admin"]


@pytest.mark.parametrize("who", ROLES)
def test_the_navigation_offers_exactly_the_pages_the_role_may_open(app, auth, client, world, who):
    auth.login_as(who)
    with app.test_request_context():
        urls = {item.endpoint: url_for(item.endpoint) for item in NAV_ITEMS}
        offered = {item.endpoint for item in flat(nav_for(build_actor(world.users[who])))}
    home = client.get("/").get_data(as_text=True)
    bar = home[home.index('data-testid="nav"'):home.index('role="search"')]
    shown = {endpoint for endpoint, url in urls.items() if f'href="{url}"' in bar}
    assert shown == offered
    opens = {endpoint for endpoint, url in urls.items() if client.get(url).status_code == 200}
    # Every page offered opens; a page not offered is either refused or (我的待办, the 工作台) of no use to the role.
    assert offered <= opens
    assert opens - offered <= {"followups.todo", "web.workbench"}


def test_a_reviewer_manages_the_reports_of_their_own_county_only(app, app_session, world):
    with app.test_request_context():
        reviewer = build_actor(world.users["reviewer"])
        assert reviewer.county_id == world.units["county_a"].id  # the county above the 招商局
        own, other = county_scope(world.units["county_a"].id), county_scope(world.units["county_b"].id)
        assert may_manage(reviewer, own) and not may_manage(reviewer, other)
        assert may_edit_targets_of(reviewer, own, world.units["branch_a1"].id)
        assert not may_edit_targets_of(reviewer, own, world.units["branch_b1"].id)
        staff = build_actor(world.users["staff"])
        assert not may_manage(staff, own)


def test_the_bar_marks_the_section_of_the_page(app):
    from crm.web.navigation import active_endpoint

    with app.test_request_context():
        items = NAV_ITEMS
        assert active_endpoint(items, "companies.review") == "companies.duplicates"  # 督查, not 企业库 under 招商
        assert active_endpoint(items, "companies.detail") == "companies.index"
        assert active_endpoint(items, "leads.index") == "leads.index"
        assert active_endpoint(items, None) is None
