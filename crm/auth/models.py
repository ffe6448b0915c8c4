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
    # The device cookie's key when the attempt came from a browser known for this account (crm/auth/devices.py).
    device: Mapped[str | None] = mapped_column(sa.String(32))


class SignedIn(Base):
    """One signed-in browser session, so that signing out ends it on the server.

    The session cookie is signed but otherwise self-contained: before this row existed, a cookie copied before
    /logout kept working until it expired. The cookie now carries ``key``; a session is alive while its row has
    no ``ended_at`` (``crm.auth.services.load_session_user`` checks it in the same query as the account).
    """

    __tablename__ = "signed_in_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()
