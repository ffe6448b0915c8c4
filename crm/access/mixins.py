from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.access.reach import visible_units
from crm.access.scoping import ScopedModel
from crm.domain.access import Actor, Resource, Target


class SharedMasterData:
    """Records shared by every unit (companies, contacts, the chain list): no owning unit.

    The policy treats them as MASTER_DATA; audit rows carry no unit, so every
    admin's audit search sees them.
    """

    def access_target(self) -> Target:
        return Target(Resource.MASTER_DATA)

    def audit_unit_id(self) -> int | None:
        return None


class UnitOwned(ScopedModel):
    """A business record of one unit (lead, visit, follow-up, agreement …).

    Scoped: staff and chiefs read their own unit's records, county-level roles
    their subtree (``crm.domain.access``). ``unit_id`` and ``owner_id`` are set
    by services from the signed-in user (or a chief's assignment), never from
    a form field.
    """

    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)

    def access_target(self) -> Target:
        return Target(Resource.UNIT_RECORD, unit_id=self.unit_id)

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        return visible_units(actor).clause(cls.unit_id)
