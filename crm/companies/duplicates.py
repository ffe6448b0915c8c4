"""Finding likely duplicates of a company in the database.

Candidates come from the blocking keys stored in ``company_name_keys`` (the
same ``blocking_keys`` the in-memory index uses), so a check looks at a few
dozen rows, not the whole table; each candidate is then judged by the pure
matcher in ``crm.domain.dedup``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from itertools import combinations

import sqlalchemy as sa

from crm.companies.models import Company, CompanyName, CompanyNameKey, DistinctPair, DuplicateGroup, DuplicateGroupMember
from crm.domain.dedup.cluster import dedupe
from crm.domain.dedup.credit_code import is_valid_credit_code
from crm.domain.dedup.matcher import LIKELY_DUPLICATE, judge
from crm.domain.dedup.normalise import blocking_keys, name_key
from crm.db import utcnow
from crm.extensions import db

CANDIDATE_LIMIT = 60


@dataclass(frozen=True)
class Likely:
    company: Company
    score: float
    matched_name: str
    same_code: bool


def keys_for(names: list[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        if name and name.strip():
            keys |= blocking_keys(name_key(name))
    return keys


def _candidate_ids(names: list[str]) -> list[int]:
    keys = keys_for(names)
    if not keys:
        return []
    stmt = (
        sa.select(CompanyNameKey.company_id)
        .where(CompanyNameKey.key.in_(sorted(keys)))
        .group_by(CompanyNameKey.company_id)
        .order_by(sa.func.count().desc(), CompanyNameKey.company_id)
        .limit(CANDIDATE_LIMIT)
    )
    return list(db.session.scalars(stmt))


def distinct_from(company_id: int | None) -> set[int]:
    """Companies already declared different from this one."""
    if company_id is None:
        return set()
    rows = db.session.execute(
        sa.select(DistinctPair.low_id, DistinctPair.high_id).where(
            sa.or_(DistinctPair.low_id == company_id, DistinctPair.high_id == company_id)
        )
    )
    return {low if high == company_id else high for low, high in rows}


def company_with_code(code: str, exclude_id: int | None = None) -> Company | None:
    stmt = sa.select(Company).where(Company.credit_code == code)
    if exclude_id is not None:
        stmt = stmt.where(Company.id != exclude_id)
    return db.session.scalars(stmt).first()


def _best_match(names: list[str], credit_code: str | None, company: Company) -> tuple[float, str] | None:
    """The best (score, matched name) over every pair of names; None when the codes prove them different."""
    best: tuple[float, str] | None = None
    for theirs in company.all_names():
        for ours in names:
            score = judge(ours, credit_code, theirs, company.credit_code)
            if score is None:
                return None
            if best is None or score > best[0]:
                best = (score, theirs)
    return best


def likely_duplicates(names: list[str], credit_code: str | None, exclude_id: int | None = None, limit: int = 8) -> list[Likely]:
    """Existing (not merged) companies that are probably the same as the one described, best first."""
    names = [n for n in names if n and n.strip()]
    ids = set(_candidate_ids(names))
    if credit_code and is_valid_credit_code(credit_code):
        same = company_with_code(credit_code, exclude_id)
        if same is not None:
            ids.add(same.id)
    ids -= {exclude_id} | distinct_from(exclude_id)
    if not ids:
        return []
    companies = db.session.scalars(
        sa.select(Company).where(Company.id.in_(ids), Company.merged_into_id.is_(None))
    ).unique().all()
    found: list[Likely] = []
    for company in companies:
        best = _best_match(names, credit_code, company)
        if best is not None and best[0] >= LIKELY_DUPLICATE:
            same_code = bool(credit_code) and company.credit_code == credit_code
            found.append(Likely(company, round(best[0], 1), best[1], same_code))
    found.sort(key=lambda likely: (-likely.score, likely.company.id))
    return found[:limit]


def remember_distinct(company_id: int, other_ids: set[int], user_id: int | None) -> None:
    existing = distinct_from(company_id)
    for other in sorted(other_ids - existing - {company_id}):
        low, high = DistinctPair.ordered(company_id, other)
        db.session.add(DistinctPair(low_id=low, high_id=high, decided_by_id=user_id))


# --- the review queue ------------------------------------------------------------
def _open_member_sets() -> set[frozenset[int]]:
    rows = db.session.execute(
        sa.select(DuplicateGroupMember.group_id, DuplicateGroupMember.company_id)
        .join(DuplicateGroup)
        .where(DuplicateGroup.status == "open")
    )
    groups: dict[int, set[int]] = {}
    for group_id, company_id in rows:
        groups.setdefault(group_id, set()).add(company_id)
    return {frozenset(members) for members in groups.values()}


def _split_by_decisions(members: list[int], distinct: set[tuple[int, int]]) -> list[list[int]]:
    """Within a cluster, companies declared different must not end up in one group."""
    parent = {m: m for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in combinations(sorted(members), 2):
        if (a, b) not in distinct:
            parent[find(a)] = find(b)
    parts: dict[int, list[int]] = {}
    for m in members:
        parts.setdefault(find(m), []).append(m)
    return [sorted(p) for p in parts.values() if len(p) > 1]


def find_duplicate_groups() -> int:
    """Cluster every live company; queue each new group of two or more. Returns how many were queued."""
    live = db.session.execute(
        sa.select(Company.id, Company.name, Company.credit_code).where(Company.merged_into_id.is_(None))
    ).all()
    others = db.session.execute(
        sa.select(CompanyName.company_id, CompanyName.name).join(Company).where(Company.merged_into_id.is_(None))
    ).all()
    codes = {cid: code for cid, _, code in live}
    records = [((cid, 0), name, code) for cid, name, code in live]
    records += [((cid, i + 1), name, codes.get(cid)) for i, (cid, name) in enumerate(others)]
    labels = dedupe(records)
    clusters: dict[object, set[int]] = {}
    for (cid, _), group in labels.items():
        clusters.setdefault(group, set()).add(cid)
    distinct = {(low, high) for low, high in db.session.execute(sa.select(DistinctPair.low_id, DistinctPair.high_id))}
    existing = _open_member_sets()
    names = {cid: name for cid, name, _ in live}
    queued = 0
    for members in clusters.values():
        for part in _split_by_decisions(sorted(members), distinct):
            if frozenset(part) in existing:
                continue
            scores = [judge(names[a], codes[a], names[b], codes[b]) or 0.0 for a, b in combinations(part, 2)]
            group = DuplicateGroup(score=round(max(scores), 1), status="open")
            group.members = [DuplicateGroupMember(company_id=cid) for cid in part]
            db.session.add(group)
            queued += 1
    db.session.flush()
    return queued


def queue_pair(first: Company, second: Company) -> DuplicateGroup:
    """An open group holding exactly these two, reusing one that exists."""
    wanted = frozenset({first.id, second.id})
    for group in db.session.scalars(sa.select(DuplicateGroup).where(DuplicateGroup.status == "open")):
        if frozenset(m.company_id for m in group.members) == wanted:
            return group
    score = judge(first.name, first.credit_code, second.name, second.credit_code) or 0.0
    group = DuplicateGroup(score=round(score, 1), status="open")
    group.members = [DuplicateGroupMember(company_id=cid) for cid in sorted(wanted)]
    db.session.add(group)
    db.session.flush()
    return group


def resolve_group(group: DuplicateGroup, status: str, actor: Any) -> None:
    group.status = status
    group.resolved_at = utcnow()
    group.resolved_by_id = actor.user_id
    db.session.flush()
