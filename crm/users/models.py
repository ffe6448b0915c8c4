from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.reach import in_team_projects, visible_units
from crm.access.scoping import ScopedModel
from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column, table
from crm.domain.access import Actor, Resource, Role, Target
from crm.domain.units import LeaderTitle
from crm.units.models import Unit


class User(ScopedModel, Audited, Versioned, Timestamped, Base):
    """An account. Leaders carry a 职务; everyone belongs to exactly one unit."""

    __tablename__ = "users"
    __audit_name__ = _l("用户")
    __audit_redact__ = frozenset({"password_hash"})
    __audit_exclude__ = Audited.__audit_exclude__ | {"last_login_at"}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(60))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    title: Mapped[LeaderTitle | None] = mapped_column(enum_column(LeaderTitle, "leader_title"))
    title_note: Mapped[str | None] = mapped_column(sa.String(60))  # e.g. 分管工业
    email: Mapped[str | None] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    locale: Mapped[str] = mapped_column(sa.String(10), default="zh", server_default="zh")
    # Email preferences: the weekly digest is sent unless opted out; daily alerts by email only when asked.
    digest_email: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    alert_email: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    # Bumped by logout-everywhere, deactivation and password changes: every
    # session cookie carries the version it was issued with and dies with it.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    last_login_at: Mapped[datetime | None]

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    # --- Flask-Login -----------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    # --- access ----------------------------------------------------------
    def access_target(self) -> Target:
        return Target(Resource.ACCOUNT, unit_id=self.unit_id, account_id=self.id)

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        # Colleagues where the actor's records are, their own account, the county
        # leaders (who lead visits and own projects, so everyone picks them), and the
        # people of the projects whose 服务专班 the actor serves on (their 跟踪人 and team).
        mine = sa.or_(visible_units(actor).clause(cls.unit_id), cls.id == actor.user_id, cls.role == Role.LEADER)
        if not actor.team_projects:
            return mine
        # Plain tables, not the mapped classes: the criteria must not re-enter themselves (crm.access.reach).
        projects, team = table("projects"), table("project_team_members")
        return sa.or_(
            mine,
            cls.id.in_(sa.select(projects.c.owner_id).where(in_team_projects(projects.c.id, actor))),
            cls.id.in_(sa.select(team.c.user_id).where(in_team_projects(team.c.project_id, actor))),
        )

    def __str__(self) -> str:
        return self.display_name
