"""Loading the demo scenario. Idempotent: what exists (by natural key) is left alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from crm.auth.passwords import hash_password
from crm.catalog.models import IndustryChain
from crm.companies.duplicates import find_duplicate_groups
from crm.companies.models import Company, CompanyTagRow, Contact
from crm.companies.services import refresh_derived
from crm.demo.agreements import load_agreements
from crm.demo.companies import CHAINS, COMPANIES, DUPLICATES
from crm.clock import local_today
from crm.demo.leads import load_leads, load_visits
from crm.demo.assignments import load_assignments
from crm.demo.issues import load_issues
from crm.demo.notifications import load_emails, load_notifications
from crm.demo.progress import load_progress
from crm.demo.projects import load_projects
from crm.demo.admission import load_admission
from crm.demo.aftercare import load_aftercare
from crm.demo.approvals import load_approvals
from crm.demo.ratings import load_ratings
from crm.demo.reports import load_reports
from crm.demo.submissions import load_submissions
from crm.demo.zones import load_zones
from crm.demo.scenario import ACCOUNTS, DEMO_PASSWORD, UNITS
from crm.extensions import db
from crm.units.models import Unit
from crm.users.models import User


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def nothing_new(self) -> bool:
        return not self.created


def _unit(name: str, parent_id: int | None) -> Unit | None:
    same_parent = Unit.parent_id.is_(None) if parent_id is None else Unit.parent_id == parent_id
    return db.session.scalars(sa.select(Unit).where(Unit.name == name, same_parent)).one_or_none()


def load_units(report: LoadReport) -> dict[str, Unit]:
    by_key: dict[str, Unit] = {}
    for order, spec in enumerate(UNITS):
        parent_id = by_key[spec.parent].id if spec.parent else None
        unit = _unit(spec.name, parent_id)
        if unit is None:
            unit = Unit(
                name=spec.name,
                short_name=spec.short_name,
                type=spec.type,
                parent_id=parent_id,
                head_title=spec.head_title,
                sort_order=order,
            )
            db.session.add(unit)
            db.session.flush()
            report.add("units")
        by_key[spec.key] = unit
    return by_key


def load_accounts(units: dict[str, Unit], report: LoadReport) -> None:
    existing = set(db.session.scalars(sa.select(User.username)))
    password_hash = None
    for spec in ACCOUNTS:
        if spec.username in existing:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        db.session.add(
            User(
                username=spec.username,
                display_name=spec.display_name,
                role=spec.role,
                unit_id=units[spec.unit].id,
                title=spec.title,
                title_note=spec.title_note,
                password_hash=password_hash,
            )
        )
        report.add("users")
    db.session.flush()


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def load_chains(report: LoadReport) -> dict[str, IndustryChain]:
    chains = {c.name: c for c in db.session.scalars(sa.select(IndustryChain))}
    for order, name in enumerate(CHAINS):
        if name not in chains:
            chains[name] = IndustryChain(name=name, sort_order=order)
            db.session.add(chains[name])
            report.add("chains")
    db.session.flush()
    return chains


def load_companies(chains: dict[str, IndustryChain], report: LoadReport) -> None:
    """The seed's companies, then a few duplicates that the review queue picks up."""
    existing = set(db.session.scalars(sa.select(Company.name)))
    for spec in COMPANIES + DUPLICATES:
        if spec.name in existing:
            continue
        company = Company(
            name=spec.name,
            short_name=spec.short_name,
            credit_code=spec.credit_code,
            ownership=spec.ownership,
            funding_source=spec.funding_source,
            hq_province=spec.province,
            hq_city=spec.city,
            industry_category=spec.category,
            chain_id=chains[spec.chain].id if spec.chain else None,
            registered_capital=Decimal(spec.capital) if spec.capital else None,
        )
        company.tag_rows = [CompanyTagRow(tag=t) for t in spec.tags]
        company.contacts = [Contact(name=n, title=t, phones=p) for n, t, p in spec.contacts]
        db.session.add(company)
        db.session.flush()
        refresh_derived(company)
        report.add("companies")
    if report.created.get("companies"):
        if queued := find_duplicate_groups():
            report.created["duplicate groups"] = queued
    db.session.flush()


def load_demo(today: date | None = None) -> LoadReport:
    """Create the 鲁山县 scenario as far as today's models go. Flushes; the caller commits."""
    report = LoadReport()
    units = load_units(report)
    load_accounts(units, report)
    load_companies(load_chains(report), report)
    day = today or local_today()
    load_leads(report, day)
    load_visits(report, day)
    load_agreements(report, day)
    load_projects(report, day)
    load_assignments(report, day)
    load_progress(report, day)
    load_issues(report, day)
    load_submissions(report, day)
    load_reports(report, day)
    load_ratings(report, day)
    load_aftercare(report, day)
    load_admission(report, day)
    load_approvals(report, day)
    load_zones(report, day)
    load_emails(report)
    load_notifications(report, day)  # last: the bell shows what the scenario leaves overdue
    return report
