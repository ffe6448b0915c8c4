"""Does an English trade word the vocabulary lacks say what a Chinese trade the vocabulary lacks says?

The matcher's own vocabulary (``vocabulary.ENGLISH_TRADES``) translates a few hundred trade names.
A word outside it ("Buttons", "Eyelashes", "Reducer") cannot be translated there, so an English
name with it fits every Chinese name of the same 字号 whose trade is unknown too (纽扣, 红枣 …)
equally well, and is left undecided between them.  A general English → Chinese word list
(``data/english_glosses.tsv``, ~33,500 words from CC-CEDICT, no entry chosen for a trade) tells them apart:

* 2 — every English word has a gloss found in the Chinese trade, or containing it (tile → 瓷砖,
  relay → 继电器, fan → 鼓风机 ⊃ 风机);
* 1 — some gloss shares a character with it that is not a generic ending (bakery → 烘焙店 / 烘烤食品,
  mineral water → 矿物, 水 / 矿泉水);
* 0 — nothing in common (harness → 挽具 / 线束): no evidence either way, the list is not complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from crm.domain.dedup.data import english_glosses

# characters that end many trade words (压缩机 / 挖掘机, 连接器 / 减压器): sharing one says nothing
GENERIC_CHARS = frozenset("器机件品子物材料制具剂用设备工厂店者人业类性化产装置体品业的")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    return english_glosses()


def _lemmas(word: str) -> Iterable[str]:
    """The word, then its singular: -ies → -y, -s, and -es last ("tiles" is tile, not "til"; "boxes" is box)."""
    yield word
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("s") and len(word) > 3:
        yield word[:-1]
    if word.endswith("es") and len(word) > 4:
        yield word[:-2]


@lru_cache(maxsize=20_000)
def glosses(word: str) -> tuple[str, ...]:
    """The Chinese glosses of an English word and of its singular ("tiles": 砖瓦 … and tile's 瓷砖 …), () when the
    list lacks both."""
    table = _table()
    return tuple(dict.fromkeys(g for lemma in _lemmas(word.lower()) for g in table.get(lemma, ())))


@lru_cache(maxsize=50_000)
def agreement(words: tuple[str, ...], chinese: str) -> int:
    """2: every word's glosses name the Chinese trade; 1: a gloss shares a specific character; 0: nothing."""
    if not words or not chinese:
        return 0
    specific = set(chinese) - GENERIC_CHARS
    named = 0
    shared = False
    for word in words:
        found = glosses(word)
        if any((len(g) >= 2 or g not in GENERIC_CHARS) and g in chinese or (len(chinese) >= 2 and chinese in g) for g in found):
            named += 1
            shared = True
        elif any(specific & set(g) for g in found):
            shared = True
    if named == len(words):
        return 2
    return 1 if shared else 0
