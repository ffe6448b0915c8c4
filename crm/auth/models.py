from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.audit.models import BigId
from crm.db import Base, utcnow


class LoginAttempt(Base):
    """One failed sign-in, kept in the database so that every worker counts the same failures.

    ``username`` is what was typed (normalised), whether or not such an account
    exists: throttling unknown names too keeps the throttle from revealing
    which accounts exist.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_username_at", "username", "at"),
        sa.Index("ix_login_attempts_remote_addr_at", "remote_addr", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    username: Mapped[str] = mapped_column(sa.String(80))
    remote_addr: Mapped[str] = mapped_column(sa.String(45))
