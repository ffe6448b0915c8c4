"""Reading visits: the list, and what visits add to lead and company pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import joinedload, selectinload

from crm.companies.signals import company_followers
from crm.domain.visits import VisitOutcome, VisitType
from crm.extensions import db
from crm.leads.signals import lead_timeline
from crm.web.search import parse_enum, where_equals
from crm.visits.models import Visit, VisitCompany
from crm.web.ids import bounded_int
from crm.web.joins import enumeration, labelled, noted


@dataclass
class VisitFilters:
    type: str = ""
    outcome: str = ""
    leader_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args: Any) -> "VisitFilters":
        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(args.get(name, ""))
            except ValueError:
                return None

        return cls(args.get("type", ""), args.get("outcome", ""), args.get("leader_id", type=bounded_int), day("date_from"), day("date_to"))


def visit_list_query(f: VisitFilters) -> sa.Select[Any]:
    stmt = sa.select(Visit)
    stmt = where_equals(stmt, Visit.type, parse_enum(VisitType, f.type))
    stmt = where_equals(stmt, Visit.outcome, parse_enum(VisitOutcome, f.outcome))
    if f.leader_id:
        stmt = stmt.where(Visit.leader_id == f.leader_id)
    if f.date_from:
        stmt = stmt.where(Visit.start_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Visit.start_on <= f.date_to)
    return stmt.options(
        joinedload(Visit.unit), joinedload(Visit.leader), selectinload(Visit.stops).joinedload(VisitCompany.company)
    ).order_by(Visit.start_on.desc(), Visit.id.desc())


@lead_timeline.connect
def lead_visits_timeline(lead):  # type: ignore[no-untyped-def]
    from crm.leads.queries import TimelineEntry
    from crm.web.labels import label

    visits = db.session.scalars(sa.select(Visit).where(Visit.leads.any(id=lead.id)).order_by(Visit.start_on))
    return [
        TimelineEntry(
            v.start_on,
            "visit",
            labelled(label(v.type), noted(enumeration(s.company.name for s in v.stops), label(v.outcome))),
            url_for("visits.detail", visit_id=v.id),
        )
        for v in visits
    ]


@company_followers.connect
def company_visit_followers(company_id: int) -> list[tuple[str, Any]]:
    from crm.access.scoping import UNSCOPED
    from crm.units.models import Unit

    rows = db.session.execute(
        sa.select(Unit.name, sa.func.min(Visit.start_on))
        .join(VisitCompany, VisitCompany.visit_id == Visit.id)
        .join(Unit, Unit.id == Visit.unit_id)
        .where(VisitCompany.company_id == company_id)
        .group_by(Unit.name)
        .execution_options(**UNSCOPED)
    )
    return [(name, since) for name, since in rows]


def hint_days() -> int:
    return current_app.config["CRM_VISIT_HINT_DAYS"]
