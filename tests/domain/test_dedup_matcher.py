"""Matching two company records: credit codes, names, homophones, trade, region, branches."""

from __future__ import annotations

from itertools import combinations

import pytest

from crm.domain.dedup.matcher import LIKELY_DUPLICATE, CompanyIndex, Match, judge, name_score, trade_relation
from crm.domain.dedup.normalise import name_key

CODE_A = "91350100M000100Y43"
CODE_B = "91441900MA4W1234K4"
BAD_CODE = "91350100M000100Y44"  # wrong check character


def score(a: str, b: str) -> float:
    return name_score(name_key(a), name_key(b))


HAIWEI = ["海威纺织有限公司", "东莞市海威纺织有限公司", "海威纺织（东莞）有限公司", "海伟纺织"]


@pytest.mark.parametrize(("a", "b"), list(combinations(HAIWEI, 2)))
def test_the_issues_examples_all_match_each_other(a: str, b: str) -> None:
    assert score(a, b) >= LIKELY_DUPLICATE
    assert score(b, a) == score(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("海威纺织有限公司", "海威电子有限公司"),
        ("东莞市海威纺织有限公司", "东莞市海威电子有限公司"),
        ("海伟纺织", "海威电子"),
    ],
)
def test_same_brand_different_trade_do_not_match(a: str, b: str) -> None:
    assert score(a, b) < LIKELY_DUPLICATE


def test_different_explicit_regions_are_probably_different() -> None:
    assert score("东莞海威纺织有限公司", "苏州海威纺织有限公司") < LIKELY_DUPLICATE
    assert score("海威纺织（东莞）有限公司", "苏州市海威纺织有限公司") < LIKELY_DUPLICATE
    # one region inside the other, both explicit: also kept apart (different registrations)
    assert score("鲁山县海威纺织有限公司", "河南省海威纺织有限公司") < LIKELY_DUPLICATE
    # a region on one side only says nothing against
    assert score("鲁山县海威纺织有限公司", "海威纺织有限公司") >= LIKELY_DUPLICATE
    # the same region written two ways
    assert score("鲁山县海威纺织有限公司", "海威纺织（鲁山）有限公司") == 100


@pytest.mark.parametrize(
    ("a", "b"),
    [("海威纺织", "海伟纺织"), ("惠隆建材", "惠龙建材"), ("春荣物流", "春容物流"), ("盛靖碳素", "胜靖碳素"), ("东莞海威", "东莞海伟")],
)
def test_homophone_typing_errors(a: str, b: str) -> None:
    assert score(a, b) >= LIKELY_DUPLICATE
    assert CompanyIndex_match_reason(a, b) == "pinyin"


def CompanyIndex_match_reason(a: str, b: str) -> str:  # noqa: N802 - a helper
    index = CompanyIndex()
    index.add(1, a)
    (found,) = index.match(b)
    return found.reason


def test_a_sound_alone_is_too_little() -> None:
    # two bare 字号 that only sound alike, with no trade and no shared region
    assert score("海威", "海伟") < LIKELY_DUPLICATE
    assert score("海威公司", "海伟集团") < LIKELY_DUPLICATE
    assert score("海威", "海威") == 94  # the same bare 字号: no trade on either side


def test_an_english_brand_is_a_sound_even_when_both_names_are_english() -> None:
    # "Yongxie" is 勇谐, 永谐, 永协 …: two English names with one 字号 agree only as homophones do
    assert score("Yongxie Co., Ltd.", "Yongxie Co., Ltd.") < LIKELY_DUPLICATE
    assert score("Yongxie Co., Ltd.", "Zhangfeng Yongxie Textile Co., Ltd.") < LIKELY_DUPLICATE
    assert score("Yongxie Co., Ltd.", "长丰县勇谐纺织集团有限公司") < LIKELY_DUPLICATE
    # with a trade or a place on both sides the sound is corroborated
    assert score("Yongxie Textile Co., Ltd.", "Zhangfeng Yongxie Textile Co., Ltd.") >= LIKELY_DUPLICATE
    assert score("Xinyang Xindou Co., Ltd.", "Xinyang Xindou Co., Ltd.") >= LIKELY_DUPLICATE


