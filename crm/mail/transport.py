"""Turning an outbox row into an email and handing it over: SMTP (STARTTLS) or, without SMTP settings,
a .eml file in <instance>/outbox/ (which then counts as sent).

Delivery problems come back as ``DeliveryError`` with a ``Failure`` kind: temporary (4xx, connection
refused, timeouts, a dropped connection) or permanent (5xx). ``server_down`` says that no message can
go through this connection at all, so the dispatcher stops for this round instead of failing them all.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Protocol

from crm.domain.schedule import Failure, failure_kind


class DeliveryError(Exception):
    def __init__(self, kind: Failure, text: str, server_down: bool = False) -> None:
        super().__init__(text)
        self.kind = kind
        self.text = text
        self.server_down = server_down


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


def build_message(row: Any, sender: str) -> EmailMessage:
    """The email of one outbox row: plain text with an HTML alternative, the stored Message-ID.

    ``EmailMessage`` (policy.default) writes non-ASCII headers such as the Chinese subject
    RFC 2047-encoded when the message is serialised for SMTP.
    """
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = sender
    message["To"] = row.to_address
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


@dataclass
class SmtpSettings:
    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    timeout: float = 30.0
    cafile: str | None = None


class SmtpTransport:
    """One SMTP connection, opened on the first message and reused; any error closes it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (OSError, smtplib.SMTPException) as error:  # refused, unreachable, timeout, 4xx/5xx greeting
            raise DeliveryError(Failure.TEMPORARY, f"无法连接邮件服务器 {s.host}:{s.port}：{error}", server_down=True) from error
        try:
            smtp.ehlo()
            if s.starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(Failure.TEMPORARY, "邮件服务器不支持 STARTTLS（CRM_SMTP_STARTTLS 已开启）", server_down=True)
                smtp.starttls(context=ssl.create_default_context(cafile=s.cafile))
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password)
        except DeliveryError:
            smtp.close()
            raise
        except smtplib.SMTPResponseException as error:
            smtp.close()
            raise DeliveryError(failure_kind(error.smtp_code), f"{error.smtp_code} {_text(error.smtp_error)}", server_down=True) from error
        except (OSError, smtplib.SMTPException) as error:
            smtp.close()
            raise DeliveryError(Failure.TEMPORARY, f"邮件服务器连接失败：{error}", server_down=True) from error
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            self.close()
            code, text = next(iter(error.recipients.values()), (None, b""))
            raise DeliveryError(failure_kind(code), f"{code} {_text(text)}") from error
        except smtplib.SMTPResponseException as error:  # sender refused, data refused, 4xx/5xx
            self.close()
            raise DeliveryError(failure_kind(error.smtp_code), f"{error.smtp_code} {_text(error.smtp_error)}") from error
        except (smtplib.SMTPServerDisconnected, socket.timeout, OSError, smtplib.SMTPException) as error:
            self.close()
            raise DeliveryError(Failure.TEMPORARY, f"发送中断：{error}", server_down=True) from error
        if refused:  # only possible with several recipients; each message has one
            code, text = next(iter(refused.values()))
            raise DeliveryError(failure_kind(code), f"{code} {_text(text)}")

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()


class EmlTransport:
    """Without SMTP settings: each message becomes <folder>/<Message-ID>.eml. Writing the same message
    again replaces its file, so a resend after a crash leaves one file."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path_for(self, message: EmailMessage) -> Path:
        ident = (message["Message-ID"] or "message").strip("<>")
        safe = "".join(ch if ch.isalnum() or ch in "-._@" else "_" for ch in ident)
        return self.folder / f"{safe}.eml"

    def send(self, message: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path_for(message)
            temporary = target.with_suffix(".eml.tmp")
            temporary.write_bytes(message.as_bytes())
            os.replace(temporary, target)
        except OSError as error:
            raise DeliveryError(Failure.TEMPORARY, f"无法写入 {self.folder}：{error}", server_down=True) from error

    def close(self) -> None:
        pass


def transport_from_config(config: Any, instance_path: str) -> Transport:
    if config.get("CRM_SMTP_HOST"):
        return SmtpTransport(
            SmtpSettings(
                host=config["CRM_SMTP_HOST"],
                port=int(config.get("CRM_SMTP_PORT", 587)),
                user=config.get("CRM_SMTP_USER", ""),
                password=config.get("CRM_SMTP_PASSWORD", ""),
                starttls=bool(config.get("CRM_SMTP_STARTTLS", True)),
                timeout=float(config.get("CRM_SMTP_TIMEOUT", 30)),
                cafile=config.get("CRM_SMTP_CAFILE"),
            )
        )
    return EmlTransport(Path(instance_path) / "outbox")


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
