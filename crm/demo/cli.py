from __future__ import annotations

import click
from flask.cli import with_appcontext

from crm.demo.scenario import DEMO_LOGINS, DEMO_PASSWORD


@click.group("demo")
def demo_group() -> None:
    """The 鲁山县 demo scenario."""


@demo_group.command("load")
@with_appcontext
def demo_load() -> None:
    """Create the demo units, leaders and accounts (running it twice changes nothing)."""
    from crm.cli import system_session
    from crm.demo.services import load_demo

    with system_session("演示数据"):
        report = load_demo()
    if report.nothing_new:
        click.echo("demo scenario already loaded; nothing changed")
    else:
        click.echo("demo scenario loaded: " + ", ".join(f"{n} {kind}" for kind, n in report.created.items()))
    click.echo(f"demo logins (password {DEMO_PASSWORD}):")
    for username, name in DEMO_LOGINS:
        click.echo(f"  {username:<10} {name}")
