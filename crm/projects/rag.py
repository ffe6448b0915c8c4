"""红黄绿 for many projects at once: the facts in three grouped queries, the rule in ``crm.domain.projects``."""

from __future__ import annotations

from datetime import date
from typing import Iterable

import sqlalchemy as sa
from flask import current_app

from crm.domain.projects import Rag, RagFacts, RagReason, RagSettings, rag
from crm.db import one_of
from crm.extensions import db
from crm.projects.models import Project


def rag_settings() -> RagSettings:
    return RagSettings(
        stale_days=current_app.config.get("CRM_RAG_STALE_DAYS", 14),
        due_soon_days=current_app.config.get("CRM_RAG_DUE_SOON_DAYS", 7),
    )


def project_rags(projects: Iterable[Project], today: date) -> dict[int, tuple[Rag, list[RagReason]]]:
    """Each project's colour and reasons. The query count does not depend on how many projects there are (one per fact)."""
    from crm.approvals.models import ApprovalProcedure
    from crm.issues.models import Issue
    from crm.progress.models import Milestone

    projects = list(projects)
    ids = [p.id for p in projects]
    if not ids:
        return {}
    ours = one_of(Milestone.project_id, ids)
    overdue_milestones = dict(
        db.session.execute(
            sa.select(Milestone.project_id, sa.func.count())
            .where(ours, Milestone.overdue_on(today))
            .group_by(Milestone.project_id)
        ).all()
    )
    next_due = dict(
        db.session.execute(
            sa.select(Milestone.project_id, sa.func.min(Milestone.planned_on))
            .where(ours, Milestone.is_open(), Milestone.planned_on >= today)
            .group_by(Milestone.project_id)
        ).all()
    )
    overdue_issues = dict(
        db.session.execute(
            sa.select(Issue.project_id, sa.func.count())
            .where(one_of(Issue.project_id, ids), Issue.overdue_on(today))
            .group_by(Issue.project_id)
        ).all()
    )
    overdue_procedures = dict(
        db.session.execute(
            sa.select(ApprovalProcedure.project_id, sa.func.count())
            .where(one_of(ApprovalProcedure.project_id, ids), ApprovalProcedure.overdue_on(today))
            .group_by(ApprovalProcedure.project_id)
        ).all()
    )
    settings = rag_settings()
    return {
        p.id: rag(
            RagFacts(
                stage=p.stage,
                planned_start=p.planned_start_on,
                last_update=p.last_progress_on,
                overdue_milestones=overdue_milestones.get(p.id, 0),
                overdue_issues=overdue_issues.get(p.id, 0),
                next_milestone_due=next_due.get(p.id),
                overdue_procedures=overdue_procedures.get(p.id, 0),
            ),
            today,
            settings,
        )
        for p in projects
    }


def project_rag(project: Project, today: date) -> tuple[Rag, list[RagReason]]:
    return project_rags([project], today)[project.id]
