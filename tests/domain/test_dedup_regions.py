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


def test_renames_by_rule_old_and_new_names_are_one_division() -> None:
    changyuan = REGIONS.lookup("长垣市")
    assert changyuan == {"410783"}  # 撤县设市 2019
    assert REGIONS.lookup("长垣县") == changyuan == REGIONS.lookup("长垣")
    assert REGIONS.lookup("偃师市") == REGIONS.lookup("偃师区") == {"410307"}  # 撤市设区 2021
    assert REGIONS.lookup("偃师") == {"410307"}  # a former 市: its short form is known anywhere
    assert REGIONS.lookup("孟津县") == REGIONS.lookup("孟津区") == REGIONS.lookup("孟津")  # 撤县设区 2021
    assert REGIONS.lookup("淮阳县") == REGIONS.lookup("淮阳区")  # 撤县设区 2019
    assert REGIONS.lookup("即墨市") == REGIONS.lookup("即墨区")  # 撤市设区 2017
    assert REGIONS.lookup("玉环县") == REGIONS.lookup("玉环市")  # 撤县设市 2017
    assert REGIONS.lookup("那曲地区") == REGIONS.lookup("那曲市") == {"540600"}  # 撤地设市 2017
    for city in ("邓州", "禹州", "汝州"):  # Henan's county-level cities, by any suffix
        assert REGIONS.lookup(city + "市") == REGIONS.lookup(city + "县") == REGIONS.lookup(city)
    # not a district's short form: 海淀区 gets no standalone "海淀" from a 海淀县 that never was
    assert "海淀" not in REGIONS.short


def test_the_rule_needs_no_data_about_the_rename() -> None:
    from crm.domain.dedup.regions import Regions

    # a list that knows only the new name still reads the old one (the next 撤县设市)
    regions = Regions([("410000", "河南省"), ("410700", "新乡市"), ("410783", "长垣市"), ("410800", "焦作市")])
    assert regions.lookup("长垣县") == regions.lookup("长垣区") == {"410783"}
    assert regions.lookup("焦作地区") == {"410800"}
    # an official name is never taken over by a derived one: 新乡县 is not 新乡市
    regions = Regions([("410000", "河南省"), ("410700", "新乡市"), ("410721", "新乡县")])
    assert regions.lookup("新乡市") == {"410700"}


def test_the_rule_does_not_take_trade_words() -> None:
    # 江城区 (阳江) → 江城市 by the rule, but "江城市政工程" is 江城 + 市政工程
    hit = REGIONS.match_at("江城市政工程", 0)
    assert hit is None or hit[0] == 2  # at most 江城 (江城哈尼族彝族自治县), never 江城市
    assert REGIONS.match_at("长垣市政工程", 0) == (2, REGIONS.lookup("长垣"))  # the region is 长垣
    assert "路桥市" not in REGIONS.derived  # 路桥 is a trade word (路桥区, 台州)
    assert REGIONS.match_at("华龙区块链", 0) is None  # 华龙区 (濮阳) + 块链? no: 区块链


def test_a_complete_rename_is_one_division_under_both_names() -> None:
    # the name changed, not only its last character: no rule can derive these, the data ties them
    assert REGIONS.lookup("许昌县") == REGIONS.lookup("建安区") == {"411003"}  # 撤县设区 2016
    assert REGIONS.lookup("禹县") == REGIONS.lookup("禹州市") == {"411081"}  # 1988
    assert REGIONS.lookup("汲县") == REGIONS.lookup("卫辉市")
    assert REGIONS.lookup("襄樊市") == REGIONS.lookup("襄阳市") == REGIONS.lookup("襄樊") == {"420600"}  # 2010
    assert REGIONS.lookup("思茅市") == REGIONS.lookup("普洱市")
    assert REGIONS.lookup("伊克昭盟") == REGIONS.lookup("鄂尔多斯市")
    # a former 市 gives the district it became a standalone short form (吴江市 → 吴江区 2012)
    assert REGIONS.lookup("吴江") == REGIONS.lookup("吴江区") == {"320509"}
    # the old division's own code is gone: 许昌县 is no region of its own beside 建安区
    assert "411023" not in REGIONS.divisions


def test_the_rename_list_resolves_every_row() -> None:
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "data" / "division_renames.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 100
    for row in rows:
        old = REGIONS.lookup(row["former"])
        # the successor, which may share its name with divisions elsewhere (永定区 in 福建 and 湖南)
        assert old and old <= REGIONS.lookup(row["current"]), row
