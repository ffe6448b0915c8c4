"""Reading the audit log: per record, and the admin search."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from crm.access.scoping import UNSCOPED
from crm.audit.models import AuditLog
from crm.db import Base
from crm.domain.access import Actor
from crm.web.search import contains
from crm.access.reach import subtree_units


def audited_models() -> dict[str, type[Base]]:
    """Every audited model by table name, for the per-record history page."""
    from crm.audit.mixins import Audited

    return {
        mapper.class_.__tablename__: mapper.class_
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, Audited)
    }


def record_history(record_type: str, record_id: int) -> sa.Select[Any]:
    """The rows of one record, newest first (a busy record has thousands: the page shows them a page at a
    time). Callers have already checked that the actor may see its history."""
    return (
        sa.select(AuditLog)
        .where(AuditLog.record_type == record_type, AuditLog.record_id == record_id)
        .order_by(AuditLog.id.desc())
        .execution_options(**UNSCOPED)
    )


def _local_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["CRM_TIMEZONE"]))


def search_query(
    actor: Actor,
    q: str | None = None,
    record_type: str | None = None,
    actor_id: int | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> sa.Select[Any]:
    """Audit rows of the admin's subtree and of shared master data (companies …), newest first, filtered."""
    stmt = sa.select(AuditLog).where(sa.or_(subtree_units(actor).clause(AuditLog.unit_id), AuditLog.unit_id.is_(None)))
    if q:
        stmt = stmt.where(
            sa.or_(
                contains(AuditLog.record_label, q),
                contains(AuditLog.old_value, q),
                contains(AuditLog.new_value, q),
                contains(AuditLog.actor_label, q),
            )
        )
    if record_type:
        stmt = stmt.where(AuditLog.record_type == record_type)
    if actor_id:
        stmt = stmt.where(AuditLog.actor_id == actor_id)
    if day_from:
        stmt = stmt.where(AuditLog.at >= _local_day_start(day_from))
    if day_to:
        stmt = stmt.where(AuditLog.at < _local_day_start(day_to + timedelta(days=1)))
    return stmt.order_by(AuditLog.id.desc())
