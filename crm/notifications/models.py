"""通知: one line in a user's bell. Created by the scheduled alert jobs, once per (user, kind, key)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.access.scoping import ScopedModel
from crm.db import Base, utcnow
from crm.domain.access import Actor


class Notification(ScopedModel, Base):
    """A notification for one user. ``key`` makes a rerun of the same day's alert a no-op
    (e.g. kind "follow_up_due", key "17:2026-11-27"); ``link`` is a path inside the app."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "key"),
        sa.Index("ix_notifications_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(120))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str | None] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        """Everyone sees only their own notifications."""
        return cls.user_id == actor.user_id
