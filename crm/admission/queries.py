"""Reads of the 准入评审 (under the unit scope: the unit's own, the county roles' subtree)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm.access.policy import allowed
from crm.admission.models import AdmissionReview
from crm.domain.access import Action
from crm.domain.admission import Outcome, ReviewStatus
from crm.domain.pipeline import Stage
from crm.extensions import db
from crm.projects.models import Project


@dataclass(frozen=True)
class ReviewFilters:
    status: str = ""  # a ReviewStatus or "" (all)
    outcome: str = ""  # an Outcome or ""
    q: str = ""  # in the project's name

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "ReviewFilters":
        status = str(args.get("status", ""))
        outcome = str(args.get("outcome", ""))
        return cls(status if status in {s.value for s in ReviewStatus} else "",
                   outcome if outcome in {o.value for o in Outcome} else "", str(args.get("q", ""))[:60].strip())


def review_list_query(filters: ReviewFilters) -> sa.Select[Any]:
    stmt = sa.select(AdmissionReview).options(selectinload(AdmissionReview.project))
    if filters.status:
        stmt = stmt.where(AdmissionReview.status == ReviewStatus(filters.status))
    if filters.outcome:
        stmt = stmt.where(AdmissionReview.outcome == Outcome(filters.outcome))
    if filters.q:
        stmt = stmt.where(AdmissionReview.project_id.in_(sa.select(Project.id).where(Project.name.contains(filters.q, autoescape=True))))
    return stmt.order_by(AdmissionReview.prelim_on.desc(), AdmissionReview.id.desc())


def awaiting_count() -> int:
    """Reviews the reader sees waiting for their 会审."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AdmissionReview)
                             .where(AdmissionReview.status == ReviewStatus.AWAITING_JOINT)) or 0


def project_section(project: Project) -> dict[str, Any]:
    """What the project page shows of its 准入评审 (templates/admission/_project_section.html)."""
    from crm.admission.services import review_target

    reviews = list(db.session.scalars(sa.select(AdmissionReview).where(AdmissionReview.project_id == project.id)
                                      .order_by(AdmissionReview.id.desc())))
    awaiting = any(r.status is ReviewStatus.AWAITING_JOINT for r in reviews)
    passed = any(r.passed for r in reviews)
    return {
        "project": project,
        "reviews": reviews,
        "passed": passed,
        # A new 初审 when none awaits its 会审 and none has passed (a 不通过 project may come back with new terms).
        "can_create": project.stage is Stage.TALKS and not awaiting and not passed and allowed(Action.CREATE, review_target(project.unit_id)),
    }
