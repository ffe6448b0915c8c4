"""The outbox against a real SMTP server (aiosmtpd, STARTTLS) with a controlled clock: each message once,
reruns send nothing, a crash between send and commit costs at most one resend, 4xx retried with back-off,
5xx failed at once, a server that stays down given up; .eml files without SMTP; the admin page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from crm.mail.models import OutboxMessage, OutboxStatus
from crm.mail.outbox import Email, dispatch, enqueue
from tests.helpers import in_app
from tests.test_mail_server import SmtpServer, free_port, smtp_config, smtp_server  # noqa: F401 (fixture)

T0 = datetime(2026, 11, 30, 0, 5, tzinfo=timezone.utc)  # Monday 08:05 in Asia/Shanghai


@pytest.fixture
def smtp_app(app: Any, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    for key, value in smtp_server.config.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "CRM_SMTP_RETRY_MINUTES", (5, 15, 60))
    monkeypatch.setitem(app.config, "CRM_SMTP_MAX_ATTEMPTS", 4)
    monkeypatch.setitem(app.config, "CRM_OUTBOX_CLAIM_MINUTES", 15)
    return app


def _queue(app: Any, world: Any, who: str = "staff", period: str = "2026-W48", kind: str = "weekly_digest") -> bool:
    user = world.users[who]
    with in_app(app) as session:
        added = enqueue(Email(kind, user.id, period, f"{user.username}@lushan.example", "【招商引资】每周摘要 2026年第48周",
                              "正文", "<p>正文</p>"), T0)
        session.commit()
    return added


def _rows(app: Any) -> list[OutboxMessage]:
    with in_app(app) as session:
        return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.message_id.not_like("<world.%")).order_by(OutboxMessage.id)))


def _send(app: Any, now: datetime, **kwargs: Any) -> Any:
    with in_app(app):
        return dispatch(now, **kwargs)


def test_enqueue_is_once_per_kind_recipient_and_period(app, world, isolated) -> None:
    assert _queue(app, world) is True
    assert _queue(app, world) is False  # ON CONFLICT DO NOTHING: the rerun adds nothing
    assert _queue(app, world, period="2026-W49") is True
    assert _queue(app, world, kind="daily_alerts", period="2026-11-30") is True
    rows = [r for r in _rows(app) if r.kind == "weekly_digest"]
    assert [r.period for r in rows] == ["2026-W48", "2026-W49"]
    domain = app.config["CRM_BASE_URL"].split("//")[1].split(":")[0]
    assert all(r.message_id.startswith("<") and r.message_id.endswith(f"@{domain}>") for r in rows)
    assert len({r.message_id for r in rows}) == 2


def test_enqueue_many_adds_in_batches_and_counts_only_new_rows(app, world, isolated, monkeypatch) -> None:
    from crm.mail import outbox

    monkeypatch.setattr(outbox, "ROWS_PER_INSERT", 2)  # three statements for five rows
    _queue(app, world, "chief")  # queued already, by an earlier run
    emails = [Email("weekly_digest", world.users[who].id, "2026-W48", f"{who}@lushan.example", f"摘要 {who}", "正文")
              for who in ("staff", "chief", "leader", "reviewer", "admin")]
    with in_app(app) as session:
        assert outbox.enqueue_many(emails, T0) == 4
        assert outbox.enqueue_many(emails, T0) == 0  # the rerun adds nothing
        session.commit()
    rows = [r for r in _rows(app) if r.kind == "weekly_digest"]
    assert sorted(r.recipient_id for r in rows) == sorted(world.users[who].id for who in ("staff", "chief", "leader", "reviewer", "admin"))
    assert len({r.message_id for r in rows}) == 5
    assert {r.subject for r in rows if r.recipient_id == world.users["chief"].id} == {"【招商引资】每周摘要 2026年第48周"}  # the first kept


def test_sent_once_and_a_rerun_sends_nothing(smtp_app, smtp_server, world, isolated) -> None:
    _queue(smtp_app, world)
    _queue(smtp_app, world, "chief")
    first = _send(smtp_app, T0)
    assert first.sent == 2
    assert _send(smtp_app, T0 + timedelta(minutes=2)).sent == 0
    _queue(smtp_app, world)  # the job running again the same week
    assert _send(smtp_app, T0 + timedelta(hours=1)).sent == 0
    received = smtp_server.handler.messages
    assert sorted(m["To"] for m in received) == ["chief_a1@lushan.example", "staff_a1@lushan.example"]
    stored = {r.to_address: r for r in _rows(smtp_app)}
    for message in received:
        row = stored[message["To"]]
        assert message["Message-ID"].strip() == row.message_id  # the stored, stable Message-ID
        assert row.status is OutboxStatus.SENT and row.sent_at == T0 and row.attempts == 1
    assert all(smtp_server.handler.tls)


class Crash(BaseException):
    """The process dies (kill -9, power cut) right after the server accepted the message."""


class SendThenCrash:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def send(self, message: Any) -> None:
        self.inner.send(message)
        raise Crash()

    def close(self) -> None:
        self.inner.close()


def test_a_crash_between_send_and_commit_resends_at_most_once(smtp_app, smtp_server, world, isolated) -> None:
    from crm.mail.transport import transport_from_config

    _queue(smtp_app, world)
    with pytest.raises(Crash):
        _send(smtp_app, T0, transport=SendThenCrash(transport_from_config(smtp_app.config, smtp_app.instance_path)))
    assert len(smtp_server.handler.messages) == 1
    (row,) = _rows(smtp_app)
    assert row.status is OutboxStatus.SENDING and row.claim_token  # claimed, outcome never recorded
    # Another dispatcher (or the restarted scheduler) leaves a fresh claim alone …
    assert _send(smtp_app, T0 + timedelta(minutes=10)).sent == 0
    # … and takes over a claim older than CRM_OUTBOX_CLAIM_MINUTES: one resend, then done.
    assert _send(smtp_app, T0 + timedelta(minutes=16)).sent == 1
    assert _send(smtp_app, T0 + timedelta(minutes=40)).sent == 0
    assert len(smtp_server.handler.messages) == 2
    assert smtp_server.handler.messages[0]["Message-ID"] == smtp_server.handler.messages[1]["Message-ID"]
    (row,) = _rows(smtp_app)
    assert row.status is OutboxStatus.SENT and row.attempts == 2


def test_451_is_retried_later_with_back_off(smtp_app, smtp_server, world, isolated) -> None:
    _queue(smtp_app, world)
    smtp_server.handler.replies["staff_a1@lushan.example"] = "451 4.3.0 Mailbox temporarily unavailable"
    result = _send(smtp_app, T0)
    assert (result.sent, result.retrying, result.failed) == (0, 1, 0)
    (row,) = _rows(smtp_app)
    assert row.status is OutboxStatus.PENDING and row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at == T0 + timedelta(minutes=5) and row.claim_token is None
    del smtp_server.handler.replies["staff_a1@lushan.example"]
    assert _send(smtp_app, T0 + timedelta(minutes=4)).sent == 0  # not yet due
    assert _send(smtp_app, T0 + timedelta(minutes=5)).sent == 1
    (row,) = _rows(smtp_app)
    assert row.status is OutboxStatus.SENT and row.attempts == 2 and row.last_error is None
    assert len(smtp_server.handler.messages) == 1


def test_550_fails_at_once_and_is_not_retried(smtp_app, smtp_server, world, isolated) -> None:
    _queue(smtp_app, world)
    _queue(smtp_app, world, "chief")
    smtp_server.handler.replies["staff_a1@lushan.example"] = "550 5.1.1 No such user"
    result = _send(smtp_app, T0)
    assert (result.sent, result.retrying, result.failed) == (1, 0, 1)  # the other message still went
    rows = {r.to_address: r for r in _rows(smtp_app)}
    failed = rows["staff_a1@lushan.example"]
    assert failed.status is OutboxStatus.FAILED and failed.attempts == 1 and failed.last_error.startswith("550")
    del smtp_server.handler.replies["staff_a1@lushan.example"]
    assert _send(smtp_app, T0 + timedelta(days=1)).sent == 0
    assert [m["To"] for m in smtp_server.handler.messages] == ["chief_a1@lushan.example"]


def test_a_server_that_stays_down_is_retried_then_given_up(app, world, isolated, monkeypatch) -> None:
    for key, value in smtp_config(free_port()).items():  # nothing listens there
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "CRM_SMTP_RETRY_MINUTES", (5, 15))
    monkeypatch.setitem(app.config, "CRM_SMTP_MAX_ATTEMPTS", 3)
    _queue(app, world)
    _queue(app, world, "chief")
    first = _send(app, T0)
    assert first.retrying == 1 and first.stopped  # the round stops: the second message is not tried in vain
    staff_row, chief_row = _rows(app)
    assert staff_row.attempts == 1 and chief_row.attempts == 0 and chief_row.status is OutboxStatus.PENDING
    with in_app(app) as session:  # leave one message, to follow its back-off
        session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id == chief_row.id))
        session.commit()
    waits = []
    now = T0
    for _ in range(2):
        (row,) = _rows(app)
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
        assert _send(app, now - timedelta(seconds=1)).retrying == 0  # not a second early
        _send(app, now)
    assert waits == [timedelta(minutes=5), timedelta(minutes=15)]
    (row,) = _rows(app)
    assert row.status is OutboxStatus.FAILED and row.attempts == 3 and "放弃" in row.last_error
    assert _send(app, now + timedelta(days=1)).retrying == 0  # given up for good


def test_without_smtp_settings_messages_become_eml_files(app, world, isolated, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(app.config, "CRM_SMTP_HOST", "")
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    _queue(app, world)
    assert _send(app, T0).sent == 1
    (row,) = _rows(app)
    assert row.status is OutboxStatus.SENT
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1 and row.message_id.strip("<>").replace("+", "_") in files[0].name.replace("+", "_")


def test_admin_page_lists_failures_and_retries_one(app, client, auth, world) -> None:
    auth.login_as("admin")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "staff@example.org" in page and "550 mailbox unavailable" in page
    assert "staff_b@example.org" not in page  # county B's message is not county A's admin's business
    response = client.post(f"/admin/mail/{world.records['outbox_failed']}/retry")
    assert response.status_code == 302
    with in_app(app) as session:
        row = session.get(OutboxMessage, world.records["outbox_failed"])
        assert row.status is OutboxStatus.PENDING and row.attempts == 0
    assert "已将发给 staff@example.org 的邮件重新加入发送队列" in client.get("/admin/mail").get_data(as_text=True)
    # A message that is not failed is left alone.
    client.post(f"/admin/mail/{world.records['outbox_failed']}/retry")
    with in_app(app) as session:
        assert session.get(OutboxMessage, world.records["outbox_failed"]).status is OutboxStatus.PENDING


def test_settings_come_from_the_environment(tmp_path) -> None:
    from crm.config import ConfigurationError, settings_from_env

    settings = settings_from_env({"CRM_REPORT_DAYS": "17,3", "CRM_SMTP_RETRY_MINUTES": "1, 10", "CRM_SMTP_MAX_ATTEMPTS": "2"}, str(tmp_path))
    assert settings["CRM_REPORT_DAYS"] == (3, 17)
    assert settings["CRM_SMTP_RETRY_MINUTES"] == (1, 10) and settings["CRM_SMTP_MAX_ATTEMPTS"] == 2
    defaults = settings_from_env({}, str(tmp_path))
    assert defaults["CRM_ALERT_HOUR"] == 8 and defaults["CRM_DIGEST_WEEKDAY"] == "mon" and defaults["CRM_REPORT_DAYS"] == (2, 17)
    for bad in ({"CRM_REPORT_DAYS": "2"}, {"CRM_REPORT_DAYS": "2,30"}, {"CRM_SMTP_RETRY_MINUTES": "5,x"}, {"CRM_SMTP_RETRY_MINUTES": "0"}):
        with pytest.raises(ConfigurationError):
            settings_from_env(bad, str(tmp_path))
