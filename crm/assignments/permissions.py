"""Who may change which part of 三个一, decided with ``crm.access.policy.allowed`` (the policy itself is not changed).

- 纳入/退出 三个一, 分包县级领导 and 牵头单位: reviewers (Action.REVIEW on the project). The 县招商局 records
  what the 联席会议 or 常务会 decided; nobody decides it for their own project.
- 服务专班: the chief of the project's own unit (Action.ASSIGN on the unit's records — not a chief who merely
  serves on the team from another unit) or a reviewer.
- 推进方案: whoever may edit the project (its unit's staff and chief, members of its 服务专班) and its own
  active 分包 leader.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.access.policy import allowed, current_actor
from crm.assignments.models import ProjectLeader
from crm.domain.access import Action, Resource, Role, Target
from crm.extensions import db
from crm.projects.models import Project


def _unit_target(project: Project) -> Target:
    """The project as a record of its unit, without its team: team membership grants no review or assignment."""
    return Target(Resource.UNIT_RECORD, unit_id=project.unit_id)


def may_decide(project: Project) -> bool:
    """纳入/退出 三个一, 分包领导, 牵头单位."""
    return allowed(Action.REVIEW, _unit_target(project))


def may_staff(project: Project) -> bool:
    """服务专班 members."""
    return may_decide(project) or allowed(Action.ASSIGN, _unit_target(project))


def is_active_leader(project: Project, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ProjectLeader)
            .where(ProjectLeader.project_id == project.id, ProjectLeader.leader_id == user_id, ProjectLeader.exited_on.is_(None))
        )
    )


def may_plan(project: Project, active_leader_ids: set[int] | None = None) -> bool:
    """推进方案: the project's editors and its own active 分包 leader.

    ``active_leader_ids`` saves a query when the caller has the project's leaders already.
    """
    if allowed(Action.EDIT, project.access_target()):
        return True
    actor = current_actor()
    if actor is None or actor.role is not Role.LEADER:
        return False
    if active_leader_ids is not None:
        return actor.user_id in active_leader_ids
    return is_active_leader(project, actor.user_id)
