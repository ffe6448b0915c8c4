"""World records of the projects feature.

- ``project`` (tests/world.py): branch_a1's 在谈 project with 荣格精工; ``project_contract`` is an in-force
  正式投资合同 with that company, so a 签约 report can be made.
- ``project_pending``: another branch_a1 project with a 签约 report waiting for review (``pending_event``,
  with an evidence file ``pending_file``).
- ``project_a2``: branch_a2's (same county, another branch); ``project_b``: county B's, with ``pending_event_b``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from werkzeug.datastructures import FileStorage


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.agreements.models import Agreement
    from crm.attachments.services import store
    from crm.db import utcnow
    from crm.domain.agreements import AgreementType
    from crm.domain.pipeline import Stage
    from crm.domain.projects import ReviewStatus
    from crm.extensions import db
    from crm.projects.models import Project, StageEvent
    from tests.world import TINY_PNG

    with app.app_context():
        set_scope(db.session, SYSTEM)
        contract = Agreement(
            type=AgreementType.CONTRACT, signed_on=date(2026, 10, 8), party_a="甲县人民政府", company_id=w.records["company"],
            investment_amount=Decimal("50000"), attracted_amount=Decimal("40000"), unit_id=w.units["branch_a1"].id,
            created_by_id=w.users["staff"].id, name="荣格精工扩产项目投资协议书",
        )
        db.session.add(contract)
        project = db.session.get(Project, w.records["project"])
        project.tracked_since = date(2026, 1, 1)

        def new_project(name: str, unit: str, owner: str) -> Project:
            p = Project(
                name=name, company_id=w.records["other_company"], unit_id=w.units[unit].id, owner_id=w.users[owner].id,
                stage=Stage.TALKS, tracked_since=date(2026, 1, 1), total_investment=Decimal("20000"),
                first_phase_investment=Decimal("10000"), contracted_amount=Decimal("20000"),
            )
            db.session.add(p)
            db.session.flush()
            return p

        def pending(p: Project, submitter: str) -> StageEvent:
            event = StageEvent(
                project_id=p.id, from_stage=Stage.TALKS, to_stage=Stage.SIGNED, period="2026-10",
                review_status=ReviewStatus.PENDING, submitted_by_id=w.users[submitter].id, submitted_at=utcnow(),
                agreement_id=other_contract.id,
            )
            event.project = p
            db.session.add(event)
            db.session.flush()
            return event

        other_contract = Agreement(
            type=AgreementType.CONTRACT, signed_on=date(2026, 10, 9), party_a="甲县人民政府", company_id=w.records["other_company"],
            investment_amount=Decimal("20000"), attracted_amount=Decimal("20000"), unit_id=w.units["branch_a1"].id,
            created_by_id=w.users["staff"].id, name="深圳荣格精工投资协议书",
        )
        db.session.add(other_contract)
        db.session.flush()
        project_pending = new_project("荣格精工二期项目", "branch_a1", "staff")
        event = pending(project_pending, "staff")
        scan = store(FileStorage(BytesIO(TINY_PNG), filename="开工照片.png"), event, w.users["staff"].id)
        project_a2 = new_project("乙分局项目", "branch_a2", "staff_a2")
        project_b = new_project("乙县项目", "branch_b1", "staff_b")
        event_b = pending(project_b, "staff_b")
        db.session.commit()
        w.records.update(
            project_contract=contract.id, project_pending=project_pending.id, pending_event=event.id, pending_file=scan.id,
            project_a2=project_a2.id, project_b=project_b.id, pending_event_b=event_b.id,
        )
