"""Webhook URL rules, masking, the 钉钉 signature, the size limit and what a platform's reply means (crm.domain.channels)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import unquote_plus

import pytest

from crm.domain.channels import (
    ChannelKind,
    dingtalk_sign,
    fit,
    mask_url,
    outcome_of,
    payload,
    scrub,
    secrets_of,
    signed_url,
    url_problem,
)
from crm.domain.schedule import Failure

W, D = ChannelKind.WECOM, ChannelKind.DINGTALK
WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_URL = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("kind, url, problem", [
    (W, WECOM_URL, None),
    (D, DING_URL, None),
    (W, WECOM_URL.replace("https", "http"), "not_https"),
    (W, "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=abc", "wrong_host"),
    (W, DING_URL, "wrong_host"),  # a 钉钉 URL is not a 企业微信 robot
    (D, WECOM_URL, "wrong_host"),
    (W, "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=abc", "wrong_host"),
    (W, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "no_token"),
    (D, "https://oapi.dingtalk.com/robot/send?access_token=", "no_token"),
    (W, "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "malformed"),
    (W, "https://[::1/x?key=a", "malformed"),
    (W, "qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "not_https"),
])
def test_webhook_urls_are_https_on_the_platforms_host(kind, url, problem) -> None:
    assert url_problem(kind, url) == problem


def test_extra_hosts_are_accepted_over_http_too() -> None:
    local = "http://127.0.0.1:8123/cgi-bin/webhook/send?key=abc"
    assert url_problem(W, local) == "not_https"
    assert url_problem(W, local, frozenset({"127.0.0.1:8123"})) is None
    assert url_problem(W, local, frozenset({"127.0.0.1:9999"})) == "not_https"
    assert url_problem(W, "ftp://127.0.0.1:8123/x?key=a", frozenset({"127.0.0.1:8123"})) == "not_https"


def test_masked_urls_show_neither_path_nor_key() -> None:
    assert mask_url(W, WECOM_URL) == "https://qyapi.weixin.qq.com/…?key=693a…5aaa"
    assert mask_url(D, DING_URL) == "https://oapi.dingtalk.com/…?access_token=0123…cdef"
    assert mask_url(W, "https://qyapi.weixin.qq.com/x?key=short") == "https://qyapi.weixin.qq.com/…?key=…"


def test_scrub_removes_every_form_of_the_credentials() -> None:
    secret = "SECabc+def/ghi=jkl"
    hidden = secrets_of(D, DING_URL, secret)
    text = f"POST {DING_URL} failed; token 0123456789abcdef0123456789abcdef; sign key SECabc%2Bdef%2Fghi%3Djkl; {secret}"
    cleaned = scrub(text, hidden)
    assert "0123456789abcdef" not in cleaned and "SECabc" not in cleaned and "dingtalk.com/robot" not in cleaned


def test_dingtalk_signature_is_hmac_sha256_of_timestamp_and_secret() -> None:
    secret, ts = "SEC000000000000000000000000000000000000000000000000000000000000000", 1700000000000
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    assert unquote_plus(dingtalk_sign(secret, ts)) == expected
    url = signed_url(DING_URL, secret, ts)
    assert url.startswith(DING_URL + f"&timestamp={ts}&sign=") and "+" not in url.split("sign=")[1]
    assert signed_url(DING_URL, None, ts) == DING_URL  # no 加签: the URL as it is


def test_messages_fit_the_platforms_limit_in_bytes() -> None:
    text = "\n".join(f"> [项目{i} 逾期节点](https://crm.example/projects/{i})　计划 2026-11-01，逾期 30 天" for i in range(200))
    body = payload(W, "标题", text, "……（其余请登录系统查看）")["markdown"]["content"]
    assert len(body.encode("utf-8")) <= 4096 and body.endswith("……（其余请登录系统查看）")
    assert body.split("\n")[-2].endswith("逾期 30 天")  # whole lines only
    ding = payload(D, "标题", "短消息", "…")
    assert ding == {"msgtype": "markdown", "markdown": {"title": "标题", "text": "短消息"}}
    assert fit("一" * 5000, 4096, "…").encode("utf-8").__len__() <= 4096  # one long line is cut by characters


@pytest.mark.parametrize("kind, status, reply, ok, failure", [
    (W, 200, {"errcode": 0, "errmsg": "ok"}, True, None),
    (W, 200, {"errcode": 45009, "errmsg": "api freq out of limit"}, False, Failure.TEMPORARY),
    (D, 200, {"errcode": 130101, "errmsg": "send too fast"}, False, Failure.TEMPORARY),
    (W, 200, {"errcode": -1, "errmsg": "system busy"}, False, Failure.TEMPORARY),
    (W, 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, False, Failure.PERMANENT),
    (D, 200, {"errcode": 310000, "errmsg": "sign not match"}, False, Failure.PERMANENT),
    (D, 200, None, False, Failure.TEMPORARY),
    (W, 502, None, False, Failure.TEMPORARY),
    (W, 429, None, False, Failure.TEMPORARY),
    (W, 404, None, False, Failure.PERMANENT),
    (W, 302, None, False, Failure.PERMANENT),
])
def test_replies(kind, status, reply, ok, failure) -> None:
    outcome = outcome_of(kind, status, reply)
    assert (outcome.ok, outcome.failure) == (ok, failure)
