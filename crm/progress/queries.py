"""Reading milestones, progress and 到位资金 (under the actor's scope). Totals and rates are computed here,
never typed, and every page reads them with a fixed number of queries however many rows there are.

For the rest of the app:
- ``funds_arrived(project_id)``: money reported in place and not refused (the 开工/投产 gates);
- ``approved_funds(project_ids)``: 累计到位资金 per project, approved entries only (statistics);
- ``review_queue_section()``: the fund entries waiting for the signed-in reviewer
  (rendered by templates/progress/_review_queue.html);
- ``project_section(project)``: the project page's part (templates/progress/_project_section.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable

import sqlalchemy as sa
from flask import current_app, request
from sqlalchemy.orm import selectinload

from crm.access.policy import allowed, current_actor
from crm.attachments.models import Attachment
from crm.clock import local_today
from crm.domain.access import Action, Actor, Resource, Target, can
from crm.domain.projects import MilestoneKind, MilestoneStatus, ReviewStatus, funds_rate, milestone_status
from crm.extensions import db
from crm.progress.models import FundArrival, Milestone, ProgressReport
from crm.projects.models import Project
from crm.access.reach import granted_units

CENT = Decimal("0.01")
KIND_ORDER = {kind: index for index, kind in enumerate(MilestoneKind)}
SECTION_REPORTS = 3  # latest progress reports on the project page
SECTION_FUNDS = 12  # latest fund entries on the project page
QUEUE_LIMIT = 100  # entries on the 到位资金 review page (the oldest first); the count says how many more
REPORTS = ProgressReport.__tablename__
FUNDS = FundArrival.__tablename__


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


# --- milestones ------------------------------------------------------------------------------
@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    status: MilestoneStatus
    due_soon: bool  # not done, due within the 红黄绿 window (黄)

    @property
    def overdue(self) -> bool:
        return self.status is MilestoneStatus.OVERDUE


def due_soon_days() -> int:
    return int(current_app.config.get("CRM_RAG_DUE_SOON_DAYS", 7))


def milestone_rows(milestones: Iterable[Milestone], today: date, soon_days: int = 7) -> list[MilestoneRow]:
    """The 节点 in their standard order, each with its computed status.

    A 节点 is 进行中 (rather than 未开始) when every earlier 节点 of the project is done.
    """
    rows = []
    all_done_so_far = True
    for m in sorted(milestones, key=lambda m: KIND_ORDER[m.kind]):
        status = milestone_status(m.planned_on, m.actual_on, today, previous_done=all_done_so_far)
        due_soon = m.actual_on is None and today <= m.planned_on <= today + timedelta(days=soon_days)
        rows.append(MilestoneRow(m, status, due_soon))
        all_done_so_far = all_done_so_far and m.actual_on is not None
    return rows


def project_milestones(project_id: int) -> list[Milestone]:
    return list(
        db.session.scalars(
            sa.select(Milestone).where(Milestone.project_id == project_id).options(selectinload(Milestone.responsible_unit))
        )
    )


# --- progress reports ------------------------------------------------------------------------
def files_by_record(table: str, record_ids: list[int]) -> dict[int, list[Attachment]]:
    """Attachments of many records of one table, in one query."""
    if not record_ids:
        return {}
    found: dict[int, list[Attachment]] = {i: [] for i in record_ids}
    for a in db.session.scalars(
        sa.select(Attachment).where(Attachment.record_type == table, Attachment.record_id.in_(record_ids)).order_by(Attachment.id)
    ):
        found[a.record_id].append(a)
    return found


def project_reports(project_id: int, limit: int | None = None) -> list[ProgressReport]:
    stmt = (
        sa.select(ProgressReport)
        .where(ProgressReport.project_id == project_id)
        .options(selectinload(ProgressReport.reported_by))
        .order_by(ProgressReport.period.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


# --- 到位资金 ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FundTotals:
    approved: Decimal  # 累计到位资金: approved entries only
    this_year: Decimal  # approved, in months of the current year
    pending: Decimal  # 审核中, shown apart: not counted yet
    count: int  # entries of any status
    contracted: Decimal | None  # 合同引资额
    rate: Decimal | None  # 资金到位率 (%)


def fund_totals(project: Project, today: date) -> FundTotals:
    """累计到位资金, this year's, the pending sum and 资金到位率, in one query."""
    approved = FundArrival.review_status == ReviewStatus.APPROVED
    year = FundArrival.period.like(f"{today.year:04d}-%")
    row = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((approved, FundArrival.amount), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((sa.and_(approved, year), FundArrival.amount), else_=0)), 0),
            sa.func.coalesce(
                sa.func.sum(sa.case((FundArrival.review_status == ReviewStatus.PENDING, FundArrival.amount), else_=0)), 0
            ),
            sa.func.count(FundArrival.id),
        ).where(FundArrival.project_id == project.id)
    ).one()
    total = _money(row[0])
    return FundTotals(
        approved=total,
        this_year=_money(row[1]),
        pending=_money(row[2]),
        count=row[3],
        contracted=project.contracted_amount,
        rate=funds_rate(total, project.contracted_amount),
    )


