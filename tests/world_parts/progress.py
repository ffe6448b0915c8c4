"""World records of 倒排工期, progress and 到位资金 (see tests/world_parts/__init__.py).

One project in each of branch_a1 (staff's and chief's unit), branch_a2 (same county, another branch) and
branch_b1 (another county), each with a milestone not yet done, a progress report with a photo and a
到位资金 entry waiting for review with its evidence. Keys: ``progress_<thing>`` for branch_a1,
``progress_<thing>_a2`` and ``progress_<thing>_b`` for the others.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

TRACKED_SINCE = date(2024, 1, 1)
REPORT_PERIOD = "2025-06"


def build(app: Any, w: Any) -> None:
    from werkzeug.datastructures import FileStorage

    from crm.access.scoping import SYSTEM, set_scope
    from crm.attachments.services import store
    from crm.domain.companies import FundingSource
    from crm.domain.pipeline import Stage
    from crm.domain.projects import FundPurpose, MilestoneKind, ReviewStatus
    from crm.extensions import db
    from crm.progress.models import FundArrival, Milestone, ProgressReport
    from crm.projects.models import Project
    from tests.world import TINY_PNG

    with app.app_context():
        set_scope(db.session, SYSTEM)
        for suffix, unit, user in (("", "branch_a1", "staff"), ("_a2", "branch_a2", "staff_a2"), ("_b", "branch_b1", "staff_b")):
            owner = w.users[user]
            project = Project(
                unit_id=w.units[unit].id,
                owner_id=owner.id,
                name=f"{w.units[unit].name}工期测试项目",
                company_id=w.records["company"],
                stage=Stage.STARTED,
                tracked_since=TRACKED_SINCE,
                contracted_amount=Decimal("50000"),
            )
            db.session.add(project)
            db.session.flush()
            milestone = Milestone(project_id=project.id, kind=MilestoneKind.TOPPING_OUT, planned_on=date(2099, 6, 30))
            report = ProgressReport(
                project_id=project.id, period=REPORT_PERIOD, cumulative_investment=Decimal("12000"),
                description="主体钢结构完成 60%", reported_by_id=owner.id,
            )
            fund = FundArrival(
                project_id=project.id, period=REPORT_PERIOD, amount=Decimal("3000"), source=FundingSource.OTHER_PROVINCE,
                purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.PENDING, submitted_by_id=owner.id,
            )
            db.session.add_all([milestone, report, fund])
            db.session.flush()
            photo = store(FileStorage(BytesIO(TINY_PNG), filename="现场照片.png"), report, owner.id)
            evidence = store(FileStorage(BytesIO(TINY_PNG), filename="银行进账单.png"), fund, owner.id)
            w.records.update(
                {
                    f"progress_project{suffix}": project.id,
                    f"progress_milestone{suffix}": milestone.id,
                    f"progress_report{suffix}": report.id,
                    f"progress_photo{suffix}": photo.id,
                    f"progress_fund{suffix}": fund.id,
                    f"progress_evidence{suffix}": evidence.id,
                }
            )
        db.session.commit()
