"""Merging two company records into one, and undoing it within 30 days.

The reviewer picks the survivor and, field by field, whose value survives.
Every reference to the merged company moves to the survivor through the
``company_merged`` signal; the merged company's names become other names of
the survivor. The merged row stays (pointing at the survivor) so that the
merge can be undone exactly.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.companies.duplicates import queue_pair
from crm.companies.models import Company, CompanyMerge, CompanyName, CompanyNameKey, CompanyTagRow
from crm.companies.services import refresh_derived
from crm.companies.signals import company_merged, merge_undone, move_back, move_references
from crm.db import utcnow
from crm.domain.access import Actor
from crm.domain.companies import MERGEABLE_FIELDS, CompanyTag, FundingSource, IndustryCategory, OtherNameKind, Ownership
from crm.domain.dedup.credit_code import is_valid_credit_code
from crm.errors import FieldError
from crm.extensions import db

UNDO_DAYS = 30
SURVIVOR, MERGED = "survivor", "merged"
_ENUMS = {"ownership": Ownership, "funding_source": FundingSource, "industry_category": IndustryCategory}


class MergeError(FieldError):
    pass


def _dump(company: Company) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in MERGEABLE_FIELDS:
        value = getattr(company, name)
        if hasattr(value, "value"):
            value = value.value
        elif isinstance(value, Decimal):
            value = str(value)
        values[name] = value
    values["tags"] = [t.value for t in company.tags]
    return values


def _load(company: Company, values: dict[str, Any]) -> None:
    for name in MERGEABLE_FIELDS:
        value = values.get(name)
        if value is not None and name in _ENUMS:
            value = _ENUMS[name](value)
        elif value is not None and name == "registered_capital":
            value = Decimal(value)
        setattr(company, name, value)
    company.tag_rows = [CompanyTagRow(tag=CompanyTag(t)) for t in values.get("tags", [])]


def merge_companies(actor: Actor, survivor: Company, merged: Company, choices: dict[str, str]) -> CompanyMerge:
    """Merge ``merged`` into ``survivor``; ``choices`` maps a field to SURVIVOR or MERGED."""
    if survivor.id == merged.id:
        raise MergeError("survivor", _("不能把企业与自己合并"))
    if survivor.is_merged or merged.is_merged:
        raise MergeError("survivor", _("其中一家企业已被合并，请刷新后重试"))
    codes = (survivor.credit_code, merged.credit_code)
    if all(codes) and codes[0] != codes[1] and all(is_valid_credit_code(c) for c in codes):
        raise MergeError("credit_code", _("两家企业的统一社会信用代码不同，不是同一家企业，不能合并"))

    survivor_before, merged_before = _dump(survivor), _dump(merged)
    old_survivor_name = survivor.name
    chosen = {f: merged_before[f] if choices.get(f) == MERGED else survivor_before[f] for f in MERGEABLE_FIELDS}
    if chosen["credit_code"] and chosen["credit_code"] == merged.credit_code:
        merged.credit_code = None  # the code moves to the survivor; unique, so free it first
        db.session.flush()
    _load(survivor, {**chosen, "tags": list(dict.fromkeys(survivor_before["tags"] + merged_before["tags"]))})

    # The merged company's own other names move over; its names become names of the survivor.
    # Asked of the database, not of the loaded collection, which may predate other changes in this session.
    moved_names = move_references(CompanyName.__table__, "company_id", survivor.id, merged.id)
    db.session.expire(survivor, ["other_names"])
    taken = {survivor.name, *(n.name for n in survivor.other_names)}
    added = []
    for name in dict.fromkeys([merged.name, merged.short_name, old_survivor_name]):
        if name and name not in taken:
            row = CompanyName(company_id=survivor.id, name=name, kind=OtherNameKind.MERGED)
            db.session.add(row)
            added.append(row)
            taken.add(name)
    db.session.flush()

    moved: dict[str, list[int]] = {"company_names.company_id": moved_names}
    for _receiver, result in company_merged.send(survivor, survivor_id=survivor.id, merged_id=merged.id):
        moved.update(result or {})
    merged.merged_into_id = survivor.id
    db.session.execute(sa.delete(CompanyNameKey).where(CompanyNameKey.company_id == merged.id))
    db.session.flush()
    db.session.expire(survivor, ["other_names", "contacts"])
    refresh_derived(survivor)
    record = CompanyMerge(
        survivor_id=survivor.id,
        merged_id=merged.id,
        merged_by_id=actor.user_id,
        snapshot={
            "survivor_before": survivor_before,
            "merged_before": merged_before,
            "moved": moved,
            "added_names": [row.id for row in added],
        },
    )
    db.session.add(record)
    db.session.flush()
    return record


def can_undo(merge: CompanyMerge) -> bool:
    return merge.undone_at is None and utcnow() - merge.merged_at <= timedelta(days=UNDO_DAYS)


def undo_merge(actor: Actor, merge: CompanyMerge) -> None:
    """Put both companies and every moved reference back as they were before the merge."""
    if merge.undone_at is not None:
        raise MergeError("merge", _("该合并已撤销"))
    if not can_undo(merge):
        raise MergeError("merge", _("合并已超过 %(days)d 天，不能撤销", days=UNDO_DAYS))
    survivor = db.session.get(Company, merge.survivor_id)
    merged = db.session.get(Company, merge.merged_id)
    assert survivor is not None and merged is not None
    if survivor.is_merged:
        raise MergeError("merge", _("保留的企业后来又被合并，请先撤销那次合并"))
    snapshot = merge.snapshot
    moved = snapshot["moved"]
    merge_undone.send(survivor, survivor_id=survivor.id, merged_id=merged.id, moved=moved)
    move_back(CompanyName.__table__, "company_id", survivor.id, merged.id, moved.get("company_names.company_id", []))
    if snapshot["added_names"]:
        db.session.execute(sa.delete(CompanyName).where(CompanyName.id.in_(snapshot["added_names"])))
    if survivor.credit_code and survivor.credit_code == snapshot["merged_before"]["credit_code"]:
        survivor.credit_code = None
        db.session.flush()
    _load(survivor, snapshot["survivor_before"])
    merged.credit_code = snapshot["merged_before"]["credit_code"]
    merged.merged_into_id = None
    merge.undone_at = utcnow()
    merge.undone_by_id = actor.user_id
    db.session.flush()
    db.session.expire(survivor, ["other_names", "contacts"])
    db.session.expire(merged, ["other_names", "contacts"])
    refresh_derived(survivor)
    refresh_derived(merged)
    # The pair was judged alike once and is no longer merged: it waits in the review queue again, for a merge
    # done right or for 不是同一家.
    queue_pair(survivor, merged)
    db.session.flush()
