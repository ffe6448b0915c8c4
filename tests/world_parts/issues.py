"""World records of the issue ledger (问题台账).

- ``issue``: branch_a1's 待交办 issue on the world's project (staff's and chief's unit).
- ``issue_progress``: branch_a1's 办理中 county-level issue (no project), with its 交办 line.
- ``issue_resolved``: branch_a1's 已办结 issue waiting for 销号.
- ``issue_a2``: branch_a2's (same county, another branch); ``issue_b``: county B's, on ``issues_project_b``.

Raised in 2025 (编号 WT2025-…), due in 2030, so none is overdue.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.domain.issues import IssueActionKind, IssueCategory, IssueLevel, IssueSource, IssueStatus
    from crm.domain.pipeline import Stage
    from crm.extensions import db
    from crm.issues.models import Issue, IssueAction
    from crm.projects.models import Project

    with app.app_context():
        set_scope(db.session, SYSTEM)
        project_b = Project(
            name="乙县问题测试项目", company_id=w.records["company"], unit_id=w.units["branch_b1"].id,
            owner_id=w.users["staff_b"].id, stage=Stage.TALKS,
        )
        db.session.add(project_b)
        db.session.flush()
        specs = [
            ("issue", "branch_a1", "staff", w.records["project"], IssueStatus.NEW, "荣格精工扩产项目用地指标未落实"),
            ("issue_progress", "branch_a1", "staff", None, IssueStatus.IN_PROGRESS, "园区融资渠道单一"),
            ("issue_resolved", "branch_a1", "staff", None, IssueStatus.RESOLVED, "轻纺企业招工难"),
            ("issue_a2", "branch_a2", "staff_a2", None, IssueStatus.NEW, "乙分局园区道路未通"),
            ("issue_b", "branch_b1", "staff_b", project_b.id, IssueStatus.NEW, "乙县项目环评未批"),
        ]
        for seq, (key, unit, user, project_id, status, text) in enumerate(specs, start=1):
            issue = Issue(
                number=f"WT2025-{seq:03d}", unit_id=w.units[unit].id, project_id=project_id, description=text,
                category=IssueCategory.LAND, source=IssueSource.WEEKLY_INSPECTION, raised_on=date(2025, 10, 10),
                responsible_unit_id=w.units[unit].id, responsible_person="局长", deadline=date(2030, 12, 31),
                level=IssueLevel.ZONE, status=status, created_by_id=w.users[user].id,
                resolved_on=date(2025, 10, 20) if status is IssueStatus.RESOLVED else None,
            )
            db.session.add(issue)
            db.session.flush()
            if status is not IssueStatus.NEW:
                db.session.add(IssueAction(issue_id=issue.id, kind=IssueActionKind.ASSIGN, note="交办", actor_id=w.users[user].id))
            w.records[key] = issue.id
        db.session.commit()
        w.records["issues_project_b"] = project_b.id
