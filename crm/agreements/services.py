"""Agreements: create, edit, terminate. Services validate and flush; the view commits once.

The owning unit and the creator are the signed-in user's, never a form's. 乙方 is a company
already in the company list, found by the name typed; the linked lead must be one of the
agreement's unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.agreements.models import Agreement
from crm.companies.duplicates import likely_duplicates
from crm.companies.models import Company
from crm.companies.services import find_company_by_name, live_company
from crm.domain.access import Actor
from crm.domain.agreements import (
    AgreementStatus,
    AgreementType,
    Problem,
    amount_problem,
    amounts_problem,
    date_problem,
    schedule_problem,
    termination_problem,
)
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.leads.models import Lead
from crm.web.ids import bounded_int

# A typed name counts as a company of the list when it is one of its names or this similar to one.
NAME_MATCH = 85.0

PROBLEM_MESSAGES = {
    Problem.NEGATIVE: _l("金额不能为负数"),
    Problem.TOO_LARGE: _l("金额不能超过 1 亿万元（即 1 万亿元），请核对单位是否为万元"),
    Problem.TOO_PRECISE: _l("最多保留两位小数"),
    Problem.ATTRACTED_ABOVE_INVESTMENT: _l("合同引资额不能大于协议投资额"),
    Problem.PRODUCTION_BEFORE_START: _l("约定投产日期不能早于约定开工日期"),
    Problem.DATE_OUT_OF_RANGE: _l("日期超出合理范围，请核对"),
    Problem.ALREADY_TERMINATED: _l("该协议已终止"),
    Problem.REASON_REQUIRED: _l("终止协议须填写原因"),
    Problem.TERMINATED_BEFORE_SIGNING: _l("终止日期不能早于签约日期"),
}


class AgreementError(FieldError):
    def __init__(self, field: str, problem: Problem | str) -> None:
        message = str(PROBLEM_MESSAGES[problem]) if isinstance(problem, Problem) else problem
        super().__init__(field, message)


class CompanyNotFound(AgreementError):
    """The typed 乙方 is not in the company list; the form offers to create it there."""

    def __init__(self, name: str) -> None:
        super().__init__("company_name", _("未找到该企业，请先在企业库中新建"))
        self.name = name


@dataclass
class AgreementData(FormData):
    type: str
    name: str | None
    number: str | None
    signed_on: date
    signing_event: str | None
    party_a: str
    company_name: str
    company_id: str | None
    lead_id: int | None
    investment_amount: Decimal | None
    attracted_amount: Decimal | None
    planned_start_on: date | None
    planned_production_on: date | None
    investment_intensity: Decimal | None
    tax_per_mu: Decimal | None
    jobs: int | None
    notes: str | None


def find_company(name: str) -> Company | None:
    """The live company called ``name``: by its name or another name, else the best likely duplicate ≥ 85."""
    if not (name or "").strip():
        return None
    if (company := find_company_by_name(name)) is not None:
        return company
    matches = [m for m in likely_duplicates([name], None) if m.score >= NAME_MATCH]
    return matches[0].company if matches else None


def resolve_company(name: str, company_id: str | None) -> Company:
    """乙方 from the form: the company picked on a company page (if its name was kept), else the typed name.

    A company id that names no company is a forged or stale form: refused, never guessed around.
    """
    if company_id:
        try:
            picked = db.session.get(Company, bounded_int(company_id))
        except (TypeError, ValueError):
            picked = None
        picked = live_company(picked)
        if picked is None:
            raise AgreementError("company_name", _("所选企业不存在，请重新填写企业名称"))
        if name.strip() in picked.all_names():
            return picked
    company = find_company(name)
    if company is None:
        raise CompanyNotFound(name)
    return company


def _check_lead(lead_id: int | None, unit_id: int) -> int | None:
    if lead_id is None:
        return None
    lead = db.session.get(Lead, lead_id)
    if lead is None or lead.unit_id != unit_id:
        raise AgreementError("lead_id", _("请从列表中选择"))
    return lead.id


def _check(data: AgreementData) -> None:
    for field in ("investment_amount", "attracted_amount"):
        if problem := amount_problem(getattr(data, field)):
            raise AgreementError(field, problem)
    if problem := amounts_problem(data.investment_amount, data.attracted_amount):
        raise AgreementError("attracted_amount", problem)
    for field in ("signed_on", "planned_start_on", "planned_production_on"):
        if problem := date_problem(getattr(data, field)):
            raise AgreementError(field, problem)
    if problem := schedule_problem(data.planned_start_on, data.planned_production_on):
        raise AgreementError("planned_production_on", problem)


def _apply(agreement: Agreement, data: AgreementData, company: Company, lead_id: int | None) -> None:
    agreement.type = AgreementType(data.type)
    agreement.name = data.name
    agreement.number = data.number
    agreement.signed_on = data.signed_on
    agreement.signing_event = data.signing_event
    agreement.party_a = data.party_a
    agreement.company_id = company.id
    agreement.company = company
    agreement.lead_id = lead_id
    agreement.investment_amount = data.investment_amount
    agreement.attracted_amount = data.attracted_amount
    agreement.planned_start_on = data.planned_start_on
    agreement.planned_production_on = data.planned_production_on
    agreement.investment_intensity = data.investment_intensity
    agreement.tax_per_mu = data.tax_per_mu
    agreement.jobs = data.jobs
    agreement.notes = data.notes


def create_agreement(actor: Actor, data: AgreementData) -> Agreement:
    """A new agreement in force, owned by the actor's unit."""
    _check(data)
    company = resolve_company(data.company_name, data.company_id)
    lead_id = _check_lead(data.lead_id, actor.unit_id)
    agreement = Agreement(unit_id=actor.unit_id, created_by_id=actor.user_id, status=AgreementStatus.ACTIVE)
    _apply(agreement, data, company, lead_id)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def update_agreement(agreement: Agreement, data: AgreementData) -> None:
    """Edit the terms; the owning unit, the creator and the status stay as they are."""
    _check(data)
    company = resolve_company(data.company_name, data.company_id)
    lead_id = _check_lead(data.lead_id, agreement.unit_id)
    _apply(agreement, data, company, lead_id)
    db.session.flush()


def terminate_agreement(agreement: Agreement, reason: str | None, terminated_on: date) -> None:
    """有效 → 终止, with a reason, on a day not before the signing."""
    if problem := termination_problem(agreement.status, reason, agreement.signed_on, terminated_on):
        field = "terminated_on" if problem is Problem.TERMINATED_BEFORE_SIGNING else "reason"
        raise AgreementError(field, problem)
    agreement.status = AgreementStatus.TERMINATED
    agreement.termination_reason = (reason or "").strip()
    agreement.terminated_on = terminated_on
    db.session.flush()


def party_a_suggestions(limit: int = 20) -> list[str]:
    """甲方 names already used on agreements the user may see, most used first."""
    rows = db.session.execute(
        sa.select(Agreement.party_a, sa.func.count()).group_by(Agreement.party_a).order_by(sa.func.count().desc(), Agreement.party_a).limit(limit)
    )
    return [name for name, _count in rows]
