"""Test fixtures.

- The schema is built once per run by the migrations (``alembic upgrade head``),
  on a temporary SQLite file, or on PostgreSQL when ``CRM_TEST_DATABASE_URL`` is set.
- Every test runs inside ``db.test_isolation()``: one connection, one outer
  transaction rolled back at the end, commits become savepoints.
- Test code never holds an app context while it makes requests, so each request
  gets a fresh ``g`` and session exactly as in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from crm import create_app
from crm.access.scoping import SYSTEM, set_scope
from crm.audit.services import set_audit_actor
from crm.extensions import db
from crm.migrate import empty_postgresql
from crm.migrate import run as run_alembic
from tests import factories
from tests.helpers import in_app, joined_transaction
from tests.world import World, build_world

TEST_PASSWORD = "Test-passw0rd"


def test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("CRM_TEST_DATABASE_URL")
    if url:
        return worker_database(url, os.environ.get("PYTEST_XDIST_WORKER"))
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")  # a folder of each xdist worker's own


def worker_database(url: str, worker: str | None) -> str:
    """The PostgreSQL database of this xdist worker (``test`` → ``test_gw0``, made when missing), so that workers
    running in parallel (``make test`` passes ``-n``) never share the database each empties at its start."""
    if not worker:
        return url
    import sqlalchemy as sa

    parsed = sa.make_url(url)
    name = f"{parsed.database}_{worker}"
    server = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            if connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def reset_schema(url: str) -> None:
    """Start each run from an empty database."""
    empty_postgresql(url)


def app_config(url: str, instance: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "CRM_ARGON2_TIME_COST": 1,
        "CRM_ARGON2_MEMORY_COST": 1024,
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = test_database_url(tmp_path_factory)
    reset_schema(url)
    instance = tmp_path_factory.mktemp("instance")
    os.environ["CRM_INSTANCE_PATH"] = str(instance)
    application = create_app(app_config(url, instance))
    with application.app_context():
        run_alembic(db.engine, "upgrade", "head")
    yield application


@pytest.fixture
def isolated(app: Flask) -> Iterator[None]:
    """Bind every session to one connection whose outer transaction is rolled back (``joined_transaction``)."""
    with joined_transaction(app):
        yield


@pytest.fixture
def session(app: Flask, isolated: None) -> Iterator[Session]:
    """A system-scoped session for arranging data; it shares the test's transaction."""
    with app.app_context():
        test_session = db.sessionmaker()
    set_scope(test_session, SYSTEM)
    set_audit_actor(test_session, None, "测试")
    factories.bind(test_session, app)
    yield test_session
    test_session.close()


@pytest.fixture
def app_session(app: Flask, isolated: None) -> Iterator[Session]:
    """The app's own session (inside an app context) under the system scope, for calling services."""
    with in_app(app) as app_db_session:
        set_audit_actor(app_db_session, None, "测试")
        yield app_db_session


@pytest.fixture
def world(session: Session, app: Flask) -> World:
    return build_world(session, app)


@pytest.fixture
def client(app: Flask, isolated: None) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def sign_in(client: FlaskClient, session_token: str, user_id: int) -> None:
    """What /login leaves behind, without the form: the session's server row (``SignedIn``) and the cookie
    naming it and the account (``session_token``: ``User.get_id()``)."""
    import secrets

    from crm.auth.models import SignedIn
    from crm.auth.services import SESSION_KEY

    key = secrets.token_hex(16)
    with client.application.app_context():
        db.session.add(SignedIn(key=key, user_id=user_id))
        db.session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = session_token
        flask_session["_fresh"] = True
        flask_session[SESSION_KEY] = key


class AuthActions:
    """Sign a test client in as one of the world's users (flaskr's AuthActions)."""

    def __init__(self, client: FlaskClient, world: World) -> None:
        self.client = client
        self.world = world

    def login_as(self, who: str) -> object:
        user = self.world.users[who]
        sign_in(self.client, user.get_id(), user.id)
        return user

    def login(self, username: str, password: str = TEST_PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
        return self.client.post("/login", data={"username": username, "password": password, **extra})

    def logout(self):  # type: ignore[no-untyped-def]
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient, world: World) -> AuthActions:
    return AuthActions(client, world)


@pytest.fixture
def login_as(auth: AuthActions):  # type: ignore[no-untyped-def]
    return auth.login_as