def project_funds(project_id: int, limit: int | None = None) -> list[FundArrival]:
    stmt = (
        sa.select(FundArrival)
        .where(FundArrival.project_id == project_id)
        .options(selectinload(FundArrival.submitted_by), selectinload(FundArrival.reviewed_by))
        .order_by(FundArrival.period.desc(), FundArrival.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def funds_arrived(project_id: int) -> Decimal:
    """投资方实际到资额 for the 开工/投产 gates: every entry not refused (审核中 or 审核通过), in 万元.

    Only approved entries count in statistics (``approved_funds``); a stage report is itself
    reviewed, so the gate accepts money that is reported and not refused yet.
    """
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(FundArrival.amount), 0)).where(
            FundArrival.project_id == project_id, FundArrival.review_status != ReviewStatus.REJECTED
        )
    )
    return _money(total)


def approved_funds(project_ids: Iterable[int]) -> dict[int, Decimal]:
    """累计到位资金 (审核通过 only) per project, in one grouped query; 0 for a project without any."""
    ids = list(set(project_ids))
    if not ids:
        return {}
    result = {i: Decimal("0.00") for i in ids}
    rows = db.session.execute(
        sa.select(FundArrival.project_id, sa.func.sum(FundArrival.amount))
        .where(FundArrival.project_id.in_(ids), FundArrival.review_status == ReviewStatus.APPROVED)
        .group_by(FundArrival.project_id)
    )
    for project_id, total in rows:
        result[project_id] = _money(total)
    return result


def may_review(actor: Actor | None, unit_id: int) -> bool:
    """审核 is granted by unit (a reviewer's subtree), never by 服务专班 membership: no team query needed."""
    return can(actor, Action.REVIEW, Target(Resource.UNIT_RECORD, unit_id=unit_id))


def pending_funds(limit: int = QUEUE_LIMIT) -> tuple[list[FundArrival], int, Decimal]:
    """Entries 审核中 that the signed-in user may review, oldest first; with their count and sum."""
    actor = current_actor()
    units = granted_units(actor, Action.REVIEW, Resource.UNIT_RECORD) if actor is not None else None
    if units is None:
        return [], 0, Decimal("0.00")
    where = FundArrival.review_status == ReviewStatus.PENDING
    if not units.everything:  # (at the top of the installation every project is in: no lookup, on every page's badge)
        where = sa.and_(where, FundArrival.project_id.in_(sa.select(Project.id).where(units.clause(Project.unit_id))))
    count, total = db.session.execute(
        sa.select(sa.func.count(FundArrival.id), sa.func.coalesce(sa.func.sum(FundArrival.amount), 0)).where(where)
    ).one()
    if limit <= 0:  # only the count (the navigation badge)
        return [], count, _money(total)
    funds = list(
        db.session.scalars(
            sa.select(FundArrival)
            .where(where)
            .options(
                selectinload(FundArrival.project).selectinload(Project.unit),
                selectinload(FundArrival.submitted_by),
            )
            .order_by(FundArrival.updated_at, FundArrival.id)
            .limit(limit)
        )
    )
    return [f for f in funds if may_review(actor, f.project.unit_id)], count, _money(total)


