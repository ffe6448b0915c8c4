"""Which company a row means, and the 企业名录 kind itself.

A row's company (a project's or lead's investor, a company row) is, in order: the company with the row's credit
code; the company with exactly this name (or a former name, an alias); the company an earlier row of the same
file creates; the user's decision for the row; else what the new-company form's matcher says — no likely
duplicate: a new company; one: that company; several: the row waits for the user's choice.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from crm.companies.duplicates import company_with_code, likely_duplicates
from crm.companies.models import Company, CompanyTagRow
from crm.companies.services import (
    CompanyData,
    ContactData,
    add_contact,
    clean_credit_code,
    create_company,
    find_company_by_name,
    live_company,
    refresh_derived,
)
from crm.domain.dedup.credit_code import is_valid_credit_code
from crm.domain.imports.values import squeeze
from crm.domain.imports.plan import Action, Candidate, CompanyLink, RowPlan
from crm.domain.imports.records import CompanyRecord
from crm.extensions import db
from crm.imports import messages
from crm.imports.context import NEW_COMPANY, Context, changes

Written = list[tuple[str, int, str]]  # (table, id, "create" / "update")


def _by_code(ctx: Context, credit_code: str) -> tuple[int, str] | None:
    def look_up() -> tuple[int, str] | None:
        owner = live_company(company_with_code(credit_code))
        return (owner.id, owner.name) if owner is not None else None

    return ctx.once(("code", credit_code), look_up)


def company_named(ctx: Context, name: str) -> tuple[int, str] | None:
    """(id, name) of the library's company of exactly this name (or other name), asked once per plan."""
    def look_up() -> tuple[int, str] | None:
        company = find_company_by_name(name)
        return (company.id, company.name) if company is not None else None

    return ctx.once(("company", name), look_up)


def _likely(ctx: Context, name: str, credit_code: str | None) -> tuple[Candidate, ...]:
    """The matcher's likely duplicates (the new-company form's, over the blocking keys), asked once per plan."""
    return ctx.once(("likely", name, credit_code), lambda: tuple(
        Candidate(m.company.id, m.company.name, m.score) for m in likely_duplicates([name], credit_code)))


def resolve(ctx: Context, row: int, name: str, credit_code: str | None) -> CompanyLink:
    if credit_code and is_valid_credit_code(credit_code):
        owner = _by_code(ctx, credit_code)
        if owner is not None:
            return CompanyLink(name, *owner)
    exact = company_named(ctx, name)
    if exact is not None:
        return CompanyLink(name, *exact)
    if squeeze(name) in ctx.planned_companies:
        return CompanyLink(name)
    matches = _likely(ctx, name, credit_code)
    decided = ctx.decisions.get(row)
    if decided is not None and matches:
        if decided == NEW_COMPANY:
            return CompanyLink(name)  # confirmed as another company: the matches are remembered as distinct
        chosen = live_company(db.session.get(Company, decided))
        if chosen is not None:
            return CompanyLink(name, chosen.id, chosen.name)
    if len(matches) == 1:
        return CompanyLink(name, matches[0].company_id, matches[0].name)
    if matches:
        return CompanyLink(name, candidates=matches)
    return CompanyLink(name)


def plan_link(ctx: Context, row: int, name: str, credit_code: str | None) -> CompanyLink:
    """``resolve``, remembering a new company so the file's later rows with the same investor reuse it."""
    link = resolve(ctx, row, name, credit_code)
    if link.is_new:
        ctx.planned_companies.setdefault(squeeze(name), row)
    return link


def decision_row(row: int, title: str, link: CompanyLink) -> RowPlan:
    reason = messages.AMBIGUOUS % {"name": link.name, "count": len(link.candidates)}
    return RowPlan(row, Action.DECISION, title, reason=str(reason), company=link)


def _blank_data(name: str, credit_code: str | None) -> CompanyData:
    return CompanyData(name=name, short_name=None, english_name=None, credit_code=credit_code, ownership=None, tags=[],
                       hq_province=None, hq_city=None, funding_source=None, industry_category=None, chain_id=None,
                       registered_capital=None, website=None, notes=None)


def company_for(ctx: Context, row: int, link: CompanyLink, credit_code: str | None, written: Written,
                data: CompanyData | None = None) -> Company:
    """The linked company, or the new one (created through the companies service, duplicate checks and all)."""
    if link.company_id is not None:
        company = db.session.get(Company, link.company_id)
        assert company is not None
        return company
    key = squeeze(link.name)
    # Created by an earlier row of this import (the id is gone with its savepoint if that row was refused).
    earlier = db.session.get(Company, ctx.created_companies[key]) if key in ctx.created_companies else None
    earlier = earlier or find_company_by_name(link.name)
    if earlier is not None:
        return earlier
    distinct = {m.company.id for m in likely_duplicates([link.name], credit_code)} if ctx.decisions.get(row) == NEW_COMPANY else set()
    company = create_company(ctx.actor, data or _blank_data(link.name, credit_code), confirmed_distinct=distinct)
    written.append(("companies", company.id, "create"))
    ctx.created_companies[key] = company.id
    return company


