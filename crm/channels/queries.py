"""The robots an admin manages: those of units in the admin's subtree (the channel table is not scoped)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from crm.access.reach import UnitSet
from crm.channels.models import Channel
from crm.extensions import db
from crm.units.models import Unit


def channels_in(units: UnitSet) -> list[Channel]:
    return list(db.session.scalars(
        sa.select(Channel).join(Unit, Unit.id == Channel.unit_id).where(units.clause(Channel.unit_id))
        .options(contains_eager(Channel.unit)).order_by(Unit.path, Channel.id)
    ))
