"""China's administrative divisions: recognising them in company names and comparing them.

The list (3,200 current divisions: provinces, prefectures, counties, county-level
cities, districts, and 140 former ones) is shipped as package data in
``data/divisions.csv`` (see ``data/README.md``).  A former name (长垣县, 偃师市,
邢台的桥东区) is another name of the division that took over its code or, moved to
another prefecture, its name (定州市); one that has neither (莱芜市, abolished)
stays a division of its own, so names registered under it are still read.  Each division is known by its full name (东莞市, 柘城县,
新疆维吾尔自治区) and, where unambiguous enough, by its short form (东莞, 柘城,
新疆): the full name minus 省/市/县/区/自治区/自治州/自治县/地区/盟/旗 and minus
the 民族 names of autonomous areas (延边朝鲜族自治州 → 延边).

Short forms of *districts* (海淀区 → 海淀, 南山区 → 南山), 地区, 盟, 旗 and
autonomous counties are far more often ordinary words or brand names (阿里巴巴),
so they are recognised only right after their own parent (深圳南山…); their
full names are recognised anywhere a region may stand.

A mention resolves to a set of candidate division codes (朝阳区 is in Beijing
and in Changchun; 吉林 is a province and a prefecture).  Two names' regions
are compared with :func:`relation`: the same division, one inside the other
(鲁山县 is in 平顶山市 in 河南省), or in conflict (东莞 vs 苏州).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from crm.domain.dedup.data import division_rows, nations
from crm.domain.dedup.vocabulary import TRADE_WORDS

CHINA = "000000"  # 中国 / 中华人民共和国: the ancestor of every division
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# short forms recognised anywhere: provinces, autonomous regions, cities (prefecture or county level),
# counties and autonomous prefectures.
_STANDALONE = ("省", "市", "县", "自治区", "特别行政区", "自治州")
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "县", "区", "盟", "旗")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: int  # 0 China, 1 province, 2 prefecture, 3 county/district
    parent: str | None


def _level(code: str) -> int:
    if code == CHINA:
        return 0
    if code.endswith("0000"):
        return 1
    if code.endswith("00"):
        return 2
    return 3


_ETHNIC = tuple(sorted({*nations(), "维吾尔", "各族"}, key=len, reverse=True))


def _strip_nations(stem: str) -> str:
    ethnic = _ETHNIC
    changed = True
    while changed:
        changed = False
        for n in ethnic:
            if stem.endswith(n) and len(stem) > len(n):
                stem = stem[: -len(n)]
                changed = True
                break
    return stem


def short_form(name: str) -> str | None:
    """东莞市 → 东莞, 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边; None when too short (沛县)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_nations(stem)
            return stem if len(stem) >= 2 and stem != name else None
    return None


# 撤县设市, 撤县设区, 撤市设区, 撤地设市, 撤盟设市 change only the last character(s): a county-level
# division is also known by its stem + any of these, a prefecture by its stem + 市/地区/盟.
RENAME_SUFFIXES = {3: ("县", "市", "区", "旗"), 2: ("市", "地区", "盟")}
# Words a division's last character can begin: "江城市政工程" is 江城 + 市政, not the region 江城市;
# "华龙区块链" is no 华龙区.  A region name is not taken where one of these starts at its end.
SUFFIX_WORDS = tuple(dict.fromkeys((
    "市政", "市场", "市民", "市容", "市级", "市内", "区块链", "区域", "区位", "县域", "县级",
    "旗舰", "旗袍", "旗帜", "旗下", "盟友",
    *(w for w in TRADE_WORDS if w[0] in "市区县旗盟"),
)))


_TRADE_SET = frozenset(TRADE_WORDS)


def rename_stem(name: str, level: int) -> str | None:
    """The part of a name that a rename keeps: 长垣县 → 长垣, 那曲地区 → 那曲; None for 自治县, 沛县 …"""
    for suffix in sorted(RENAME_SUFFIXES.get(level, ()), key=len, reverse=True):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if len(stem) >= 2 and not stem.endswith("自治"):
                return stem
            return None
    return None


