from __future__ import annotations

from crm.domain.access import Resource, Target


class SharedMasterData:
    """Records shared by every unit (companies, contacts, the chain list): no owning unit.

    The policy treats them as MASTER_DATA; audit rows carry no unit, so every
    admin's audit search sees them.
    """

    def access_target(self) -> Target:
        return Target(Resource.MASTER_DATA)

    def audit_unit_id(self) -> int | None:
        return None
