"""Company names reduced to what tells companies apart.

A Chinese company name is registered as 行政区划 + 字号 + 行业 + 组织形式
(东莞市 + 海威 + 纺织 + 有限公司), the region sometimes in brackets after the
字号 (海威纺织（东莞）有限公司).  :func:`name_key` takes a name apart:

1. NFKC (full-width → half-width, ideographic space → space), traditional →
   simplified (OpenCC t2s), lower case for Latin letters, every space removed;
2. brackets and their contents removed — a bracketed region (（东莞）) is kept
   as the name's region, anything else (（原XX公司）, （普通合伙）) is dropped;
3. a branch office (…有限公司东莞分公司) is split off: ``branch`` is "东莞分公司"
   and the rest is the parent's name — a branch is a different company;
4. legal forms stripped from the end, repeatedly (集团股份有限公司, 控股, 公司 …);
5. regions stripped from the front, any level and stacked (河南省平顶山市鲁山县,
   平顶山, 鲁山), and a region standing just before the trade words or at the end;
6. the trade (行业) words at the end split off: 海威 | 纺织.

If stripping regions would leave no 字号 of two characters or more, the last
region is kept as the 字号 (中山电子, 德兴纺织).

English names (no CJK characters) are lower-cased, split into words, legal forms
(Co., Ltd., Inc., GmbH, LLC …) and leading/trailing region words (Dongguan,
China) dropped, trade words mapped to Chinese (Textile → 纺织); the 字号 is then
the remaining words run together, which is also its "pinyin" ("haiwei"), so
"Haiwei Textile Co., Ltd." meets 海威纺织.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from pypinyin.pinyin_dict import pinyin_dict as PINYIN_DICT

from crm.domain.dedup.regions import REGIONS
from crm.domain.dedup.vocabulary import (
    BRANCH_MARKERS,
    ENGLISH_FILLERS,
    ENGLISH_LEGAL,
    ENGLISH_TRADES,
    LEGAL_FORMS,
    TRADE_WORDS,
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\ufeff·・•]+")
_OPEN = "([{【〔〖「『《<"
_CLOSE = ")]}】〕〗」』》>"
_BRACKETS_TO_ASCII = str.maketrans({**{o: "(" for o in "【〔〖「『《"}, **{c: ")" for c in "】〕〗」』》"}})
_BRACKETED = re.compile(r"[(\[{【〔〖「『《<]([^()\[\]{}【】〔〕〖〗「」『』《》<>]*)[)\]}】〕〗」』》>]")
_PUNCT = re.compile(r"[,.;:!?'\"`~@#$%^*_+=|\\/，。；：！？、“”‘’…\-—–]+")
_LEGAL_SORTED = tuple(sorted(LEGAL_FORMS, key=len, reverse=True))
_BRANCH_RE = re.compile("(" + "|".join(sorted(BRANCH_MARKERS, key=len, reverse=True)) + ")$")
_PARENT_END = ("有限责任公司", "股份有限公司", "有限公司", "公司", "集团", "总厂", "厂", "银行", "中心")
_TRADES = frozenset(TRADE_WORDS)
_TRADE_MAX = max(len(w) for w in TRADE_WORDS)

_t2s = OpenCC("t2s")


def _traditional_chars() -> frozenset[str]:
    """Characters OpenCC's t2s changes; names without any skip the (slower) conversion."""
    try:
        import opencc as _opencc_pkg

        table = Path(_opencc_pkg.__file__).parent / "dictionary" / "TSCharacters.txt"
        chars: set[str] = set()
        for line in table.read_text(encoding="utf-8").splitlines():
            head, _, tail = line.partition("\t")
            if head and tail and tail.split(" ")[0] != head:
                chars.add(head)
        return frozenset(chars)
    except OSError:  # pragma: no cover - layout of the package changed: convert always
        return frozenset()


_TRAD = _traditional_chars()


def to_simplified(text: str) -> str:
    if _TRAD and not any(ch in _TRAD for ch in text):
        return text
    return _t2s.convert(text)


