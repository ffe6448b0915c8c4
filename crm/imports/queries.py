"""What an import looks up: units, people, chains, the unit's projects and leads by name, and the audit rows an
import wrote. Reads run under the session's scope (the importing user's): a record they cannot see is not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm.audit.models import AuditLog
from crm.catalog.models import IndustryChain
from crm.extensions import db
from crm.domain.imports.fields import Kind
from crm.imports.models import Import, ImportItem, ImportMapping
from crm.imports.restore import model_of
from crm.issues.models import Issue, IssueAction
from crm.leads.models import Lead
from crm.progress.models import FundArrival
from crm.projects.models import Project
from crm.units.models import Unit
from crm.users.models import User
from crm.visits.models import Visit, VisitCompany
from crm.web.pagination import Page, paginate
from crm.web.urls import record_url


def unit_named(name: str, county_id: int | None = None) -> Unit | None:
    """The active unit called ``name`` (or with that short name): sheets write 产业集聚区 as often as its full name.
    Every county has a 商务局: the one in ``county_id``'s tree comes first."""
    found = list(db.session.scalars(
        sa.select(Unit).where(Unit.is_active, sa.or_(Unit.name == name, Unit.short_name == name)).order_by(Unit.id)
    ))
    inside = [u for u in found if county_id is not None and f"/{county_id}/" in (u.path or "")]
    return (inside or found or [None])[0]


def people_named(name: str, unit_ids: frozenset[int] | set[int]) -> list[User]:
    """Active accounts of these units whose 姓名 is ``name`` (two namesakes in one unit: the caller refuses)."""
    if not unit_ids:
        return []
    return list(db.session.scalars(
        sa.select(User).where(User.display_name == name, User.is_active, User.unit_id.in_(sorted(unit_ids))).order_by(User.id)
    ))


def active_chains() -> list[tuple[int, str]]:
    """(id, name) of every active chain, for ``chain_in``: a plan reads them once."""
    return [(c.id, c.name) for c in db.session.scalars(sa.select(IndustryChain).where(IndustryChain.is_active).order_by(IndustryChain.id))]


def chain_in(chains: list[tuple[int, str]], text: str) -> int | None:
    """The chain called ``text``, else the one whose name the text contains (轻纺产业 → 轻纺), longest name first."""
    exact = [cid for cid, name in chains if name == text]
    if exact:
        return exact[0]
    inside = sorted(((cid, name) for cid, name in chains if name and name in text), key=lambda c: (-len(c[1]), c[0]))
    return inside[0][0] if inside else None


def _ids_by_name(rows: Any) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for record_id, name in rows:
        found.setdefault(name, []).append(record_id)
    return found


def unit_project_ids(unit_id: int) -> dict[str, list[int]]:
    """name → ids of the unit's own projects (never another unit's, even one whose 服务专班 the user is on), in
    one query for a whole file rather than one per row."""
    return _ids_by_name(db.session.execute(sa.select(Project.id, Project.name).where(Project.unit_id == unit_id).order_by(Project.id)))


def unit_lead_ids(unit_id: int) -> dict[str, list[int]]:
    return _ids_by_name(db.session.execute(sa.select(Lead.id, Lead.name).where(Lead.unit_id == unit_id).order_by(Lead.id)))


def last_audit_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(AuditLog.id))) or 0


def audit_rows(record_type: str, record_id: int, after: int, up_to: int | None = None) -> list[AuditLog]:
    """The audit rows about one record written after audit row ``after`` (and up to ``up_to``), oldest first."""
    stmt = sa.select(AuditLog).where(AuditLog.record_type == record_type, AuditLog.record_id == record_id, AuditLog.id > after)
    if up_to is not None:
        stmt = stmt.where(AuditLog.id <= up_to)
    return list(db.session.scalars(stmt.order_by(AuditLog.id)))


def import_by_id(import_id: int) -> Import | None:
    return db.session.get(Import, import_id)


