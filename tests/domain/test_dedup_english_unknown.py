"""English names whose trade the vocabulary lacks: pinyin edge cases, the word list, grouping ties."""

from __future__ import annotations

import pytest

from crm.domain.dedup.cluster import dedupe
from crm.domain.dedup.glosses import agreement, glosses
from crm.domain.dedup.matcher import LIKELY_DUPLICATE, compare, name_score
from crm.domain.dedup.normalise import name_key, segment_pinyin


def score(a: str, b: str) -> float:
    return name_score(name_key(a), name_key(b))


def test_u_with_umlaut_is_a_pinyin_syllable_written_v() -> None:
    assert segment_pinyin("yinlv") == ("yin", "lv")
    key = name_key("Yinlv Connector Co., Ltd")
    assert key.brand == "yinlv"
    assert key.trade == "~connector"


def test_a_one_character_county_is_read_whole_in_english() -> None:
    key = name_key("Jiaxian Yinyuehang Generators Industrial Co., Ltd")
    assert key.brand == "yinyuehang"
    assert "郏县" in key.regions


def test_a_place_word_is_the_brand_when_only_english_trade_words_follow() -> None:
    key = name_key("Yifeng Inverter Industrial Co., Ltd.")
    assert key.brand == "yifeng"
    assert key.regions == ()
    # a brand that is no pinyin and looks like no trade word still lets the place go
    lenovo = name_key("Beijing Lenovo Technology Co")
    assert lenovo.brand == "lenovo"
    assert lenovo.regions == ("北京市",)


def test_the_word_list_levels() -> None:
    assert glosses("Buttons")  # the singular is looked up
    assert agreement(("tiles",), "瓷砖") == 2
    assert agreement(("buttons",), "纽扣") == 2
    assert agreement(("bakery",), "烘烤食品") == 1  # 烘焙店 shares 烘
    assert agreement(("buttons",), "红枣") == 0
    assert agreement(("compressor",), "挖掘机") == 0  # 机 alone is a generic ending


def test_the_word_list_tells_two_trades_of_one_brand_apart() -> None:
    english = "Dingkang Buttons Co. Ltd."
    assert score(english, "常州市鼎康纽扣集团有限公司") > score(english, "邓州市鼎康红枣有限公司") + 1
    labels = dedupe([(1, "常州市鼎康纽扣集团有限公司", None), (2, "邓州市鼎康红枣有限公司", None), (3, english, None)])
    assert labels[3] == labels[1]
    assert labels[2] != labels[1]


def test_an_english_trade_word_that_is_pinyin() -> None:
    assert score("Fu Cheng Fan (Wugang) Co. Ltd.", "舞钢市富诚风机有限公司") >= LIKELY_DUPLICATE
    # one pinyin syllable the word list does not tie to the Chinese tail stays too little
    assert score("Hai Wei Da", "海威特尔") < LIKELY_DUPLICATE


def test_known_words_that_agree_lower_the_untranslated_penalty() -> None:
    cn = "漯河市麒汇速冻食品有限公司"
    assert score("Qi Hui Frozen Foods CO., LTD.", cn) > score("QIHUI BAKERY CO., LTD", cn) + 1


def test_scores_stay_within_100_but_grouping_sees_the_shared_region() -> None:
    a, b = name_key("株洲麒航豆制品公司"), name_key("株洲市麒航豆制品集团有限公司")
    assert compare(a, b)[0] == 100.0
    assert compare(a, b, cap=False)[0] == pytest.approx(102.0)
    labels = dedupe([
        ("a", "株洲麒航豆制品公司", None),
        ("b", "株洲市麒航豆制品集团有限公司", "91430200FCHAPC9X7T"),
        ("c", "麒航豆制品有限公司", "91350000MNLBMBP7RR"),
        ("d", "福建省麒航豆制品有限公司", None),
    ])
    assert labels["a"] == labels["b"]
    assert labels["c"] != labels["a"]


def test_a_trade_the_word_list_names_scores_as_nearly_translated() -> None:
    english = "Nanyang Hongsan Tiles Co. Ltd."
    named = score(english, "南阳市弘三瓷砖有限责任公司")  # tiles → 瓷砖: −2 instead of −10
    assert named == pytest.approx(95.0)
    assert named > score(english, "南阳市弘三口罩有限责任公司") + 6