def clean(text: str) -> str:
    """NFKC, traditional → simplified, Latin lower case, spaces removed (brackets kept, as ASCII)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = to_simplified(text).lower()
    text = _SPACES.sub("", text)
    return text.translate(_BRACKETS_TO_ASCII)


# -- pinyin -------------------------------------------------------------------------

_CHAR_SYLLABLE: dict[str, str | None] = {}  # a hanzi's default reading; None: not a hanzi


def _char_syllable(ch: str) -> str | None:
    try:
        return _CHAR_SYLLABLE[ch]
    except KeyError:
        pass
    value = lazy_pinyin(ch, style=Style.NORMAL)[0] if ord(ch) in PINYIN_DICT else None
    _CHAR_SYLLABLE[ch] = value
    return value


def _has_phrase(text: str) -> bool:
    """Does pypinyin know a phrase inside ``text`` (长城, 银行, 重庆) that fixes a reading?"""
    n = len(text)
    for i in range(n - 1):
        for j in range(i + 2, min(n, i + 6) + 1):
            if text[i:j] in PHRASES_DICT:
                return True
    return False


@lru_cache(maxsize=200_000)
def _syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables; a run of Latin letters/digits is one 'syllable' as written.

    Each hanzi gets its default reading from a per-character table, unless the text
    holds a phrase pypinyin knows (长城, 银行), when its phrase-aware conversion is used —
    the same readings ``lazy_pinyin`` gives, faster.
    """
    if not _has_phrase(text):
        fast: list[str] = []
        for ch in text:
            syllable = _char_syllable(ch)
            if syllable is None:
                break
            fast.append(syllable)
        else:
            return tuple(fast)
    out: list[str] = []
    for item in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        word = "".join(ch for ch in item.lower() if ch.isalnum())
        if word:
            out.append(word)
    return tuple(out)


def _all_syllables() -> frozenset[str]:
    out: set[str] = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            # ü is written v, as pypinyin writes it for a Chinese 字号 (绿 "lv"): replaced before the
            # accents are stripped, else "lv", "nv", "lve" are lost and "Yinlv" is no pinyin
            reading = reading.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")
            plain = "".join(ch for ch in unicodedata.normalize("NFD", reading) if not unicodedata.combining(ch))
            plain = plain.lower()
            if plain.isascii() and plain.isalpha():
                out.add(plain)
    return frozenset(out)


_PINYIN_SYLLABLES = _all_syllables()
_MAX_SYLLABLE = max(len(x) for x in _PINYIN_SYLLABLES)


@lru_cache(maxsize=50_000)
def segment_pinyin(word: str, fewest: bool = True) -> tuple[str, ...] | None:
    """"haiwei" → ("hai", "wei"); None when the word is not written in pinyin ("lenovo").

    Pinyin run together can be cut more than one way ("liaofei": liao fei / li ao fei);
    ``fewest`` picks the cut with the fewest syllables, else the one with the most.
    """
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        choice: tuple[str, ...] | None = None
        for j in range(min(n, i + _MAX_SYLLABLE), i, -1):  # longest syllable first
            rest = best[j]
            if rest is not None and word[i:j] in _PINYIN_SYLLABLES:
                candidate = (word[i:j], *rest)
                if choice is None or (len(candidate) < len(choice) if fewest else len(candidate) > len(choice)):
                    choice = candidate
        best[i] = choice
    return best[0]


@lru_cache(maxsize=50_000)
def pinyin_cuts(word: str, limit: int = 8) -> tuple[tuple[str, ...], ...]:
    """Up to ``limit`` ways to cut ``word`` into pinyin syllables, fewest syllables first."""
    found: list[tuple[str, ...]] = []

    def walk(i: int, acc: tuple[str, ...]) -> None:
        if len(found) >= limit * 4:
            return
        if i == len(word):
            found.append(acc)
            return
        for j in range(min(len(word), i + _MAX_SYLLABLE), i, -1):
            if word[i:j] in _PINYIN_SYLLABLES:
                walk(j, (*acc, word[i:j]))

    walk(0, ())
    return tuple(sorted(found, key=len)[:limit])


