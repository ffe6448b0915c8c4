"""World records of 安商 (see tests/world_parts/__init__.py): branch_a1's 诉求 about the world's company, one at
each step (``request`` 受理, ``request_handling`` 办理中, ``request_done`` 办结), another branch's (``request_a2``:
county roles read it, branch_a1's people get 404) and county B's (``request_b``: 404 for everyone of county A);
county A's 挂牌保护 (``protection``) and county B's (``protection_b``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.aftercare.models import CompanyProtection, CompanyRequest
    from crm.clock import local_today
    from crm.domain.aftercare import RequestStatus
    from crm.domain.issues import IssueCategory
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        today = local_today()

        def req(unit: str, status: RequestStatus = RequestStatus.ACCEPTED, **extra: Any) -> CompanyRequest:
            row = CompanyRequest(unit_id=w.units[unit].id, company_id=w.records["company"], category=IssueCategory.UTILITIES,
                                 subject="用电增容报装", received_on=today - timedelta(days=10), responsible_unit_id=w.units[unit].id,
                                 responsible_person="局长", deadline=today + timedelta(days=5), status=status, **extra)
            db.session.add(row)
            return row

        rows = {
            "request": req("branch_a1"),
            "request_handling": req("branch_a1", RequestStatus.HANDLING),
            "request_done": req("branch_a1", RequestStatus.DONE, done_on=today, result="已协调供电公司增容"),
            "request_a2": req("branch_a2"),
            "request_b": req("branch_b1"),
        }
        protections = {
            "protection": CompanyProtection(unit_id=w.units["county_a"].id, company_id=w.records["company"], listed_on=today,
                                            leader_id=w.users["leader"].id, contact_unit_id=w.units["branch_a1"].id),
            "protection_b": CompanyProtection(unit_id=w.units["county_b"].id, company_id=w.records["company"], listed_on=today,
                                              leader_id=w.users["leader"].id, contact_unit_id=w.units["branch_b1"].id),
        }
        db.session.add_all(protections.values())
        db.session.commit()
        w.records.update({key: row.id for key, row in {**rows, **protections}.items()})
