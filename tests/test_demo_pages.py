"""Monday morning on the demo data: every page a demo user can open from the navigation, the project pages
and the reports render without an error for every demo account."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.access.scoping import SYSTEM, set_scope
from crm.demo.scenario import ACCOUNTS
from crm.demo.services import load_demo
from crm.extensions import db
from crm.projects.models import Project
from crm.users.models import User
from tests.conftest import sign_in


@pytest.fixture
def demo(app, isolated):  # type: ignore[no-untyped-def]
    with app.app_context():
        set_scope(db.session, SYSTEM)
        load_demo()
        db.session.commit()
        users = {u.username: u.get_id() for u in db.session.scalars(sa.select(User))}
        projects = list(db.session.scalars(sa.select(Project.id)))
    return users, projects


def _parameterless_get_pages(app) -> list[str]:  # type: ignore[no-untyped-def]
    skip = {"static", "bootstrap.static", "auth.login"}
    pages = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in skip or "GET" not in rule.methods or rule.arguments:
            continue
        pages.append(rule.rule)
    return sorted(set(pages))


@pytest.mark.parametrize("username", [a.username for a in ACCOUNTS])
def test_every_page_renders_for_every_demo_account(app, client, demo, username):  # type: ignore[no-untyped-def]
    users, projects = demo
    sign_in(client, users[username], int(users[username].partition(".")[0]))
    failures = []
    for path in _parameterless_get_pages(app) + [f"/projects/{pid}" for pid in projects]:
        response = client.get(path)
        if response.status_code >= 500 or response.status_code not in (200, 302, 403, 404):
            failures.append((path, response.status_code))
    assert failures == []
