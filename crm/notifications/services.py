"""Writing and reading one's own notifications. Services flush (or insert); the caller commits once."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, has_request_context

from crm.db import delete_older_than, utcnow
from crm.extensions import db
from crm.notifications.models import Notification

N = Notification.__table__


@dataclass(frozen=True)
class Alert:
    """One notification to be: ``key`` makes it unique per user and kind (a rerun adds nothing)."""

    kind: str
    key: str
    title: str
    body: str | None = None
    link: str | None = None  # a path inside the app


def _insert_for(session: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def notify(user_id: int, alerts: list[Alert], now: datetime | None = None) -> list[Alert]:
    """Give ``user_id`` these notifications, skipping those they already have; returns the new ones.

    The existing keys are read first so the caller knows what is new (for the alert email); the insert
    itself is ON CONFLICT DO NOTHING, so a concurrent run cannot add a second copy either.
    """
    if not alerts:
        return []
    session = db.session
    kinds = {a.kind for a in alerts}
    existing = {
        (kind, key)
        for kind, key in session.execute(
            sa.select(N.c.kind, N.c.key).where(N.c.user_id == user_id, N.c.kind.in_(sorted(kinds)), N.c.key.in_(sorted({a.key for a in alerts})))
        )
    }
    fresh: dict[tuple[str, str], Alert] = {}
    for alert in alerts:
        if (alert.kind, alert.key) not in existing:
            fresh.setdefault((alert.kind, alert.key), alert)
    if not fresh:
        return []
    moment = now or utcnow()
    insert = _insert_for(session)
    session.execute(
        insert(N).on_conflict_do_nothing(),
        [
            {"user_id": user_id, "kind": a.kind, "key": a.key[:120], "title": a.title[:200], "body": a.body,
             "link": a.link[:300] if a.link else None, "created_at": moment}
            for a in fresh.values()
        ],
    )
    return list(fresh.values())


def mark_read(notification: Notification, now: datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = now or utcnow()
    db.session.flush()


def mark_all_read(user_id: int, now: datetime | None = None) -> int:
    """Every unread notification of the user; returns how many."""
    result = db.session.execute(
        sa.update(N).where(N.c.user_id == user_id, N.c.read_at.is_(None)).values(read_at=now or utcnow())
    )
    return result.rowcount or 0


@contextmanager
def links() -> Iterator[None]:
    """``url_for`` outside a request (jobs, the CLI): a request context on CRM_BASE_URL."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/", base_url=current_app.config.get("CRM_BASE_URL") or "http://localhost"):
        yield


def absolute(path: str | None) -> str | None:
    """A link of the app as an absolute URL on CRM_BASE_URL (emails are read outside the app)."""
    if not path:
        return None
    if urlsplit(path).scheme:
        return path
    base = urlsplit(current_app.config.get("CRM_BASE_URL") or "http://localhost")
    return f"{base.scheme}://{base.netloc}{path}"


def purge_old_notifications(days: int) -> int:
    """Notifications older than ``days``, read or not, leave the bell (the daily ``purge_notifications`` job): a
    year of daily alerts is noise, and the table grew forever. An alert whose cause still holds is raised again by
    the next day's alerts, once. Returns how many went."""
    return delete_older_than(Notification, days, Notification.created_at)
