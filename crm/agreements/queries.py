"""Reading agreements: the list with filters, sort and totals; who follows a company through them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm.access.scoping import UNSCOPED
from crm.agreements.models import Agreement
from crm.companies.signals import company_followers
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.extensions import db
from crm.units.models import Unit
from crm.web.search import companies_matching, contains
from crm.web.ids import bounded_int

SORTS: dict[str, Any] = {
    "-signed": (Agreement.signed_on.desc(), Agreement.id.desc()),
    "signed": (Agreement.signed_on.asc(), Agreement.id.asc()),
    "-investment": (Agreement.investment_amount.desc().nulls_last(), Agreement.id.desc()),
    "-attracted": (Agreement.attracted_amount.desc().nulls_last(), Agreement.id.desc()),
    "-updated": (Agreement.updated_at.desc(), Agreement.id.desc()),
}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@dataclass
class AgreementFilters:
    q: str = ""  # 乙方 (any of its names, pinyin, initials), or the agreement's name / number / 签约活动
    type: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    company_id: int | None = None
    sort: str = "-signed"

    @classmethod
    def from_args(cls, args: Any) -> "AgreementFilters":
        return cls(
            q=args.get("q", "").strip()[:60],
            type=args.get("type", "") if args.get("type") in {t.value for t in AgreementType} else "",
            status=args.get("status", "") if args.get("status") in {s.value for s in AgreementStatus} else "",
            date_from=_day(args.get("date_from")),
            date_to=_day(args.get("date_to")),
            company_id=args.get("company_id", type=bounded_int),
            sort=args.get("sort", "-signed") if args.get("sort") in SORTS else "-signed",
        )


def _filtered(f: AgreementFilters) -> sa.Select[Any]:
    stmt = sa.select(Agreement)
    if f.q:
        stmt = stmt.where(
            sa.or_(
                Agreement.company_id.in_(companies_matching(f.q)),
                contains(Agreement.name, f.q),
                contains(Agreement.number, f.q),
                contains(Agreement.signing_event, f.q),
            )
        )
    if f.type:
        stmt = stmt.where(Agreement.type == AgreementType(f.type))
    if f.status:
        stmt = stmt.where(Agreement.status == AgreementStatus(f.status))
    if f.date_from:
        stmt = stmt.where(Agreement.signed_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Agreement.signed_on <= f.date_to)
    if f.company_id:
        stmt = stmt.where(Agreement.company_id == f.company_id)
    return stmt


def agreement_list_query(f: AgreementFilters) -> sa.Select[Any]:
    """Agreements the user may see (the session's scope), filtered and sorted."""
    return (
        _filtered(f)
        .options(selectinload(Agreement.company), selectinload(Agreement.unit))
        .order_by(*SORTS[f.sort])
    )


@dataclass(frozen=True)
class Totals:
    count: int
    investment: Decimal
    attracted: Decimal


def agreement_totals(f: AgreementFilters) -> Totals:
    """Count and sums (万元) over the whole filtered list, not just the page."""
    row = db.session.execute(
        _filtered(f).with_only_columns(
            sa.func.count(Agreement.id),
            sa.func.coalesce(sa.func.sum(Agreement.investment_amount), 0),
            sa.func.coalesce(sa.func.sum(Agreement.attracted_amount), 0),
        )
    ).one()
    cent = Decimal("0.01")
    return Totals(count=row[0], investment=Decimal(str(row[1])).quantize(cent), attracted=Decimal(str(row[2])).quantize(cent))


@company_followers.connect
def agreement_followers(company_id: int) -> list[tuple[str, Any]]:
    """Units with an agreement with the company, since the first signing — no more than that (DESIGN §1)."""
    rows = db.session.execute(
        sa.select(Unit.name, sa.func.min(Agreement.signed_on))
        .join(Unit, Unit.id == Agreement.unit_id)
        .where(Agreement.company_id == company_id)
        .group_by(Unit.name)
        .execution_options(**UNSCOPED)
    )
    return [(name, since) for name, since in rows]
