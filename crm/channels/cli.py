"""`crm channels add|list|remove|disable|enable`: the units' group robots from the command line. URLs and secrets are
never printed in full."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from crm.domain.channels import ChannelKind


@click.group("channels")
def channels_group() -> None:
    """Group robots (企业微信 / 钉钉) of units."""


def _unit(name: str):  # type: ignore[no-untyped-def]
    from crm.extensions import db
    from crm.units.models import Unit

    found = db.session.scalars(sa.select(Unit).where(Unit.name == name).limit(2)).all()
    if not found:
        raise click.ClickException(f"no unit named {name!r}")
    if len(found) > 1:
        raise click.ClickException(f"several units are named {name!r}; rename one first")
    return found[0]


def _channel(channel_id: int):  # type: ignore[no-untyped-def]
    from crm.channels.models import Channel
    from crm.extensions import db

    channel = db.session.get(Channel, channel_id)
    if channel is None:
        raise click.ClickException(f"no channel #{channel_id}")
    return channel


def _line(channel) -> str:  # type: ignore[no-untyped-def]
    from crm.channels.services import describe

    d = describe(channel)
    return (f"#{d['id']} {d['kind']:<8} {'on ' if d['active'] else 'off'} {d['unit']} {d['name']} {d['url']}"
            + (f" secret {d['secret']}" if d["secret"] else ""))


@channels_group.command("add")
@click.option("--unit", "unit_name", required=True, help="单位名称")
@click.option("--kind", type=click.Choice([k.value for k in ChannelKind]), required=True)
@click.option("--url", required=True, help="the robot's webhook URL")
@click.option("--secret", default=None, help="钉钉 加签 secret (SEC…)")
@click.option("--name", default=None, help="群名称, for people")
@with_appcontext
def channels_add(unit_name: str, kind: str, url: str, secret: str | None, name: str | None) -> None:
    """Attach a group robot to a unit."""
    from crm.channels.services import ChannelData, add_channel
    from crm.cli import system_session
    from crm.errors import FieldError

    with system_session():
        unit = _unit(unit_name)
        try:
            channel = add_channel(unit, ChannelData(unit.id, ChannelKind(kind), name, url, secret))
        except FieldError as error:
            raise click.ClickException(f"--{'url' if error.field == 'webhook_url' else error.field}: {error.message}") from None
        line = _line(channel)
    click.echo(f"added {line}")


@channels_group.command("list")
@with_appcontext
def channels_list() -> None:
    """Every robot, URLs masked."""
    from crm.channels.models import Channel
    from crm.cli import system_session
    from crm.extensions import db
    from crm.units.models import Unit

    with system_session():
        channels = db.session.scalars(sa.select(Channel).join(Unit, Unit.id == Channel.unit_id).order_by(Unit.path, Channel.id)).all()
        lines = [_line(c) for c in channels]
    for line in lines or ["no channels"]:
        click.echo(line)


@channels_group.command("remove")
@click.argument("channel_id", type=int)
@with_appcontext
def channels_remove(channel_id: int) -> None:
    """Remove a robot (its queued posts go with it)."""
    from crm.channels.services import remove_channel
    from crm.cli import system_session

    with system_session():
        channel = _channel(channel_id)
        line = _line(channel)
        remove_channel(channel)
    click.echo(f"removed {line}")


def _switch(channel_id: int, active: bool) -> None:
    from crm.channels.services import set_active
    from crm.cli import system_session

    with system_session():
        channel = _channel(channel_id)
        set_active(channel, active)
        line = _line(channel)
    click.echo(line)


@channels_group.command("disable")
@click.argument("channel_id", type=int)
@with_appcontext
def channels_disable(channel_id: int) -> None:
    """Stop posting to a robot (it stays attached)."""
    _switch(channel_id, False)


@channels_group.command("enable")
@click.argument("channel_id", type=int)
@with_appcontext
def channels_enable(channel_id: int) -> None:
    _switch(channel_id, True)
