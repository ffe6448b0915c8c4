from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.demo.scenario import DEMO_LOGINS, DEMO_PASSWORD


@click.group("demo")
def demo_group() -> None:
    """The 鲁山县 demo scenario."""


@demo_group.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database that has no accounts yet (used by `make run`).")
@with_appcontext
def demo_load(if_empty: bool) -> None:
    """Create the demo units, leaders and accounts (running it twice changes nothing)."""
    from crm.cli import system_session
    from crm.demo.services import database_is_empty, load_demo

    with system_session("演示数据"):
        skip = if_empty and not database_is_empty()
        report = None if skip else load_demo()
    if report is None:
        click.echo("database already has accounts; demo scenario not loaded")
    elif report.nothing_new:
        click.echo("demo scenario already loaded; nothing changed")
    else:
        click.echo("demo scenario loaded: " + ", ".join(f"{n} {kind}" for kind, n in report.created.items()))
    click.echo(f"demo logins (password {DEMO_PASSWORD}), where the demo scenario is loaded:")
    for username, name in DEMO_LOGINS:
        click.echo(f"  {username:<10} {name}")
