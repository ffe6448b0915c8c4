"""Error pages, security headers, scoping that fails closed, navigation by role."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from crm.access.scoping import SYSTEM, UNSCOPED, scoped_as, set_scope
from crm.access.policy import build_actor
from crm.users.models import User


def test_404_page_is_chinese(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_405_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "请求方式不正确" in response.get_data(as_text=True)


def test_500_page_shows_no_stack_trace(app, client, auth, world, monkeypatch):
    import crm.web.views as views

    def explode():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "workbench_of", explode)
    auth.login_as("staff")
    response = client.get("/")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错了" in text
    assert "secret internals" not in text and "Traceback" not in text


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "role,visible,hidden",
    [
        ("staff", ["工作台", "我的待办", "数据看板"], ["团队待办", "用户管理", "单位管理", "操作日志"]),
        ("leader", ["数据看板"], ["我的待办", "用户管理"]),
        ("admin", ["数据看板", "用户管理", "单位管理", "操作日志"], ["团队待办"]),
    ],
)
def test_navigation_by_role(auth, client, world, role, visible, hidden):
    auth.login_as(role)
    text = client.get("/").get_data(as_text=True)
    nav = text[text.index("<nav") : text.index("</nav>")]
    for item in visible:
        assert item in nav
    for item in hidden:
        assert item not in nav


def test_query_without_scope_sees_nothing(session, world):
    set_scope(session, None)
    assert session.scalars(sa.select(User)).all() == []
    assert session.get(User, world.users["staff"].id, populate_existing=True) is None
    set_scope(session, SYSTEM)
    assert len(session.scalars(sa.select(User)).all()) == len(world.users)


def test_staff_scope_sees_own_unit_self_and_leaders(app, session, world):
    with app.app_context():
        actor = build_actor(world.users["staff"])
    with scoped_as(session, actor):
        names = {u.username for u in session.scalars(sa.select(User).execution_options(populate_existing=True))}
    # Not staff_sq: the squad below branch_a1 is not staff's own unit.
    assert names == {"staff_a1", "chief_a1", "leader_a"}


def test_reviewer_scope_is_the_subtree(app, session, world):
    with app.app_context():
        actor = build_actor(world.users["reviewer"])
    with scoped_as(session, actor):
        names = {u.username for u in session.scalars(sa.select(User))}
    assert "staff_b1" not in names and "admin_b" not in names
    assert {"staff_a1", "staff_a2", "staff_sq", "reviewer_a", "leader_a"} <= names


def test_unscoped_must_be_asked_for_by_name(session, world):
    set_scope(session, None)
    stmt = sa.select(User).where(User.username == "staff_a1")
    assert session.scalars(stmt).first() is None
    assert session.scalars(stmt.execution_options(**UNSCOPED)).first() is not None


def test_every_scoped_model_defines_its_criteria():
    from crm.access.scoping import ScopedModel
    from crm.domain.access import Actor, Role

    actor = Actor(user_id=1, role=Role.STAFF, unit_id=1, subtree=frozenset({1}))
    assert ScopedModel.__scoped_models__
    for model in ScopedModel.__scoped_models__:
        assert model.scope_criteria(actor) is not None


def test_health_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_server_timing_counts_the_statements_of_a_request(app):
    """With CRM_SERVER_TIMING on, every response says how many SQL statements it ran; off, nothing is said."""
    import re

    from crm import create_app
    from tests.conftest import app_config

    assert "Server-Timing" not in app.test_client().get("/healthz").headers
    timed = create_app({**app_config(app.config["DATABASE_URL"], None), "CRM_SERVER_TIMING": True})  # type: ignore[arg-type]
    header = timed.test_client().get("/healthz").headers["Server-Timing"]
    match = re.fullmatch(r'sql;dur=[\d.]+;desc="(\d+) statements", app;dur=[\d.]+', header)
    assert match, header
    assert int(match.group(1)) in (1, 2)  # the SELECT 1, and SQLite's explicit BEGIN


def test_the_web_servers_worker_freezes_what_it_has_loaded_once_warm(tmp_path, monkeypatch) -> None:
    """After CRM_GC_FREEZE_AFTER requests, once that response has gone out: a collection, then gc.freeze, once
    per process; only for the web server's app."""
    from crm import create_app
    from crm.web import gc_freeze

    calls: list[str] = []
    monkeypatch.setattr(gc_freeze.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(gc_freeze.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc_freeze, "_served", itertools.count(1))
    config = {"DATABASE_URL": f"sqlite:///{tmp_path}/gc.db", "SECRET_KEY": "x", "CRM_GC_FREEZE_AFTER": 3}
    monkeypatch.setenv("CRM_INSTANCE_PATH", str(tmp_path))
    plain = create_app(config).test_client()
    for _ in range(4):
        plain.get("/healthz").close()
    assert calls == []  # the command line's or a test's app never freezes
    web = create_app(config, web_server=True).test_client()
    responses = []
    for _ in range(2):
        responses.append(web.get("/login"))
        responses[-1].close()
    assert calls == []
    third = web.get("/login")
    assert calls == []  # not inside the request: after its response has gone out
    third.close()
    assert calls == ["collect", "freeze"]
    for _ in range(5):
        web.get("/login").close()
    assert calls == ["collect", "freeze"]  # once


def test_detail_pages_lead_back_to_their_list_as_it_was_left(auth, client, world):
    """Breadcrumbs on every detail page, the list's link keeping the filters the user came from (issue 14)."""
    auth.login_as("staff")
    pages = {
        f"/leads/{world.records['lead']}": "/leads/",
        f"/projects/{world.records['project']}": "/projects/",
        f"/companies/{world.records['company']}": "/companies/",
    }
    for detail, listing in pages.items():
        page = client.get(detail).get_data(as_text=True)
        assert 'data-testid="breadcrumbs"' in page and f'href="{listing}" data-testid="back-to-list"' in page, detail
        came_from = f"http://localhost{listing}?q=%E8%8D%A3&sort=-updated&page=2"
        page = client.get(detail, headers={"Referer": came_from}).get_data(as_text=True)
        assert f'href="{listing}?q=%E8%8D%A3&amp;sort=-updated&amp;page=2" data-testid="back-to-list"' in page, detail
        elsewhere = client.get(detail, headers={"Referer": "http://evil.example/leads/?q=x"}).get_data(as_text=True)
        assert f'href="{listing}" data-testid="back-to-list"' in elsewhere, detail
