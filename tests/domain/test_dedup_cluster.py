"""Grouping many records into companies."""

from __future__ import annotations

from crm.domain.dedup.cluster import dedupe

CODE_A = "91350100M000100Y43"
CODE_B = "91441900MA4W1234K4"


def groups(labels: dict) -> list[set]:
    out: dict = {}
    for rid, label in labels.items():
        out.setdefault(label, set()).add(rid)
    return sorted((g for g in out.values()), key=lambda g: sorted(map(str, g)))


def test_every_id_exactly_once_and_labels_are_first_ids() -> None:
    records = [(i, name, None) for i, name in enumerate(["海威纺织有限公司", "海威电子", "东莞市海威纺织有限公司", "", None])]
    labels = dedupe(records)
    assert set(labels) == {0, 1, 2, 3, 4}
    assert labels[2] == 0 and labels[1] == 1 and labels[3] == 3 and labels[4] == 4


def test_the_issues_examples_form_one_group_and_the_other_trade_another() -> None:
    names = ["海威纺织有限公司", "东莞市海威纺织有限公司", "海威纺织（东莞）有限公司", "海伟纺织", "海威电子有限公司"]
    labels = dedupe((i, n, None) for i, n in enumerate(names))
    assert groups(labels) == [{0, 1, 2, 3}, {4}]


def test_same_code_groups_whatever_the_names() -> None:
    labels = dedupe([(1, "海威纺织", CODE_A), (2, "荣格集团", CODE_A), (3, "海威纺织", None)])
    assert labels[1] == labels[2] == labels[3]


def test_different_valid_codes_are_never_grouped() -> None:
    labels = dedupe([(1, "海威纺织有限公司", CODE_A), (2, "海威纺织有限公司", CODE_B), (3, "东莞海威纺织", None)])
    assert labels[1] != labels[2]


def test_a_short_name_never_bridges_two_companies() -> None:
    records = [(1, "海威纺织有限公司", None), (2, "海威电子有限公司", None), (3, "海威", None)]
    labels = dedupe(records)
    assert labels[1] != labels[2]


def test_an_ambiguous_name_joins_neither() -> None:
    # 海威纺织 with no region fits 东莞 and 苏州 equally well: it stays alone
    records = [(1, "东莞市海威纺织有限公司", None), (2, "苏州市海威纺织有限公司", None), (3, "海威纺织有限公司", None)]
    assert groups(dedupe(records)) == [{1}, {2}, {3}]


def test_branch_offices_stay_apart_from_their_parent() -> None:
    records = [(1, "海威纺织有限公司", None), (2, "海威纺织有限公司东莞分公司", None), (3, "海威纺织有限公司东莞市分公司", None)]
    assert groups(dedupe(records)) == [{1}, {2, 3}]


def test_repeated_ids_are_one_company() -> None:
    labels = dedupe([("a", "海威纺织", None), ("b", "荣格集团", None), ("a", "荣格实业", None)])
    assert labels == {"a": "a", "b": "a"} or labels["a"] == labels["b"]
    assert set(labels) == {"a", "b"}


def test_isolated_ids_keep_their_own_group() -> None:
    labels = dedupe([(1, "海威纺织", None), (2, "海威纺织", None)], isolated={2})
    assert labels == {1: 1, 2: 2}


def test_deterministic() -> None:
    names = ["海威纺织", "海伟纺织", "东莞海威纺织", "苏州海威纺织", "海威电子", "海威", "Haiwei Textile Co., Ltd."]
    records = [(i, n, None) for i, n in enumerate(names)]
    first = dedupe(records)
    for _ in range(3):
        assert dedupe(records) == first


def test_realistic_variations() -> None:
    """Hand-made variations beyond the dev set: 英文名, 繁体, full-width, 曾用名, branches."""
    records = [
        ("h1", "东莞市海威纺织有限公司", None),
        ("h2", "海威紡織（東莞）有限公司", None),
        ("h3", "DONGGUAN HAIWEI TEXTILE CO., LTD.", None),
        ("h4", "海威纺织有限公司（原东莞海威布业有限公司）", None),
        ("h5", "东莞 海威纺织有限公司", None),
        ("b1", "海威纺织有限公司苏州分公司", None),
        ("e1", "东莞市海威电子科技有限公司", None),
        ("r1", "深圳荣格集团有限公司", CODE_A),
        ("r2", "荣格集团", CODE_A),
        ("r3", "Shenzhen Rongge Group Co., Ltd.", None),
        ("x1", "柘城县惠隆建材有限公司", None),
        ("x2", "柘城惠龙建材", None),
        ("x3", "商丘市惠隆建材有限公司", None),  # 柘城 is in 商丘, but both explicit: another registration
    ]
    labels = dedupe(records)
    assert groups(labels) == [{"b1"}, {"e1"}, {"h1", "h2", "h3", "h4", "h5"}, {"r1", "r2", "r3"}, {"x1", "x2"}, {"x3"}]


def test_old_and_new_names_of_a_renamed_county_form_one_group() -> None:
    names = ["长垣市明宝起重机械有限公司", "长垣明宝起重机械有限公司", "长垣县明宝起重机械有限公司", "长垣县明宝纺织有限公司"]
    labels = dedupe([(i, n, None) for i, n in enumerate(names)])
    assert groups(labels) == [{0, 1, 2}, {3}]


def test_a_short_name_never_bridges_two_unknown_trades() -> None:
    labels = dedupe([(1, "鑫康压缩机有限公司", None), (2, "鑫康传感器有限公司", None), (3, "鑫康公司", None)])
    assert labels[1] != labels[2]


def test_an_unknown_trade_groups_with_its_short_name() -> None:
    labels = dedupe([(1, "桐柏县鑫康压缩机有限公司", None), (2, "桐柏鑫康公司", None), (3, "欣康压缩机（桐柏）有限公司", None)])
    assert labels[1] == labels[2] == labels[3]


def test_a_bare_english_name_is_only_a_sound_and_joins_nothing() -> None:
    # "Yongxie Co., Ltd." says no more than the sound of a 字号: 勇谐, 永谐 and 永协 all read so. Two such
    # records, even written alike, and the English name of a company with its trade are not one company.
    names = [
        "长丰县勇谐纺织集团有限公司", "Zhangfeng Yongxie Textile Co., Ltd.",
        "Yongxie Co., Ltd.", "Yongxie Co., Ltd.", "石嘴山市永谐家纺有限公司",
    ]
    labels = dedupe((i, n, None) for i, n in enumerate(names))
    assert groups(labels) == [{0, 1}, {2}, {3}, {4}]


def test_a_bare_chinese_name_written_twice_is_still_one_company() -> None:
    labels = dedupe((i, n, None) for i, n in enumerate(["豆寿公司", "豆寿公司", "Xinyang Xindou Co., Ltd.", "Xinyang Xindou Co., Ltd."]))
    assert groups(labels) == [{0, 1}, {2, 3}]
