"""招商引资 CRM: the Flask application factory.

Nothing is created at import time; ``create_app`` builds the app, binds the
extensions, installs the access and audit hooks and registers the features.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None, *, web_server: bool = False) -> Flask:
    """``web_server`` marks the app that gunicorn serves (``wsgi.py``): its database statements are cut off
    after ``CRM_WEB_STATEMENT_TIMEOUT_MS`` (the scheduler and the command line run without a limit), and its
    worker stops fully collecting what it has loaded once warm (``crm/web/gc_freeze.py``)."""
    from crm.config import ensure_secret_key, settings_from_env

    instance_path = os.environ.get("CRM_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    from crm.web.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: an id past the database's is a 404
    settings = settings_from_env(os.environ, app.instance_path)
    settings.update(config or {})
    ensure_secret_key(settings, app.instance_path)
    app.config.update(settings)
    app.config.setdefault("CRM_STATEMENT_TIMEOUT_MS", app.config["CRM_WEB_STATEMENT_TIMEOUT_MS"] if web_server else 0)
    app.config["SQLALCHEMY_ENGINES"] = {"default": _engine_options(app.config["DATABASE_URL"], app.config)}

    if app.config["CRM_PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_features(app)
    if web_server:
        from crm.web import gc_freeze

        gc_freeze.register(app)

    from crm.cli import register_commands

    register_commands(app)
    return app


def _engine_options(url: str, config: Mapping[str, Any]) -> dict[str, Any]:
    from crm.db import postgresql_connect_args

    options: dict[str, Any] = {"url": url}
    if url.startswith("postgresql"):
        options["pool_pre_ping"] = True
        options["connect_args"] = postgresql_connect_args(config, url)
    return options


def _init_extensions(app: Flask) -> None:
    from crm.access import scoping
    from crm.attachments import services as attachments
    from crm.audit import services as audit
    from crm.db import prepare_sqlite
    from crm.reports import cache as figure_cache
    from crm.units import tree as unit_tree
    from crm.extensions import babel, bootstrap, csrf, db, login_manager
    from crm.web.i18n import select_locale, select_timezone

    db.init_app(app)
    with app.app_context():
        prepare_sqlite(db.engine)
        scoping.install(db.sessionmaker)
        audit.install(db.sessionmaker)
        attachments.install(db.sessionmaker)
        unit_tree.install(db.sessionmaker)
        figure_cache.install(db.sessionmaker)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"


def _register_features(app: Flask) -> None:
    # Every model mapped whatever the entry point (the web, `crm demo load`, the scheduler): a foreign key may
    # name a table whose feature no blueprint imports (project_stage_events.import_id → imports).
    import crm.models  # noqa: F401
    from crm.admission.views import bp as admission_bp
    from crm.aftercare.views import bp as aftercare_bp
    from crm.agreements.views import bp as agreements_bp
    from crm.approvals.views import bp as approvals_bp
    from crm.assignments.views import bp as assignments_bp
    from crm.audit.views import bp as audit_bp
    from crm.auth.views import bp as auth_bp
    from crm.catalog.views import bp as catalog_bp
    from crm.channels.views import bp as channels_bp
    from crm.companies.views import bp as companies_bp
    from crm.compliance.views import bp as compliance_bp
    from crm.followups.views import bp as followups_bp
    from crm.imports.views import bp as imports_bp
    from crm.issues.views import bp as issues_bp
    from crm.mail.views import bp as mail_bp
    from crm.notifications.views import bp as notifications_bp
    from crm.leads.views import bp as leads_bp
    from crm.progress.views import bp as progress_bp
    from crm.projects.views import bp as projects_bp
    from crm.projects.views import reviews_bp
    from crm.ratings.views import bp as ratings_bp
    from crm.reports.views import bp as reports_bp
    from crm.submissions.views import bp as submissions_bp
    from crm.targets.views import bp as targets_bp
    from crm.visits.views import bp as visits_bp
    from crm.units.views import bp as units_bp
    from crm.units.views import pickers_bp as unit_pickers_bp
    from crm.users.views import bp as users_bp
    from crm.web import hooks, timing
    from crm.web.errors import register_error_pages
    from crm.web.navigation import register_template_helpers
    from crm.web.search_views import bp as search_bp
    from crm.web.views import bp as web_bp
    from crm.zones.views import bp as zones_bp

    timing.register(app)  # first, so that it counts the statements of the other hooks too
    hooks.register(app)
    register_error_pages(app)
    register_template_helpers(app)
    for blueprint in (web_bp, search_bp, auth_bp, users_bp, units_bp, unit_pickers_bp, audit_bp, catalog_bp, companies_bp, leads_bp, followups_bp, visits_bp, agreements_bp, projects_bp,
                      assignments_bp, progress_bp, issues_bp, reviews_bp,
                      notifications_bp, mail_bp, channels_bp, submissions_bp, targets_bp, reports_bp, imports_bp, ratings_bp,
                      aftercare_bp, admission_bp, approvals_bp, compliance_bp, zones_bp):
        app.register_blueprint(blueprint)
