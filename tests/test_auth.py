"""Signing in and out, throttling, session versions, CSRF and redirects."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from crm.auth.models import LoginAttempt
from crm.users.models import User
from tests.conftest import TEST_PASSWORD, sign_in

GENERIC_FAILURE = "用户名或密码错误，或账号已停用。"


def test_login_and_logout(auth, client, world):
    response = auth.login("staff_a1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "staff_a1姓名" in client.get("/").get_data(as_text=True)
    response = auth.logout()
    assert response.headers["Location"].startswith("/login")
    assert client.get("/").status_code == 302


def test_username_is_case_insensitive(auth, world):
    assert auth.login("STAFF_A1").status_code == 302


@pytest.mark.parametrize(
    "username,password",
    [("staff_a1", "wrong-password"), ("nobody-here", TEST_PASSWORD), ("staff_a1", "")],
)
def test_failures_look_the_same(auth, username, password, world):
    response = auth.login(username, password)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if password:
        assert GENERIC_FAILURE in text
    else:
        assert "必填项" in text
    assert 'value="' + username + '"' in text  # what was typed stays in the form


def test_inactive_user_cannot_sign_in(auth, session, world):
    world.users["staff"].is_active = False
    session.commit()
    response = auth.login("staff_a1")
    assert GENERIC_FAILURE in response.get_data(as_text=True)


def test_throttle_per_account(auth, app, session, world):
    limit = app.config["CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        auth.login("staff_a1", "wrong")
    # Even the right password is refused now, with a message that does not say whether the account exists.
    response = auth.login("staff_a1", TEST_PASSWORD)
    text = response.get_data(as_text=True)
    assert "登录失败次数过多" in text
    assert session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt).where(LoginAttempt.username == "staff_a1")) == limit


def test_throttle_treats_unknown_accounts_alike(auth, app, world):
    limit = app.config["CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        auth.login("ghost", "wrong")
    assert "登录失败次数过多" in auth.login("ghost", "wrong").get_data(as_text=True)


def test_throttle_per_address(auth, app, world):
    app.config["CRM_LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for name in ("a1", "a2", "a3"):
            auth.login(name, "wrong")
        response = auth.login("staff_a1", TEST_PASSWORD)
        assert "登录失败次数过多" in response.get_data(as_text=True)
    finally:
        app.config["CRM_LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_an_office_behind_one_address_is_not_locked_out_of_known_browsers(auth, app, client, world, monkeypatch):
    """A whole 招商局 behind one NAT shares an address: colleagues' typos used to lock everyone out for 15 minutes.
    A browser that has signed in to the account before still may; a new browser waits, as an attacker would."""
    assert auth.login("staff_a1").status_code == 302  # this browser is now known for staff_a1
    auth.logout()
    monkeypatch.setitem(app.config, "CRM_LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    colleague = app.test_client()
    for name in ("a1", "a2", "a3"):
        colleague.post("/login", data={"username": name, "password": "wrong"})
    assert auth.login("staff_a1").status_code == 302
    auth.logout()
    stranger = app.test_client()
    response = stranger.post("/login", data={"username": "staff_a1", "password": TEST_PASSWORD})
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_guessing_elsewhere_does_not_lock_the_owners_browser_out(auth, app, client, session, world):
    limit = app.config["CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert auth.login("staff_a1").status_code == 302
    auth.logout()
    attacker = app.test_client()
    for _ in range(limit):
        attacker.post("/login", data={"username": "staff_a1", "password": "wrong"})
    assert "登录失败次数过多" in attacker.post("/login", data={"username": "staff_a1", "password": TEST_PASSWORD}).get_data(as_text=True)
    assert auth.login("staff_a1").status_code == 302
    auth.logout()
    # The known browser's own failures still count, against that browser.
    for _ in range(limit):
        auth.login("staff_a1", "wrong")
    assert "登录失败次数过多" in auth.login("staff_a1").get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(LoginAttempt).where(LoginAttempt.device.is_not(None))) == limit


def test_a_forged_device_cookie_is_ignored(auth, app, client, world):
    limit = app.config["CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        auth.login("staff_a1", "wrong")
    client.set_cookie("crm_device", '{"d": "x", "u": ["staff_a1"]}')
    assert "登录失败次数过多" in auth.login("staff_a1").get_data(as_text=True)


def test_a_proxy_without_proxy_fix_is_said_in_the_log(app, client, world, caplog):
    import logging

    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            client.post("/login", data={"username": "x", "password": "y"}, headers={"X-Forwarded-For": "10.0.0.7"})
    assert sum("CRM_PROXY_FIX" in r.getMessage() for r in caplog.records) == 1


def test_old_failures_expire(auth, app, session, world):
    from datetime import timedelta

    from crm.db import utcnow

    limit = app.config["CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    long_ago = utcnow() - timedelta(minutes=app.config["CRM_LOGIN_WINDOW_MINUTES"] + 1)
    session.add_all([LoginAttempt(username="staff_a1", remote_addr="127.0.0.1", at=long_ago) for _ in range(limit)])
    session.commit()
    assert auth.login("staff_a1").status_code == 302


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/x", "/%0d%0aSet-Cookie:x"],
)
def test_next_must_be_a_local_path(auth, target, world):
    response = auth.login("staff_a1", next=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//") and "evil" not in location)


def test_next_local_path_is_followed(auth, world):
    response = auth.login("admin_a", next="/admin/users/?q=x")
    assert response.headers["Location"] == "/admin/users/?q=x"


def test_login_page_passes_next_along(client, world):
    response = client.get("/admin/users/")
    assert response.headers["Location"] == "/login?next=%2Fadmin%2Fusers%2F"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/admin/users/"' in page


def test_post_without_csrf_token_is_refused(auth, client, csrf_on, world):
    response = client.post("/login", data={"username": "staff_a1", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_post_with_csrf_token_is_accepted(client, csrf_on, world):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "staff_a1", "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_signed_in_forms_need_csrf_too(auth, client, csrf_on, world):
    auth.login_as("admin")
    assert client.post("/account/logout-everywhere").status_code == 400


def test_logout_everywhere_ends_other_sessions(app, auth, client, world):
    other = app.test_client()
    sign_in(other, world.users["staff"].get_id(), world.users["staff"].id)
    assert other.get("/").status_code == 200
    auth.login_as("staff")
    assert client.post("/account/logout-everywhere").status_code == 302
    assert other.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, auth, client, session, world):
    other = app.test_client()
    sign_in(other, world.users["staff"].get_id(), world.users["staff"].id)
    auth.login_as("staff")
    response = client.post(
        "/account/password",
        data={"pw-current_password": TEST_PASSWORD, "pw-new_password": "New-passw0rd", "pw-confirm": "New-passw0rd"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302
    client.post("/logout")
    assert auth.login("staff_a1", "New-passw0rd").status_code == 302


@pytest.mark.parametrize(
    "data,message",
    [
        ({"pw-current_password": "wrong", "pw-new_password": "New-passw0rd", "pw-confirm": "New-passw0rd"}, "当前密码不正确"),
        ({"pw-current_password": TEST_PASSWORD, "pw-new_password": "short1", "pw-confirm": "short1"}, "密码至少 8 位"),
        ({"pw-current_password": TEST_PASSWORD, "pw-new_password": "onlyletters", "pw-confirm": "onlyletters"}, "字母和数字"),
        ({"pw-current_password": TEST_PASSWORD, "pw-new_password": "New-passw0rd", "pw-confirm": "other-passw0rd"}, "两次输入的密码不一致"),
    ],
)
def test_password_change_refusals(auth, client, data, message, world):
    auth.login_as("staff")
    response = client.post("/account/password", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_deactivation_ends_sessions(auth, client, session, world):
    auth.login_as("staff")
    assert client.get("/").status_code == 200
    user = session.get(User, world.users["staff"].id)
    user.is_active = False
    session.commit()
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app, auth, world):
    response = auth.login("staff_a1")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # served over plain http in tests


def test_secure_cookie_when_served_over_https(tmp_path, monkeypatch):
    from crm.config import settings_from_env

    settings = settings_from_env({"CRM_BASE_URL": "https://zs.example.gov.cn"}, str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True


def test_forged_session_token_is_rejected(client, world):
    with client.session_transaction() as s:
        s["_user_id"] = f"{world.users['admin'].id}.999"
    assert client.get("/").status_code == 302
    with client.session_transaction() as s:
        s["_user_id"] = "not-a-number"
    assert client.get("/").status_code == 302


def test_preferences_switch_to_english(auth, client, world):
    auth.login_as("staff")
    assert client.post("/account/preferences", data={"prefs-locale": "en"}).status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/account/preferences", data={"prefs-locale": "xx"}).status_code == 400


def test_signing_in_while_the_same_account_signs_in_elsewhere(app_session, world):
    """Two logins of one account at the same moment both succeed (the second used to fail the version check)."""
    import sqlalchemy as sa

    from crm.auth.services import sign_in
    from crm.users.models import User
    from tests.conftest import TEST_PASSWORD

    user = app_session.get(User, world.users["staff"].id)  # this request has the account loaded …
    users = User.__table__
    app_session.execute(sa.update(users).where(users.c.id == user.id).values(version=users.c.version + 1))  # … another saved it
    result = sign_in("staff_a1", TEST_PASSWORD, "10.0.0.1")
    app_session.flush()
    assert result.user is not None and result.user.last_login_at is not None


def test_logout_ends_the_session_on_the_server(app, auth, client, world):
    """A copy of the cookie taken before /logout no longer works (it did for 12 hours); another browser of the
    same account stays signed in."""
    other = app.test_client()
    sign_in(other, world.users["staff"].get_id(), world.users["staff"].id)
    assert auth.login("staff_a1").status_code == 302
    copied = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    auth.logout()
    client.set_cookie("session", copied)
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200


def test_a_session_cookie_without_a_live_server_session_is_refused(app, client, world):
    from crm.auth.services import SESSION_KEY

    user = world.users["staff"]
    with client.session_transaction() as s:  # the right account and version, but no session of the server's
        s["_user_id"] = user.get_id()
    assert client.get("/").status_code == 302
    with client.session_transaction() as s:
        s["_user_id"] = user.get_id()
        s[SESSION_KEY] = "0" * 32
    assert client.get("/").status_code == 302


def test_the_daily_job_deletes_old_sessions_and_login_failures(app, world, isolated):
    """login_attempts and signed_in_sessions do not grow forever: purge_sign_ins (in JOBS) keeps
    CRM_SIGN_IN_RETENTION_DAYS of them."""
    from datetime import timedelta

    from crm.access.scoping import SYSTEM, set_scope
    from crm.auth.models import SignedIn
    from crm.db import utcnow
    from crm.extensions import db
    from crm.scheduler import job_by_id, run_job

    user_id = world.users["staff"].id
    long_ago, lately = utcnow() - timedelta(days=40), utcnow() - timedelta(days=2)
    with app.app_context():
        db.session.add_all([
            SignedIn(key="a" * 32, user_id=user_id, started_at=long_ago, ended_at=long_ago),
            SignedIn(key="b" * 32, user_id=user_id, started_at=lately),
            LoginAttempt(at=long_ago, username="old", remote_addr="10.0.0.1"),
            LoginAttempt(at=lately, username="new", remote_addr="10.0.0.1"),
        ])
        db.session.commit()
    assert run_job(app, job_by_id("purge_sign_ins")) == "1 login failures, 1 sessions deleted"
    with app.app_context():
        set_scope(db.session, SYSTEM)
        assert set(db.session.scalars(sa.select(SignedIn.key).where(SignedIn.key.in_(["a" * 32, "b" * 32])))) == {"b" * 32}
        assert set(db.session.scalars(sa.select(LoginAttempt.username).where(LoginAttempt.username.in_(["old", "new"])))) == {"new"}
