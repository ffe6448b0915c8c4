"""Reading projects (under the actor's scope)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.companies.models import Company
from crm.domain.pipeline import Stage
from crm.extensions import db
from crm.projects.models import Project
from crm.web.search import contains, parse_enum, where_equals


def project_list_query(q: str, stage: str) -> sa.Select[Any]:
    stmt = sa.select(Project).join(Company, Company.id == Project.company_id)
    if q:
        stmt = stmt.where(sa.or_(contains(Project.name, q), contains(Company.search_text, q.lower())))
    stmt = where_equals(stmt, Project.stage, parse_enum(Stage, stage))
    return stmt.options(joinedload(Project.company), joinedload(Project.unit), joinedload(Project.owner)).order_by(
        Project.updated_at.desc(), Project.id.desc()
    )


def project_of_lead(lead_id: int) -> Project | None:
    return db.session.scalars(sa.select(Project).where(Project.lead_id == lead_id)).first()
