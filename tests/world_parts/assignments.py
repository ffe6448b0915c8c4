"""World records of 三个一 (see tests/world_parts/__init__.py).

- ``assignments_project``: a key project of branch_a1 (staff's and chief's unit), 分包 by the world's leader,
  with staff as 首席服务员 and a 推进方案.
- ``assignments_project_b``: a key project of another county (branch_b1), staff_b on its team.
The world's plain ``project`` stays outside 三个一.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.assignments.models import ProjectLeader, TeamMember
    from crm.domain.pipeline import Stage
    from crm.extensions import db
    from crm.projects.models import Project

    with app.app_context():
        set_scope(db.session, SYSTEM)
        project = Project(
            unit_id=w.units["branch_a1"].id, owner_id=w.users["staff"].id, name="星河三个一测试项目", company_id=w.records["company"],
            stage=Stage.SIGNED, total_investment=Decimal("50000"), is_key=True, lead_unit_id=w.units["bureau_a"].id,
            plan="一、七月底前完成供地摘牌。",
        )
        other = Project(
            unit_id=w.units["branch_b1"].id, owner_id=w.users["staff_b"].id, name="乙县三个一测试项目", company_id=w.records["company"],
            stage=Stage.SIGNED, is_key=True,
        )
        db.session.add_all([project, other])
        db.session.flush()
        leader = ProjectLeader(project_id=project.id, leader_id=w.users["leader"].id, slot=1, entered_on=date(2025, 3, 1))
        member = TeamMember(
            project_id=project.id, user_id=w.users["staff"].id, duty="手续代办", is_chief_servant=True, entered_on=date(2025, 3, 1)
        )
        member_b = TeamMember(project_id=other.id, user_id=w.users["staff_b"].id, is_chief_servant=True, entered_on=date(2025, 3, 1))
        db.session.add_all([leader, member, member_b])
        db.session.commit()
        w.records.update(
            assignments_project=project.id,
            assignments_leader_row=leader.id,
            assignments_member_row=member.id,
            assignments_project_b=other.id,
            assignments_member_row_b=member_b.id,
        )
