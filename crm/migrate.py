"""Alembic, driven from the app (``crm db …``) and from tests."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from crm import PROJECT_ROOT


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def run(engine: sa.Engine, operation: str, *args: Any, **kwargs: Any) -> Any:
    """Run an Alembic command (upgrade, downgrade, check, current …) on ``engine``."""
    with engine.begin() as connection:
        return getattr(command, operation)(alembic_config(connection), *args, **kwargs)


def empty_postgresql(url: str) -> None:
    """Drop and recreate the public schema of a PostgreSQL database (tests and benchmarks start empty).

    Does nothing for other databases: their files are created fresh.
    """
    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
