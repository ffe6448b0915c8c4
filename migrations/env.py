"""Alembic environment: the app's models, its engine, batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from crm.models import metadata

config = context.config


def _render_item(type_: str, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Write the app's column types as plain SQLAlchemy types, so migrations never import app code."""
    from crm.db import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """The search index of migrations 0010 and 0012 is not in the models (an FTS5 table on SQLite, a generated
    column and trigram indexes on PostgreSQL): autogenerate must not take it for drift."""
    if type_ == "table" and reflected and compare_to is None and name.startswith("company_search"):
        return False
    if type_ == "index" and reflected and compare_to is None and (name or "").endswith("_grams"):
        return False
    if type_ == "column" and reflected and compare_to is None and name == "search_grams":  # migration 0012
        return False
    return True


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
        render_item=_render_item,
        include_object=_include_object,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Called by the plain `alembic` tool: build the app to find the database.
    from crm import create_app
    from crm.extensions import db

    app = create_app()
    with app.app_context(), db.engine.begin() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run `crm db upgrade`")
run_migrations_online()
