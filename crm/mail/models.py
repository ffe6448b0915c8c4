"""The outbox: every email is a row first, keyed by (kind, recipient, period), so that enqueueing
twice, rerunning a job or a second scheduler never sends a message twice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, enum_column, utcnow
from crm.users.models import User


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (again, after next_attempt_at)
    SENDING = "sending"  # claimed by a dispatcher (claim_token, claimed_at)
    SENT = "sent"
    FAILED = "failed"  # permanently refused (5xx) or given up after the last retry


class OutboxMessage(Base):
    """One email to one user. Not scoped: only jobs, the CLI and the admin page read it."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.UniqueConstraint("kind", "recipient_id", "period"),
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))  # weekly_digest, daily_alerts, report_reminder …
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
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

    recipient: Mapped[User] = relationship()


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
