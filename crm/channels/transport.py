"""Posting an outbox row to its group robot: one HTTPS POST of the platform's markdown message (``crm.domain.channels``)
with a timeout, 钉钉's signature added at the moment of sending (it is valid for an hour, so never stored).

urllib, not httpx: httpx logs every request line at INFO, and the request line carries the robot's key. Redirects are
not followed (a webhook never redirects; following one would hand the key's URL to another host). Whatever the error,
its text is scrubbed of the URL, the key and the secret before it reaches ``last_error`` or a log.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable

from crm.domain.channels import ChannelKind, outcome_of, payload, scrub, secrets_of, signed_url, url_problem
from crm.domain.schedule import Failure
from crm.mail.transport import DeliveryError


@dataclass(frozen=True)
class Robot:
    """What sending needs of a channel, read before the POST (no transaction stays open during it)."""

    kind: ChannelKind
    url: str
    secret: str | None
    is_active: bool


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def extra_hosts(config: Any) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in str(config.get("CRM_CHANNEL_EXTRA_HOSTS") or "").split(",") if h.strip())


class WebhookPoster:
    def __init__(self, timeout: float = 10.0, hosts: frozenset[str] = frozenset(), tail: Callable[[], str] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.timeout = timeout
        self.hosts = hosts
        self.tail = tail or (lambda: "……")
        self.clock = clock
        self.opener = urllib.request.build_opener(_NoRedirect())

    def robot(self, session: Any, channel_id: int) -> Robot | None:
        from crm.channels.models import Channel

        found = session.execute(
            Channel.__table__.select().where(Channel.__table__.c.id == channel_id)
        ).one_or_none()
        session.commit()  # end the read before the POST
        if found is None:
            return None
        return Robot(ChannelKind(found.kind), found.webhook_url, found.secret, bool(found.is_active))

    def send(self, session: Any, row: Any) -> None:
        robot = self.robot(session, row.channel_id)
        if robot is None or not robot.is_active:
            raise DeliveryError(Failure.PERMANENT, "群机器人已停用或已删除")
        if url_problem(robot.kind, robot.url, self.hosts):
            raise DeliveryError(Failure.PERMANENT, "群机器人的地址不在允许的主机上（CRM_CHANNEL_EXTRA_HOSTS）")
        hidden = secrets_of(robot.kind, robot.url, robot.secret)
        url = robot.url
        if robot.kind is ChannelKind.DINGTALK:
            url = signed_url(url, robot.secret, int(self.clock() * 1000))
        body = json.dumps(payload(robot.kind, row.subject, row.body_text, self.tail()), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read(65536)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            status, raw = error.code, b""
        except (urllib.error.URLError, OSError, ValueError) as error:  # refused, unreachable, DNS, timeout
            reason = getattr(error, "reason", error)
            raise DeliveryError(Failure.TEMPORARY, scrub(f"无法连接群机器人：{type(reason).__name__} {reason}", hidden)) from None
        try:
            reply = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            reply = None
        outcome = outcome_of(robot.kind, status, reply)
        if not outcome.ok:
            raise DeliveryError(outcome.failure or Failure.TEMPORARY, scrub(f"群机器人拒收：{outcome.text}", hidden))

    def close(self) -> None:
        pass


def webhook_from_config(config: Any) -> WebhookPoster:
    return WebhookPoster(timeout=float(config.get("CRM_CHANNEL_TIMEOUT", 10)), hosts=extra_hosts(config), tail=_tail)


def _tail() -> str:
    from flask_babel import gettext as _

    return _("……（内容较多，其余请登录系统查看）")
