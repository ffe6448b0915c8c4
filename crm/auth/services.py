"""Signing in: password check, throttling and session versions.

Throttling counts failed attempts in the database (per typed username and per
client address, over a sliding window) so that it holds across every worker
process and survives restarts. The message never says whether the account
exists.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from flask import current_app, session
from flask_login import login_user, logout_user

from crm.access.scoping import UNSCOPED
from crm.auth.models import LoginAttempt, SignedIn
from crm.auth.passwords import burn_time, hash_password, verify_password
from crm.db import delete_older_than, utcnow
from crm.extensions import db
from crm.users.models import User


def normalise_username(username: str) -> str:
    return username.strip().lower()[:80]


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False


def find_account(username: str) -> User | None:
    """Look an account up before anyone is signed in (hence unscoped)."""
    stmt = sa.select(User).where(User.username == normalise_username(username)).execution_options(**UNSCOPED)
    return db.session.scalars(stmt).one_or_none()


SESSION_KEY = "signed_in"  # the Flask session's entry naming this browser's SignedIn row


def load_session_user(session_token: str) -> User | None:
    """Flask-Login's loader: the id and session version must both still match, and this browser's session must
    not have been ended (signed out) on the server. One query."""
    user_id, _, version = session_token.partition(".")
    key = session.get(SESSION_KEY)
    if not user_id.isdigit() or not version.isdigit() or not isinstance(key, str):
        return None
    stmt = (
        sa.select(User)
        .join(SignedIn, sa.and_(SignedIn.user_id == User.id, SignedIn.key == key, SignedIn.ended_at.is_(None)))
        .where(User.id == int(user_id))
        .execution_options(**UNSCOPED)
    )
    user = db.session.scalars(stmt).one_or_none()
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def begin_session(user: User) -> None:
    """Sign ``user`` in on this browser: a server-side session row, its key in the (signed) cookie. The caller
    commits."""
    key = secrets.token_hex(16)
    db.session.add(SignedIn(key=key, user_id=user.id))
    db.session.flush()
    login_user(user)
    session[SESSION_KEY] = key


def end_session() -> None:
    """Sign this browser out, on the server too: a copy of its cookie no longer works. The caller commits."""
    key = session.pop(SESSION_KEY, None)
    if isinstance(key, str):
        db.session.execute(sa.update(SignedIn).where(SignedIn.key == key, SignedIn.ended_at.is_(None)).values(ended_at=utcnow()))
    logout_user()


def _recent_failures(*conditions: sa.ColumnElement[bool]) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["CRM_LOGIN_WINDOW_MINUTES"])
    stmt = sa.select(sa.func.count()).select_from(LoginAttempt).where(*conditions, LoginAttempt.at >= since)
    return db.session.scalar(stmt) or 0


def is_throttled(username: str, remote_addr: str, device: str | None = None) -> bool:
    """Too many recent failures. From a ``device`` that signed in to this account before (``crm.auth.devices``),
    only that device's own failures count, so neither a colleague behind the same NAT nor an attacker elsewhere
    locks its owner out; any other attempt is limited per account and per address, counting anonymous failures."""
    config = current_app.config
    name = normalise_username(username)
    per_account = config["CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    if device is not None:
        return _recent_failures(LoginAttempt.username == name, LoginAttempt.device == device) >= per_account
    anonymous = LoginAttempt.device.is_(None)
    return (
        _recent_failures(LoginAttempt.username == name, anonymous) >= per_account
        or _recent_failures(LoginAttempt.remote_addr == remote_addr, anonymous) >= config["CRM_LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def sign_in(username: str, password: str, remote_addr: str, device: str | None = None) -> SignInResult:
    """Check a username and password (``device``: the key of a device known for this account, if any). Flushes a
    failure row; the caller commits."""
    if is_throttled(username, remote_addr, device):
        burn_time(password)
        return SignInResult(user=None, throttled=True)
    user = find_account(username)
    if user is None:
        burn_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active
    if not ok:
        db.session.add(LoginAttempt(username=normalise_username(username), remote_addr=remote_addr, device=device))
        db.session.flush()
        return SignInResult(user=None)
    assert user is not None
    # Bookkeeping, not an edit of the account: written past the version check, so that the same account
    # signing in twice at once (two browsers, a whole office's shared login) does not fail the second.
    now = utcnow()
    db.session.execute(sa.update(User.__table__).where(User.__table__.c.id == user.id).values(last_login_at=now))
    set_committed_value(user, "last_login_at", now)
    return SignInResult(user=user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user so far."""
    user.session_version = (user.session_version or 0) + 1
    db.session.execute(sa.update(SignedIn).where(SignedIn.user_id == user.id, SignedIn.ended_at.is_(None)).values(ended_at=utcnow()))


def set_password(user: User, new_password: str) -> None:
    """Store a new password and end the user's other sessions."""
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


def purge_old_sign_ins(days: int = 30) -> tuple[int, int]:
    """Login failures and sessions older than ``days`` serve no purpose (a session outlives no cookie, and
    cookies last ``PERMANENT_SESSION_LIFETIME``): the daily ``purge_sign_ins`` job deletes them. Returns how
    many of each went."""
    return delete_older_than(LoginAttempt, days, LoginAttempt.at), delete_older_than(SignedIn, days, SignedIn.ended_at, SignedIn.started_at)