def reverted_windows(after: int) -> list[tuple[int, int]]:
    """The audit windows (commit and revert) of the imports made after audit row ``after`` and reverted since:
    a later import undone leaves nothing changed."""
    rows = db.session.execute(
        sa.select(Import.audit_from, Import.audit_to, Import.revert_from, Import.revert_to)
        .where(Import.audit_from >= after, Import.reverted_at.is_not(None))
    )
    windows: list[tuple[int, int]] = []
    for audit_from, audit_to, revert_from, revert_to in rows:
        windows += [(audit_from, audit_to), (revert_from or 0, revert_to or 0)]
    return windows


def project_funds(project_id: int, period: str) -> list[FundArrival]:
    return list(db.session.scalars(
        sa.select(FundArrival).where(FundArrival.project_id == project_id, FundArrival.period == period).order_by(FundArrival.id)
    ))


def unit_issue(unit_id: int, number: str | None, description: str, responsible_unit_id: int | None) -> Issue | None:
    """The unit's issue with this 编号, else the one saying the same thing to the same 责任单位."""
    if number:
        found = db.session.scalars(sa.select(Issue).where(Issue.unit_id == unit_id, Issue.number == number)).first()
        if found is not None:
            return found
    return db.session.scalars(
        sa.select(Issue).where(Issue.unit_id == unit_id, Issue.description == description, Issue.responsible_unit_id == responsible_unit_id)
        .order_by(Issue.id)
    ).first()


def has_note(issue_id: int, note: str) -> bool:
    return db.session.scalar(sa.select(IssueAction.id).where(IssueAction.issue_id == issue_id, IssueAction.note == note).limit(1)) is not None


def unit_visit(unit_id: int, start_on: date, company_id: int) -> Visit | None:
    """The unit's visit of that day to that company: a sheet's row met again."""
    return db.session.scalars(
        sa.select(Visit).join(VisitCompany, VisitCompany.visit_id == Visit.id)
        .where(Visit.unit_id == unit_id, Visit.start_on == start_on, VisitCompany.company_id == company_id).order_by(Visit.id)
    ).first()


def remembered(unit_id: int, kind: Kind) -> ImportMapping | None:
    """The columns the unit last imported this kind of sheet with."""
    return db.session.scalars(sa.select(ImportMapping).where(ImportMapping.unit_id == unit_id, ImportMapping.kind == kind.value)).first()


def imports_page(page: int, per_page: int) -> Page[Import]:
    """The imports the user sees (their own, and those into the units whose records they see), newest first."""
    return paginate(sa.select(Import).options(selectinload(Import.user), selectinload(Import.unit)).order_by(Import.id.desc()), page, per_page)


@dataclass(frozen=True)
class ImportedRecord:
    row: int
    kind: Any  # 项目, 企业 … (the model's audit name)
    action: str  # create / update
    label: str
    url: str | None  # None: gone since (reverted or deleted), or a record without a page of its own


def import_items_page(record: Import, page: int, per_page: int) -> Page[ImportedRecord]:
    """A page of what the import wrote, in its order, each record named and linked (one query per table)."""
    items = paginate(sa.select(ImportItem).where(ImportItem.import_id == record.id).order_by(ImportItem.id), page, per_page)
    by_type: dict[str, list[int]] = {}
    for item in items.items:
        by_type.setdefault(item.record_type, []).append(item.record_id)
    found: dict[tuple[str, int], Any] = {}
    for record_type, ids in by_type.items():
        model = model_of(record_type)
        for obj in db.session.scalars(sa.select(model).where(model.id.in_(ids))):
            found[(record_type, obj.id)] = obj
    rows = []
    for item in items.items:
        obj = found.get((item.record_type, item.record_id))
        model = model_of(item.record_type)
        rows.append(ImportedRecord(item.row, getattr(model, "__audit_name__", item.record_type), item.action,
                                   str(obj) if obj is not None else f"#{item.record_id}",
                                   record_url(item.record_type, item.record_id) if obj is not None else None))
    return Page(items=rows, page=items.page, per_page=items.per_page, total=items.total, exact=items.exact)