def test_a_different_character_that_does_not_sound_the_same_is_another_company() -> None:
    assert score("海威纺织", "海成纺织") < LIKELY_DUPLICATE


def test_short_names() -> None:
    assert score("海威", "东莞市海威纺织有限公司") >= LIKELY_DUPLICATE
    assert score("华为", "华为技术有限公司") >= LIKELY_DUPLICATE


def test_generic_trade_against_a_specific_one_is_not_enough() -> None:
    assert score("海威实业有限公司", "海威纺织有限公司") < LIKELY_DUPLICATE
    assert trade_relation("实业", "纺织") == "generic"
    assert trade_relation("技术", "科技") == "same"
    assert trade_relation("纺织", "电子") == "different"
    assert trade_relation("", "电子") == "unknown"
    assert trade_relation("起重机械", "机械") == "compatible"


def test_traditional_full_width_and_english_variants() -> None:
    assert score("海威紡織（東莞）有限公司", "东莞市海威纺织有限公司") == 100
    assert score("ＨＡＩＷＥＩ纺织", "haiwei纺织") == 100
    assert score("Haiwei Textile Co., Ltd.", "海威纺织有限公司") >= LIKELY_DUPLICATE
    assert score("Dongguan Haiwei Textile Co., Ltd.", "东莞市海威纺织有限公司") >= LIKELY_DUPLICATE
    assert score("Haiwei Electronics Co., Ltd.", "海威纺织有限公司") < LIKELY_DUPLICATE
    assert score("Huawei Technologies Co., Ltd.", "华为技术有限公司") >= LIKELY_DUPLICATE


def test_former_name_in_brackets() -> None:
    assert score("海威纺织有限公司（原东莞海威布业有限公司）", "海威纺织有限公司") == 100


def test_branch_offices_are_not_their_parent() -> None:
    assert score("海威纺织有限公司东莞分公司", "海威纺织有限公司") < LIKELY_DUPLICATE
    assert score("海威纺织有限公司东莞分公司", "海威纺织有限公司苏州分公司") < LIKELY_DUPLICATE
    assert score("海威纺织有限公司东莞分公司", "海威纺织有限公司东莞市分公司") >= LIKELY_DUPLICATE


def test_empty_names_never_match() -> None:
    assert score("", "海威纺织") == 0
    assert score("有限公司", "海威纺织") < LIKELY_DUPLICATE


def test_judge_same_valid_code_is_the_same_company_whatever_the_names() -> None:
    assert judge("海威纺织有限公司", CODE_A, "荣格集团", CODE_A) == 100
    assert judge("海威纺织有限公司", " 9135 0100 M000 100Y 43", "荣格集团", CODE_A) == 100


def test_judge_two_different_valid_codes_are_never_the_same_company() -> None:
    assert judge("海威纺织有限公司", CODE_A, "海威纺织有限公司", CODE_B) is None


def test_judge_invalid_or_missing_codes_fall_back_to_names() -> None:
    assert judge("海威纺织有限公司", BAD_CODE, "海威纺织有限公司", CODE_B) == 100
    assert judge("海威纺织有限公司", None, "海伟纺织", CODE_B) == score("海威纺织有限公司", "海伟纺织")
    assert judge("海威纺织", "91350100m000100y43", "海威电子", CODE_A) == score("海威纺织", "海威电子")


def test_scores_are_between_0_and_100() -> None:
    names = HAIWEI + ["海威电子", "", "Haiwei", "苏州海威纺织", "海威纺织有限公司东莞分公司"]
    for a in names:
        for b in names:
            assert 0 <= score(a, b) <= 100


# -- CompanyIndex -------------------------------------------------------------------

