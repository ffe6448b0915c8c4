from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.access.mixins import SharedMasterData
from crm.audit.mixins import Audited
from crm.catalog.models import IndustryChain
from crm.companies.signals import MOVE, mover, register_reference
from crm.db import Base, Timestamped, Versioned, enum_column, sorted_and_filtered_by, utcnow
from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, OtherNameKind, Ownership

Money = sa.Numeric(16, 2)  # 万元


class Company(SharedMasterData, Audited, Versioned, Timestamped, Base):
    """企业/客商. Shared by every unit; merged records stay (for undo) but point at their survivor."""

    __tablename__ = "companies"
    __audit_name__ = _l("企业")
    __audit_exclude__ = Audited.__audit_exclude__ | {"search_text"}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    short_name: Mapped[str | None] = mapped_column(sa.String(60))
    english_name: Mapped[str | None] = mapped_column(sa.String(200))
    credit_code: Mapped[str | None] = mapped_column(sa.String(18), unique=True)
    ownership: Mapped[Ownership | None] = mapped_column(enum_column(Ownership, "ownership"))
    hq_province: Mapped[str | None] = mapped_column(sa.String(20))
    hq_city: Mapped[str | None] = mapped_column(sa.String(30))
    funding_source: Mapped[FundingSource | None] = mapped_column(enum_column(FundingSource, "funding_source"))
    industry_category: Mapped[IndustryCategory | None] = mapped_column(enum_column(IndustryCategory, "industry_category"))
    chain_id: Mapped[int | None] = mapped_column(sa.ForeignKey("industry_chains.id", ondelete="RESTRICT"), index=True)
    registered_capital: Mapped[Decimal | None] = mapped_column(Money)  # 万元
    website: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # All names, their pinyin and initials, lower-cased: what the list's search box matches.
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    chain: Mapped[IndustryChain | None] = relationship()
    tag_rows: Mapped[list[CompanyTagRow]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyTagRow.tag"
    )
    other_names: Mapped[list[CompanyName]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyName.id"
    )
    contacts: Mapped[list[Contact]] = relationship(back_populates="company", order_by="Contact.id")

    @property
    def tags(self) -> list[CompanyTag]:
        return [row.tag for row in self.tag_rows]

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def all_names(self) -> list[str]:
        names = [self.name] + [n.name for n in self.other_names]
        names += [n for n in (self.short_name, self.english_name) if n]
        return list(dict.fromkeys(names))

    def __str__(self) -> str:
        return self.name


# The list's sorts and filters (tests/test_list_indexes.py).
sorted_and_filtered_by(Company.updated_at, Company.created_at, Company.registered_capital, Company.ownership, Company.funding_source, Company.industry_category)


class CompanyTagRow(Base):
    """企业标签 (multi-valued), one row per tag so lists can filter with an index."""

    __tablename__ = "company_tags"

    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[CompanyTag] = mapped_column(enum_column(CompanyTag, "company_tag"), primary_key=True)

    company: Mapped[Company] = relationship(back_populates="tag_rows")


sorted_and_filtered_by(CompanyTagRow.tag)  # the list's 企业标签 filter (the primary key leads with the company)


class CompanyName(SharedMasterData, Audited, Base):
    """Other names of a company: 曾用名, other spellings, and the names of companies merged into it."""

    __tablename__ = "company_names"
    __audit_name__ = _l("企业其他名称")
    __audit_exclude__ = frozenset({"created_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OtherNameKind] = mapped_column(enum_column(OtherNameKind, "other_name_kind"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    company: Mapped[Company] = relationship(back_populates="other_names")

    def __str__(self) -> str:
        return self.name


class CompanyNameKey(Base):
    """Blocking keys of every name of a company: the small candidate set a new name is compared with."""

    __tablename__ = "company_name_keys"

    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True, index=True)


class Contact(SharedMasterData, Audited, Versioned, Timestamped, Base):
    """联系人 of a company; several per company."""

    __tablename__ = "contacts"
    __audit_name__ = _l("联系人")

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    title: Mapped[str | None] = mapped_column(sa.String(60))  # 职务
    phones: Mapped[str | None] = mapped_column(sa.String(120))  # one or more, separated by commas
    email: Mapped[str | None] = mapped_column(sa.String(120))
    wechat: Mapped[str | None] = mapped_column(sa.String(60))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    company: Mapped[Company] = relationship(back_populates="contacts")

    def __str__(self) -> str:
        return self.name


class DistinctPair(Base):
    """A remembered decision that two similar companies are different ("这是另一家企业")."""

    __tablename__ = "company_distinct_pairs"
    __table_args__ = (sa.CheckConstraint("low_id < high_id", name="ordered"),)

    low_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    high_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def ordered(a: int, b: int) -> tuple[int, int]:
        return (a, b) if a < b else (b, a)


class DuplicateGroup(Base):
    """A candidate group in the duplicate-review queue."""

    __tablename__ = "duplicate_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)  # open / merged / dismissed
    score: Mapped[float] = mapped_column(sa.Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # "new since your last visit"
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    members: Mapped[list[DuplicateGroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="DuplicateGroupMember.company_id"
    )


class DuplicateGroupMember(Base):
    __tablename__ = "duplicate_group_members"

    group_id: Mapped[int] = mapped_column(sa.ForeignKey("duplicate_groups.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)

    group: Mapped[DuplicateGroup] = relationship(back_populates="members")
    company: Mapped[Company] = relationship()


class DuplicateQueueVisit(Base):
    """When a reviewer last looked at the duplicate queue, so that it can say what is new since.

    ``seen_at`` is the latest page view; ``baseline`` the end of the visit before, which the page
    compares groups' ``created_at`` with (views of one visit — paging, reloads — share a baseline).
    """

    __tablename__ = "duplicate_queue_visits"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    baseline: Mapped[datetime | None]


class CompanyMerge(Base):
    """One merge, with what is needed to undo it: the survivor's old values and every moved reference."""

    __tablename__ = "company_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    merged_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="RESTRICT"), index=True)
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # {"survivor_before": {...}, "merged_before": {...}, "moved": {"table.column": [ids]}, "added_names": [ids]}
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


# How the companies feature's own foreign keys to companies behave in a merge (crm.companies.signals).
mover(Contact.__table__, "company_id")
# Moved by merge_companies itself (it also turns names into other names of the survivor).
register_reference("company_names.company_id", MOVE)
register_reference("company_tags.company_id", "kept: the survivor takes the union of both companies' tags")
register_reference("company_name_keys.company_id", "kept: rebuilt from the survivor's names after the merge")
register_reference("companies.merged_into_id", "kept: this is the pointer from a merged company to its survivor")
register_reference("company_distinct_pairs.low_id", "kept: decisions about the merged record stay with it")
register_reference("company_distinct_pairs.high_id", "kept: decisions about the merged record stay with it")
register_reference("duplicate_group_members.company_id", "kept: the review queue's history")
register_reference("company_merges.survivor_id", "kept: the merge log itself")
register_reference("company_merges.merged_id", "kept: the merge log itself")