def pinyin_forms(text: str) -> tuple[str, str]:
    """(full toneless pinyin without spaces, initials): "海威纺织" → ("haiweifangzhi", "hwfz").

    Latin letters and digits are kept as written (lower case) in both forms:
    "TCL科技" → ("tclkeji", "tclkj").
    """
    text = to_simplified(unicodedata.normalize("NFKC", text or ""))
    full: list[str] = []
    initials: list[str] = []
    for run in _RUNS.findall(text):
        if _CJK.match(run):
            for syllable in lazy_pinyin(run, style=Style.NORMAL, errors="ignore"):
                if syllable:
                    full.append(syllable)
                    initials.append(syllable[0])
        else:
            word = "".join(ch for ch in run.lower() if ch.isascii() and ch.isalnum())
            full.append(word)
            initials.append(word)
    return "".join(full), "".join(initials)


_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")


# -- the key ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NameKey:
    """A company name taken apart.  ``core`` = ``brand`` + ``trade``; regions are 区划代码 sets."""

    original: str
    normalised: str  # cleaned full name (NFKC, simplified, lower case, no spaces)
    core: str  # 字号 + 行业, without region, legal form, brackets, branch
    brand: str  # 字号 (or the whole core when no trade word is recognised)
    trade: str  # 行业 words, "" when none
    regions: tuple[str, ...]  # the region names recognised, as full names (东莞市)
    region_codes: frozenset[str] = field(default=frozenset())  # candidates for the most specific region
    region_mentions: frozenset[str] = field(default=frozenset())  # every region code the name mentions
    branch: str = ""  # "东莞分公司" for a branch office, "" otherwise
    pinyin: str = ""  # toneless pinyin of core
    brand_pinyin: str = ""  # toneless pinyin of brand ("haiwei")
    brand_syllables: tuple[str, ...] = ()
    english: bool = False

    @property
    def empty(self) -> bool:
        return not self.core


def split_trade(trade: str) -> tuple[str, ...]:
    """"生物科技新材料" → ("生物科技", "新材料"): trade words, longest first from the end."""
    words: list[str] = []
    rest = trade
    while rest:
        for length in range(min(_TRADE_MAX, len(rest)), 0, -1):
            piece = rest[-length:]
            if piece in _TRADES:
                words.append(piece)
                rest = rest[:-length]
                break
        else:
            words.append(rest)
            break
    return tuple(reversed(words))


_LEGAL_SET = frozenset(LEGAL_FORMS)
_LEGAL_LENGTHS = tuple(sorted({len(f) for f in LEGAL_FORMS}, reverse=True))


