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


def _configure(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
        render_item=_render_item,
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
