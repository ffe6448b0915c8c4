"""Which company a row means, and the 企业名录 kind itself.

A row's company (a project's or lead's investor, a company row) is, in order: the company with the row's credit
code; the company with exactly this name (or a former name, an alias); the company an earlier row of the same
file creates; the user's decision for the row; else what the new-company form's matcher says — no likely
duplicate: a new company; one: that company; several: the row waits for the user's choice.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import sqlalchemy as sa

from crm.companies.duplicates import company_with_code, likely_duplicates
from crm.companies.models import Company, CompanyName, CompanyTagRow
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
from crm.domain.imports.fields import Kind
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


# The record fields of each kind that name a company of the library, for ``prefetch_names``.
COMPANY_NAMES = {Kind.PROJECTS: ("investor", "local_investor"), Kind.LEADS: ("investor",), Kind.VISITS: ("company",),
                 Kind.COMPANIES: ("name",)}
CHUNK = 500  # names per IN (SQLite allows 32,766 parameters; PostgreSQL plans a few hundred well)


def prefetch_names(ctx: Context, records: list[Any]) -> None:
    """``company_named`` for every company name of the file in a few queries: 5,000 investors looked up one by
    one cost two queries each (other names have no index). The rule is ``find_company_by_name``'s: the company of
    that name, else of that other name; unmerged ones first, then the lowest id; a merged one stands for its
    survivor."""
    fields = COMPANY_NAMES.get(ctx.kind, ())
    names = {n for r in records for f in fields if isinstance(n := getattr(r, f, None), str) and n.strip()}
    wanted = sorted({n.strip() for n in names})
    found: dict[str, tuple[bool, int, str]] = {}  # name → (merged, id, the company's own name), the best so far
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        by_name: dict[str, tuple[bool, int, str]] = {}
        for cid, name, merged in db.session.execute(
                sa.select(Company.id, Company.name, Company.merged_into_id).where(Company.name.in_(chunk))):
            by_name[name] = min(by_name.get(name, (True, cid, name)), (merged is not None, cid, name))
        rest = [n for n in chunk if n not in by_name]
        by_other: dict[str, tuple[bool, int, str]] = {}
        for cid, own, other, merged in db.session.execute(
                sa.select(Company.id, Company.name, CompanyName.name, Company.merged_into_id)
                .join(CompanyName, CompanyName.company_id == Company.id).where(CompanyName.name.in_(rest))):
            by_other[other] = min(by_other.get(other, (True, cid, own)), (merged is not None, cid, own))
        found.update(by_name)
        found.update(by_other)
    for raw in names:
        best = found.get(raw.strip())
        if best is not None and best[0]:
            survivor = live_company(db.session.get(Company, best[1]))
            best = (False, survivor.id, survivor.name) if survivor is not None else None
        ctx.answers[("company", raw)] = (best[1], best[2]) if best is not None else None


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
