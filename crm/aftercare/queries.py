"""Reads of the 诉求 (under the unit scope: the unit's own, the county roles' subtree) and their 考核 figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

import sqlalchemy as sa

from crm.aftercare.models import CompanyRequest
from crm.domain.aftercare import RequestFacts, RequestStatus, UnitRates, unit_rates
from crm.extensions import db
from crm.units.models import Unit
from crm.web.ids import bounded_int

OPEN_FILTER = "open"


@dataclass(frozen=True)
class RequestFilters:
    status: str = ""  # a RequestStatus, "open" or "" (all)
    unit: int | None = None  # 责任单位
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "RequestFilters":
        status = str(args.get("status", ""))
        if status not in {s.value for s in RequestStatus} | {OPEN_FILTER}:
            status = ""
        try:
            unit = bounded_int(args.get("unit")) if args.get("unit") else None
        except (TypeError, ValueError):
            unit = None
        return cls(status, unit, args.get("overdue") == "1", str(args.get("q", ""))[:60].strip())


def request_list_query(filters: RequestFilters, today: date) -> sa.Select[Any]:
    stmt = sa.select(CompanyRequest)
    if filters.status == OPEN_FILTER:
        stmt = stmt.where(CompanyRequest.is_open())
    elif filters.status:
        stmt = stmt.where(CompanyRequest.status == RequestStatus(filters.status))
    if filters.unit:
        stmt = stmt.where(CompanyRequest.responsible_unit_id == filters.unit)
    if filters.overdue:
        stmt = stmt.where(CompanyRequest.is_open(), CompanyRequest.deadline < today)
    if filters.q:
        stmt = stmt.where(CompanyRequest.subject.contains(filters.q, autoescape=True))
    return stmt.order_by(CompanyRequest.received_on.desc(), CompanyRequest.id.desc())


def overdue_count(today: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CompanyRequest)
                             .where(CompanyRequest.is_open(), CompanyRequest.deadline < today)) or 0


@dataclass(frozen=True)
class UnitLine:
    name: str
    rates: UnitRates


def rate_lines(today: date, year: int | None = None) -> list[UnitLine]:
    """Each 责任单位's 办结率 and 按期办结率 over the 诉求 the reader sees (受理 in ``year`` when given), worst first."""
    stmt = sa.select(CompanyRequest.responsible_unit_id, CompanyRequest.status, CompanyRequest.deadline, CompanyRequest.done_on)
    if year is not None:
        stmt = stmt.where(CompanyRequest.received_on >= date(year, 1, 1), CompanyRequest.received_on <= date(year, 12, 31))
    facts = [RequestFacts(*row) for row in db.session.execute(stmt)]
    rates = unit_rates(facts, today)
    names = {uid: name for uid, name in db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_([r.unit_id for r in rates])))}
    lines = [UnitLine(names.get(r.unit_id, ""), r) for r in rates]
    return sorted(lines, key=lambda line: (line.rates.handling_rate if line.rates.handling_rate is not None else 101, line.name))


def company_protection(company_id: int) -> Any:
    """The reader's county's active 挂牌保护 of the company (the company page's badge), or None: none without a county
    or without the right to read the county's list (fails closed)."""
    from crm.access.policy import allowed, current_actor
    from crm.aftercare.services import county_protections, protection_target
    from crm.domain.access import Action

    actor = current_actor()
    county_id = actor.county_id if actor is not None else None
    if county_id is None or not allowed(Action.VIEW, protection_target(county_id)):
        return None
    return next((p for p in county_protections(county_id, active_only=True) if p.company_id == company_id), None)
