"""The ``crm`` command group (a Flask CLI group).

Commands run under the SYSTEM scope with the audit actor "命令行", and commit once.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from crm.access.scoping import SYSTEM, set_scope
from crm.audit.services import set_audit_actor
from crm.db import intending_to_write
from crm.extensions import db


@contextmanager
def system_session(label: str = "命令行") -> Iterator[None]:
    """The one transaction of a command: system scope, audit label, commit at the end."""
    with intending_to_write():
        session = db.session
        set_scope(session, SYSTEM)
        set_audit_actor(session, None, label)
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _create_app() -> Flask:
    from crm import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True, add_version_option=False)
def main() -> None:
    """招商引资 CRM — command line."""


# --- database -----------------------------------------------------------------
@click.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    from crm.migrate import run

    run(db.engine, "upgrade", revision)
    click.echo(f"database at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (e.g. base)."""
    from crm.migrate import run

    run(db.engine, "downgrade", revision)


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    """Show the database's revision."""
    from crm.migrate import run

    run(db.engine, "current", verbose=True)


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    from crm.migrate import run

    run(db.engine, "check")
    click.echo("models and migrations agree")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """Write a new migration by comparing the models with the database."""
    from crm.migrate import run

    run(db.engine, "revision", message=message, autogenerate=True)


# --- users and units ----------------------------------------------------------------
@click.group("users")
def users_group() -> None:
    """Accounts."""


@users_group.command("create")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--role", type=click.Choice(["staff", "chief", "reviewer", "leader", "admin"]), required=True)
@click.option("--unit", "unit_name", required=True, help="所属单位名称 (created as a county if the database has no unit yet)")
@click.option("--title", default=None, help="职务 code for leaders, e.g. county_head")
@click.password_option(help="密码")
@with_appcontext
def users_create(username: str, display_name: str, role: str, unit_name: str, title: str | None, password: str) -> None:
    """Create an account (the first admin, typically)."""
    import sqlalchemy as sa

    from crm.domain.access import PATH_SEPARATOR, Actor, Role, subtree_of
    from crm.domain.units import UnitType
    from crm.units.models import Unit
    from crm.units.services import create_root_unit
    from crm.users.services import AccountData, AccountError, create_account
    from crm.access.policy import load_parent_map

    with system_session():
        unit = db.session.scalars(sa.select(Unit).where(Unit.name == unit_name)).first()
        if unit is None:
            if db.session.scalar(sa.select(sa.func.count()).select_from(Unit)):
                raise click.ClickException(f"no unit named {unit_name!r}")
            unit = create_root_unit(unit_name, UnitType.COUNTY)
        # The command line acts as an admin of the whole tree.
        parents = load_parent_map()
        roots = [u for u, p in parents.items() if p is None]
        everything = frozenset().union(*(subtree_of(r, parents) for r in roots))
        actor = Actor(user_id=0, role=Role.ADMIN, unit_id=unit.id, subtree=everything, unit_path=PATH_SEPARATOR)
        data = AccountData(display_name, role, unit.id, title, None, None, None, True)
        try:
            user = create_account(actor, username, password, data)
        except AccountError as error:
            raise click.ClickException(f"{error.field}: {error.message}") from error
    click.echo(f"created {user.username} ({role}) in {unit.name}")


def register_commands(app: Flask) -> None:
    from crm.backup.cli import COMMANDS as BACKUPS  # crm backup, crm restore
    from crm.channels.cli import channels_group
    from crm.companies.cli import companies_group
    from crm.demo.cli import demo_group
    from crm.imports.cli import import_group
    from crm.reports.cli import reports_group
    from crm.digests.cli import COMMANDS as SCHEDULED_WORK  # crm scheduler, digests, alerts, reminders, mail

    for group in (db_group, users_group, demo_group, companies_group, channels_group, import_group, reports_group, *SCHEDULED_WORK, *BACKUPS):
        app.cli.add_command(group)