def build() -> CompanyIndex:
    index = CompanyIndex()
    index.add(1, "东莞市海威纺织有限公司", CODE_A)
    index.add(2, "海威电子有限公司")
    index.add(3, "苏州海威纺织有限公司", CODE_B)
    index.add(4, "荣格集团")
    index.add(4, "深圳荣格实业有限公司")  # another name of 4
    index.add(5, "华为技术有限公司")
    return index


def test_index_matches_by_name_best_first() -> None:
    found = build().match("海威纺织（东莞）有限公司")
    assert found[0] == Match(1, 100.0, "name")
    assert all(m.score >= LIKELY_DUPLICATE for m in found)
    assert 2 not in [m.id for m in found]


def test_index_matches_homophones() -> None:
    found = build().match("东莞海伟纺织")
    assert [m.id for m in found][:1] == [1]
    assert found[0].reason == "pinyin"


def test_index_matches_by_code_whatever_the_name() -> None:
    found = build().match("完全不同的名字", CODE_B)
    assert found == [Match(3, 100.0, "credit_code")]


def test_index_never_matches_a_holder_of_another_valid_code() -> None:
    found = build().match("东莞市海威纺织有限公司", CODE_B)
    assert [m.id for m in found] == [3]


def test_index_other_names_and_one_result_per_id() -> None:
    found = build().match("荣格实业")
    assert [m.id for m in found] == [4]


def test_index_limit_and_nothing_found() -> None:
    index = CompanyIndex()
    for i in range(20):
        index.add(i, "海威纺织有限公司")
    assert len(index.match("海威纺织", limit=5)) == 5
    assert index.match("完全无关") == []
    assert index.match("") == []
    assert len(index) == 20


CHANGYUAN = ["长垣市明宝起重机械有限公司", "长垣明宝起重机械有限公司", "长垣县明宝起重机械有限公司", "河南省新乡市长垣县明宝起重机械有限公司"]


@pytest.mark.parametrize(("a", "b"), list(combinations(CHANGYUAN, 2)))
def test_a_renamed_county_old_and_new_name_match(a: str, b: str) -> None:
    # 长垣县 became 长垣市 in 2019: "市明宝" must not be taken for the 字号
    assert name_key(a).brand == name_key(b).brand == "明宝"
    assert name_key(a).trade == "起重机械"
    assert score(a, b) >= LIKELY_DUPLICATE


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("偃师市华宇机械有限公司", "洛阳市偃师区华宇机械有限公司"),  # 撤市设区 2021
        ("孟津县龙腾建材有限公司", "洛阳市孟津区龙腾建材有限公司"),  # 撤县设区 2021
        ("淮阳县伏羲食品有限公司", "周口市淮阳区伏羲食品有限公司"),  # 撤县设区 2019
        ("邓州市丰源纺织有限公司", "邓州丰源纺织有限公司"),
        ("禹州市钧瓷工艺品有限公司", "河南省禹州钧瓷工艺品有限公司"),
        ("汝州市宏达机械有限公司", "平顶山汝州宏达机械有限公司"),
        ("玉环县华通阀门有限公司", "玉环市华通阀门有限公司"),  # 撤县设市 2017
        ("那曲地区雪域药业有限公司", "那曲市雪域药业有限公司"),  # 撤地设市 2017
    ],
)
def test_other_renames_match(a: str, b: str) -> None:
    ka, kb = name_key(a), name_key(b)
    assert ka.brand == kb.brand and ka.region_codes & kb.region_codes
    assert score(a, b) >= LIKELY_DUPLICATE


