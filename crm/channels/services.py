"""Attaching, switching and removing a unit's group robots (the admin page and `crm channels`). Services flush; the
request or the command commits once. The rules of a webhook URL are ``crm.domain.channels.url_problem``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from crm.channels.models import Channel
from crm.channels.transport import extra_hosts
from crm.domain.channels import HOSTS, TOKEN_PARAMS, ChannelKind, url_problem
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.units.models import Unit

URL_MESSAGES = {
    "malformed": _l("网址格式不正确，请从群机器人设置中复制完整的 Webhook 地址"),
    "not_https": _l("Webhook 地址必须以 https:// 开头"),
}


def url_message(kind: ChannelKind, problem: str) -> str:
    if problem == "wrong_host":
        return str(_l("%(kind)s的 Webhook 地址应在 %(host)s 上", kind=_kind_name(kind), host=HOSTS[kind]))
    if problem == "no_token":
        return str(_l("网址中缺少 %(param)s 参数，请复制完整的 Webhook 地址", param=TOKEN_PARAMS[kind]))
    return str(URL_MESSAGES[problem])


def _kind_name(kind: ChannelKind) -> str:
    from crm.web.labels import label_text

    return label_text(kind)


def check_url(kind: ChannelKind, url: str) -> str | None:
    """The Chinese message for a webhook URL that cannot be used, or None."""
    problem = url_problem(kind, url, extra_hosts(current_app.config))
    return url_message(kind, problem) if problem else None


def check_secret(kind: ChannelKind, secret: str | None) -> str | None:
    if not secret:
        return None
    if kind is ChannelKind.WECOM:
        return str(_l("企业微信群机器人没有加签密钥，请留空"))
    if any(ch.isspace() or not ch.isprintable() or ord(ch) > 127 for ch in secret):
        return str(_l("加签密钥只能包含英文字母、数字和符号（以 SEC 开头）"))
    return None


@dataclass
class ChannelData(FormData):
    unit_id: int
    kind: ChannelKind
    name: str | None
    webhook_url: str
    secret: str | None


def add_channel(unit: Unit, data: ChannelData) -> Channel:
    """A robot for ``unit``; FieldError when the URL or the secret cannot be used. The caller has checked that the
    actor manages the unit."""
    url = (data.webhook_url or "").strip()
    if (message := check_url(data.kind, url)) is not None:
        raise FieldError("webhook_url", message)
    secret = (data.secret or "").strip() or None
    if (message := check_secret(data.kind, secret)) is not None:
        raise FieldError("secret", message)
    channel = Channel(unit_id=unit.id, kind=data.kind, name=data.name or None, webhook_url=url, secret=secret, is_active=True)
    db.session.add(channel)
    db.session.flush()
    return channel


def set_active(channel: Channel, active: bool) -> None:
    channel.is_active = active
    db.session.flush()


def remove_channel(channel: Channel) -> None:
    """The robot goes, and with it its queued and sent posts (the outbox rows cascade): nothing more is posted."""
    db.session.delete(channel)
    db.session.flush()


def describe(channel: Channel) -> dict[str, Any]:
    """A robot as the CLI lists it: never the URL or the secret in full."""
    return {"id": channel.id, "unit": channel.unit.name, "kind": channel.kind.value, "name": channel.name or "",
            "url": channel.masked_url, "secret": channel.masked_secret, "active": channel.is_active}
