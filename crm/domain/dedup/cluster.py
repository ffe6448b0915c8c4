"""Grouping many company records into companies without comparing all pairs.

1. Every record gets its :class:`NameKey`; records whose keys say the same thing
   (字号, 行业, region, branch) share a *signature* and are scored once.
2. Signatures are filed under :func:`blocking_keys`.  Inside a block only pairs
   that *can* reach ``LIKELY_DUPLICATE`` are scored: the same 字号 pinyin with a
   compatible trade and region, or (for 字号 of three characters or more) a
   similar 字号 found with rapidfuzz's ``process.extract``.  The cost follows the number of
   plausible pairs, not the square of the block.
3. Must-links first: the same id, the same valid credit code.  Then the scored
   edges, best first, merge two groups only when nothing forbids it: two
   different valid credit codes, or any pair of their names whose trade, region
   or branch alone keeps them below the line (:func:`hard_conflict`).  So a short
   name like "海威" joins one of 海威纺织 / 海威电子, never bridges them.
4. A name that fits two such incompatible groups equally well (within
   ``AMBIGUITY_MARGIN``) joins neither: it is left for a person to decide.

Records with no usable name, and records the caller marks ``isolated`` (e.g. an
invalid credit code in the spreadsheet), stay in a group of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.process import extract

from crm.domain.dedup.credit_code import valid_or_none
from crm.domain.dedup.matcher import LIKELY_DUPLICATE, compare, hard_conflict
from crm.domain.dedup.normalise import NameKey, blocking_keys, name_key

Record = tuple[Hashable, str | None, str | None]

# how much better one group must fit than a conflicting other for a name to join it
AMBIGUITY_MARGIN = 1.0


class _Groups:
    """Union-find over records with, per group, its valid code and its signatures."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.code: dict[int, str] = {}
        self.sigs: dict[int, set[int]] = {}

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if rb in self.code:
            self.code.setdefault(ra, self.code.pop(rb))
        if rb in self.sigs:
            self.sigs.setdefault(ra, set()).update(self.sigs.pop(rb))
        return ra


# The most a name score can rise above its 字号 similarity (the same explicit region).
_BONUS = 2.0


