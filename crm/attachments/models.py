from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.access.reach import project_reach
from crm.audit.mixins import Audited
from crm.db import Base, utcnow
from crm.domain.access import Actor
from crm.users.models import User


class Attachment(UnitOwned, Audited, Base):
    """A file attached to one business record (``record_type`` is its table, ``record_id`` its id).

    The row carries the record's unit, so attachments are scoped like the record itself.
    The file lives under the instance folder with a random name (``stored_name``);
    what the user called it is kept only as ``original_name``, for the download.
    """

    __tablename__ = "attachments"
    __audit_name__ = _l("附件")
    __audit_exclude__ = frozenset()
    __table_args__ = (
        sa.Index("ix_attachments_record", "record_type", "record_id"),
        sa.CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(sa.String(40))
    record_id: Mapped[int]
    original_name: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int]  # bytes
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content_type: Mapped[str] = mapped_column(sa.String(100))  # as detected from the content, never as sent
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Set for files of a project and its records, so that the project's 服务专班 sees them too.
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)

    uploaded_by: Mapped[User | None] = relationship()

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        return project_reach(cls.project_id, cls.unit_id, actor)

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / 1024 / 1024:.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __str__(self) -> str:
        return self.original_name
