"""Group robots against a local webhook server (http.server in a thread) that checks each platform's message format
and, for 钉钉, the signature: the scheduled jobs post each unit's messages once per (kind, channel, period), a rerun
posts nothing, 5xx and rate limits are retried, other errcodes fail and are listed on /admin/mail, a unit's robot
never hears of another unit's records, and the URL and the secret are never shown, logged or audited in full."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from crm.audit.models import AuditLog
from crm.audit.services import REDACTED
from crm.channels.models import Channel
from crm.domain.channels import ChannelKind
from crm.mail.models import OutboxMessage, OutboxStatus
from crm.mail.outbox import dispatch
from crm.scheduler import job_by_id, run_job
from tests.factories import new_issue, new_lead
from tests.helpers import in_app

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 0, 0, tzinfo=timezone.utc)  # 08:00 in Asia/Shanghai
WECOM_KEY = "wecomkey-1234-5678-90ab-cdefSECRET"
DING_TOKEN = "dingtoken0123456789abcdefSECRET"
DING_SECRET = "SECdingsecret0123456789abcdefghijklmnopqrstuvwxyz"


class RobotServer:
    """Answers like the platforms: ``replies`` (status, JSON) are used up first, then {"errcode": 0}."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.replies: list[tuple[int, Any]] = []
        self.problems: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                kind = "wecom" if parts.path == "/cgi-bin/webhook/send" else "dingtalk"
                server.check(kind, query, body, self.headers.get("Content-Type", ""))
                server.received.append({"kind": kind, "query": query, "body": body})
                status, reply = server.replies.pop(0) if server.replies else (200, {"errcode": 0, "errmsg": "ok"})
                data = json.dumps(reply).encode() if reply is not None else b"<html>busy</html>"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def check(self, kind: str, query: dict[str, list[str]], body: Any, content_type: str) -> None:
        if not content_type.startswith("application/json"):
            self.problems.append(f"content type {content_type}")
        if kind == "wecom":
            if query.get("key") != [WECOM_KEY]:
                self.problems.append("wecom key")
            content = body.get("markdown", {}).get("content")
            if body.get("msgtype") != "markdown" or set(body) != {"msgtype", "markdown"} or not isinstance(content, str):
                self.problems.append(f"wecom format {body}")
            elif len(content.encode("utf-8")) > 4096:
                self.problems.append("wecom content over 4096 bytes")
            return
        if query.get("access_token") != [DING_TOKEN]:
            self.problems.append("dingtalk token")
        timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        expected = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()).decode()
        if not timestamp.isdigit() or sign != expected:  # parse_qs has already url-decoded the sign once
            self.problems.append(f"dingtalk sign {timestamp} {sign} != {expected}")
        markdown = body.get("markdown", {})
        if body.get("msgtype") != "markdown" or not markdown.get("title") or not markdown.get("text"):
            self.problems.append(f"dingtalk format {body}")

    def url(self, kind: str) -> str:
        if kind == "wecom":
            return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key={WECOM_KEY}"
        return f"http://127.0.0.1:{self.port}/robot/send?access_token={DING_TOKEN}"

    def texts(self) -> list[str]:
        return [r["body"]["markdown"].get("content") or r["body"]["markdown"]["text"] for r in self.received]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def robots(app: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    server = RobotServer()
    monkeypatch.setitem(app.config, "CRM_CHANNEL_EXTRA_HOSTS", f"127.0.0.1:{server.port}")
    monkeypatch.setitem(app.config, "CRM_CHANNEL_TIMEOUT", 3)
    monkeypatch.setitem(app.config, "CRM_SMTP_HOST", "")
    monkeypatch.setitem(app.config, "CRM_SMTP_RETRY_MINUTES", (5, 15))
    monkeypatch.setitem(app.config, "CRM_SMTP_MAX_ATTEMPTS", 3)
    yield server
    server.close()
    assert not server.problems, server.problems


def _attach(app: Any, unit: Any, kind: str, url: str, secret: str | None = None) -> int:
    from crm.channels.services import ChannelData, add_channel

    with in_app(app) as session:
        channel = add_channel(session.get(type(unit), unit.id), ChannelData(unit.id, ChannelKind(kind), None, url, secret))
        session.commit()
        return channel.id


def _posts(app: Any) -> list[OutboxMessage]:
    with in_app(app) as session:
        return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel_id.is_not(None)).order_by(OutboxMessage.id)))


