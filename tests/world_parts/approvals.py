"""World records of 审批手续 (see tests/world_parts/__init__.py): a 用地预审 in time (so that no project turns red
for it; tests/test_approvals.py makes it overdue) of branch_a1's ``project``
(``procedure``), one of branch_a2's project (``procedure_a2``: county roles read it, branch_a1's people get 404) and
one of county B's (``procedure_b``: 404 for everyone of county A)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.approvals.models import ApprovalProcedure
    from crm.clock import local_today
    from crm.domain.approvals import ProcedureStatus
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        today = local_today()

        def procedure(project: str, unit: str) -> ApprovalProcedure:
            row = ApprovalProcedure(project_id=w.records[project], kind="用地预审", agent_unit_id=w.units[unit].id, agent_name="科长",
                                    promised_workdays=20, filed_on=today - timedelta(days=5), deadline=today + timedelta(days=20),
                                    status=ProcedureStatus.HANDLING)
            db.session.add(row)
            return row

        rows = {"procedure": procedure("project", "branch_a1"), "procedure_a2": procedure("project_a2", "branch_a2"),
                "procedure_b": procedure("project_b", "branch_b1")}
        db.session.commit()
        w.records.update({key: row.id for key, row in rows.items()})
