from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, utcnow

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class AuditLog(Base):
    """One changed field of one record: who, when, old → new.

    Append-only: rows are inserted in the transaction of the change they
    describe and never updated or deleted (database triggers refuse both).
    """

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(sa.String(120))
    action: Mapped[str] = mapped_column(sa.String(20))  # create / update / delete
    record_type: Mapped[str] = mapped_column(sa.String(60))
    record_id: Mapped[int] = mapped_column(BigId)
    record_label: Mapped[str | None] = mapped_column(sa.String(200))
    field: Mapped[str | None] = mapped_column(sa.String(60))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)
    # Not a foreign key: history must outlive the unit it speaks of.
    unit_id: Mapped[int | None] = mapped_column(index=True)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))