# --- the 企业名录 kind ---------------------------------------------------------------------------------------
# Sheet fields written to a company, as its attributes; only blanks are filled in an existing company (it is
# every unit's master data: a sheet does not overwrite what someone has entered).
COMPANY_ATTRS = ("short_name", "english_name", "credit_code", "ownership", "hq_province", "hq_city", "funding_source",
                 "industry_category", "registered_capital", "website", "notes")


def _wanted(ctx: Context, record: CompanyRecord, row: int, errors: list[str]) -> dict[str, Any]:
    wanted = {name: getattr(record, name) for name in COMPANY_ATTRS if getattr(record, name) is not None}
    chain = ctx.chain_id(row, record.chain, errors)
    if chain is not None:
        wanted["chain_id"] = chain
    return wanted


def plan_company(ctx: Context, row: int, record: CompanyRecord) -> RowPlan:
    errors: list[str] = []
    wanted = _wanted(ctx, record, row, errors)
    link = plan_link(ctx, row, record.name, record.credit_code)
    if errors:
        return RowPlan(row, Action.ERROR, record.name, errors=tuple(errors), company=link)
    if link.candidates:
        return decision_row(row, record.name, link)
    values = {"wanted": wanted, "tags": record.tags}
    if link.company_id is None:
        return RowPlan(row, Action.NEW, record.name, changes=tuple(changes(ctx, None, wanted)), company=link, values=values)
    company = db.session.get(Company, link.company_id)
    blanks = {name: value for name, value in wanted.items() if getattr(company, name) is None}
    found = changes(ctx, company, blanks)
    if record.tags and not company.tags:
        blanks["tags"] = record.tags
        found += changes(ctx, None, {"tags": record.tags})
    if record.contact_name and record.contact_name not in {c.name for c in company.contacts}:
        found += changes(ctx, None, {"contact_name": record.contact_name})
    action = Action.UPDATE if found else Action.LINKED
    return RowPlan(row, action, record.name, changes=tuple(found), company=link, record_id=company.id,
                   values={"wanted": blanks, "tags": blanks.get("tags", ())})


def add_row_contact(company: Company, name: str | None, title: str | None, phone: str | None, email: str | None,
                    wechat: str | None, written: Written) -> None:
    if not name or name in {c.name for c in company.contacts}:
        return
    contact = add_contact(company, ContactData(name=name, title=title, phones=phone, email=email, wechat=wechat, notes=None))
    written.append(("contacts", contact.id, "create"))


def write_company(ctx: Context, plan: RowPlan, record: CompanyRecord) -> Written:
    written: Written = []
    wanted = dict(plan.values["wanted"])
    tags = [t.value for t in plan.values.get("tags", ())]
    assert plan.company is not None
    if plan.action is Action.NEW:
        data = _blank_data(record.name, record.credit_code)
        for name, value in wanted.items():
            setattr(data, name, value.value if isinstance(value, Enum) else value)
        data.tags = tags
        company = company_for(ctx, plan.row, plan.company, record.credit_code, written, data)
    else:
        company = db.session.get(Company, plan.record_id)
        assert company is not None
        if "credit_code" in wanted:
            wanted["credit_code"] = clean_credit_code(wanted["credit_code"], company.id)  # refuses a code already taken
        for name, value in wanted.items():
            if name != "tags":
                setattr(company, name, value)
        if tags and not company.tags:
            company.tag_rows = [CompanyTagRow(tag=t) for t in plan.values["tags"]]
        db.session.flush()
        refresh_derived(company)  # a short or English name is one of its names
        written.append(("companies", company.id, "update"))
    add_row_contact(company, record.contact_name, record.contact_title, record.contact_phone, record.contact_email,
                    record.contact_wechat, written)
    db.session.flush()
    return written


def same_record(found: list[Any], link: CompanyLink) -> Any | None:
    """Which of the unit's records of a row's name (leads, projects) the row is: the one with the row's investor
    (or one of its candidates), else the only one when the investor is not known."""
    candidates = {c.company_id for c in link.candidates}
    for record in found:
        if record.company_id == link.company_id or record.company_id in candidates:
            return record
    if link.company_id is None and len(found) == 1:
        return found[0]
    return None