def _scenario(app: Any, w: Any) -> None:
    """branch_a1: the world's overdue follow-up (电话回访, due 11-20), an overdue milestone and issue of its project,
    which is a key project gone red (its start date passed) with a 分包县级领导. branch_a2: records of its own."""
    from crm.assignments.models import ProjectLeader
    from crm.domain.projects import MilestoneKind
    from crm.followups.models import FollowUp
    from crm.progress.models import Milestone
    from crm.projects.models import Project

    with in_app(app) as session:
        project = session.get(Project, w.records["project"])
        project.is_key, project.planned_start_on = True, date(2026, 10, 1)
        session.add(Milestone(project_id=project.id, kind=MilestoneKind.PLANNING_PERMIT, planned_on=TODAY - timedelta(days=5)))
        new_issue(session, unit_id=w.units["branch_a1"].id, project_id=project.id, description="甲分局用电增容未批",
                  raised_on=date(2026, 10, 1), deadline=date(2026, 11, 25))
        session.add(ProjectLeader(project_id=project.id, leader_id=w.users["leader"].id, slot=1, entered_on=date(2026, 1, 1)))
        lead = new_lead(session, w, unit="branch_a2", owner="staff_a2", name="乙分局秘密线索")
        session.add(FollowUp(unit_id=w.units["branch_a2"].id, assignee_id=w.users["staff_a2"].id, lead_id=lead.id,
                             due_on=TODAY - timedelta(days=2), note="乙分局秘密回访"))
        new_issue(session, unit_id=w.units["branch_a2"].id, description="乙分局秘密问题", deadline=date(2026, 11, 1))
        session.commit()


def test_the_daily_job_posts_each_units_alerts_once_in_the_platforms_format(app, world, isolated, robots) -> None:
    _scenario(app, world)
    wecom = _attach(app, world.units["branch_a1"], "wecom", robots.url("wecom"))
    ding = _attach(app, world.units["branch_a1"], "dingtalk", robots.url("dingtalk"), DING_SECRET)
    run = run_job(app, job_by_id("daily_alerts"), NOW)  # the scheduled run: queue, commit, dispatch
    assert run.posts == 2 and "2 group posts queued" in str(run)
    assert sorted(r["kind"] for r in robots.received) == ["dingtalk", "wecom"]
    for text in robots.texts():
        assert "今日提醒（2026-12-01）" in text
        assert "电话回访" in text and "逾期 11 天" in text  # the follow-up due 11-20
        assert "甲分局用电增容未批" in text
        assert "今日亮红灯的重点项目" in text  # the 提醒函 the same run issued
        assert f"{app.config['CRM_BASE_URL']}/projects/{world.records['project']}" in text  # absolute links back
        assert "乙分局" not in text
    ding_post = next(r for r in robots.received if r["kind"] == "dingtalk")["body"]["markdown"]
    assert ding_post["title"].startswith("【招商引资】")
    rows = _posts(app)
    assert {(r.channel_id, r.kind, r.period, r.status) for r in rows} == {
        (wecom, "daily_alerts", "2026-12-01", OutboxStatus.SENT), (ding, "daily_alerts", "2026-12-01", OutboxStatus.SENT)}
    assert all(r.recipient_id is None and "SECRET" not in r.to_address for r in rows)

    again = run_job(app, job_by_id("daily_alerts"), NOW + timedelta(hours=1))  # a rerun: nothing queued, nothing sent
    assert again.posts == 0 and len(_posts(app)) == 2 and len(robots.received) == 2


def test_a_units_robot_never_carries_another_units_records(app, world, isolated, robots) -> None:
    _scenario(app, world)
    a1 = _attach(app, world.units["branch_a1"], "wecom", robots.url("wecom"))
    a2 = _attach(app, world.units["branch_a2"], "wecom", robots.url("wecom"))
    _attach(app, world.units["bureau_a"], "wecom", robots.url("wecom"))  # the parent: its own records only (none)
    with in_app(app) as session:
        from crm.channels.posting import queue_daily_posts, queue_weekly_posts

        assert queue_daily_posts(TODAY, NOW) == 2  # bureau_a has nothing of its own to tell
        new_lead(session, world, unit="branch_a1", name="甲分局本周线索", received_on=date(2026, 11, 25))
        new_lead(session, world, unit="branch_a2", owner="staff_a2", name="乙分局本周线索", received_on=date(2026, 11, 26))
        assert queue_weekly_posts("2026-W48", NOW) == 2
        session.commit()
    by_channel: dict[int, list[str]] = {}
    for row in _posts(app):
        by_channel.setdefault(row.channel_id, []).append(row.body_text)
    a1_text, a2_text = "\n".join(by_channel[a1]), "\n".join(by_channel[a2])
    assert "电话回访" in a1_text and "甲分局用电增容未批" in a1_text and "甲分局本周线索" in a1_text
    assert "乙分局" not in a1_text
    assert "乙分局秘密回访" in a2_text and "乙分局秘密问题" in a2_text and "乙分局本周线索" in a2_text
    assert "电话回访" not in a2_text and "甲分局" not in a2_text


