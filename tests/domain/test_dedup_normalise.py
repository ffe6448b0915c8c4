"""Company names taken apart: one test per normalisation rule."""

from __future__ import annotations

import pytest

from crm.domain.dedup.normalise import blocking_keys, clean, name_key, pinyin_forms, split_trade


def parts(name: str) -> tuple[str, str, tuple[str, ...]]:
    key = name_key(name)
    return key.brand, key.trade, key.regions


def test_plain_name() -> None:
    assert parts("海威纺织有限公司") == ("海威", "纺织", ())


def test_nfkc_full_width_to_half_width() -> None:
    assert clean("ＡＢＣ１２３（东莞）") == "abc123(东莞)"
    assert name_key("ＴＣＬ科技集团股份有限公司").brand == "tcl"


@pytest.mark.parametrize("name", ["东莞 海威 纺织 有限 公司", "东莞市海威纺织有限公\u3000司", " 东莞市海威纺织有限公司 ", "东莞市海威\t纺织有限公司"])
def test_spaces_of_every_kind_are_removed(name: str) -> None:
    assert parts(name) == ("海威", "纺织", ("东莞市",))


@pytest.mark.parametrize(
    "name", ["海威纺织（东莞）有限公司", "海威纺织(东莞)有限公司", "海威纺织【东莞】有限公司", "海威纺织〔东莞市〕有限公司"]
)
def test_brackets_holding_a_region_keep_it_as_the_region(name: str) -> None:
    assert parts(name) == ("海威", "纺织", ("东莞市",))


def test_other_bracket_contents_are_dropped() -> None:
    assert parts("海威纺织有限公司（原东莞海威布业有限公司）") == ("海威", "纺织", ())
    assert parts("海威投资管理中心（有限合伙）")[0] == "海威"
    assert parts("海威纺织((东莞))有限公司") == ("海威", "纺织", ("东莞市",))
    assert parts("海威纺织（东莞有限公司") == ("海威", "纺织", ("东莞市",))  # unbalanced bracket


def test_traditional_to_simplified() -> None:
    assert parts("海威紡織（東莞）有限公司") == ("海威", "纺织", ("东莞市",))
    assert name_key("臺灣海威電子股份有限公司").trade == "电子"


@pytest.mark.parametrize(
    "name",
    [
        "海威纺织有限公司", "海威纺织有限责任公司", "海威纺织股份有限公司", "海威纺织集团有限公司",
        "海威纺织集团股份有限公司", "海威纺织控股集团有限公司", "海威纺织集团", "海威纺织公司", "海威纺织",
        "海威纺织总公司", "海威纺织有限合伙企业", "海威纺织专业合作社",
    ],
)
def test_legal_forms_are_stripped(name: str) -> None:
    assert parts(name)[:2] == ("海威", "纺织")


@pytest.mark.parametrize(
    ("name", "regions"),
    [
        ("东莞市海威纺织有限公司", ("东莞市",)),
        ("东莞海威纺织有限公司", ("东莞市",)),
        ("柘城县海威纺织有限公司", ("柘城县",)),
        ("柘城海威纺织有限公司", ("柘城县",)),
        ("平顶山海威纺织有限公司", ("平顶山市",)),
        ("鲁山海威纺织有限公司", ("鲁山县",)),
        ("河南省海威纺织有限公司", ("河南省",)),
        ("河南海威纺织有限公司", ("河南省",)),
        ("河南省平顶山市鲁山县海威纺织有限公司", ("河南省", "平顶山市", "鲁山县")),
        ("广西壮族自治区海威纺织有限公司", ("广西壮族自治区",)),
        ("广西海威纺织有限公司", ("广西壮族自治区",)),
        ("新疆海威纺织有限公司", ("新疆维吾尔自治区",)),
        ("延边海威纺织有限公司", ("延边朝鲜族自治州",)),
        ("深圳南山海威纺织有限公司", ("深圳市", "南山区")),
        ("北京市海淀区海威纺织有限公司", ("北京市", "海淀区")),
        ("中国海威纺织集团有限公司", ("中国",)),
        ("海威纺织东莞有限公司", ("东莞市",)),
    ],
)
def test_regions_at_any_level_full_and_short(name: str, regions: tuple[str, ...]) -> None:
    brand, trade, found = parts(name)
    assert (brand, trade) == ("海威", "纺织")
    assert found == regions


