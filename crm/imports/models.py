"""One import as a record: who brought which file into which unit, what it did, and what a revert undoes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import UnitOwned
from crm.access.reach import visible_units
from crm.access.scoping import ScopedModel
from crm.audit.models import BigId
from crm.db import Base, Timestamped, UTCDateTime, utcnow
from crm.domain.access import Actor
from crm.domain.imports.fields import Kind
from crm.units.models import Unit
from crm.users.models import User


class Import(ScopedModel, Base):
    """导入记录. ``audit_from``/``audit_to`` bound the audit rows its commit wrote: a revert restores updated fields
    from them, and any later row about one of its records means the record was changed since."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    file_name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    sheet: Mapped[str | None] = mapped_column(sa.String(100))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    # None for companies: shared by every unit.
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    audit_from: Mapped[int] = mapped_column(BigId, default=0)  # the last audit row before the commit
    audit_to: Mapped[int] = mapped_column(BigId, default=0)  # the last audit row the commit wrote
    # A long sheet is written in parts, each committed on its own (services.commit_part): the rows written so far,
    # and when the last part was. None while parts remain; ``upload_token`` names the upload they are read from.
    rows_done: Mapped[int] = mapped_column(default=0, server_default="0")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    upload_token: Mapped[str | None] = mapped_column(sa.String(60))
    reverted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reverted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    # The audit rows the revert wrote: with the commit's, they cancel out for an earlier import's revert.
    revert_from: Mapped[int | None] = mapped_column(BigId)
    revert_to: Mapped[int | None] = mapped_column(BigId)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    unit: Mapped[Unit | None] = relationship()
    items: Mapped[list[ImportItem]] = relationship(back_populates="owner", order_by="ImportItem.id", cascade="all, delete-orphan")

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        """The actor's own imports, and those into the units whose records they see."""
        return sa.or_(cls.user_id == actor.user_id, visible_units(actor).clause(cls.unit_id))

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def import_kind(self) -> Kind:
        return Kind(self.kind)

    def __str__(self) -> str:
        return f"#{self.id} {self.file_name}"


class ImportItem(Base):
    """One record an import created or updated, in the order it was written (a revert goes backwards)."""

    __tablename__ = "import_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    import_id: Mapped[int] = mapped_column(sa.ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    record_type: Mapped[str] = mapped_column(sa.String(60))  # the table, as the audit log names it
    record_id: Mapped[int] = mapped_column(BigId)
    action: Mapped[str] = mapped_column(sa.String(10))  # create / update
    row: Mapped[int]  # the sheet's row
    # The audit rows of the part that wrote it, as Import.audit_from/audit_to bound the whole import's: a row about
    # its record after them and outside the import's own parts means the record was changed since, even while the
    # import's later parts were being written (None: an import written before parts existed).
    audit_from: Mapped[int | None] = mapped_column(BigId)
    audit_to: Mapped[int | None] = mapped_column(BigId)

    owner: Mapped[Import] = relationship(back_populates="items")


class ImportMapping(UnitOwned, Timestamped, Base):
    """The columns a unit's sheets of one kind were last imported with: header → field (None: left out). The
    upload page starts from it, so a unit that corrected 客商单位 → 投资方 once is not asked again."""

    __tablename__ = "import_mappings"
    __table_args__ = (sa.UniqueConstraint("unit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    mapping: Mapped[dict[str, str | None]] = mapped_column(sa.JSON)