def test_weekly_and_report_reminder_jobs_post_once(app, world, isolated, robots) -> None:
    channel = _attach(app, world.units["branch_a1"], "dingtalk", robots.url("dingtalk"), DING_SECRET)
    with in_app(app) as session:
        new_lead(session, world, unit="branch_a1", name="甲分局本周线索", received_on=date(2026, 11, 25))
        session.commit()
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)
    assert run_job(app, job_by_id("weekly_digest"), monday).posts == 1
    assert run_job(app, job_by_id("weekly_digest"), monday).posts == 0
    report_day = datetime(2026, 12, 2, 0, 5, tzinfo=timezone.utc)  # 2日: 2026-11-2 is due
    first = run_job(app, job_by_id("report_reminders"), report_day)
    assert first.posts == 1 and run_job(app, job_by_id("report_reminders"), report_day).posts == 0
    assert [(r.kind, r.period) for r in _posts(app) if r.channel_id == channel] == [("weekly_digest", "2026-W48"), ("report_reminder", "2026-11-2")]
    texts = robots.texts()
    assert len(texts) == 2 and "每周摘要 2026年第48周" in texts[0] and "甲分局本周线索" in texts[0]
    assert "半月报" in texts[1] and "/submissions/" in texts[1]


def test_crm_digests_send_posts_the_weekly_summary_as_the_job_does(app, world, isolated, robots) -> None:
    channel = _attach(app, world.units["branch_a1"], "wecom", robots.url("wecom"))
    with in_app(app) as session:
        new_lead(session, world, unit="branch_a1", name="甲分局本周线索", received_on=date(2026, 11, 25))
        session.commit()
    runner = app.test_cli_runner()
    sent = runner.invoke(args=["digests", "send", "--period", "2026-W48"])
    assert sent.exit_code == 0 and "1 group posts queued" in sent.output, sent.output
    assert "group posts" not in runner.invoke(args=["digests", "send", "--period", "2026-W48"]).output  # a rerun: none
    assert [(r.kind, r.period) for r in _posts(app) if r.channel_id == channel] == [("weekly_digest", "2026-W48")]
    assert "甲分局本周线索" in robots.texts()[0]


def test_a_switched_off_robot_gets_nothing(app, world, isolated, robots) -> None:
    _scenario(app, world)
    channel = _attach(app, world.units["branch_a1"], "wecom", robots.url("wecom"))
    with in_app(app) as session:
        from crm.channels.posting import queue_daily_posts

        session.get(Channel, channel).is_active = False
        assert queue_daily_posts(TODAY, NOW) == 0


