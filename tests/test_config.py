"""Settings from CRM_* variables and the secret key rules."""

from __future__ import annotations

import os
import stat

import pytest

from crm.config import ConfigurationError, ensure_secret_key, settings_from_env


def test_defaults(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = settings_from_env({}, str(tmp_path))
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path}/crm.db"
    assert settings["CRM_TIMEZONE"] == "Asia/Shanghai"
    assert settings["BABEL_DEFAULT_LOCALE"] == "zh"
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        "CRM_DATABASE_URL": "postgresql+psycopg://crm@db/crm",
        "CRM_TIMEZONE": "Asia/Urumqi",
        "CRM_BASE_URL": "https://zs.lushan.gov.cn/",
        "CRM_SMTP_HOST": "smtp.lushan.gov.cn",
        "CRM_SMTP_PORT": "465",
        "CRM_SMTP_STARTTLS": "false",
        "CRM_MAIL_FROM": "zsj@lushan.gov.cn",
    }
    settings = settings_from_env(env, str(tmp_path))
    assert settings["DATABASE_URL"] == env["CRM_DATABASE_URL"]
    assert settings["CRM_TIMEZONE"] == "Asia/Urumqi"
    assert settings["CRM_BASE_URL"] == "https://zs.lushan.gov.cn"
    assert settings["CRM_SMTP_PORT"] == 465 and settings["CRM_SMTP_STARTTLS"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_bad_number_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError, match="CRM_SMTP_PORT"):
        settings_from_env({"CRM_SMTP_PORT": "twenty-five"}, str(tmp_path))


def test_development_key_is_generated_once_and_kept(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first: dict[str, object] = {"CRM_ENV": "development", "SECRET_KEY": None}
    ensure_secret_key(first, str(tmp_path))
    second: dict[str, object] = {"CRM_ENV": "development", "SECRET_KEY": None}
    ensure_secret_key(second, str(tmp_path))
    assert first["SECRET_KEY"] and first["SECRET_KEY"] == second["SECRET_KEY"]
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_production_refuses_to_start_without_a_key(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crm import create_app

    monkeypatch.setenv("CRM_ENV", "production")
    monkeypatch.delenv("CRM_SECRET_KEY", raising=False)
    monkeypatch.setenv("CRM_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigurationError, match="CRM_SECRET_KEY"):
        create_app()
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_a_key(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from crm import create_app

    monkeypatch.setenv("CRM_ENV", "production")
    monkeypatch.setenv("CRM_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("CRM_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    app = create_app()
    assert app.config["SECRET_KEY"] == "k" * 40


def test_attachment_folder_and_visit_hint_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = settings_from_env({"CRM_ATTACHMENT_DIR": "/srv/crm/files", "CRM_VISIT_HINT_DAYS": "45"}, str(tmp_path))
    assert settings["CRM_ATTACHMENT_DIR"] == "/srv/crm/files" and settings["CRM_VISIT_HINT_DAYS"] == 45
    assert settings_from_env({}, str(tmp_path))["CRM_ATTACHMENT_DIR"] is None


def test_postgresql_connections_get_the_apps_settings_after_the_urls_own() -> None:
    from crm.db import postgresql_connect_args

    url = "postgresql+psycopg://u@db/crm?options=-csearch_path%3Dcity"
    assert postgresql_connect_args({}, url) == {"options": "-csearch_path=city -c jit=off"}
    assert postgresql_connect_args({"CRM_STATEMENT_TIMEOUT_MS": "15000"}, "postgresql+psycopg://u@db/crm") == {
        "options": "-c jit=off -c statement_timeout=15000"}


def test_a_postgresql_connection_has_jit_off_and_keeps_the_urls_search_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On the suite's PostgreSQL (the SQLite run checks the arguments above only)."""
    from crm import create_app
    from crm.extensions import db

    base = os.environ.get("CRM_TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        return
    schema = "settings_check"
    app = create_app({"DATABASE_URL": f"{base}?options=-csearch_path%3D{schema}", "SECRET_KEY": "x",
                      "CRM_INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
            assert connection.exec_driver_sql("SHOW search_path").scalar() == schema
        db.engine.dispose()
