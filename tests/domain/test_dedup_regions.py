"""The division list and region relations."""

from __future__ import annotations

from crm.domain.dedup.regions import REGIONS, relation, short_form


def test_the_list_is_complete_not_a_sample() -> None:
    counts = {level: 0 for level in (1, 2, 3)}
    for div in REGIONS.divisions.values():
        if div.level:
            counts[div.level] += 1
    assert counts[1] == 34  # 23 省, 5 自治区, 4 直辖市, 2 特别行政区
    assert counts[2] >= 330
    assert counts[3] >= 2800


def test_short_forms() -> None:
    assert short_form("东莞市") == "东莞"
    assert short_form("柘城县") == "柘城"
    assert short_form("广西壮族自治区") == "广西"
    assert short_form("新疆维吾尔自治区") == "新疆"
    assert short_form("延边朝鲜族自治州") == "延边"
    assert short_form("香港特别行政区") == "香港"
    assert short_form("沛县") is None  # one character left: too short


def test_lookup_and_hierarchy() -> None:
    (lushan,) = REGIONS.lookup("鲁山")
    (pds,) = REGIONS.lookup("平顶山")
    henan = "410000"
    assert henan in REGIONS.lookup("河南")
    assert REGIONS.name(lushan) == "鲁山县" and REGIONS.name(pds) == "平顶山市" and REGIONS.name(henan) == "河南省"
    assert {pds, henan} < REGIONS.ancestors(lushan)
    assert REGIONS.lookup("吉林") == {"220000", "220200"}  # a short form keeps every candidate
    assert REGIONS.lookup("吉林市") == {"220200"}
    assert len(REGIONS.lookup("朝阳区")) >= 2  # Beijing and Changchun


def test_relation() -> None:
    def codes(name: str) -> frozenset[str]:
        return REGIONS.lookup(name)

    assert relation(codes("鲁山"), codes("鲁山县")) == "same"
    assert relation(codes("鲁山"), codes("平顶山")) == "nested"
    assert relation(codes("东莞"), codes("苏州")) == "conflict"
    assert relation(codes("东莞"), frozenset()) == "unknown"
    assert relation(codes("中国"), codes("东莞")) == "nested"
    assert relation(codes("临夏"), codes("临夏县")) == "same"  # 临夏 is also 临夏回族自治州


def test_a_name_that_mentions_the_other_region_agrees_with_it() -> None:
    fuzhou, taijiang = REGIONS.lookup("福州市"), frozenset({"350103"})
    assert REGIONS.name("350103") == "台江区"
    assert relation(taijiang, fuzhou) == "nested"
    assert relation(taijiang, fuzhou, None, taijiang | fuzhou, fuzhou) == "same"
