"""群机器人: a unit's 企业微信 or 钉钉 group robot, to which the unit's alerts, weekly summary and 半月报 reminders are
posted (through the outbox, ``crm.mail.outbox``). Not scoped: only admins (their subtree, ``crm.channels.queries``),
jobs and the CLI read it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, enum_column
from crm.domain.access import Resource, Target
from crm.domain.channels import ChannelKind, mask, mask_url
from crm.units.models import Unit


class Channel(Audited, Timestamped, Base):
    __tablename__ = "channels"
    __audit_name__ = _l("群机器人")
    # The webhook URL carries the robot's key (企业微信) or access_token (钉钉), and the secret signs 钉钉 posts: whoever
    # holds them can post into the group. The audit log says that they changed, never what to.
    __audit_redact__ = frozenset({"webhook_url", "secret"})

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind, "channel_kind"))
    name: Mapped[str | None] = mapped_column(sa.String(60))  # the group's name, for people (e.g. 第一分局工作群)
    webhook_url: Mapped[str] = mapped_column(sa.String(500))
    secret: Mapped[str | None] = mapped_column(sa.String(200))  # 钉钉 加签 only
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    unit: Mapped[Unit] = relationship()

    @property
    def masked_url(self) -> str:
        return mask_url(self.kind, self.webhook_url)

    @property
    def masked_secret(self) -> str:
        return mask(self.secret, 3) if self.secret else ""

    def access_target(self) -> Target:
        # Attaching a robot to a unit is managing the unit: its admins (the unit's subtree) may.
        return Target(Resource.UNIT, unit_id=self.unit_id)

    def audit_unit_id(self) -> int | None:
        return self.unit_id

    def audit_label(self) -> str:
        return str(self)

    def __str__(self) -> str:
        # Never the URL: this is what the audit log, the outbox and the logs call the robot.
        kind = "企业微信" if self.kind is ChannelKind.WECOM else "钉钉"
        return f"{kind}群机器人 #{self.id}" + (f"（{self.name}）" if self.name else "")