def pending_fund_count() -> int:
    """How many 到位资金 entries wait for the signed-in reviewer (one query; 0 for everyone else)."""
    return pending_funds(limit=0)[1]


def _here() -> str:
    try:
        return request.full_path.rstrip("?")
    except RuntimeError:  # outside a request (a job): the queue page is the place to come back to
        return "/funds/reviews"


def review_queue_section(limit: int = QUEUE_LIMIT) -> dict[str, Any]:
    """The reviewer's queue of 到位资金 entries, the oldest ``limit`` of them, for templates/progress/_review_queue.html.

    ``next`` brings the reviewer back to the page that included the queue after approving or rejecting.
    """
    funds, count, total = pending_funds(limit)
    return {
        "funds": funds,
        "count": count,
        "total": total,
        "evidence": files_by_record(FUNDS, [f.id for f in funds]),
        "next": _here(),
    }


# --- the project page ------------------------------------------------------------------------
def project_section(project: Project) -> dict[str, Any]:
    """What the project page shows of this feature (rendered by templates/progress/_project_section.html):
    the 倒排工期 with computed statuses, the latest monthly reports with photos, the fund entries with
    their review status, and the totals with 资金到位率."""
    today = local_today()
    milestones = milestone_rows(project_milestones(project.id), today, due_soon_days())
    reports = project_reports(project.id)
    used = {row.milestone.kind for row in milestones}
    return {
        **_reports_and_funds(project, today, reports[:SECTION_REPORTS], project_funds(project.id, SECTION_FUNDS)),
        "milestones": milestones,
        "overdue": sum(1 for row in milestones if row.overdue),
        "missing_kinds": [kind for kind in MilestoneKind if kind not in used],
        "report_count": len(reports),
    }


def progress_page(project: Project) -> dict[str, Any]:
    """Everything of one project: every report with its photos, every fund entry, the totals."""
    return _reports_and_funds(project, local_today(), project_reports(project.id), project_funds(project.id))


def _reports_and_funds(
    project: Project, today: date, reports: list[ProgressReport], funds: list[FundArrival]
) -> dict[str, Any]:
    """What both pages show of ``reports`` (with their photos) and ``funds`` (with their evidence), the totals,
    and the user's rights on them."""
    return {
        "project": project,
        "today": today,
        "reports": reports,
        "photos": files_by_record(REPORTS, [r.id for r in reports]),
        "funds": funds,
        "evidence": files_by_record(FUNDS, [f.id for f in funds]),
        "totals": fund_totals(project, today),
        "can_edit": allowed(Action.EDIT, project.access_target()),
        "can_review": may_review(current_actor(), project.unit_id),
        "next": _here(),
    }


def next_open_milestones(ids: list[int]) -> dict[int, Milestone]:
    """Each project's earliest milestone not yet reached (one query)."""
    first_open = (
        sa.select(Milestone.project_id, sa.func.min(Milestone.planned_on).label("planned_on"))
        .where(Milestone.project_id.in_(ids), Milestone.is_open())
        .group_by(Milestone.project_id)
        .subquery()
    )
    found: dict[int, Milestone] = {}
    for milestone in db.session.scalars(
        sa.select(Milestone)
        .join(first_open, sa.and_(first_open.c.project_id == Milestone.project_id, first_open.c.planned_on == Milestone.planned_on))
        .where(Milestone.is_open())
        .order_by(Milestone.project_id, Milestone.id)
    ):
        found.setdefault(milestone.project_id, milestone)
    return found
