"""Queueing the posts of the scheduled jobs (``crm.scheduler.JOBS``: daily_alerts, weekly_digest, report_reminders)
into the outbox, once per (kind, channel, period): a rerun, or a second scheduler, queues nothing. Each unit's
message is built once for all of its robots; robots of inactive units or switched off are skipped. Inserts; the
job commits once and dispatches after."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.channels.messages import Message, daily_message, weekly_message
from crm.channels.models import Channel
from crm.extensions import db
from crm.mail.outbox import Post, enqueue_posts
from crm.notifications.services import links
from crm.units.models import Unit

DAILY, WEEKLY, REMINDER = "daily_alerts", "weekly_digest", "report_reminder"


def active_channels(unit_ids: list[int] | None = None) -> dict[Unit, list[Channel]]:
    """Robots that are on, of active units, grouped by unit (in the tree's order)."""
    statement = (
        sa.select(Channel).join(Unit, Unit.id == Channel.unit_id).where(Channel.is_active, Unit.is_active)
        .order_by(Unit.sort_order, Unit.id, Channel.id)
    )
    if unit_ids is not None:
        statement = statement.where(Channel.unit_id.in_(unit_ids))
    grouped: dict[Unit, list[Channel]] = {}
    for channel in db.session.scalars(statement.options(joinedload(Channel.unit))):
        grouped.setdefault(channel.unit, []).append(channel)
    return grouped


def _not_yet(kind: str, period: str, channels: list[Channel]) -> list[Channel]:
    from crm.mail.models import OutboxMessage

    done = set(db.session.scalars(sa.select(OutboxMessage.channel_id).where(
        OutboxMessage.kind == kind, OutboxMessage.period == period, OutboxMessage.channel_id.in_([c.id for c in channels]))))
    return [c for c in channels if c.id not in done]


def posts_for(kind: str, period: str, message: Message, channels: list[Channel]) -> list[Post]:
    return [Post(kind, c.id, period, str(c), message.title, message.markdown) for c in channels]


def queue_daily_posts(today: date, now: datetime | None = None) -> int:
    """Each unit's 每日提醒 of ``today`` to its robots; call after the day's alerts (it reads today's 提醒函)."""
    posts: list[Post] = []
    with links():
        for unit, channels in active_channels().items():
            todo = _not_yet(DAILY, today.isoformat(), channels)  # a rerun builds nothing
            message = daily_message(unit, today) if todo else None
            if message is not None:
                posts += posts_for(DAILY, today.isoformat(), message, todo)
    return enqueue_posts(posts, now)


def queue_weekly_posts(period: str, now: datetime | None = None) -> int:
    """Each unit's 每周摘要 of the ISO week ``period`` to its robots."""
    from crm.digests.send import week_of

    week = week_of(period)
    posts: list[Post] = []
    with links():
        for unit, channels in active_channels().items():
            todo = _not_yet(WEEKLY, period, channels)
            message = weekly_message(unit, week) if todo else None
            if message is not None:
                posts += posts_for(WEEKLY, period, message, todo)
    return enqueue_posts(posts, now)


def queue_reminder_posts(unit: Unit, period: str, message: Message, channels: list[Channel], now: datetime | None = None) -> int:
    """The 半月报 reminder of ``period`` to one unit's robots (``crm.submissions.jobs.remind`` builds it)."""
    return enqueue_posts(posts_for(REMINDER, period, message, channels), now)
