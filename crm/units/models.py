from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.audit.mixins import Audited
from crm.db import Base, Timestamped, Versioned, enum_column
from crm.domain.access import Resource, Target
from crm.domain.units import UnitType


class Unit(Audited, Versioned, Timestamped, Base):
    """单位: a node of the organisation tree (county, 招商分局, 小分队, 指挥部 …)."""

    __tablename__ = "units"
    __audit_name__ = _l("单位")
    __audit_exclude__ = Audited.__audit_exclude__ | {"path"}  # derived from parent_id (crm/units/tree.py)
    __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    short_name: Mapped[str | None] = mapped_column(sa.String(40))
    type: Mapped[UnitType] = mapped_column(enum_column(UnitType, "unit_type"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    head_title: Mapped[str | None] = mapped_column(sa.String(60))  # 负责人职务
    sort_order: Mapped[int] = mapped_column(default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # "/1/5/23/": the ids from the top of the tree down to this unit (``crm.domain.access.unit_paths``), kept by
    # ``crm.units.tree`` after every flush that adds or moves a unit; empty only inside that flush.
    path: Mapped[str] = mapped_column(sa.String(400), default="", server_default="", index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.sort_order, Unit.id")

    def access_target(self) -> Target:
        return Target(Resource.UNIT, unit_id=self.id)

    def audit_unit_id(self) -> int | None:
        return self.id

    def __str__(self) -> str:
        return self.name
