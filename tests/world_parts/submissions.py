"""World records of the 半月报 (see tests/world_parts/__init__.py): one report of 2026-10-2 (due
2026-11-02) by each of branch_a1 (``submission``, on time), branch_a2 (``submission_a2``) and county B's
branch_b1 (``submission_b``)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db
    from crm.submissions.models import Submission

    with app.app_context():
        set_scope(db.session, SYSTEM)
        for key, unit, user in (("submission", "branch_a1", "staff"), ("submission_a2", "branch_a2", "staff_a2"), ("submission_b", "branch_b1", "staff_b")):
            row = Submission(
                unit_id=w.units[unit].id, report_type="half_monthly", period="2026-10-2", due_on=date(2026, 11, 2),
                submitted_at=datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc), submitted_by_id=w.users[user].id,
                infrastructure=f"{unit} 道路施工", new_projects="无", funding="无",
            )
            db.session.add(row)
            db.session.flush()
            w.records[key] = row.id
        db.session.commit()