def _plausible_pairs(members: Sequence[int], keys: Sequence[NameKey], threshold: float) -> Iterable[tuple[int, int]]:
    """Pairs of signatures in one block that may score ≥ ``threshold`` — all of them.

    A name score never exceeds the 字号 similarity + 2, so a pair can reach the
    threshold only when the 字号 sound the same, or are similar by ``fuzz.ratio``
    (written form; pinyin syllables when an English name is involved).
    """
    by_sound: dict[str, list[int]] = defaultdict(list)
    for s in members:
        by_sound[keys[s].brand_pinyin].append(s)
    # the same 字号 sound: compare across trade/region/branch classes that can still match
    for group in by_sound.values():
        if len(group) < 2:
            continue
        classes: dict[tuple[str, frozenset[str], frozenset[str], str], list[int]] = defaultdict(list)
        for s in group:
            k = keys[s]
            classes[(k.trade, k.region_codes, k.region_mentions, k.branch)].append(s)
        items = list(classes.values())
        for i, sa in enumerate(items):
            for x in range(len(sa)):
                for y in range(x + 1, len(sa)):
                    yield sa[x], sa[y]
            for sb in items[i + 1 :]:
                if hard_conflict(keys[sa[0]], keys[sb[0]], threshold):
                    continue
                for x in sa:
                    for y in sb:
                        yield x, y
    # different sounds: only 字号 that are similar as written (three characters or more can be)
    sounds = list(by_sound)
    if len(sounds) < 2:
        return
    reps = [keys[by_sound[p][0]] for p in sounds]
    cutoff = threshold - _BONUS
    seen: set[tuple[int, int]] = set()
    # a 字号 and the same 字号 with an unknown trade after it (鑫康 / 鑫康压缩机, matcher._tail_readings)
    index = {p: i for i, p in enumerate(sounds)}
    for i, k in enumerate(reps):
        syl = k.brand_syllables
        for cut in range(2, len(syl)):
            j = index.get("".join(syl[:cut]))
            if j is not None and j != i:
                seen.add((min(i, j), max(i, j)))
    chinese = [i for i, k in enumerate(reps) if not k.english and len(k.brand) >= 3]
    if len(chinese) >= 2:
        brands = [reps[i].brand for i in chinese]
        for r, query in enumerate(brands[:-1]):
            for _choice, _score, c in extract(query, brands[r + 1 :], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
                seen.add((chinese[r], chinese[r + 1 + c]))
    english = [i for i, k in enumerate(reps) if k.english]
    if english:
        sounds_all = [k.brand_syllables for k in reps]
        for a in english:
            for _choice, _score, b in extract(sounds_all[a], sounds_all, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
                if a != b:
                    seen.add((min(a, b), max(a, b)))
            # the same first two syllables and an unknown trade on either side ("Kaisan Tile" / 凯三瓷砖)
            for b, k in enumerate(reps):
                if b != a and k.brand_syllables[:2] == sounds_all[a][:2] and (len(k.brand_syllables) > 2 or len(sounds_all[a]) > 2):
                    seen.add((min(a, b), max(a, b)))
    for i, j in sorted(seen):
        for x in by_sound[sounds[i]]:
            for y in by_sound[sounds[j]]:
                yield x, y


def signature(key: NameKey) -> tuple:
    """What the score depends on: names with one signature score 100 against each other."""
    return (key.brand, key.trade, key.region_codes, key.region_mentions, key.branch, key.english)


def signature_edges(keys: Sequence[NameKey], threshold: float = LIKELY_DUPLICATE) -> dict[tuple[int, int], float]:
    """{(i, j): score} for every pair of distinct signatures scoring ≥ threshold, via blocking."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for s, key in enumerate(keys):
        for bk in blocking_keys(key):
            blocks[bk].append(s)
    first_key = [{bk for bk in blocking_keys(k) if bk.startswith("p2:")} for k in keys]
    edges: dict[tuple[int, int], float] = {}
    for bk, members in blocks.items():
        if len(members) < 2:
            continue
        secondary = not bk.startswith("p2:")
        for x, y in _plausible_pairs(members, keys, threshold):
            if secondary and first_key[x] & first_key[y]:
                continue  # this pair was already looked at in their shared p2 block
            pair = (x, y) if x < y else (y, x)
            if pair in edges:
                continue
            score = compare(keys[x], keys[y], cap=False)[0]
            if score >= threshold:
                edges[pair] = score
    return edges


def dedupe(
    records: Iterable[Record],
    *,
    isolated: Iterable[Hashable] = (),
    threshold: float = LIKELY_DUPLICATE,
) -> dict[Hashable, Hashable]:
    """Map every id to a group label (the first id of its group, in input order).

    ``records`` are (id, name, credit_code or None).  An id given several times
    (other names of one company) is one company.  Ids in ``isolated`` keep a
    group of their own whatever their name or code.
    """
    rows = list(records)
    alone = set(isolated)
    n = len(rows)
    groups = _Groups(n)

    sig_of: dict[tuple, int] = {}
    sig_keys: list[NameKey] = []
    sig_records: list[list[int]] = []
    first_of_id: dict[Hashable, int] = {}
    first_of_code: dict[str, int] = {}

    for i, (rid, name, code) in enumerate(rows):
        if rid in alone:
            first_of_id.setdefault(rid, i)
            continue
        if rid in first_of_id:
            groups.union(first_of_id[rid], i)
        else:
            first_of_id[rid] = i
        valid = valid_or_none(code)
        if valid:
            if valid in first_of_code:
                groups.union(first_of_code[valid], i)
            else:
                first_of_code[valid] = i
            root = groups.find(i)
            groups.code.setdefault(root, valid)
        key = name_key(name) if name else None
        if key is None or key.empty:
            continue
        sig = signature(key)
        s = sig_of.get(sig)
        if s is None:
            s = sig_of[sig] = len(sig_keys)
            sig_keys.append(key)
            sig_records.append([])
        sig_records[s].append(i)
        groups.sigs.setdefault(groups.find(i), set()).add(s)

    # -- scored edges between signatures --------------------------------------
    edges = signature_edges(sig_keys, threshold)
    for s, recs in enumerate(sig_records):
        if len(recs) > 1:
            # names that read the same are one company only when such a name says enough: a bare English
            # 字号 ("Yongxie Co., Ltd.") is only a sound, which many companies share
            score = compare(sig_keys[s], sig_keys[s], cap=False)[0]
            if score >= threshold:
                edges[(s, s)] = score

    # -- constrained merging, best edges first ----------------------------------
    conflict_cache: dict[tuple[int, int], bool] = {}

    def conflicting(a: int, b: int) -> bool:
        pair = (a, b) if a < b else (b, a)
        hit = conflict_cache.get(pair)
        if hit is None:
            hit = conflict_cache[pair] = a != b and hard_conflict(sig_keys[a], sig_keys[b], threshold)
        return hit

    def can_merge(ra: int, rb: int) -> bool:
        ca, cb = groups.code.get(ra), groups.code.get(rb)
        if ca and cb and ca != cb:
            return False
        sa, sb = groups.sigs.get(ra, ()), groups.sigs.get(rb, ())
        return not any(conflicting(x, y) for x in sa for y in sb)

    # a name that fits two groups that cannot be one company (海威纺织 with no region,
    # beside 东莞海威纺织 and 苏州海威纺织) joins neither unless one fits clearly better
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (x, y), score in edges.items():
        if x != y:
            neighbours[x].append((score, y))
            neighbours[y].append((score, x))
    for lst in neighbours.values():
        lst.sort(key=lambda e: (-e[0], e[1]))

    def roots(sig: int) -> list[int]:
        return sorted({groups.find(i) for i in sig_records[sig]})

    def ambiguous(sig: int, own: int, target: int, score: float) -> bool:
        for other_score, z in neighbours.get(sig, ()):
            if other_score < score - AMBIGUITY_MARGIN:
                break
            for rz in roots(z):
                if rz not in (own, target) and can_merge(rz, own) and not can_merge(rz, target):
                    return True
        return False

    for (x, y), score in sorted(edges.items(), key=lambda e: (-e[1], e[0])):
        for a in roots(x):
            for b in roots(y) if x != y else roots(x):
                ra, rb = groups.find(a), groups.find(b)
                if ra == rb or not can_merge(ra, rb):
                    continue
                if ambiguous(x, ra, rb, score) or ambiguous(y, rb, ra, score):
                    continue
                groups.union(ra, rb)

    labels: dict[Hashable, Hashable] = {}
    root_label: dict[int, Hashable] = {}
    for i, (rid, _name, _code) in enumerate(rows):
        if rid in labels:
            continue
        if rid in alone:
            labels[rid] = rid
            continue
        root = groups.find(i)
        labels[rid] = root_label.setdefault(root, rid)
    return labels
