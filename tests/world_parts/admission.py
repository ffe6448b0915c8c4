"""World records of 准入评审 (see tests/world_parts/__init__.py): a review awaiting its 会审 of branch_a1's
``project_pending`` (``review``), of branch_a2's project (``review_a2``: county roles read it, branch_a1's people get
404) and of county B's (``review_b``: 404 for everyone of county A)."""

from __future__ import annotations

from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.admission.models import AdmissionReview
    from crm.clock import local_today
    from crm.domain.admission import ReviewStatus, default_sheet
    from crm.extensions import db
    from crm.projects.models import Project

    with app.app_context():
        set_scope(db.session, SYSTEM)
        rows = {}
        for key, project_key in (("review", "project_pending"), ("review_a2", "project_a2"), ("review_b", "project_b")):
            project = db.session.get(Project, w.records[project_key])
            rows[key] = AdmissionReview(unit_id=project.unit_id, project_id=project.id, status=ReviewStatus.AWAITING_JOINT,
                                        sheet=default_sheet().to_json(), prelim_on=local_today(), prelim_opinion="建议提交会审")
        db.session.add_all(rows.values())
        db.session.commit()
        w.records.update({key: row.id for key, row in rows.items()})
