"""Reading leads: the list (under the actor's scope), the timeline of one lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.audit.models import AuditLog
from crm.companies.models import Company
from crm.companies.signals import company_followers
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.extensions import db
from crm.leads.models import Lead
from crm.leads.signals import lead_timeline
from crm.web.labels import label_text
from crm.web.search import named_or_of_company, parse_enum, where_equals
from crm.web.ids import bounded_int
from crm.web.joins import noted

SORTS: dict[str, Any] = {
    "-received": Lead.received_on.desc(),
    "received": Lead.received_on.asc(),
    "-amount": Lead.amount_high.desc().nulls_last(),
    "next": Lead.next_follow_up_on.asc().nulls_last(),
    "-updated": Lead.updated_at.desc(),
}


@dataclass
class LeadFilters:
    q: str = ""
    unit_id: int | None = None
    owner_id: int | None = None
    status: str = ""
    chain_id: int | None = None
    grade: str = ""
    source: str = ""
    stale_days: int | None = None
    sort: str = "-received"

    @classmethod
    def from_args(cls, args: Any) -> "LeadFilters":
        stale = args.get("stale_days", type=bounded_int)
        return cls(
            q=args.get("q", "").strip()[:60],
            unit_id=args.get("unit_id", type=bounded_int),
            owner_id=args.get("owner_id", type=bounded_int),
            status=args.get("status", ""),
            chain_id=args.get("chain_id", type=bounded_int),
            grade=args.get("grade", ""),
            source=args.get("source", ""),
            stale_days=stale if stale and 0 < stale <= 3650 else None,
            sort=args.get("sort") if args.get("sort") in SORTS else "-received",
        )


def _filtered(f: LeadFilters, today: date) -> sa.Select[Any]:
    """Leads the actor may see (the session's scope adds the unit criteria), filtered."""
    stmt = sa.select(Lead)
    if f.q:
        stmt = stmt.where(named_or_of_company(Lead.id, Lead.name, Lead.company_id, f.q))
    if f.unit_id:
        stmt = stmt.where(Lead.unit_id == f.unit_id)
    if f.owner_id:
        stmt = stmt.where(Lead.owner_id == f.owner_id)
    stmt = where_equals(stmt, Lead.status, parse_enum(LeadStatus, f.status))
    if f.chain_id:
        stmt = stmt.where(Lead.chain_id == f.chain_id)
    stmt = where_equals(stmt, Lead.grade, parse_enum(LeadGrade, f.grade))
    stmt = where_equals(stmt, Lead.source, parse_enum(LeadSource, f.source))
    if f.stale_days:
        stmt = stmt.where(Lead.stale_on(today, f.stale_days))
    return stmt


def lead_list_query(f: LeadFilters, today: date) -> sa.Select[Any]:
    """The filtered leads, sorted, with what the list shows of each."""
    return _filtered(f, today).options(joinedload(Lead.company), joinedload(Lead.owner), joinedload(Lead.unit)).order_by(SORTS[f.sort], Lead.id)


def lead_export_query(f: LeadFilters, today: date) -> sa.Select[Any]:
    """The same leads in the same order, as the plain columns the export writes (no ORM objects: 50,000 of them
    took most of the export's time)."""
    from crm.catalog.models import IndustryChain
    from crm.units.models import Unit
    from crm.users.models import User

    users = User.__table__  # the owner's name, read as the lead's own column: the lead's scope decides
    return (
        _filtered(f, today)
        .with_only_columns(
            Lead.name, Company.name, Unit.name, users.c.display_name, Lead.source, Lead.amount_low, Lead.amount_high,
            Lead.land_mu, IndustryChain.name, Lead.grade, Lead.received_on, Lead.status, Lead.next_follow_up_on,
            maintain_column_froms=True,
        )
        .join(Company, Company.id == Lead.company_id)
        .join(Unit, Unit.id == Lead.unit_id)
        .outerjoin(users, users.c.id == Lead.owner_id)
        .outerjoin(IndustryChain, IndustryChain.id == Lead.chain_id)
        .order_by(SORTS[f.sort], Lead.id)
    )


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime | date
    kind: str  # "follow_up", "status", "visit", "agreement" …
    text: str
    url: str | None = None


def status_changes(lead: Lead) -> list[TimelineEntry]:
    rows = db.session.scalars(
        sa.select(AuditLog).where(
            AuditLog.record_type == "leads", AuditLog.record_id == lead.id, AuditLog.field == "status"
        ).order_by(AuditLog.id)
    )
    def name(code: str | None) -> str:
        status = parse_enum(LeadStatus, code)
        return label_text(status) if status else "—"

    return [TimelineEntry(row.at, "status", noted(f"{name(row.old_value)} → {name(row.new_value)}", row.actor_label)) for row in rows]


def _moment(when: datetime | date) -> datetime:
    if isinstance(when, datetime):
        return when
    return datetime.combine(when, time.min, tzinfo=timezone.utc)


def timeline(lead: Lead) -> list[TimelineEntry]:
    """Everything that happened to a lead, newest first."""
    entries = status_changes(lead)
    for _receiver, found in lead_timeline.send(lead):
        entries += found
    return sorted(entries, key=lambda e: _moment(e.when), reverse=True)


@company_followers.connect
def lead_followers(company_id: int) -> list[tuple[str, Any]]:
    """Units with a live lead on the company and the first day they received one (names and dates only).

    Read across units on purpose (DESIGN §1 cross-unit hint): it reveals which
    unit follows a company and since when, nothing of the leads themselves.
    """
    from crm.access.scoping import UNSCOPED
    from crm.units.models import Unit

    rows = db.session.execute(
        sa.select(Unit.name, sa.func.min(Lead.received_on))
        .join(Unit, Unit.id == Lead.unit_id)
        .where(Lead.company_id == company_id, Lead.status.in_([LeadStatus.NEW, LeadStatus.FOLLOWING, LeadStatus.CONVERTED]))
        .group_by(Unit.name)
        .execution_options(**UNSCOPED)
    )
    return [(name, since) for name, since in rows]


CANDIDATES_SHOWN = 20


def _unit_leads_named(unit_id: int) -> sa.Select[Any]:
    return (
        sa.select(Lead.id, Lead.name, Company.name)
        .join(Company, Company.id == Lead.company_id)
        .where(Lead.unit_id == unit_id)
        .order_by(Lead.received_on.desc(), Lead.id.desc())
    )


def _lead_label(name: str, company: str) -> str:
    return noted(name, company)


def unit_lead_names(unit_id: int, ids: list[int]) -> dict[int, str]:
    """The ids among ``ids`` that are leads of the unit (what a visit or an agreement may be linked to), labelled."""
    if not ids:
        return {}
    rows = db.session.execute(_unit_leads_named(unit_id).where(Lead.id.in_(ids)))
    return {lead_id: _lead_label(name, company) for lead_id, name, company in rows}


def unit_lead_candidates(unit_id: int, q: str) -> list[tuple[int, str]]:
    """The unit's newest leads whose name or company's names contain ``q`` (a unit has hundreds)."""
    q = q.strip()[:60]
    if not q:
        return []
    rows = db.session.execute(
        _unit_leads_named(unit_id).where(named_or_of_company(Lead.id, Lead.name, Lead.company_id, q)).limit(CANDIDATES_SHOWN)
    )
    return [(lead_id, _lead_label(name, company)) for lead_id, name, company in rows]


def unit_leads(unit_id: int, ids: list[int]) -> list[Lead]:
    """Those of ``ids`` that are the unit's leads: what a visit may be linked to."""
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Lead).where(Lead.unit_id == unit_id, Lead.id.in_(ids)).options(joinedload(Lead.company))))
