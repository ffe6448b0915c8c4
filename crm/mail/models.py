"""The outbox: every email (and every group-robot post) is a row first, keyed by (kind, recipient, period) — or
(kind, channel, period) for a post — so that enqueueing twice, rerunning a job or a second scheduler never sends a
message twice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.channels.models import Channel
from crm.db import Base, enum_column, utcnow
from crm.users.models import User


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (again, after next_attempt_at)
    SENDING = "sending"  # claimed by a dispatcher (claim_token, claimed_at)
    SENT = "sent"
    FAILED = "failed"  # permanently refused (5xx) or given up after the last retry


class OutboxMessage(Base):
    """One email to one user, or one markdown post to one unit's group robot (``channel_id``; then ``to_address`` names
    the robot, never its URL, ``subject`` is the post's title and ``body_text`` its markdown). Exactly one of
    ``recipient_id`` and ``channel_id`` is set. Not scoped: only jobs, the CLI and the admin page read it."""

    __tablename__ = "outbox"
    __table_args__ = (
        # NULLs are distinct in a unique constraint (SQLite and PostgreSQL alike): emails are unique by recipient,
        # posts by channel, and neither constraint sees the other's rows.
        sa.UniqueConstraint("kind", "recipient_id", "period"),
        sa.UniqueConstraint("kind", "channel_id", "period"),
        sa.CheckConstraint("(recipient_id IS NULL) <> (channel_id IS NULL)", name="one_addressee"),
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))  # weekly_digest, daily_alerts, report_reminder …
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(sa.String(20))  # ISO week 2026-W48 for digests, a date for daily alerts
    to_address: Mapped[str] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)  # stable across retries
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claim_token: Mapped[str | None] = mapped_column(sa.String(40))
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recipient: Mapped[User | None] = relationship()
    channel: Mapped[Channel | None] = relationship()


class JobRun(Base):
    """One run of a scheduled job (or of the same work started by hand): when, and how it ended."""

    __tablename__ = "job_runs"
    __table_args__ = (sa.Index("ix_job_runs_job_started", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(20))  # ok / error
    detail: Mapped[str | None] = mapped_column(sa.Text)
