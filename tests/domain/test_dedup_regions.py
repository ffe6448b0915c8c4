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


def test_the_division_list_is_package_data_current_to_2024() -> None:
    from importlib.resources import files

    from crm.domain.dedup.data import division_rows, nations

    resource = files("crm.domain.dedup.data").joinpath("divisions.csv")
    assert resource.is_file()
    assert resource.read_text(encoding="utf-8").startswith("code,name,status\n")
    rows = {(code, name): status for code, name, status in division_rows()}
    assert rows[("410783", "长垣市")] == "current"  # 撤县设市, 2019
    assert rows[("653229", "和安县")] == "current"  # set up in December 2024
    assert rows[("330383", "龙港市")] == "current"
    assert rows[("410728", "长垣县")] == "former"
    assert len(nations()) == 56 and "朝鲜族" in nations()


def test_a_former_name_is_another_name_of_its_successor() -> None:
    assert REGIONS.lookup("桥东区") >= {"130502"}  # 邢台's 桥东区, renamed 襄都区 under the same code
    assert "130682" in REGIONS.lookup("定州市")  # moved from 省直辖 to 保定
    laiwu = REGIONS.lookup("莱芜市")  # abolished 2019: still a division, inside 山东
    assert laiwu and "370000" in REGIONS.ancestors(next(iter(laiwu)))


def test_pyproject_ships_the_data_files_in_the_wheel() -> None:
    import tomllib
    from fnmatch import fnmatch
    from pathlib import Path

    import crm

    root = Path(crm.__file__).resolve().parents[1]
    package_data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    patterns = package_data["crm.domain.dedup.data"]
    for name in ("divisions.csv", "nations.txt"):
        assert (root / "crm" / "domain" / "dedup" / "data" / name).is_file()
        assert any(fnmatch(name, p) for p in patterns), name