class Regions:
    """The division list with lookup tables for names and short forms."""

    def __init__(self, rows: Iterable[tuple[str, str] | tuple[str, str, str]]) -> None:
        """``rows``: (code, name) or (code, name, "current" | "former"); current rows first."""
        self.divisions: dict[str, Division] = {CHINA: Division(CHINA, "中国", 0, None)}
        current: list[tuple[str, str]] = []
        former: list[tuple[str, str]] = []
        for code, name, *status in rows:
            if name not in PLACEHOLDERS:
                (former if status == ["former"] else current).append((code, name))
        # former names: another name of the division with that code now, or with that name
        # in the same province (moved to another prefecture); else a division of their own
        self.aliases: dict[str, list[str]] = {}
        # or with the same stem in the same prefecture (长垣县 → 长垣市) or province (那曲地区 → 那曲市)
        current_names = dict(current)
        by_name: dict[tuple[str, str], str] = {(c[:2], n): c for c, n in current}
        by_stem: dict[tuple[str, str], str] = {}
        for c, n in current:
            stem = rename_stem(n, _level(c))
            if stem:
                by_stem.setdefault((c[:4] if _level(c) == 3 else c[:2], stem), c)
        kept = list(current)
        for code, name in former:
            stem = rename_stem(name, _level(code))
            successor = (
                code if code in current_names else by_name.get((code[:2], name))
                or (by_stem.get((code[:4] if _level(code) == 3 else code[:2], stem)) if stem else None)
            )
            if successor:
                if name != current_names[successor]:
                    self.aliases.setdefault(successor, []).append(name)
            else:
                kept.append((code, name))
        codes = {c for c, _ in kept}
        for code, name in kept:
            level = _level(code)
            parent = CHINA
            if level == 3 and code[:4] + "00" in codes:
                parent = code[:4] + "00"
            elif level >= 2 and code[:2] + "0000" in codes:
                parent = code[:2] + "0000"
            self.divisions[code] = Division(code, name, level, parent)
        # name -> codes; kind "full" / "short" / "district" (district short form, only after its parent)
        self.full: dict[str, set[str]] = {"中国": {CHINA}, "中华人民共和国": {CHINA}}
        short: dict[str, set[str]] = {}
        self.district_short: dict[str, set[str]] = {}
        for div in self.divisions.values():
            if div.code == CHINA:
                continue
            for name in (div.name, *self.aliases.get(div.code, ())):
                self.full.setdefault(name, set()).add(div.code)
                stem = short_form(name)
                if not stem:
                    continue
                if name.endswith(_STANDALONE):
                    short.setdefault(stem, set()).add(div.code)
                else:
                    # districts (海淀区), 地区, 盟, 旗, 林区, 自治县 …: short forms are too often ordinary
                    # words (阿里巴巴, 南山), so only right after their parent (深圳南山)
                    self.district_short.setdefault(stem, set()).add(div.code)
        # an ambiguous short form keeps every candidate (临夏 is 临夏回族自治州 and 临夏县;
        # 吉林 is the province and the city): two names agree when their candidates meet.
        self.short: dict[str, set[str]] = {}
        for stem, found in short.items():
            if stem in self.full:
                continue  # a short form that is another division's full name is that division
            self.short[stem] = set(found)
        # names derived by the rename rule (长垣县 → 长垣市 / 长垣区 / 长垣旗): taken only where no
        # division bears that name, and with no short form of their own (海淀区 must not become a
        # standalone "海淀" through a 海淀县 that never was)
        self.derived: dict[str, set[str]] = {}
        for div in self.divisions.values():
            if div.level not in RENAME_SUFFIXES:
                continue
            for name in (div.name, *self.aliases.get(div.code, ())):
                stem = rename_stem(name, div.level)
                if not stem or stem in _TRADE_SET:
                    continue  # 路桥区: no 路桥市 / 路桥县 — "路桥市政工程" is a trade
                for suffix in RENAME_SUFFIXES[div.level]:
                    if stem + suffix not in self.full:
                        self.derived.setdefault(stem + suffix, set()).add(div.code)
        self.max_len = max(len(n) for n in [*self.full, *self.short, *self.district_short, *self.derived])
        # lengths of the names by their first / last two characters, longest first
        starts: dict[str, set[int]] = {}
        ends: dict[str, set[int]] = {}
        for n in [*self.full, *self.short, *self.district_short, *self.derived]:
            starts.setdefault(n[:2], set()).add(len(n))
            ends.setdefault(n[-2:], set()).add(len(n))
        self._starts = {k: tuple(sorted(v, reverse=True)) for k, v in starts.items()}
        self._ends = {k: tuple(sorted(v, reverse=True)) for k, v in ends.items()}

    def lengths_ending(self, two: str) -> tuple[int, ...]:
        return self._ends.get(two, ())

    # -- hierarchy ---------------------------------------------------------
    @lru_cache(maxsize=None)  # noqa: B019 - one instance for the process
    def ancestors(self, code: str) -> frozenset[str]:
        """The code and all the divisions that contain it."""
        out = []
        cur: str | None = code
        while cur is not None:
            out.append(cur)
            cur = self.divisions[cur].parent if cur in self.divisions else None
        return frozenset(out)

    def name(self, code: str) -> str:
        return self.divisions[code].name

    def level(self, code: str) -> int:
        return self.divisions[code].level

    # -- recognition ---------------------------------------------------------
    def match_at(self, text: str, start: int, context: frozenset[str] = frozenset()) -> tuple[int, frozenset[str]] | None:
        """The longest region name beginning at ``start``: (its length, candidate codes), or None.

        ``context`` holds the codes recognised just before (河南省 before 平顶山): candidates
        inside it are preferred, and restricted short forms (南山) count only inside it.
        """
        room = len(text) - start
        for length in self._starts.get(text[start : start + 2], ()):
            if length > room:
                continue
            piece = text[start : start + length]
            if self._suffix_word(text, start + length):
                continue  # 江城市政, 华龙区块链: the last character begins a word, the region is shorter
            general = self.full.get(piece) or self.short.get(piece) or self.derived.get(piece)
            restricted = self.district_short.get(piece) if context else None
            if restricted:
                restricted = {c for c in restricted if self.ancestors(c) & context}
            if not general and not restricted:
                continue
            codes = frozenset(general or ()) | frozenset(restricted or ())
            if context:
                inside = frozenset(c for c in codes if self.ancestors(c) & context)
                if inside:
                    codes = inside
            return length, codes
        return None

    def _suffix_word(self, text: str, end: int) -> bool:
        """Does a word such as 市政 or 区块链 begin at the last character before ``end``?"""
        return text.startswith(SUFFIX_WORDS, end - 1) or text.startswith(SUFFIX_WORDS, end - 2)

    def lookup(self, text: str) -> frozenset[str]:
        """Codes for a whole string that is exactly a region name (full, short or renamed), else empty."""
        found = (
            self.full.get(text) or self.short.get(text) or self.district_short.get(text) or self.derived.get(text)
        )
        return frozenset(found) if found else frozenset()


def relation(
    a: frozenset[str],
    b: frozenset[str],
    regions: Regions | None = None,
    mentions_a: frozenset[str] = frozenset(),
    mentions_b: frozenset[str] = frozenset(),
) -> str:
    """'unknown' (either side has no region), 'same', 'nested' (one contains the other) or 'conflict'.

    ``mentions_*`` are all the regions each name mentions: 福州市台江区 mentions 福州市, so
    it is the *same* as a plain 福州, while 鲁山县 against 平顶山市 is *nested* (two
    registrations at different levels).
    """
    if not a or not b:
        return "unknown"
    if a & b:
        return "same"
    reg = regions or REGIONS
    for x in a:
        ax = reg.ancestors(x)
        for y in b:
            if y in ax or x in reg.ancestors(y):
                if (a & mentions_b) or (b & mentions_a):
                    return "same"
                return "nested"
    return "conflict"


REGIONS = Regions(division_rows())