def test_a_renamed_county_is_still_not_its_neighbour() -> None:
    assert score("长垣县明宝起重机械有限公司", "封丘县明宝起重机械有限公司") < LIKELY_DUPLICATE


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Fujian Heli Superhard Materials Co.,Ltd", "福建省和利超硬材料集团有限公司"),
        ("Tongbai Xinkang Carbon Company Limited", "鑫康碳素集团有限公司"),
        ("Zhumadian Taibao Hoisting Machinery Company Limited", "泰宝起重机械（驻马店）有限公司"),
        ("Xiamen Hengxin Knitting Industrial Co., Ltd.", "厦门恒信针织实业有限公司"),
        ("Henan Kangda Medical Materials Group Co., Ltd.", "河南康达卫生材料集团有限公司"),
        ("Changyuan Mingbao Hoisting Machinery Co., Ltd.", "长垣市明宝起重机械有限公司"),  # 长 read chang
        ("Yuzhou Jiahe Pharmaceutical Co., Ltd.", "禹州市嘉禾药业有限公司"),  # Jiahe is no region here
    ],
)
def test_an_english_name_matches_its_chinese_name(english: str, chinese: str) -> None:
    assert score(english, chinese) >= LIKELY_DUPLICATE


def test_english_trades_map_to_known_trade_words() -> None:
    from crm.domain.dedup.normalise import split_trade
    from crm.domain.dedup.vocabulary import ENGLISH_TRADES, TRADE_WORDS

    known = set(TRADE_WORDS)
    assert [w for w in ENGLISH_TRADES.values() if not set(split_trade(w)) <= known] == []
    assert score("Taibao Hoisting Machinery Co., Ltd.", "泰宝纺织有限公司") < LIKELY_DUPLICATE


# -- trades the vocabulary does not know (issue 15): the tail after a shared 字号 -------------

@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("鑫康压缩机有限公司", "鑫康压缩机"),
        ("桐柏县鑫康压缩机有限公司", "桐柏鑫康公司"),  # 压缩机 unknown: 鑫康 + an unknown trade vs no trade
        ("桐柏县鑫康压缩机有限公司", "桐柏县欣康压缩机有限公司"),  # a homophone typo of the 字号
        ("西安市创羽胶带公司", "创宇胶带"),  # homophone 字号, the same unknown trade on both sides
        ("登封市亚三速冻食品股份有限公司", "登封市亚三集团"),  # 速冻 before the known 食品
        ("Jinjiang Boyin Mineral Water Co., Ltd.", "晋江市博银矿泉水公司"),  # unknown on both sides, same region
        ("Hubei Chengxin Relay Co., Ltd", "湖北省诚鑫继电器股份有限公司"),
    ],
)
def test_an_unknown_trade_after_a_shared_brand_matches(a: str, b: str) -> None:
    assert score(a, b) >= LIKELY_DUPLICATE
    assert score(b, a) == score(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("鑫康压缩机有限公司", "鑫康传感器有限公司"),  # two unknown trades that differ
        ("鑫康压缩机有限公司", "鑫康纺织有限公司"),  # an unknown trade vs a known one
        ("海威达有限公司", "海威有限公司"),  # one character more is another 字号, not a trade
        ("鸿瑞益减速机有限公司", "鸿瑞减速机有限公司"),  # 益减速机 contains 减速机: not the same trade
        ("桐柏县鑫康压缩机有限公司", "苏州市鑫康公司"),  # regions conflict
        ("Xinkang Compressor Co., Ltd.", "鑫康纺织有限公司"),  # an English word the vocabulary lacks vs a known trade
        ("Suzhou Boyin Mineral Water Co., Ltd.", "晋江市博银矿泉水有限公司"),  # untranslatable, and the regions differ
    ],
)
def test_an_unknown_trade_does_not_match_another(a: str, b: str) -> None:
    assert score(a, b) < LIKELY_DUPLICATE


def test_an_unknown_english_trade_word_is_not_part_of_the_brand() -> None:
    key = name_key("Changsha An Yi Stamping Parts Industrial CO., LTD.")
    assert key.brand == "anyi"  # 安义县 is not inside 长沙: not a second region
    assert key.regions == ("长沙市",)
    assert "~stamping" in key.trade


def test_an_unknown_trade_blocks_with_its_brand_in_the_index() -> None:
    index = CompanyIndex()
    index.add(1, "桐柏鑫康公司")
    index.add(2, "鑫康传感器有限公司")
    found = [m.id for m in index.match("桐柏县鑫康压缩机有限公司")]
    assert found == [1]
