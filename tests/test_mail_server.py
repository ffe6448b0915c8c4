"""A real SMTP server for the email tests (aiosmtpd on loopback, STARTTLS with a throw-away certificate),
and the tests of the SMTP transport itself: STARTTLS, the reply codes and what they mean, the .eml folder.

Other test modules import ``SmtpServer``, ``smtp_config`` and ``free_port`` from here.
"""

from __future__ import annotations

import email
import socket
import ssl
import subprocess
import threading
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Iterator

import pytest
from aiosmtpd.controller import Controller

from crm.domain.schedule import Failure
from crm.mail.transport import DeliveryError, EmlTransport, SmtpSettings, SmtpTransport


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the client trusts it through CRM_SMTP_CAFILE)."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True,
        )
    return cert, key


class Recorder:
    """The server's handler: keeps what it accepted; ``replies`` refuses recipients with a given reply
    (e.g. "451 4.3.0 try later", "550 5.1.1 no such user")."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.replies: dict[str, str] = {}
        self.tls: list[bool] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        reply = self.replies.get(address) or self.replies.get("*")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.raw.append(envelope.content)
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
            self.tls.append(session.ssl is not None)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class SmtpServer:
    """aiosmtpd on 127.0.0.1 with STARTTLS required; ``config`` are the app settings that reach it."""

    def __init__(self, cert_dir: Path) -> None:
        self.cert, key = make_certificate(cert_dir)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.port = free_port()
        self.handler = Recorder()
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True,
        )

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def config(self) -> dict[str, Any]:
        return smtp_config(self.port, self.cert)


def smtp_config(port: int, cafile: Path | None = None) -> dict[str, Any]:
    return {
        "CRM_SMTP_HOST": "127.0.0.1", "CRM_SMTP_PORT": port, "CRM_SMTP_STARTTLS": True, "CRM_SMTP_CAFILE": str(cafile) if cafile else None,
        "CRM_SMTP_TIMEOUT": 5, "CRM_MAIL_FROM": "招商引资管理系统 <crm@lushan.example>",
    }


@pytest.fixture
def smtp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    server = SmtpServer(tmp_path_factory.getbasetemp()).start()
    yield server
    server.stop()


def _message(to: str = "staff1@lushan.example") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "【招商引资】每周摘要 2026年第48周"
    message["From"] = "crm@lushan.example"
    message["To"] = to
    message["Message-ID"] = "<test.1@lushan.example>"
    message.set_content("正文")
    return message


def _transport(server: SmtpServer, **overrides: Any) -> SmtpTransport:
    settings = SmtpSettings(host="127.0.0.1", port=server.port, starttls=True, timeout=5, cafile=str(server.cert))
    for name, value in overrides.items():
        setattr(settings, name, value)
    return SmtpTransport(settings)


def test_a_message_goes_through_starttls_with_its_chinese_subject_encoded(smtp_server: SmtpServer) -> None:
    transport = _transport(smtp_server)
    transport.send(_message())
    transport.close()
    assert smtp_server.handler.tls == [True]
    raw = smtp_server.handler.raw[0]
    assert b"Subject: =?utf-8?" in raw  # RFC 2047: no raw UTF-8 in the header
    assert smtp_server.handler.messages[0]["Subject"] == "【招商引资】每周摘要 2026年第48周"


def test_the_server_certificate_is_checked(smtp_server: SmtpServer) -> None:
    """Without the CA that signed it, the self-signed certificate is refused: not sent, tried again later."""
    transport = _transport(smtp_server, cafile=None)
    with pytest.raises(DeliveryError) as refused:
        transport.send(_message())
    assert refused.value.kind is Failure.TEMPORARY and refused.value.server_down
    assert smtp_server.handler.messages == []


@pytest.mark.parametrize(
    ("reply", "kind"),
    [("451 4.3.0 Mailbox temporarily unavailable", Failure.TEMPORARY), ("550 5.1.1 No such user", Failure.PERMANENT)],
)
def test_reply_codes_are_temporary_or_permanent(smtp_server: SmtpServer, reply: str, kind: Failure) -> None:
    smtp_server.handler.replies["staff1@lushan.example"] = reply
    transport = _transport(smtp_server)
    with pytest.raises(DeliveryError) as refused:
        transport.send(_message())
    assert refused.value.kind is kind and not refused.value.server_down
    assert reply.split()[0] in refused.value.text
    transport.send(_message("staff2@lushan.example"))  # the next message goes through (a new connection)
    transport.close()
    assert [m["To"] for m in smtp_server.handler.messages] == ["staff2@lushan.example"]


def test_connection_refused_is_temporary_and_stops_the_round() -> None:
    transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=free_port(), starttls=True, timeout=2))
    with pytest.raises(DeliveryError) as refused:
        transport.send(_message())
    assert refused.value.kind is Failure.TEMPORARY and refused.value.server_down


def test_a_silent_server_times_out() -> None:
    """A server that accepts the connection and never answers: a timeout, temporary."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=listener.getsockname()[1], starttls=True, timeout=0.5))
        with pytest.raises(DeliveryError) as refused:
            transport.send(_message())
        assert refused.value.kind is Failure.TEMPORARY and refused.value.server_down
    finally:
        listener.close()


def test_starttls_required_but_not_offered_is_refused(tmp_path: Path) -> None:
    """CRM_SMTP_STARTTLS on and a server without it: nothing is sent in clear text."""
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        transport = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, starttls=True, timeout=5))
        with pytest.raises(DeliveryError) as refused:
            transport.send(_message())
        assert "STARTTLS" in refused.value.text and handler.messages == []
        plain = SmtpTransport(SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=5))
        plain.send(_message())
        plain.close()
        assert len(handler.messages) == 1
    finally:
        controller.stop()


def test_without_smtp_each_message_is_an_eml_file(tmp_path: Path) -> None:
    transport = EmlTransport(tmp_path / "outbox")
    transport.send(_message())
    transport.send(_message())  # the same message again (a resend) replaces its file
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["Subject"] == "【招商引资】每周摘要 2026年第48周" and parsed["Message-ID"] == "<test.1@lushan.example>"
