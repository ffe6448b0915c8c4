"""Group robots (企业微信 群机器人, 钉钉 自定义机器人; issue 16): which webhook URLs are accepted, how a URL and a secret
are shown (masked), the 钉钉 signature, the message each platform documents, and what a platform's reply means.
Pure: no Flask, no database, no network.

- 企业微信: POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY with
  {"msgtype": "markdown", "markdown": {"content": ...}}; content at most 4096 bytes (UTF-8).
- 钉钉: POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN with
  {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}; with 加签, the URL also carries
  &timestamp=<ms>&sign=<urlencode(base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret)))>.
- Both answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; errcode -1 (系统繁忙), 45009 (企业微信: 接口调用超过限制) and
  130101 (钉钉: 发送速度太快而限流) are worth another try later, any other non-zero errcode is final.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

from crm.domain.schedule import Failure


class ChannelKind(StrEnum):
    WECOM = "wecom"  # 企业微信群机器人
    DINGTALK = "dingtalk"  # 钉钉自定义机器人


# The platform's one host, and the query parameter that holds the robot's credential.
HOSTS = {ChannelKind.WECOM: "qyapi.weixin.qq.com", ChannelKind.DINGTALK: "oapi.dingtalk.com"}
TOKEN_PARAMS = {ChannelKind.WECOM: "key", ChannelKind.DINGTALK: "access_token"}
# The documented limit of 企业微信's markdown content; 钉钉 documents none, 20000 bytes is what its robots take.
CONTENT_LIMITS = {ChannelKind.WECOM: 4096, ChannelKind.DINGTALK: 20000}
TEMPORARY_ERRCODES = {ChannelKind.WECOM: frozenset({-1, 45009}), ChannelKind.DINGTALK: frozenset({-1, 130101})}
ELLIPSIS = "…"


def url_problem(kind: ChannelKind, url: str, extra_hosts: frozenset[str] = frozenset()) -> str | None:
    """Why ``url`` is not a webhook of ``kind`` (a message code), or None when it is.

    https on the platform's host, with its credential in the query. ``extra_hosts`` ("127.0.0.1:8123", from
    CRM_CHANNEL_EXTRA_HOSTS) are accepted too, over http as well: a local test server, or an intranet relay.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "malformed"
    host = (parts.hostname or "").lower()
    netloc = f"{host}:{port}" if port else host
    extra = host in extra_hosts or netloc in extra_hosts
    if parts.scheme not in (("https", "http") if extra else ("https",)) or not host:
        return "not_https"
    if not extra and (host != HOSTS[kind] or port not in (None, 443)):
        return "wrong_host"
    if parts.username or parts.password or parts.fragment:
        return "malformed"
    token = parse_qs(parts.query).get(TOKEN_PARAMS[kind], [""])[0]
    if not token.strip():
        return "no_token"
    return None


def token_of(kind: ChannelKind, url: str) -> str:
    try:
        return parse_qs(urlsplit(url).query).get(TOKEN_PARAMS[kind], [""])[0]
    except ValueError:
        return ""


def mask(value: str | None, keep: int = 4) -> str:
    """abcd…wxyz: enough to tell two robots apart, not enough to use one. Short values show nothing."""
    if not value:
        return ""
    if len(value) < 3 * keep:
        return ELLIPSIS
    return f"{value[:keep]}{ELLIPSIS}{value[-keep:]}"


def mask_url(kind: ChannelKind, url: str) -> str:
    """https://qyapi.weixin.qq.com/…?key=abcd…wxyz — the host and the credential masked; the path is left out."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:
        return ELLIPSIS
    return f"{parts.scheme}://{host}/{ELLIPSIS}?{TOKEN_PARAMS[kind]}={mask(token_of(kind, url))}"


def secrets_of(kind: ChannelKind, url: str, secret: str | None) -> list[str]:
    """Every form in which the robot's credentials could appear in an error text, longest first."""
    values = {url, token_of(kind, url), secret or ""}
    values |= {quote_plus(v) for v in list(values) if v}
    return sorted((v for v in values if len(v) >= 6), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with each secret replaced by …, for last_error and the logs."""
    for value in secrets:
        text = text.replace(value, ELLIPSIS)
    return text


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, url-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def signed_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    if not secret:
        return url
    joiner = "&" if urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def fit(text: str, limit: int, tail: str) -> str:
    """``text`` within ``limit`` UTF-8 bytes: whole lines kept from the top, then ``tail`` (a line saying there is more)."""
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len(tail.encode("utf-8")) - 1
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        size = len(line.encode("utf-8")) + 1
        if used + size > budget:
            break
        kept.append(line)
        used += size
    if not kept:  # one enormous line: cut it by characters
        cut = text.encode("utf-8")[: max(budget, 0)].decode("utf-8", "ignore")
        kept = [cut]
    return "\n".join(kept) + "\n" + tail


def payload(kind: ChannelKind, title: str, text: str, tail: str) -> dict[str, Any]:
    """The markdown message as the platform documents it, within its size limit."""
    body = fit(text, CONTENT_LIMITS[kind], tail)
    if kind is ChannelKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": body}}
    return {"msgtype": "markdown", "markdown": {"title": title[:100], "text": body}}


@dataclass(frozen=True)
class Outcome:
    ok: bool
    failure: Failure | None = None
    text: str = ""


def outcome_of(kind: ChannelKind, status: int, reply: Any) -> Outcome:
    """What an HTTP status and the decoded JSON reply (None if it was not JSON) mean."""
    if status == 429 or status >= 500:
        return Outcome(False, Failure.TEMPORARY, f"HTTP {status}")
    if status != 200:
        return Outcome(False, Failure.PERMANENT, f"HTTP {status}")
    if not isinstance(reply, dict) or not isinstance(reply.get("errcode"), int):
        return Outcome(False, Failure.TEMPORARY, "HTTP 200, reply without errcode")
    code = reply["errcode"]
    if code == 0:
        return Outcome(True)
    message = str(reply.get("errmsg", ""))[:300]
    failure = Failure.TEMPORARY if code in TEMPORARY_ERRCODES[kind] else Failure.PERMANENT
    return Outcome(False, failure, f"errcode {code}: {message}")
