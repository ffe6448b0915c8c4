"""The outbox: every email — and every post to a unit's group robot (``Post``, ``crm.channels``) — is a row before it
is a message, so that it goes out exactly once.

- ``enqueue`` (and ``enqueue_many``, a hundred rows a statement) inserts with ON CONFLICT DO NOTHING on (kind, recipient, period): enqueueing the same
  digest twice, a rerun of a job or a second scheduler adds nothing. The Message-ID is made once, here.
- ``dispatch`` claims one due row at a time (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED; SQLite: a
  compare-and-set UPDATE … WHERE status='pending' AND claim_token IS NULL), commits the claim, sends,
  and commits the outcome at once. Two dispatchers never hold the same row.
- A claim older than CRM_OUTBOX_CLAIM_MINUTES belongs to a dispatcher that died between sending and
  recording it; the row is taken over and sent again, so a crash costs at most one duplicate.
- Temporary failures wait (CRM_SMTP_RETRY_MINUTES) and are tried again, up to CRM_SMTP_MAX_ATTEMPTS;
  permanent ones (5xx) are marked failed at once. Failures are listed on the admin page.
- Posts go through ``crm.channels.transport`` (an HTTPS POST to the robot's webhook), with the same claims, retries and
  failures. When the mail server is down, the round goes on with posts alone (``only_posts``).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from crm.db import utcnow
from crm.domain.schedule import Failure, RetryPolicy
from crm.extensions import db
from crm.mail.models import OutboxMessage, OutboxStatus
from crm.mail.transport import DeliveryError, Transport, build_message, transport_from_config
from crm.channels.transport import webhook_from_config

log = logging.getLogger(__name__)
T = OutboxMessage.__table__


def _insert_for(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def message_domain() -> str:
    """The right-hand side of Message-IDs: the host of CRM_BASE_URL."""
    return urlsplit(current_app.config.get("CRM_BASE_URL", "")).hostname or "localhost"


@dataclass(frozen=True)
class Email:
    kind: str  # weekly_digest, daily_alerts, report_reminder
    recipient_id: int
    period: str  # 2026-W48, 2026-11-27, 2026-11-1
    to_address: str
    subject: str
    body_text: str
    body_html: str | None = None


def enqueue(email: Email, now: datetime | None = None) -> bool:
    """Add a message unless one with the same (kind, recipient, period) exists. True when added.

    Flushes nothing of the ORM and never raises on a duplicate: the database decides.
    """
    return enqueue_many([email], now) == 1


ROWS_PER_INSERT = 100  # 12 values a row: far below SQLite's bound-parameter limit


def enqueue_many(emails: list[Email], now: datetime | None = None) -> int:
    """``enqueue`` for many messages, a hundred rows per statement. Returns how many were added."""
    return _insert_rows(
        [dict(kind=email.kind, recipient_id=email.recipient_id, period=email.period, to_address=email.to_address,
              subject=email.subject[:300], body_text=email.body_text, body_html=email.body_html) for email in emails],
        now,
    )


@dataclass(frozen=True)
class Post:
    """One markdown message to one group robot (``crm.channels``), once per (kind, channel, period)."""

    kind: str  # daily_alerts, weekly_digest, report_reminder: the email kinds, for the unit's group
    channel_id: int
    period: str
    label: str  # what the robot is called in the outbox and the logs (``str(Channel)``), never its URL
    title: str
    markdown: str


def enqueue_posts(posts: list[Post], now: datetime | None = None) -> int:
    """Queue posts unless the same (kind, channel, period) is queued already. Returns how many were added."""
    return _insert_rows(
        [dict(kind=post.kind, channel_id=post.channel_id, period=post.period, to_address=post.label[:200],
              subject=post.title[:300], body_text=post.markdown, body_html=None) for post in posts],
        now,
    )


def _insert_rows(rows: list[dict[str, Any]], now: datetime | None) -> int:
    session = db.session
    insert = _insert_for(session)
    added = 0
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = [
            dict(
                {"recipient_id": None, "channel_id": None, **row},
                # Made once, here: a retry or a resend after a crash carries the same Message-ID. Short
                # enough to stay on one header line.
                message_id=make_msgid(domain=message_domain()),
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=now or utcnow(),
                created_at=now or utcnow(),
            )
            for row in rows[start : start + ROWS_PER_INSERT]
        ]
        # A row back means inserted (rowcount is not reliable with implicit RETURNING). No conflict target: an
        # email conflicts on (kind, recipient, period), a post on (kind, channel, period).
        statement = insert(T).values(chunk).on_conflict_do_nothing().returning(T.c.id)
        added += len(session.execute(statement).all())
    return added


def already_queued(kind: str, period: str, recipient_ids: list[int]) -> set[int]:
    """Recipients who already have this message (any status), for skipping the work of building it."""
    if not recipient_ids:
        return set()
    found: set[int] = set()
    for start in range(0, len(recipient_ids), 900):  # stay under SQLite's bound-parameter limit
        chunk = recipient_ids[start : start + 900]
        found.update(
            db.session.scalars(
                sa.select(OutboxMessage.recipient_id).where(
                    OutboxMessage.kind == kind, OutboxMessage.period == period, OutboxMessage.recipient_id.in_(chunk)
                )
            )
        )
    return found


# --- dispatch -------------------------------------------------------------------------------------
@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    stopped: str | None = None  # why the round ended early (server down)
    sent_ids: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}"
        return text + (f" (stopped: {self.stopped})" if self.stopped else "")


def retry_policy() -> RetryPolicy:
    config = current_app.config
    return RetryPolicy(
        max_attempts=int(config.get("CRM_SMTP_MAX_ATTEMPTS", 6)),
        minutes=tuple(config.get("CRM_SMTP_RETRY_MINUTES", (5, 15, 60, 180, 720))),
    )


def _due(now: datetime, stale_before: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(T.c.status == OutboxStatus.PENDING, T.c.claim_token.is_(None), T.c.next_attempt_at <= now),
        sa.and_(T.c.status == OutboxStatus.SENDING, T.c.claimed_at < stale_before),
    )


def _claim_values(token: str, now: datetime) -> dict[str, Any]:
    return {"status": OutboxStatus.SENDING, "claim_token": token, "claimed_at": now, "attempts": T.c.attempts + 1}


def claim_next(session: Session, now: datetime, stale_before: datetime, token: str, only_posts: bool = False) -> Any | None:
    """Take one due message for this dispatcher and commit the claim; the claimed row, or None.

    Nothing stays open afterwards: the send happens outside any transaction (on SQLite an open write
    transaction would hold the database lock for the length of an SMTP conversation). ``only_posts``: group-robot
    posts alone (the mail server is down for this round).
    """
    due = _due(now, stale_before)
    if only_posts:
        due = sa.and_(due, T.c.channel_id.is_not(None))
    order = (T.c.next_attempt_at, T.c.id)
    claimed = None
    if session.get_bind().dialect.name == "postgresql":
        row_id = session.scalar(sa.select(T.c.id).where(due).order_by(*order).limit(1).with_for_update(skip_locked=True))
        if row_id is not None:
            session.execute(sa.update(T).where(T.c.id == row_id).values(**_claim_values(token, now)))
            claimed = row_id
    else:
        # SQLite: compare and set. The UPDATE repeats the due condition, so of two dispatchers that
        # picked the same row only one changes it; the other sees rowcount 0 and tries the next.
        for row_id in session.scalars(sa.select(T.c.id).where(due).order_by(*order).limit(20)).all():
            if session.execute(sa.update(T).where(T.c.id == row_id, due).values(**_claim_values(token, now))).rowcount == 1:
                claimed = row_id
                break
    row = session.execute(sa.select(T).where(T.c.id == claimed)).one() if claimed is not None else None
    session.commit()
    return row


def _finish(session: Session, row_id: int, token: str, **values: Any) -> None:
    """Record the outcome, only if the claim is still ours (a stale claim may have been taken over)."""
    session.execute(sa.update(T).where(T.c.id == row_id, T.c.claim_token == token).values(**values))
    session.commit()


def dispatch(
    now: datetime | None = None,
    *,
    transport: Transport | None = None,
    poster: Any = None,
    limit: int = 1000,
) -> DispatchResult:
    """Send what is due, one message per commit. ``now`` is the clock (tests move it)."""
    from crm.db import intending_to_write

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = now or utcnow()
    stale_before = now - timedelta(minutes=int(app.config.get("CRM_OUTBOX_CLAIM_MINUTES", 15)))
    policy = retry_policy()
    transport = transport or transport_from_config(app.config, app.instance_path)
    poster = poster or webhook_from_config(app.config)
    sender = app.config.get("CRM_MAIL_FROM", "crm@localhost")
    token = uuid.uuid4().hex
    result = DispatchResult()
    session = db.session
    session.commit()  # start from a clean transaction: each claim and each outcome commits on its own
    try:
        with intending_to_write():
            while result.sent + result.retrying + result.failed < limit:
                row = claim_next(session, now, stale_before, token, only_posts=result.stopped is not None)
                if row is None:
                    break
                try:
                    if row.channel_id is not None:
                        poster.send(session, row)
                    else:
                        transport.send(build_message(row, sender))
                except DeliveryError as error:
                    _record_failure(session, row, token, error, policy, now, result)
                    if error.server_down:  # no more email this round; the posts go on (other servers)
                        result.stopped = error.text
                else:
                    _finish(session, row.id, token, status=OutboxStatus.SENT, sent_at=now, claim_token=None, last_error=None)
                    result.sent += 1
                    result.sent_ids.append(row.id)
    finally:
        transport.close()
    if result.sent or result.retrying or result.failed:
        log.info("outbox: %s", result)
    return result


def _record_failure(
    session: Session, row: Any, token: str, error: DeliveryError, policy: RetryPolicy, now: datetime, result: DispatchResult
) -> None:
    attempts = row.attempts  # already counts this try (incremented by the claim)
    if error.kind is Failure.PERMANENT or policy.gives_up(attempts):
        reason = error.text if error.kind is Failure.PERMANENT else f"{error.text}（已重试 {attempts} 次，放弃）"
        _finish(session, row.id, token, status=OutboxStatus.FAILED, claim_token=None, last_error=reason[:2000])
        result.failed += 1
        log.warning("outbox: message %s to %s failed: %s", row.id, row.to_address, reason)
        return
    _finish(
        session, row.id, token, status=OutboxStatus.PENDING, claim_token=None, claimed_at=None,
        next_attempt_at=now + policy.delay(attempts), last_error=error.text[:2000],
    )
    result.retrying += 1
    log.info("outbox: message %s to %s will be retried: %s", row.id, row.to_address, error.text)


def retry_failed(message: OutboxMessage, now: datetime | None = None) -> None:
    """An admin sends a failed message once more: a fresh set of attempts from now. Flushes."""
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.claim_token = None
    message.claimed_at = None
    message.next_attempt_at = now or utcnow()
    db.session.flush()
