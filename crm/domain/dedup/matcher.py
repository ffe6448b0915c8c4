"""Are two company records the same company?

Evidence, strongest first:

1. 统一社会信用代码: the same valid code means the same company (score 100,
   reason "credit_code"); two *different* valid codes never do (``judge`` returns
   None).  An invalid code is no evidence at all.
2. The name: the 字号 (brand) compared exactly, then by toneless pinyin (海威/海伟,
   惠隆/惠龙, 春荣/春容 are typed with the same keys), then with rapidfuzz's
   ``fuzz.ratio``; then the score is lowered by what the rest of the name says:

   ==============================  =====================================================
   行业 (trade)                     same 0; one contains the other (科技 ⊂ 生物科技) −18;
                                    one side has none (海威 vs 海威纺织) −6; one side only
                                    generic words (实业, 科技, 贸易 …) −20; different
                                    specific trades (纺织 vs 电子) → at most 50
   行政区划 (region)                same +2; one side has none 0; one inside the other
                                    (鲁山县 ⊂ 平顶山市, both explicit: two registrations)
                                    −16; different (东莞 vs 苏州) −30
   homophone only                   a 字号 that only sounds the same, with no trade on one
                                    side and no shared region: −6 more (too little)
   分支机构 (branch)                a branch and its parent, or two different branches,
                                    are different companies → at most 40
   ==============================  =====================================================

``LIKELY_DUPLICATE`` (85) is the line above which the UI warns and the dedupe
merges: an exact or homophone 字号 with compatible trade and region passes; a
different trade, a conflicting region, or a 字号 that differs by a character
that does not sound the same does not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from crm.domain.dedup.credit_code import valid_or_none
from crm.domain.dedup.glosses import agreement
from crm.domain.dedup.normalise import UNKNOWN_ENGLISH, NameKey, blocking_keys, name_key, split_trade
from crm.domain.dedup.regions import REGIONS, relation
from crm.domain.dedup.vocabulary import GENERIC_TRADES, TRADE_SYNONYMS

LIKELY_DUPLICATE: float = 85.0

TRADE_PENALTY = {"same": 0.0, "unknown": 6.0, "compatible": 18.0, "generic": 20.0}
TRADE_DIFFERENT_CAP = 50.0
REGION_PENALTY = {"same": -2.0, "unknown": 0.0, "nested": 16.0, "conflict": 30.0}
BRANCH_CAP = 40.0
HOMOPHONE = 95.0
UNCORROBORATED_HOMOPHONE = 6.0
UNTRANSLATED = 10.0  # an English trade word the vocabulary lacks against an unknown Chinese trade
# the same, but what is known of the English trade is found in the Chinese one ("Frozen Foods" /
# 速冻食品: 食品 on both sides; "Lithium Battery" / 锂电: 电池 shares 电): part of the trade agrees
UNTRANSLATED_CORROBORATED = 6.0
# the same, and a general English word list names the Chinese trade (tile → 瓷砖, relay → 继电器; glosses.py)
UNTRANSLATED_GLOSSED = 2.0


@dataclass(frozen=True)
class Match:
    id: object
    score: float
    reason: str  # "credit_code" | "name" | "pinyin"


@lru_cache(maxsize=50_000)
def _specific(trade: str) -> frozenset[str]:
    return frozenset(w for w in split_trade(trade) if w not in GENERIC_TRADES)


@lru_cache(maxsize=50_000)
def _canonical_trade(trade: str) -> str:
    """Synonymous trade words made one (技术 = 科技, 商贸 = 贸易, 服装 = 服饰 …)."""
    return "".join(dict.fromkeys(TRADE_SYNONYMS.get(w, w) for w in split_trade(trade)))


def _same_specific(a: str, b: str) -> bool:
    """The same specific trade words, the generic ones (实业, 科技 …) aside."""
    sa = _specific(_canonical_trade(a))
    return bool(sa) and sa == _specific(_canonical_trade(b))


def trade_relation(a: str, b: str) -> str:
    """'same', 'compatible', 'unknown' (a side has none), 'generic' or 'different'."""
    if not a or not b:  # one name (or both) says nothing about its trade
        return "unknown"
    if a == b:
        return "same"
    if a in b or b in a:
        return "compatible"
    a, b = _canonical_trade(a), _canonical_trade(b)
    if a == b:
        return "same"
    sa, sb = _specific(a), _specific(b)
    if not sa or not sb:
        return "generic"
    if sa & sb:
        return "compatible"
    for x in sa:  # 起重机械 / 机械设备 … share a specific word inside
        for y in sb:
            if x in y or y in x:
                return "compatible"
    return "different"


@lru_cache(maxsize=20_000)
def _branch_key(label: str) -> str:
    """Branch labels compared without region suffixes: 东莞分公司 = 东莞市分公司."""
    if not label:
        return ""
    for length in range(min(REGIONS.max_len, len(label)), 1, -1):
        codes = REGIONS.full.get(label[:length]) or REGIONS.short.get(label[:length])
        if codes:
            return ",".join(sorted(codes)) + "|" + label[length:]
    return label


def region_relation(a: NameKey, b: NameKey) -> str:
    return relation(a.region_codes, b.region_codes, None, a.region_mentions, b.region_mentions)


def brand_similarity(a: NameKey, b: NameKey) -> tuple[float, str]:
    if a.brand == b.brand and not (a.english or b.english):
        return 100.0, "name"
    # An English 字号 is a sound: "Yongxie" is 勇谐, 永谐 and 永协 alike. Two English names with one sound
    # agree as a homophone does, never as the same characters.
    if a.brand_pinyin and a.brand_pinyin == b.brand_pinyin:
        return HOMOPHONE, "pinyin"
    if a.english or b.english:  # compare syllables: "shengjin" vs "shengxin" is one of two
        return float(fuzz.ratio(a.brand_syllables, b.brand_syllables)), "pinyin"
    return float(fuzz.ratio(a.brand, b.brand)), "name"


def _context_score(a: NameKey, b: NameKey, score: float, homophone: bool = False) -> float:
    """``score`` (the 字号 similarity) lowered by what trade, region and branch say."""
    return _context(a, b, a.trade, b.trade, score, homophone)


def _context(a: NameKey, b: NameKey, trade_a: str, trade_b: str, score: float, homophone: bool) -> float:
    """:func:`_context_score` with the two names' trades as given (a tail reading's)."""
    tr = trade_relation(trade_a, trade_b)
    if tr == "compatible" and (a.english or b.english) and _same_specific(trade_a, trade_b):
        # an English name drops or adds "Industrial" at will: 针织实业 ~ Knitting, 针织 ~ Knitting Industrial
        tr = "same"
    if tr == "different":
        score = min(score, TRADE_DIFFERENT_CAP)
    else:
        score -= TRADE_PENALTY[tr]
    rr = region_relation(a, b)
    score -= REGION_PENALTY[rr]
    if homophone and tr == "unknown" and rr != "same":
        score -= UNCORROBORATED_HOMOPHONE  # "和馨" vs "河新": a sound alone is too little
    if a.branch != b.branch and _branch_key(a.branch) != _branch_key(b.branch):
        score = min(score, BRANCH_CAP)
    return max(0.0, score)  # above 100 only by the shared-region bonus; compare() caps


# -- unknown trades ---------------------------------------------------------------
# A trade the vocabulary does not know (压缩机, 传感器) stays inside the 字号: 鑫康压缩机 has the 字号
# "鑫康压缩机".  Where two names' 字号 begin with the same sound, the rest of each (what is left
# after region, legal form and known words) is read as its unknown trade: 鑫康压缩机 and 鑫康
# (鑫康公司) are 鑫康 with the trade 压缩机 and with none; 创宇胶带 and 创羽胶带 are one 字号 with the
# same trade.  Such a tail must be two characters or more, or stand before a known trade word
# (速冻 in 速冻食品), so that 海威达 is still another 字号 than 海威.


def _splittable(key: NameKey) -> bool:
    """Can the 字号 be cut by syllable?  (One syllable per character, or pinyin.)"""
    return key.english or len(key.brand_syllables) == len(key.brand)


def _tail(key: NameKey, cut: int, other_tail: bool = False) -> tuple[str, str] | None:
    """(text, pinyin) of the 字号 after ``cut`` syllables, or None when it cannot be a trade.

    One syllable is too little ("海威达" is another 字号 than "海威") — except an English word of its
    own after the 字号 ("Fu Cheng Fan": an English trade word that happens to be pinyin) where
    the other name has an unknown trade of its own there (富诚风机), ``other_tail``."""
    rest = key.brand_syllables[cut:]
    if rest and len(rest) < 2 and not key.trade and not (other_tail and key.english and _own_word(key, rest)):
        return None
    pinyin = "".join(rest)
    if key.english:
        return (UNKNOWN_ENGLISH + pinyin if pinyin else ""), pinyin
    return key.brand[cut:], pinyin


def _own_word(key: NameKey, rest: tuple[str, ...]) -> bool:
    """Is ``rest`` (the end of an English 字号) written as a word of its own?"""
    words = key.normalised.split()
    return "".join(rest) in words and "".join(key.brand_syllables[: -len(rest)]) != ""


def _unknown_words(trade: str) -> tuple[str, ...]:
    """The English words of a trade the vocabulary lacks ("~red~dates" → red, dates)."""
    return tuple(w for w in re.findall(r"~([a-z]+)", trade))


def _known(trade: str) -> str:
    return "".join(w for w in split_trade(trade) if not w.startswith(UNKNOWN_ENGLISH))


def _tail_readings(a: NameKey, b: NameKey) -> Iterator[tuple[str, str, float, bool]]:
    """(trade of a, trade of b, 字号 score, untranslated penalty) for each cut of two 字号 that begin alike
    into 字号 + tail (the tail joins the trade)."""
    sa, sb = a.brand_syllables, b.brand_syllables
    if len(sa) < 2 or len(sb) < 2 or sa[:2] != sb[:2] or (len(sa) == 2 and len(sb) == 2):
        return
    if not (_splittable(a) and _splittable(b)):
        return
    common = 2
    while common < len(sa) and common < len(sb) and sa[common] == sb[common]:
        common += 1
    for cut in range(common, 1, -1):
        ta, tb = _tail(a, cut, len(sb) - cut >= 2), _tail(b, cut, len(sa) - cut >= 2)
        if ta is None or tb is None or not (ta[0] or tb[0]):
            continue
        one_word_tail = (a.english and not a.trade and len(sa) - cut == 1) or (b.english and not b.trade and len(sb) - cut == 1)
        (text_a, py_a), (text_b, py_b) = ta, tb
        if py_a and py_a == py_b:  # a homophone typing error in the trade; "Baijiu" is 白酒 in pinyin
            text_a = text_b = text_b if a.english else text_a
        trade_a, trade_b = text_a + a.trade, text_b + b.trade
        untranslated = 0.0
        if a.english != b.english:
            en, cn = (trade_a, text_b) if a.english else (trade_b, text_a)
            # an English trade word the vocabulary lacks, against a Chinese one it lacks too: they
            # cannot be compared; only what is known of the trades is
            if UNKNOWN_ENGLISH in en and cn:
                known_a = _known(trade_a) if a.english else a.trade
                known_b = _known(trade_b) if b.english else b.trade
                known_en, cn_all = (known_a, text_b + b.trade) if a.english else (known_b, text_a + a.trade)
                said = agreement(_unknown_words(en), cn)
                if one_word_tail and not said:
                    continue  # "Fu Cheng Fan": a pinyin word is a trade only where the word list says so
                if said == 2:
                    untranslated = UNTRANSLATED_GLOSSED
                elif said or known_en and set(known_en) & set(cn_all):
                    untranslated = UNTRANSLATED_CORROBORATED
                else:
                    untranslated = UNTRANSLATED
                trade_a, trade_b = (known_a, known_b) if known_a and known_b else ("?", "?")
        same = a.brand[:cut] == b.brand[:cut] and not (a.english or b.english)
        brand_score = 100.0 if same or (a.english and b.english and sa[:cut] == sb[:cut]) else HOMOPHONE
        yield trade_a, trade_b, brand_score, untranslated


def _tail_score(a: NameKey, b: NameKey, full: float = 0.0) -> float:
    """The best score of the tail readings (0 when there is none); ``full`` scores at 字号 100."""
    best = 0.0
    for trade_a, trade_b, brand_score, untranslated in _tail_readings(a, b):
        score = _context(a, b, trade_a, trade_b, full or brand_score, not full and brand_score < 100)
        score -= untranslated
        best = max(best, score)
    return best


def _tail_may_help(a: NameKey, b: NameKey) -> bool:
    """Can a tail reading pass where the whole 字号 did not?  Between two Chinese names only when one
    字号 is the other's start and that name has no trade (鑫康 / 鑫康压缩机), or the 字号 sound alike
    and neither has a trade (创宇胶带 / 创羽胶带); any other tails differ or contain one another.
    A cheap test: the dedupe compares many pairs of one block that share the first two syllables."""
    if a.english or b.english:
        return True
    if a.brand_pinyin == b.brand_pinyin:
        return not a.trade and not b.trade
    short, long_ = (a, b) if len(a.brand_syllables) < len(b.brand_syllables) else (b, a)
    return not short.trade and long_.brand_syllables[: len(short.brand_syllables)] == short.brand_syllables


def compare(a: NameKey, b: NameKey, cap: bool = True) -> tuple[float, str]:
    """(score 0..100, reason) from the names alone.

    ``cap=False`` keeps the shared-region bonus above 100 (up to 102): grouping uses it so that
    株洲X beside 株洲市X fits better than beside a region-less X, which the cap would make a tie."""
    score, reason = _compare(a, b)
    return (min(100.0, score) if cap else score), reason


def _compare(a: NameKey, b: NameKey) -> tuple[float, str]:
    if a.empty or b.empty:
        return 0.0, "name"
    score, reason = brand_similarity(a, b)
    if score >= LIKELY_DUPLICATE - 25:
        score = _context_score(a, b, score, homophone=reason == "pinyin")
    if score < LIKELY_DUPLICATE and _tail_may_help(a, b):
        tail = _tail_score(a, b)
        if tail > score:
            return tail, "pinyin" if a.english or b.english or a.brand[:2] != b.brand[:2] else "name"
    return score, reason


def name_score(a: NameKey, b: NameKey) -> float:
    """0..100: how much two names look like the same company."""
    return compare(a, b)[0]


def judge(a_name: str, a_code: str | None, b_name: str, b_code: str | None) -> float | None:
    """None = definitely different (two different valid codes); 100 = same valid code; else the name score."""
    ca, cb = valid_or_none(a_code), valid_or_none(b_code)
    if ca and cb:
        return 100.0 if ca == cb else None
    return name_score(name_key(a_name), name_key(b_name))


def hard_conflict(a: NameKey, b: NameKey, threshold: float = LIKELY_DUPLICATE) -> bool:
    """Do trade, region or branch alone keep these two below ``threshold``, even with the same 字号?

    Used as a cannot-link when grouping: 海威纺织 and 海威电子 never end in one group,
    whatever short name ("海威") links them.
    """
    if a.brand_pinyin != b.brand_pinyin and any(True for _ in _tail_readings(a, b)):
        # 字号 that begin alike, one or both with an unknown trade after: what those trades say
        # decides (鑫康压缩机 / 鑫康传感器 conflict; 诚鑫继电器 / "Chengxin Relay" do not)
        return _tail_score(a, b, full=100.0) < threshold
    return _context_score(a, b, 100.0) < threshold


class CompanyIndex:
    """An in-memory index of company names (and credit codes) for matching one name fast.

    Names are filed under :func:`blocking_keys`; a lookup scores only the names
    filed under the same keys, plus the holders of the same valid credit code.
    """

    def __init__(self) -> None:
        self._ids: list[object] = []
        self._keys: list[NameKey] = []
        self._blocks: dict[str, list[int]] = defaultdict(list)
        self._by_code: dict[str, set[object]] = defaultdict(set)
        self._codes: dict[object, str] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, id: object, name: str, credit_code: str | None = None) -> None:  # noqa: A002 - the API's name
        code = valid_or_none(credit_code)
        if code:
            self._by_code[code].add(id)
            self._codes.setdefault(id, code)
        if not name or not name.strip():
            return
        key = name_key(name)
        if key.empty:
            return
        slot = len(self._ids)
        self._ids.append(id)
        self._keys.append(key)
        for bk in blocking_keys(key):
            self._blocks[bk].append(slot)

    def candidates(self, key: NameKey) -> set[int]:
        found: set[int] = set()
        for bk in blocking_keys(key):
            found.update(self._blocks.get(bk, ()))
        return found

    def match(self, name: str, credit_code: str | None = None, limit: int = 10) -> list[Match]:
        """Companies that are probably this one, best first, only scores ≥ LIKELY_DUPLICATE."""
        best: dict[object, Match] = {}
        code = valid_or_none(credit_code)
        if code:
            for cid in self._by_code.get(code, ()):
                best[cid] = Match(cid, 100.0, "credit_code")
        if name and name.strip():
            key = name_key(name)
            if not key.empty:
                for slot in self.candidates(key):
                    cid = self._ids[slot]
                    if cid in best and best[cid].reason == "credit_code":
                        continue
                    other = self._codes.get(cid)
                    if code and other and other != code:
                        continue  # two different valid codes: never the same company
                    score, reason = compare(key, self._keys[slot])
                    if score >= LIKELY_DUPLICATE and (cid not in best or score > best[cid].score):
                        best[cid] = Match(cid, round(score, 1), reason)
        ranked = sorted(best.values(), key=lambda m: (-m.score, str(m.id)))
        return ranked[:limit]
