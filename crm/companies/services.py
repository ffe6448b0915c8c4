"""Creating and editing companies and contacts. Services validate and flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.companies.duplicates import Likely, company_with_code, keys_for, likely_duplicates, remember_distinct
from crm.companies.models import Company, CompanyName, CompanyNameKey, CompanyTagRow, Contact
from crm.domain.access import Actor
from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, OtherNameKind, Ownership
from crm.domain.dedup.credit_code import credit_code_problem, normalise_credit_code
from crm.domain.dedup.normalise import pinyin_forms
from crm.errors import FieldError, FormData
from crm.extensions import db


class CompanyError(FieldError):
    pass


class LikelyDuplicates(FieldError):
    """Similar companies exist; saving needs an explicit "这是另一家企业"."""

    def __init__(self, matches: list[Likely]) -> None:
        super().__init__("name", _("可能与已有企业重复，请核对；确认是另一家企业后勾选下方选项再保存"))
        self.matches = matches


@dataclass
class CompanyData(FormData):
    name: str
    short_name: str | None
    english_name: str | None
    credit_code: str | None
    ownership: str | None
    tags: list[str]
    hq_province: str | None
    hq_city: str | None
    funding_source: str | None
    industry_category: str | None
    chain_id: int | None
    registered_capital: Decimal | None
    website: str | None
    notes: str | None
    former_names: list[str] = field(default_factory=list)
    alias_names: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.former_names, *self.alias_names] + [n for n in (self.short_name, self.english_name) if n]


def clean_credit_code(raw: str | None, exclude_id: int | None) -> str | None:
    """Validate a typed credit code; refuse one that another company already has."""
    if not raw:
        return None
    code = normalise_credit_code(raw)
    if problem := credit_code_problem(code):
        raise CompanyError("credit_code", problem)
    if (owner := company_with_code(code, exclude_id)) is not None:
        if owner.merged_into_id:
            owner = db.session.get(Company, owner.merged_into_id) or owner
        raise CompanyError("credit_code", _("该统一社会信用代码已登记为「%(name)s」，请勿重复录入", name=owner.name))
    return code


def _search_text(names: list[str]) -> str:
    parts: list[str] = []
    for name in names:
        full, initials = pinyin_forms(name)
        parts += [name.lower(), full, initials]
    return " ".join(dict.fromkeys(p for p in parts if p))


def refresh_derived(company: Company) -> None:
    """Rebuild what is derived from the names: search text and blocking keys."""
    names = company.all_names()
    company.search_text = _search_text(names)
    db.session.execute(sa.delete(CompanyNameKey).where(CompanyNameKey.company_id == company.id))
    keys = keys_for(names)
    if keys:
        db.session.execute(sa.insert(CompanyNameKey), [{"company_id": company.id, "key": k[:80]} for k in sorted(keys)])


REBUILD_BATCH = 500


def rebuild_derived() -> int:
    """``refresh_derived`` for every company whose stored search text or blocking keys differ from what today's
    matcher makes of its names (after an upgrade changed the rules: docs/DEDUP.md). Returns how many changed."""
    from sqlalchemy.orm import selectinload

    changed, after = 0, 0
    while True:
        batch = list(db.session.scalars(
            sa.select(Company).options(selectinload(Company.other_names)).where(Company.id > after).order_by(Company.id).limit(REBUILD_BATCH)
        ))
        if not batch:
            return changed
        stored: dict[int, set[str]] = {}
        for company_id, key in db.session.execute(
            sa.select(CompanyNameKey.company_id, CompanyNameKey.key).where(CompanyNameKey.company_id.in_([c.id for c in batch]))
        ):
            stored.setdefault(company_id, set()).add(key)
        for company in batch:
            names = company.all_names()
            if company.search_text != _search_text(names) or stored.get(company.id, set()) != {k[:80] for k in keys_for(names)}:
                refresh_derived(company)
                changed += 1
        db.session.flush()
        after = batch[-1].id


def _set_other_names(company: Company, kind: OtherNameKind, names: list[str]) -> None:
    wanted = list(dict.fromkeys(n for n in names if n and n != company.name))
    keep = [n for n in company.other_names if n.kind is not kind or n.name in wanted]
    present = {n.name for n in keep if n.kind is kind}
    company.other_names = keep + [CompanyName(name=n, kind=kind) for n in wanted if n not in present]


def _apply(company: Company, data: CompanyData, code: str | None) -> None:
    company.name = data.name
    company.short_name = data.short_name
    company.english_name = data.english_name
    company.credit_code = code
    company.ownership = Ownership(data.ownership) if data.ownership else None
    company.hq_province = data.hq_province
    company.hq_city = data.hq_city
    company.funding_source = FundingSource(data.funding_source) if data.funding_source else None
    company.industry_category = IndustryCategory(data.industry_category) if data.industry_category else None
    company.chain_id = data.chain_id
    company.registered_capital = data.registered_capital
    company.website = data.website
    company.notes = data.notes
    wanted_tags = [CompanyTag(t) for t in dict.fromkeys(data.tags)]
    company.tag_rows = [row for row in company.tag_rows if row.tag in wanted_tags] + [
        CompanyTagRow(tag=t) for t in wanted_tags if t not in company.tags
    ]
    _set_other_names(company, OtherNameKind.FORMER, data.former_names)
    _set_other_names(company, OtherNameKind.ALIAS, data.alias_names)


def _check_duplicates(data: CompanyData, code: str | None, exclude_id: int | None, confirmed: set[int]) -> list[Likely]:
    matches = likely_duplicates(data.names(), code, exclude_id=exclude_id)
    unconfirmed = [m for m in matches if m.company.id not in confirmed]
    if unconfirmed:
        raise LikelyDuplicates(matches)
    return matches


def create_company(actor: Actor, data: CompanyData, confirmed_distinct: set[int] | None = None) -> Company:
    """Refuses a taken credit code; stops at likely duplicates unless each was confirmed as different."""
    code = clean_credit_code(data.credit_code, None)
    matches = _check_duplicates(data, code, None, confirmed_distinct or set())
    company = Company(created_by_id=actor.user_id)
    _apply(company, data, code)
    db.session.add(company)
    db.session.flush()
    refresh_derived(company)
    remember_distinct(company.id, {m.company.id for m in matches}, actor.user_id)
    db.session.flush()
    return company


def update_company(actor: Actor, company: Company, data: CompanyData, confirmed_distinct: set[int] | None = None) -> None:
    if company.is_merged:
        raise CompanyError("name", _("该企业已合并，请编辑合并后的企业"))
    code = clean_credit_code(data.credit_code, company.id)
    matches = _check_duplicates(data, code, company.id, confirmed_distinct or set())
    _apply(company, data, code)
    db.session.flush()
    refresh_derived(company)
    remember_distinct(company.id, {m.company.id for m in matches}, actor.user_id)
    db.session.flush()


# --- contacts ----------------------------------------------------------------
@dataclass
class ContactData(FormData):
    name: str
    title: str | None
    phones: str | None
    email: str | None
    wechat: str | None
    notes: str | None


def _apply_contact(contact: Contact, data: ContactData) -> None:
    contact.name = data.name
    contact.title = data.title
    contact.phones = data.phones
    contact.email = data.email
    contact.wechat = data.wechat
    contact.notes = data.notes


def add_contact(company: Company, data: ContactData) -> Contact:
    if company.is_merged:
        raise CompanyError("name", _("该企业已合并，请在合并后的企业下添加联系人"))
    contact = Contact(company_id=company.id)
    _apply_contact(contact, data)
    db.session.add(contact)
    db.session.flush()
    return contact


def update_contact(contact: Contact, data: ContactData) -> None:
    _apply_contact(contact, data)
    db.session.flush()


def set_contact_active(contact: Contact, active: bool) -> None:
    contact.is_active = active
    db.session.flush()


def live_company(company: Company | None) -> Company | None:
    """A merged company stands for its survivor (following the chain of merges)."""
    seen = 0
    while company is not None and company.merged_into_id is not None and seen < 10:
        company = db.session.get(Company, company.merged_into_id)
        seen += 1
    return company


def find_company_by_name(name: str) -> Company | None:
    """The company with exactly this name (or other name), merged ones standing for their survivor.

    For pickers that take a typed name.
    """
    name = (name or "").strip()
    if not name:
        return None
    company = db.session.scalars(
        sa.select(Company).where(Company.name == name).order_by(Company.merged_into_id.is_not(None), Company.id)
    ).first()
    if company is None:
        company = db.session.scalars(
            sa.select(Company)
            .join(CompanyName, CompanyName.company_id == Company.id)
            .where(CompanyName.name == name)
            .order_by(Company.merged_into_id.is_not(None), Company.id)
        ).first()
    return live_company(company)


def pick_or_create_company(actor: Actor, field: str, name: str, create: bool) -> Company:
    """Resolve a typed company name; with ``create``, make the company inline (duplicate checks apply).

    Refusals name ``field`` so the form shows them next to the picker.
    """
    company = find_company_by_name(name)
    if company is not None:
        return company
    if not create:
        raise CompanyError(field, _("企业库中没有「%(name)s」。请从提示中选择，或勾选“新建该企业”", name=name))
    try:
        return create_company(actor, CompanyData(name=name, short_name=None, english_name=None, credit_code=None, ownership=None, tags=[],
                                                 hq_province=None, hq_city=None, funding_source=None, industry_category=None,
                                                 chain_id=None, registered_capital=None, website=None, notes=None))
    except LikelyDuplicates as warning:
        names = "、".join(f"「{m.company.name}」" for m in warning.matches[:3])
        raise CompanyError(field, _("可能与已有企业重复：%(names)s。请直接选择已有企业", names=names)) from warning
