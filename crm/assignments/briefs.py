"""项目简报 per 分包县级领导 (issue 16): one printable page per leader — their projects with stage, 红黄绿, the next
节点, the open issues, 到位资金 against the 合同引资额, and the last visit or 现场办公. Built on 我分包的项目's own
rows (``my_project_list``), so the page and the paper agree; a few grouped queries per leader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm.assignments.models import ProjectLeader
from crm.clock import local_date
from crm.assignments.queries import LeaderProject, leader_order, my_project_list
from crm.domain.issues import IssueActionKind
from crm.domain.projects import Rag, ReviewStatus
from crm.extensions import db
from crm.projects.models import Project
from crm.users.models import User

ISSUES_SHOWN = 3  # open issues named per project; the rest are counted


@dataclass
class BriefRow:
    item: LeaderProject
    funds: Decimal  # 到位资金 approved so far
    issues: list[Any] = field(default_factory=list)  # the first open issues, overdue first
    last_visit: date | None = None  # the last visit to the project's company
    last_onsite: date | None = None  # the last 现场办公 on the project's issues

    @property
    def funds_share(self) -> Decimal | None:
        """到位资金 as a share of the 合同引资额 (percent), when there is one."""
        contracted = self.item.project.contracted_amount
        return (self.funds * 100 / contracted).quantize(Decimal("0.1")) if contracted else None


@dataclass
class Brief:
    leader: User
    rows: list[BriefRow]

    def count(self, colour: Rag) -> int:
        return sum(1 for row in self.rows if row.item.rag and row.item.rag[0] is colour)


def briefing_leaders() -> list[User]:
    """The leaders with a project they 分包 now (among the projects the session sees), by title and name."""
    stmt = (sa.select(User).join(ProjectLeader, ProjectLeader.leader_id == User.id).join(Project, Project.id == ProjectLeader.project_id)
            .where(ProjectLeader.exited_on.is_(None)).distinct())
    leaders = list(db.session.scalars(stmt))
    return sorted(leaders, key=leader_order)


def brief_of(leader: User, today: date) -> Brief:
    from crm.issues.models import Issue, IssueAction
    from crm.progress.models import FundArrival
    from crm.visits.models import Visit, VisitCompany

    items = my_project_list(leader.id, today)
    ids = [item.project.id for item in items]
    if not ids:
        return Brief(leader, [])
    funds = dict(db.session.execute(
        sa.select(FundArrival.project_id, sa.func.coalesce(sa.func.sum(FundArrival.amount), 0))
        .where(FundArrival.project_id.in_(ids), FundArrival.review_status == ReviewStatus.APPROVED).group_by(FundArrival.project_id)
    ).all())
    open_issues: dict[int, list[Any]] = {}
    for issue in db.session.scalars(sa.select(Issue).where(Issue.project_id.in_(ids), Issue.is_open()).order_by(Issue.deadline, Issue.id)):
        open_issues.setdefault(issue.project_id, []).append(issue)
    companies = {item.project.id: item.project.company_id for item in items}
    visited = dict(db.session.execute(
        sa.select(VisitCompany.company_id, sa.func.max(Visit.start_on)).join(Visit, Visit.id == VisitCompany.visit_id)
        .where(VisitCompany.company_id.in_(sorted({c for c in companies.values() if c})), Visit.start_on <= today)
        .group_by(VisitCompany.company_id)
    ).all())
    onsite = dict(db.session.execute(
        sa.select(Issue.project_id, sa.func.max(IssueAction.at)).join(Issue, Issue.id == IssueAction.issue_id)
        .where(Issue.project_id.in_(ids), IssueAction.kind == IssueActionKind.ONSITE).group_by(Issue.project_id)
    ).all())
    rows = []
    for item in items:
        pid = item.project.id
        when = onsite.get(pid)
        rows.append(BriefRow(item, Decimal(funds.get(pid, 0)), open_issues.get(pid, [])[:ISSUES_SHOWN],
                             visited.get(companies[pid]), local_date(when) if when else None))
    order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    rows.sort(key=lambda r: (order.get(r.item.rag[0], 3) if r.item.rag else 3, r.item.project.name))
    return Brief(leader, rows)