def test_5xx_and_rate_limits_are_retried_and_other_errcodes_fail(app, world, isolated, robots) -> None:
    _scenario(app, world)
    _attach(app, world.units["branch_a1"], "wecom", robots.url("wecom"))
    robots.replies = [(502, None), (200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
    with in_app(app) as session:
        from crm.channels.posting import queue_daily_posts

        queue_daily_posts(TODAY, NOW)
        session.commit()
        first = dispatch(NOW)
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
    [row] = _posts(app)
    assert row.status is OutboxStatus.PENDING and row.last_error == "群机器人拒收：HTTP 502"
    with in_app(app):
        assert dispatch(NOW + timedelta(minutes=1)).sent == 0  # not due yet
        second = dispatch(NOW + timedelta(minutes=6))
    assert second.retrying == 1 and "45009" in _posts(app)[0].last_error
    with in_app(app):
        third = dispatch(NOW + timedelta(minutes=30))
    assert third.sent == 1 and _posts(app)[0].status is OutboxStatus.SENT and len(robots.received) == 3


def test_a_refused_post_is_failed_and_listed_without_the_key(app, world, isolated, robots, client, login_as, caplog) -> None:
    _scenario(app, world)
    _attach(app, world.units["branch_a1"], "wecom", robots.url("wecom"))
    robots.replies = [(200, {"errcode": 93000, "errmsg": f"invalid webhook url, key={WECOM_KEY}"})]
    caplog.set_level(logging.DEBUG)
    with in_app(app) as session:
        from crm.channels.posting import queue_daily_posts

        queue_daily_posts(TODAY, NOW)
        session.commit()
        result = dispatch(NOW)
    assert result.failed == 1
    [row] = _posts(app)
    assert row.status is OutboxStatus.FAILED and row.last_error.startswith("群机器人拒收：errcode 93000")
    assert WECOM_KEY not in row.last_error
    login_as("admin")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "errcode 93000" in page and "甲县第一招商分局" in page and "企业微信群机器人" in page
    assert "SECRET" not in page  # neither the key nor the URL's tail
    assert "SECRET" not in caplog.text and "outbox: message" in caplog.text
    # Another county's admin does not see it.
    login_as("admin_b")
    assert "errcode 93000" not in client.get("/admin/mail").get_data(as_text=True)


def test_an_unreachable_robot_is_a_temporary_failure(app, world, isolated, robots) -> None:
    _scenario(app, world)
    closed = RobotServer()
    url = closed.url("wecom")
    closed.close()  # nothing listens on that port any more
    app.config["CRM_CHANNEL_EXTRA_HOSTS"] += f",127.0.0.1:{closed.port}"
    _attach(app, world.units["branch_a1"], "wecom", url)
    with in_app(app) as session:
        from crm.channels.posting import queue_daily_posts

        queue_daily_posts(TODAY, NOW)
        session.commit()
        assert dispatch(NOW).retrying == 1
    assert "SECRET" not in _posts(app)[0].last_error and "无法连接群机器人" in _posts(app)[0].last_error


def test_the_admin_page_validates_and_never_shows_the_secrets(app, world, isolated, robots, client, login_as) -> None:
    login_as("admin")
    unit_id = world.units["branch_a1"].id
    form = {"unit_id": str(unit_id), "kind": "wecom", "webhook_url": "https://example.com/cgi-bin/webhook/send?key=abc"}
    response = client.post("/admin/channels/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "qyapi.weixin.qq.com" in page and "应在" in page
    assert 'value="https://example.com/cgi-bin/webhook/send?key=abc"' in page  # what was typed is kept
    for url, message in (("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "https://"),
                         ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "缺少 key 参数"),
                         ("", "必填项")):
        page = client.post("/admin/channels/new", data={**form, "webhook_url": url}).get_data(as_text=True)
        assert message in page, url
    page = client.post("/admin/channels/new", data={**form, "webhook_url": robots.url("wecom"), "secret": "SECx"}).get_data(as_text=True)
    assert "企业微信群机器人没有加签密钥" in page
    other = client.post("/admin/channels/new", data={**form, "unit_id": str(world.units["branch_b1"].id), "webhook_url": robots.url("wecom")})
    assert other.status_code == 400  # another county's unit is not offered
    response = client.post("/admin/channels/new", data={**form, "kind": "dingtalk", "webhook_url": robots.url("dingtalk"),
                                                        "secret": DING_SECRET, "name": "第一分局工作群"})
    assert response.status_code == 302
    listing = client.get("/admin/channels/").get_data(as_text=True)
    assert "第一分局工作群" in listing and "access_token=ding…CRET" in listing and "SEC…xyz" in listing
    assert DING_TOKEN not in listing and DING_SECRET not in listing and "/robot/send" not in listing
    with in_app(app) as session:
        channel = session.scalars(sa.select(Channel).where(Channel.name == "第一分局工作群")).one()
        channel_id = channel.id
        audit = session.scalars(sa.select(AuditLog).where(AuditLog.record_type == "channels", AuditLog.record_id == channel_id)).all()
    values = {row.field: row.new_value for row in audit}
    assert values["webhook_url"] == REDACTED and values["secret"] == REDACTED and values["kind"] == "dingtalk"
    assert all(DING_TOKEN not in (r.new_value or "") + (r.record_label or "") for r in audit)
    history = client.get(f"/history/channels/{channel_id}").get_data(as_text=True)
    assert DING_TOKEN not in history and DING_SECRET not in history
    assert client.post(f"/admin/channels/{channel_id}/active", data={"active": "0"}).status_code == 302
    with in_app(app) as session:
        assert session.get(Channel, channel_id).is_active is False
    assert client.post(f"/admin/channels/{channel_id}/delete").status_code == 302
    with in_app(app) as session:
        assert session.get(Channel, channel_id) is None


def test_the_command_line(app, world, isolated, robots) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["channels", "add", "--unit", "甲县第一招商分局", "--kind", "dingtalk",
                                 "--url", robots.url("dingtalk"), "--secret", DING_SECRET])
    assert result.exit_code == 0, result.output
    assert "added #" in result.output and "access_token=ding…CRET" in result.output and DING_SECRET not in result.output
    channel_id = int(result.output.split("#")[1].split()[0])
    bad = runner.invoke(args=["channels", "add", "--unit", "甲县第一招商分局", "--kind", "wecom", "--url", robots.url("dingtalk")])
    assert bad.exit_code != 0 and "缺少 key 参数" in bad.output
    assert runner.invoke(args=["channels", "add", "--unit", "无此单位", "--kind", "wecom", "--url", robots.url("wecom")]).exit_code != 0
    listing = runner.invoke(args=["channels", "list"]).output
    assert f"#{channel_id} dingtalk" in listing and DING_TOKEN not in listing and "world-channel" not in listing
    assert "off" in runner.invoke(args=["channels", "disable", str(channel_id)]).output
    assert runner.invoke(args=["channels", "remove", str(channel_id)]).exit_code == 0
    with in_app(app) as session:
        assert session.get(Channel, channel_id) is None
    assert runner.invoke(args=["channels", "remove", str(channel_id)]).exit_code != 0
