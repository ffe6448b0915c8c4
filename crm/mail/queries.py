"""The admin's view of the outbox: failures (and messages waiting for a retry) of the admin's subtree."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from crm.access.reach import UnitSet
from crm.channels.models import Channel
from crm.extensions import db
from crm.mail.models import OutboxMessage, OutboxStatus
from crm.users.models import User


def _addressed_in(units: UnitSet, statement: Any) -> Any:
    # The outbox is not scoped: the recipient's unit (an email) or the robot's unit (a group post) decides which
    # admin sees a message.
    return (
        statement.outerjoin(User, User.id == OutboxMessage.recipient_id)
        .outerjoin(Channel, Channel.id == OutboxMessage.channel_id)
        .where(sa.or_(units.clause(User.unit_id), units.clause(Channel.unit_id)))
    )


def _in_subtree(units: UnitSet) -> Any:
    return _addressed_in(units, sa.select(OutboxMessage))


def problem_messages(units: UnitSet) -> sa.Select[Any]:
    """Failed messages, then those waiting for another attempt, newest first."""
    return (
        _in_subtree(units)
        .where(sa.or_(OutboxMessage.status == OutboxStatus.FAILED,
                      sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.attempts > 0)))
        # The user's unit is joined by default, with an inner join that would drop the posts (no recipient).
        .options(contains_eager(OutboxMessage.recipient).lazyload(User.unit),
                 contains_eager(OutboxMessage.channel).joinedload(Channel.unit))
        .order_by((OutboxMessage.status == OutboxStatus.FAILED).desc(), OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )


def status_counts(units: UnitSet) -> dict[OutboxStatus, int]:
    rows = db.session.execute(
        _addressed_in(units, sa.select(OutboxMessage.status, sa.func.count(OutboxMessage.id))).group_by(OutboxMessage.status)
    ).all()
    counts = {status: 0 for status in OutboxStatus}
    counts.update(dict(rows))
    return counts


def message_in_subtree(message_id: int, units: UnitSet) -> OutboxMessage | None:
    return db.session.scalar(_in_subtree(units).where(OutboxMessage.id == message_id))
