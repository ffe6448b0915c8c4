"""包联 (三个一): who answers for a key project, with entry and exit dates kept as history.

A row is never rewritten to mean someone else: leaving sets ``exited_on``, coming back adds a row.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned
from crm.projects.models import Project, ProjectOwned
from crm.users.models import User

_ACTIVE = sa.text("exited_on IS NULL")


class ProjectLeader(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """分包县级领导. ``slot`` is 1 unless the project is large enough for more (a setting):
    the partial unique index lets the database itself refuse a second leader in slot 1."""

    __tablename__ = "project_leaders"
    __audit_name__ = _l("分包领导")
    __table_args__ = (
        sa.CheckConstraint("slot >= 1", name="slot_positive"),
        sa.CheckConstraint("exited_on IS NULL OR exited_on >= entered_on", name="exit_after_entry"),
        sa.Index("uq_project_leaders_active_slot", "project_id", "slot", unique=True, sqlite_where=_ACTIVE, postgresql_where=_ACTIVE),
        sa.Index("uq_project_leaders_active_leader", "project_id", "leader_id", unique=True, sqlite_where=_ACTIVE, postgresql_where=_ACTIVE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    slot: Mapped[int] = mapped_column(default=1, server_default="1")
    entered_on: Mapped[date]  # 纳入日期
    exited_on: Mapped[date | None]  # 退出日期
    exit_reason: Mapped[str | None] = mapped_column(sa.String(500))

    project: Mapped[Project] = relationship()
    leader: Mapped[User] = relationship()

    def __str__(self) -> str:
        return f"leader #{self.leader_id}"


class TeamMember(ProjectOwned, Audited, Versioned, Timestamped, Base):
    """服务专班 member; exactly one active 首席服务员 per project (a partial unique index)."""

    __tablename__ = "project_team_members"
    __audit_name__ = _l("服务专班成员")
    __table_args__ = (
        sa.CheckConstraint("exited_on IS NULL OR exited_on >= entered_on", name="exit_after_entry"),
        sa.Index("uq_project_team_members_active_user", "project_id", "user_id", unique=True, sqlite_where=_ACTIVE, postgresql_where=_ACTIVE),
        sa.Index(
            "uq_project_team_members_one_chief",
            "project_id",
            unique=True,
            sqlite_where=sa.text("exited_on IS NULL AND is_chief_servant"),
            postgresql_where=sa.text("exited_on IS NULL AND is_chief_servant"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    duty: Mapped[str | None] = mapped_column(sa.String(120))  # 职责, e.g. 手续代办, 要素保障
    is_chief_servant: Mapped[bool] = mapped_column(default=False, server_default=sa.false())  # 首席服务员
    entered_on: Mapped[date]
    exited_on: Mapped[date | None]
    exit_reason: Mapped[str | None] = mapped_column(sa.String(500))

    project: Mapped[Project] = relationship()
    user: Mapped[User] = relationship()

    def __str__(self) -> str:
        return f"member #{self.user_id}"


class ReminderLetter(ProjectOwned, Timestamped, Base):
    """提醒函 issued to a 分包县级领导 when their key project turned 红 (the daily alert job), logged on the project.
    ``cause_key`` is the alert's: a project red for the same causes is one letter, a new cause another. ``summary``
    keeps why, as the letter said it that day (the letter page reads the project as it is now)."""

    __tablename__ = "reminder_letters"
    __table_args__ = (sa.UniqueConstraint("project_id", "leader_id", "cause_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    issued_on: Mapped[date] = mapped_column(index=True)
    cause_key: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[str] = mapped_column(sa.Text)

    project: Mapped[Project] = relationship()
    leader: Mapped[User] = relationship()

    def __str__(self) -> str:
        return f"reminder #{self.id}"
