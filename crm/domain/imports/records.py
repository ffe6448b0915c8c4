"""The typed records a sheet's rows become, one dataclass per kind, before anything is looked up.

Amounts are in 万元 (``foreign_capital`` in 万美元), months are YYYY-MM, people, units, companies, projects and
chains are the names the sheet gives: the next layer finds them (and reports those it cannot find).
Attribute names are the fields of ``fields`` (tests/domain/test_imports_fields.py keeps them in step).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, Ownership
from crm.domain.issues import IssueCategory, IssueLevel, IssueSource, IssueStatus
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import FundPurpose, Sector
from crm.domain.visits import LeaderKind, VisitOutcome, VisitType


@dataclass(frozen=True)
class ProjectRecord:
    name: str
    investor: str
    local_investor: str | None = None
    credit_code: str | None = None  # the investor's
    construction: str | None = None
    stage: Stage | None = None
    nature: Nature | None = None
    total_investment: Decimal | None = None
    first_phase_investment: Decimal | None = None
    contracted_amount: Decimal | None = None
    out_of_province_amount: Decimal | None = None
    foreign_capital: Decimal | None = None
    funding_source: FundingSource | None = None
    industry_category: IndustryCategory | None = None
    sector: Sector | None = None
    chain: str | None = None
    site: str | None = None
    land_mu: Decimal | None = None
    is_key: bool | None = None
    planned_start_on: date | None = None
    planned_production_on: date | None = None
    # The months of the stage history: the next layer turns them into approved stage events.
    talks_month: str | None = None
    signed_month: str | None = None
    registered_month: str | None = None
    start_month: str | None = None
    production_month: str | None = None
    registered_name: str | None = None
    registration_number: str | None = None
    registered_capital: Decimal | None = None
    legal_representative: str | None = None
    capacity: str | None = None
    monthly_sales: Decimal | None = None
    monthly_tax: Decimal | None = None
    employees: int | None = None
    unit: str | None = None
    lead_unit: str | None = None
    owner: str | None = None
    leaders: tuple[str, ...] = ()
    contact_name: str | None = None
    contact_phone: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CompanyRecord:
    name: str
    short_name: str | None = None
    english_name: str | None = None
    credit_code: str | None = None
    ownership: Ownership | None = None
    tags: tuple[CompanyTag, ...] = ()
    hq_province: str | None = None
    hq_city: str | None = None
    funding_source: FundingSource | None = None
    industry_category: IndustryCategory | None = None
    chain: str | None = None
    registered_capital: Decimal | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    contact_wechat: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class LeadRecord:
    name: str
    investor: str
    source: LeadSource | None = None
    referrer: str | None = None
    amount: tuple[Decimal, Decimal] | None = None  # 拟投资额 (low, high); one amount is (x, x)
    construction: str | None = None
    land_mu: Decimal | None = None
    expected_output: Decimal | None = None
    expected_tax: Decimal | None = None
    chain: str | None = None
    grade: LeadGrade | None = None
    received_on: date | None = None
    assessment: str | None = None
    status: LeadStatus | None = None
    abandon_reason: str | None = None
    next_follow_up_on: date | None = None
    unit: str | None = None
    owner: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class VisitRecord:
    start_on: date
    end_on: date | None = None
    type: VisitType | None = None
    destination: str | None = None
    company: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    leader: str | None = None
    leader_kind: LeaderKind | None = None
    participants: tuple[str, ...] = ()
    outcome: VisitOutcome | None = None
    notes: str | None = None
    unit: str | None = None
    lead: str | None = None


@dataclass(frozen=True)
class FundEntry:
    period: str  # YYYY-MM
    amount: Decimal  # 万元, above zero


@dataclass(frozen=True)
class FundRecord:
    """One project's money of one row: one month (月份 + 本期到位) or several (a column per month)."""

    project: str
    entries: tuple[FundEntry, ...]
    investor: str | None = None
    source: FundingSource | None = None
    purpose: FundPurpose | None = None
    note: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class IssueRecord:
    description: str
    responsible_unit: str
    responsible_person: str
    deadline: date
    number: str | None = None
    project: str | None = None
    category: IssueCategory | None = None
    source: IssueSource | None = None
    raised_on: date | None = None
    leaders: tuple[str, ...] = ()
    level: IssueLevel | None = None
    status: IssueStatus | None = None
    long_term: bool | None = None
    resolved_on: date | None = None
    closed_on: date | None = None
    progress: str | None = None  # 办理情况: the next layer keeps it as a 办理记录
    unit: str | None = None


Record = ProjectRecord | CompanyRecord | LeadRecord | VisitRecord | FundRecord | IssueRecord