def _strip_legal(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for length in _LEGAL_LENGTHS:
            if len(text) > length and text[-length:] in _LEGAL_SET:
                text = text[:-length]
                changed = True
                break
    return text


def _split_trade_suffix(text: str, min_brand: int = 2) -> tuple[str, str]:
    """(brand, trade): the longest run of trade words at the end, leaving ≥ min_brand characters."""
    end = len(text)
    while end > min_brand:
        for length in range(min(_TRADE_MAX, end - min_brand), 0, -1):
            if text[end - length : end] in _TRADES:
                end -= length
                break
        else:
            break
    return text[:end], text[end:]


def _leading_regions(text: str) -> tuple[str, list[frozenset[str]], list[str]]:
    """Strip stacked regions from the front: (rest, candidate sets, the pieces as written)."""
    found: list[frozenset[str]] = []
    pieces: list[str] = []
    pos = 0
    context: frozenset[str] = frozenset()
    while pos < len(text):
        hit = REGIONS.match_at(text, pos, context)
        if hit is None:
            break
        length, codes = hit
        found.append(codes)
        pieces.append(text[pos : pos + length])
        context = codes
        pos += length
    return text[pos:], found, pieces


def _trailing_region(text: str) -> tuple[str, frozenset[str], str]:
    """A region name at the very end (海威纺织东莞, 海威香港): (rest, codes, piece) or (text, ∅, "")."""
    for length in REGIONS.lengths_ending(text[-2:]):
        if length > len(text) - 2:
            continue
        piece = text[-length:]
        codes = REGIONS.full.get(piece)
        if codes is None:
            codes = REGIONS.short.get(piece)
            # short forms of counties are too often ordinary words at the end of a 字号
            if codes and min(REGIONS.level(c) for c in codes) >= 3:
                codes = None
        if codes:
            return text[:-length], frozenset(codes), piece
    return text, frozenset(), ""


@lru_cache(maxsize=100_000)
def _region_facts(sets: tuple[frozenset[str], ...]) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """(display names, most specific candidates, every code mentioned) for the mentions of a name."""
    return _region_names(sets), _most_specific(list(sets)), frozenset().union(*sets)


def _most_specific(sets: list[frozenset[str]]) -> frozenset[str]:
    """The deepest mention, narrowed to candidates consistent with the others."""
    if not sets:
        return frozenset()
    deepest = max(sets, key=lambda s: max(REGIONS.level(c) for c in s))
    others = [s for s in sets if s is not deepest]
    narrowed = deepest
    for other in others:
        keep = frozenset(c for c in narrowed if any(o in REGIONS.ancestors(c) or c in REGIONS.ancestors(o) for o in other))
        if keep:
            narrowed = keep
    return narrowed


def _region_names(sets: tuple[frozenset[str], ...] | list[frozenset[str]]) -> tuple[str, ...]:
    """Display names: per mention, its highest-level candidates (河南 → 河南省, not also 河南县)."""
    names: list[str] = []
    for s in sets:
        top = min(REGIONS.level(c) for c in s)
        for code in sorted(c for c in s if REGIONS.level(c) == top):
            name = REGIONS.name(code)
            if name not in names:
                names.append(name)
    return tuple(names)


def _english_key(original: str, text: str) -> NameKey:
    text = text.replace("&", " and ")
    regions: list[frozenset[str]] = []
    # bracketed parts: a region is kept, anything else dropped
    for inner in re.findall(r"\(([^()]*)\)", text):
        codes = _english_region(inner.replace(" ", ""))
        if codes:
            regions.append(codes)
    text = re.sub(r"\([^()]*\)", " ", text)
    words = re.findall(r"[a-z0-9]+", text)
    words = [w for i, w in enumerate(words) if not (i > 0 and w in ENGLISH_LEGAL) and w != "the"]
    # region words at either end (Dongguan Haiwei …, … (China), Hong Kong …)
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in (2, 1):
            if len(words) <= size:
                continue
            # a region word is stripped only while a word that is no trade word is left
            # ("Yuzhou Jiahe Pharmaceutical": Jiahe is the 字号, whatever 嘉禾县 says)
            head = "".join(words[:size])
            codes = _english_region(head) if _has_brand_word(words[size:]) else frozenset()
            if codes and regions and not _nested(codes, regions[-1]):
                codes = frozenset()  # "Changsha An Yi …": a second place must lie in the first (安义县 does not)
            if codes:
                regions.append(codes)
                words = words[size:]
                changed = True
                break
            tail = "".join(words[-size:])
            codes = _english_region(tail) if _has_brand_word(words[:-size]) else frozenset()
            if codes:
                regions.append(codes)
                words = words[:-size]
                changed = True
                break
    trade_words: list[str] = []
    # "Industrial", "Industry" after a trade word is the translator's filler ("Knitting Industrial"),
    # and so after a word that is no pinyin, i.e. an English trade word the vocabulary lacks
    while len(words) > 2 and words[-1] in ENGLISH_FILLERS and (_ends_in_trade(words[:-1]) or _foreign(words[-2])):
        words.pop()
    while len(words) > 1:  # three- and two-word trades first ("steel wire rope", "hoisting machinery")
        for size in (3, 2, 1):
            phrase = " ".join(words[-size:])
            if len(words) > size and phrase in ENGLISH_TRADES:
                trade_words.insert(0, ENGLISH_TRADES[phrase])
                del words[-size:]
                break
        else:
            # a word at the end that is no pinyin ("Compressor", "Stamping" before Parts) is an
            # English trade word the vocabulary does not know, not part of the 字号 (which an
            # English name writes in pinyin): kept as an unknown trade, marked so that it never
            # equals a Chinese trade word
            if _foreign(words[-1]) and any(not _foreign(w) for w in words[:-1]):
                trade_words.insert(0, UNKNOWN_ENGLISH + words.pop())
                continue
            break
    trade = "".join(dict.fromkeys(trade_words))
    brand = "".join(words)
    region_names, region_codes, region_mentions = _region_facts(tuple(regions))
    normalised = " ".join(re.findall(r"[a-z0-9]+", original.lower()))
    return NameKey(
        original=original,
        normalised=normalised,
        core=brand + trade,
        brand=brand,
        trade=trade,
        regions=region_names,
        region_codes=region_codes,
        region_mentions=region_mentions,
        pinyin=brand + "".join(_syllables(trade)),
        brand_pinyin=brand,
        brand_syllables=(segment_pinyin(brand) or (brand,)) if brand else (),
        english=True,
    )


# marks an English trade word the vocabulary lacks inside ``NameKey.trade`` ("~compressor")
UNKNOWN_ENGLISH = "~"


def _foreign(word: str) -> bool:
    """A word that is not pinyin run together (nor a number): an English word."""
    return word.isalpha() and segment_pinyin(word) is None


def _ends_in_trade(words: list[str]) -> bool:
    return any(len(words) > size and " ".join(words[-size:]) in ENGLISH_TRADES for size in (1, 2, 3))


def _nested(a: frozenset[str], b: frozenset[str]) -> bool:
    if "000000" in a or "000000" in b:  # China contains every place
        return True
    return any(x in REGIONS.ancestors(y) or y in REGIONS.ancestors(x) for x in a for y in b if x in REGIONS.divisions and y in REGIONS.divisions)


def _has_brand_word(words: list[str]) -> bool:
    """Is a word left that can be the 字号: no trade word, and no English word that looks like an
    unknown trade ("Yifeng Inverter Industrial": Yifeng is the 字号, not 宜丰县)."""
    return any(w not in ENGLISH_TRADES and w not in ENGLISH_FILLERS and not _english_looking(w) for w in words)


# endings of English nouns of trade (Inverter, Stamping, Ceramics, Filtration, Hardware …); a word
# that is no pinyin and ends so is read as a trade word the vocabulary lacks, never as a 字号
_ENGLISH_ENDINGS = re.compile(r"(er|or|ers|ors|ing|ings|ics|ion|ions|ery|ware|ment|ments|ure|ures|ant|ants|ies)$")


def _english_looking(word: str) -> bool:
    return _foreign(word) and len(word) >= 5 and bool(_ENGLISH_ENDINGS.search(word))


@lru_cache(maxsize=4096)
def _english_region(word: str) -> frozenset[str]:
    """A region written in pinyin ("dongguan", "henan", "hongkong", "china")."""
    if not word:
        return frozenset()
    return _PINYIN_REGIONS.get(word, frozenset())


def _build_pinyin_regions() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {"china": {"000000"}, "prc": {"000000"}, "hongkong": {"810000"}, "macau": {"820000"}, "macao": {"820000"}}
    for stem, codes in REGIONS.short.items():  # provinces, cities, counties; not districts
        for py in _place_readings(stem):
            if len(py) >= 4:
                table.setdefault(py, set()).update(codes)
    # a county of one character (郏县, 叶县, 沛县) has no short form; English writes it whole ("Jiaxian")
    for name, codes in REGIONS.full.items():
        if len(name) == 2 and name.endswith("县"):
            for py in _place_readings(name):
                table.setdefault(py, set()).update(codes)
    return {k: frozenset(v) for k, v in table.items()}


# Characters read otherwise in place names than pypinyin's single-character default
# (长 is "zhang" alone, "chang" in 长垣, 长葛, 长治 …).  Only these: pypinyin's other readings
# (夏 "jia") would turn ordinary 字号 into regions.
_PLACE_READINGS = {"长": "chang", "乐": "le", "六": "lu", "蔚": "yu", "单": "shan"}


def _place_readings(stem: str) -> list[str]:
    """The default pinyin of a place, and its place-name reading: 长垣 → zhangyuan, changyuan."""
    default = lazy_pinyin(stem, style=Style.NORMAL)
    place = [_PLACE_READINGS.get(ch, py) for ch, py in zip(stem, default, strict=False)]
    return list(dict.fromkeys(["".join(default), "".join(place)]))


_PINYIN_REGIONS = _build_pinyin_regions()


@lru_cache(maxsize=100_000)
def name_key(name: str) -> NameKey:
    """Take a company name apart (see the module docstring)."""
    original = name or ""
    text = clean(original)
    if not _CJK.search(text):
        return _english_key(original, to_simplified(unicodedata.normalize("NFKC", original)).lower())

    normalised = text
    region_sets: list[frozenset[str]] = []
    # 2. brackets: innermost first; a region inside is kept, anything else dropped
    while True:
        m = _BRACKETED.search(text)
        if not m:
            break
        inner = m.group(1)
        codes = REGIONS.lookup(inner) if inner else frozenset()
        if not codes and inner:
            rest, sets, _ = _leading_regions(inner)
            if sets and not rest:
                codes = _most_specific(sets)
        if codes:
            region_sets.append(codes)
        text = text[: m.start()] + text[m.end() :]
    text = re.sub(r"[()\[\]{}]", "", text)
    text = _PUNCT.sub("", text)

    # 3. branch office
    branch = ""
    m = _BRANCH_RE.search(text)
    if m:
        head = text[: m.start()]
        cut = -1
        for end in _PARENT_END:
            i = head.rfind(end)
            if i > 0 and i + len(end) > cut:
                cut = i + len(end)
        if cut > 0:
            branch = head[cut:] + m.group(1)
            text = head[:cut]
        else:
            branch = m.group(1)
            text = head

    # 4. legal forms
    text = _strip_legal(text)
    # 5. regions at the front
    rest, lead_sets, lead_pieces = _leading_regions(text)
    # a region at the end (海威纺织东莞): only a full or higher-level name
    rest2, tail_codes, _tail_piece = _trailing_region(rest)
    if tail_codes and len(_strip_legal(rest2)) >= 2:
        rest = _strip_legal(rest2)
    else:
        tail_codes = frozenset()
    # 6. trade words
    brand, trade = _split_trade_suffix(rest)
    # a region between 字号 and 行业 (海威香港实业)
    mid_codes: frozenset[str] = frozenset()
    if trade:
        b2, codes, piece = _trailing_region(brand)
        if codes and len(b2) >= 2:
            brand, mid_codes = b2, codes
    # keep the last leading region as the 字号 when nothing else is left (中山电子, 泰和盛电子)
    while lead_pieces and (len(brand) < 2 or not _split_trade_suffix(brand, min_brand=0)[0]):
        lead_sets.pop()
        brand, trade = _split_trade_suffix(lead_pieces.pop() + brand + trade)
    if not brand and trade:  # "电子有限公司": nothing but trade words
        brand, trade = trade, ""

    all_sets = region_sets + lead_sets + ([tail_codes] if tail_codes else []) + ([mid_codes] if mid_codes else [])
    core = brand + trade
    syl = _syllables(brand) if brand else ()
    region_names, region_codes, region_mentions = _region_facts(tuple(all_sets))
    return NameKey(
        original=original,
        normalised=normalised,
        core=core,
        brand=brand,
        trade=trade,
        regions=region_names,
        region_codes=region_codes,
        region_mentions=region_mentions,
        branch=branch,
        pinyin="".join(syl) + "".join(_syllables(trade)),
        brand_pinyin="".join(syl),
        brand_syllables=syl,
    )


# -- blocking -----------------------------------------------------------------------

def blocking_keys(key: NameKey) -> frozenset[str]:
    """Keys under which a name is filed; two names that may score as duplicates share one.

    * ``p2:`` the pinyin of the first two syllables of the 字号 — same 字号, homophone
      typing errors (海威/海伟) and longer 字号 with the same start;
    * ``pz:`` the pinyin of the last two syllables, for 字号 of three or more
      syllables (a character added or changed in front: 海威特 / 新海威特);

    An English name's 字号 is cut into pinyin syllables first ("haiwei" → hai wei),
    so "Haiwei Textile" files under the same keys as 海威纺织.

    The app stores these (a few short strings a company) in a table to find
    candidates with SQL; :class:`~crm.domain.dedup.matcher.CompanyIndex` uses the same keys.
    """
    keys: set[str] = set()
    syl = key.brand_syllables
    if not syl:
        return frozenset()
    cuts = [syl]
    if key.english:  # pinyin run together may be cut other ways ("liaofei": liao fei, li ao fei)
        cuts += [c for c in pinyin_cuts(key.brand_pinyin) if c != syl]
    for cut in cuts:
        keys.add("p2:" + "".join(cut[:2]))
        if len(cut) >= 3:
            keys.add("pz:" + "".join(cut[-2:]))
    return frozenset(keys)