def test_the_most_specific_region_is_the_names_region() -> None:
    assert name_key("河南省平顶山市鲁山县海威纺织有限公司").region_codes == frozenset({"410423"})
    assert name_key("吉林省吉林市海威纺织").region_codes == frozenset({"220200"})


def test_district_short_forms_only_after_their_city() -> None:
    # 南山 alone is a word, not 深圳市南山区; 阿里巴巴 is not 阿里地区
    assert parts("南山海威纺织")[0] == "南山海威"
    assert parts("阿里巴巴（中国）有限公司")[0] == "阿里巴巴"


def test_a_region_that_is_the_whole_brand_is_kept_as_the_brand() -> None:
    assert parts("中山电子有限公司") == ("中山", "电子", ())
    assert parts("柘城县德兴纺织有限公司") == ("德兴", "纺织", ("柘城县",))
    assert parts("北京电子有限公司") == ("北京", "电子", ())


def test_region_between_brand_and_trade() -> None:
    assert parts("海威香港实业有限公司") == ("海威", "实业", ("香港特别行政区",))


def test_trade_words() -> None:
    assert parts("春海生物科技集团有限公司")[:2] == ("春海", "生物科技")
    assert parts("圣圆起重机械有限公司")[:2] == ("圣圆", "起重机械")
    assert parts("鲁吉兰美体内衣有限公司")[:2] == ("鲁吉兰", "美体内衣")
    assert parts("乐格新材料有限公司")[:2] == ("乐格", "新材料")
    assert parts("德光电子有限公司")[:2] == ("德光", "电子")  # not 德 + 光电子
    assert parts("商涛集团")[:2] == ("商涛", "")
    assert split_trade("生物科技新材料") == ("生物科技", "新材料")


def test_branch_offices_are_split_off() -> None:
    key = name_key("海威纺织有限公司东莞分公司")
    assert (key.brand, key.trade, key.branch) == ("海威", "纺织", "东莞分公司")
    assert name_key("中国银行股份有限公司柘城支行").branch == "柘城支行"
    assert name_key("海威纺织有限公司").branch == ""


def test_english_names() -> None:
    key = name_key("Haiwei Textile Co., Ltd.")
    assert (key.brand, key.trade, key.english) == ("haiwei", "纺织", True)
    for name in ["HAIWEI TEXTILE LIMITED", "Haiwei Textile Inc.", "Haiwei Textile GmbH", "Haiwei Textile LLC",
                 "Haiwei Textile Corp.", "Haiwei Textile Company Limited", "The Haiwei Textile Co.,Ltd"]:
        assert name_key(name).brand == "haiwei", name
    dongguan = name_key("Dongguan Haiwei Textile (China) Co., Ltd")
    assert dongguan.brand == "haiwei" and "东莞市" in dongguan.regions
    assert name_key("HAIWEI TEXTILE (HONG KONG) LIMITED").regions == ("香港特别行政区",)


def test_empty_and_blank_names() -> None:
    assert name_key("").empty
    assert name_key("   ").empty
    assert blocking_keys(name_key("")) == frozenset()


def test_pinyin_forms() -> None:
    assert pinyin_forms("海威纺织") == ("haiweifangzhi", "hwfz")
    assert pinyin_forms("TCL科技") == ("tclkeji", "tclkj")
    assert pinyin_forms("海威紡織") == ("haiweifangzhi", "hwfz")
    assert pinyin_forms("重庆") == ("chongqing", "cq")
    assert pinyin_forms("") == ("", "")


def test_key_pinyin() -> None:
    key = name_key("东莞市海威纺织有限公司")
    assert key.core == "海威纺织"
    assert key.pinyin == "haiweifangzhi"
    assert key.brand_pinyin == "haiwei"


def test_blocking_keys_are_shared_by_homophones_and_variants() -> None:
    names = ["海威纺织有限公司", "东莞市海威纺织有限公司", "海威纺织（东莞）有限公司", "海伟纺织", "海威", "Haiwei Textile Co., Ltd."]
    keys = [blocking_keys(name_key(n)) for n in names]
    common = frozenset.intersection(*keys)
    assert common == {"p2:haiwei"}


def test_long_brands_get_a_key_for_their_end() -> None:
    keys = blocking_keys(name_key("北京字节跳动科技有限公司"))
    assert keys == {"p2:zijie", "pz:tiaodong"}
