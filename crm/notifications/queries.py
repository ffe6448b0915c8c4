"""Reading one's own notifications (the session's scope already limits them to the signed-in user)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from crm.extensions import db
from crm.notifications.models import Notification


def unread_count(user_id: int) -> int:
    """The bell's number: one COUNT per page."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ) or 0


def notification_list(user_id: int, unread_only: bool = False) -> sa.Select[Any]:
    stmt = sa.select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc())


def own_notification(user_id: int, notification_id: int) -> Notification | None:
    """Only the user's own; another user's answers None (→ 404), like a record of another unit."""
    return db.session.scalar(
        sa.select(Notification).where(Notification.id == notification_id, Notification.user_id == user_id)
    )
