"""Finding likely duplicates of a company in the database.

Candidates come from the blocking keys stored in ``company_name_keys`` (the
same ``blocking_keys`` the in-memory index uses), so a check looks at a few
dozen rows, not the whole table; each candidate is then judged by the pure
matcher in ``crm.domain.dedup``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from itertools import combinations

import sqlalchemy as sa

from crm.companies.models import (
    Company,
    CompanyName,
    CompanyNameKey,
    DistinctPair,
    DuplicateGroup,
    DuplicateGroupMember,
    DuplicateQueueVisit,
)
from crm.domain.dedup.cluster import dedupe
from crm.domain.dedup.credit_code import is_valid_credit_code
from crm.domain.dedup.matcher import LIKELY_DUPLICATE, judge
from crm.domain.dedup.normalise import blocking_keys, name_key
from crm.db import utcnow
from crm.extensions import db

CANDIDATE_CAP = 2000


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


def _candidate_names(names: list[str]) -> list[tuple[int, str, str | None]]:
    """(company id, one of its names, its credit code) for every live company sharing a blocking key.

    Every name in the block is judged, like the in-memory index does; only the
    block's size is capped, against a pathological key shared by thousands.
    """
    keys = sorted(keys_for(names))
    if not keys:
        return []
    in_block = (
        sa.select(CompanyNameKey.company_id).where(CompanyNameKey.key.in_(keys)).distinct().limit(CANDIDATE_CAP).scalar_subquery()
    )
    live = sa.and_(Company.id.in_(in_block), Company.merged_into_id.is_(None))
    rows: list[tuple[int, str, str | None]] = []
    for cid, name, short, english, code in db.session.execute(
        sa.select(Company.id, Company.name, Company.short_name, Company.english_name, Company.credit_code).where(live)
    ):
        rows += [(cid, n, code) for n in (name, short, english) if n]
    rows += [
        (cid, name, code)
        for cid, name, code in db.session.execute(
            sa.select(CompanyName.company_id, CompanyName.name, Company.credit_code).join(Company).where(live)
        )
    ]
    return rows


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


def likely_duplicates(names: list[str], credit_code: str | None, exclude_id: int | None = None, limit: int = 8) -> list[Likely]:
    """Existing (not merged) companies that are probably the same as the one described, best first."""
    names = [n for n in names if n and n.strip()]
    skip = {exclude_id} | distinct_from(exclude_id)
    best: dict[int, tuple[float, str]] = {}
    ruled_out: set[int] = set()
    for cid, theirs, their_code in _candidate_names(names):
        if cid in skip or cid in ruled_out:
            continue
        for ours in names:
            score = judge(ours, credit_code, theirs, their_code)
            if score is None:  # two different valid codes: never the same company
                ruled_out.add(cid)
                best.pop(cid, None)
                break
            if cid not in best or score > best[cid][0]:
                best[cid] = (score, theirs)
    if credit_code and is_valid_credit_code(credit_code):
        same = company_with_code(credit_code, exclude_id)
        if same is not None and same.merged_into_id is None and same.id not in skip:
            best[same.id] = (100.0, same.name)
    ranked = sorted(((s, cid, n) for cid, (s, n) in best.items() if s >= LIKELY_DUPLICATE), key=lambda t: (-t[0], t[1]))[:limit]
    if not ranked:
        return []
    companies = {c.id: c for c in db.session.scalars(sa.select(Company).where(Company.id.in_([cid for _, cid, _ in ranked])))}
    return [
        Likely(companies[cid], round(score, 1), name, bool(credit_code) and companies[cid].credit_code == credit_code)
        for score, cid, name in ranked
    ]


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


# --- what is new since a reviewer's last visit ---------------------------------------------
# Views closer together than this are one visit (paging through the queue, a reload after a review):
# they keep showing the same groups as new.
VISIT_GAP = timedelta(minutes=30)


def visit_queue(user_id: int, now: datetime | None = None) -> datetime | None:
    """Record a view of the queue; return the baseline — groups created after it are new to this
    reviewer (None: a first visit, when every open group is new)."""
    now = now or utcnow()
    visit = db.session.get(DuplicateQueueVisit, user_id)
    if visit is None:
        db.session.add(DuplicateQueueVisit(user_id=user_id, seen_at=now, baseline=None))
        db.session.flush()
        return None
    if now - visit.seen_at > VISIT_GAP:  # a new visit: what the last one saw is no longer new
        visit.baseline = visit.seen_at
    visit.seen_at = now
    db.session.flush()
    return visit.baseline


def new_group_count(since: datetime | None) -> int:
    """Open groups found after ``since`` (all open groups when None)."""
    stmt = sa.select(sa.func.count()).select_from(DuplicateGroup).where(DuplicateGroup.status == "open")
    if since is not None:
        stmt = stmt.where(DuplicateGroup.created_at > since)
    return db.session.scalar(stmt) or 0
