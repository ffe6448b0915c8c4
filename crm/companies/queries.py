"""Reading companies: the list with search, filters and sort; what a company page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from crm.catalog.models import IndustryChain
from crm.companies.models import Company, CompanyMerge, CompanyTagRow, DuplicateGroup, DuplicateGroupMember
from crm.companies.signals import company_followers
from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, Ownership
from crm.extensions import db
from crm.web.search import company_text_contains, contains, parse_enum, where_equals
from crm.web.ids import bounded_int

MERGE_FIELD_LABELS = {
    "name": _l("企业名称"),
    "short_name": _l("简称"),
    "english_name": _l("英文名"),
    "credit_code": _l("统一社会信用代码"),
    "ownership": _l("所有制"),
    "hq_province": _l("总部所在省"),
    "hq_city": _l("总部所在市"),
    "funding_source": _l("资金来源地"),
    "industry_category": _l("行业门类"),
    "chain_id": _l("主导产业链"),
    "registered_capital": _l("注册资本（万元）"),
    "website": _l("网址"),
    "notes": _l("备注"),
}

SORTS: dict[str, Any] = {
    "name": Company.name.asc(),
    "-created": Company.created_at.desc(),
    "-updated": Company.updated_at.desc(),
    "capital": Company.registered_capital.desc().nulls_last(),
}


@dataclass
class CompanyFilters:
    q: str = ""
    ownership: str = ""
    tag: str = ""
    funding_source: str = ""
    industry_category: str = ""
    chain_id: int | None = None
    province: str = ""
    has_code: str = ""
    sort: str = "-updated"

    @classmethod
    def from_args(cls, args: Any) -> "CompanyFilters":
        return cls(
            q=args.get("q", "").strip()[:60],
            ownership=args.get("ownership", ""),
            tag=args.get("tag", ""),
            funding_source=args.get("funding_source", ""),
            industry_category=args.get("industry_category", ""),
            chain_id=args.get("chain_id", type=bounded_int),
            province=args.get("province", "").strip()[:20],
            has_code=args.get("has_code", ""),
            sort=args.get("sort", "-updated") if args.get("sort") in SORTS else "-updated",
        )


def _filtered(f: CompanyFilters) -> sa.Select[Any]:
    """Live (not merged) companies matching the filters. Search covers every name, its pinyin and initials."""
    stmt = sa.select(Company).where(Company.merged_into_id.is_(None))
    if f.q:
        stmt = stmt.where(sa.or_(company_text_contains(f.q), Company.credit_code == f.q.upper()))
    stmt = where_equals(stmt, Company.ownership, parse_enum(Ownership, f.ownership))
    if tag := parse_enum(CompanyTag, f.tag):
        stmt = stmt.where(sa.exists().where(CompanyTagRow.company_id == Company.id, CompanyTagRow.tag == tag))
    stmt = where_equals(stmt, Company.funding_source, parse_enum(FundingSource, f.funding_source))
    stmt = where_equals(stmt, Company.industry_category, parse_enum(IndustryCategory, f.industry_category))
    if f.chain_id:
        stmt = stmt.where(Company.chain_id == f.chain_id)
    if f.province:
        stmt = stmt.where(contains(Company.hq_province, f.province))
    if f.has_code == "1":
        stmt = stmt.where(Company.credit_code.is_not(None))
    elif f.has_code == "0":
        stmt = stmt.where(Company.credit_code.is_(None))
    return stmt


def company_list_query(f: CompanyFilters) -> sa.Select[Any]:
    """The filtered companies, sorted, with what the list shows of each."""
    return _filtered(f).options(selectinload(Company.tag_rows), selectinload(Company.chain)).order_by(SORTS[f.sort], Company.id)


def company_export_query(f: CompanyFilters) -> sa.Select[Any]:
    """The same companies in the same order, as the plain columns the export writes (the tags come per batch,
    ``tags_of``)."""
    return (
        _filtered(f)
        .with_only_columns(
            Company.id, Company.name, Company.short_name, Company.credit_code, Company.ownership, Company.hq_province,
            Company.hq_city, Company.funding_source, Company.industry_category, IndustryChain.name,
            Company.registered_capital, Company.website, maintain_column_froms=True,
        )
        .outerjoin(IndustryChain, IndustryChain.id == Company.chain_id)
        .order_by(SORTS[f.sort], Company.id)
    )


def tags_of(company_ids: list[int]) -> dict[int, list[CompanyTag]]:
    """The 企业标签 of these companies, in one query."""
    found: dict[int, list[CompanyTag]] = {}
    for company_id, tag in db.session.execute(
        sa.select(CompanyTagRow.company_id, CompanyTagRow.tag).where(CompanyTagRow.company_id.in_(company_ids)).order_by(CompanyTagRow.tag)
    ):
        found.setdefault(company_id, []).append(tag)
    return found


def following_units(company_id: int) -> list[tuple[str, Any]]:
    """Every unit the features answering ``company_followers`` name, since its earliest date there."""
    seen: dict[str, Any] = {}
    for _receiver, followers in company_followers.send(company_id):
        for unit_name, since in followers:
            if unit_name not in seen or (since and seen[unit_name] and since < seen[unit_name]):
                seen[unit_name] = since
    # By name on the same day: the receivers answer in no fixed order.
    return sorted(seen.items(), key=lambda item: (str(item[1] or ""), item[0]))


def merges_of(company_id: int) -> list[CompanyMerge]:
    return list(
        db.session.scalars(
            sa.select(CompanyMerge)
            .where(sa.or_(CompanyMerge.survivor_id == company_id, CompanyMerge.merged_id == company_id))
            .order_by(CompanyMerge.id.desc())
        )
    )


def open_groups() -> sa.Select[Any]:
    return (
        sa.select(DuplicateGroup)
        .where(DuplicateGroup.status == "open")
        .options(selectinload(DuplicateGroup.members).selectinload(DuplicateGroupMember.company))
        .order_by(DuplicateGroup.score.desc(), DuplicateGroup.id)
    )
