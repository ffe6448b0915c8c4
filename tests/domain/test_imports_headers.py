"""Finding a sheet's header: title and 填报单位 rows above it, two-row headers, units, synonyms, month columns."""

from __future__ import annotations

import dataclasses

import pytest

from crm.domain.imports.fields import FIELDS, Kind, header_key, headers_of
from crm.domain.imports.headers import column_letter, detect, filled, remap
from crm.domain.imports.problems import Code, ProblemError
from crm.domain.imports.records import FundRecord
from crm.domain.imports.rows import RECORD_TYPES
from crm.domain.imports.values import Unit

N = None


def fields_of(layout) -> dict[str, str | None]:
    return {c.header: c.field for c in layout.columns if c.header}


def test_a_plain_header_in_the_first_row() -> None:
    layout = detect([["项目名称", "投资方", "总投资"], ["新材料产业园", "深圳荣格集团", 12000]], Kind.PROJECTS)
    assert (layout.first_header_row, layout.last_header_row, layout.data_start) == (0, 0, 1)
    assert fields_of(layout) == {"项目名称": "name", "投资方": "investor", "总投资": "total_investment"}
    assert layout.problems == ()


def test_title_and_unit_line_above_a_header_with_units_below() -> None:
    rows = [
        ["XX县2025年重点项目台账", N, N, N, N],
        ["填报单位：县招商局", N, N, "单位：万元", N],
        ["序号", "项目名称", "投资主体", "计划总投资", "合同引资额"],
        [N, N, N, "（亿元）", N],
        [1, "新材料产业园", "深圳荣格集团", 1.2, 3000],
    ]
    layout = detect(rows, Kind.PROJECTS, merges=(((0, 0), (0, 4)),))
    assert (layout.first_header_row, layout.last_header_row) == (2, 3)
    assert fields_of(layout) == {
        "序号": None,
        "项目名称": "name",
        "投资主体": "investor",
        "计划总投资（亿元）": "total_investment",
        "合同引资额": "contracted_amount",
    }
    by_field = {c.field: c for c in layout.columns}
    assert by_field["total_investment"].unit is Unit.YI
    assert by_field["contracted_amount"].unit is None and layout.unit is Unit.WAN  # the title's 单位：万元


def test_units_written_in_the_header() -> None:
    layout = detect([["项目名称", "客商", "总投资\n（亿元）", "合同引资额(万元)"]], Kind.PROJECTS)
    units = {c.field: c.unit for c in layout.columns}
    assert units == {"name": None, "investor": None, "total_investment": Unit.YI, "contracted_amount": Unit.WAN}
    assert layout.columns[2].header == "总投资\n（亿元）"


def test_a_merged_group_header_above_sub_headers() -> None:
    rows = [
        ["项目名称", "投资方", "计划投资", N, "项目阶段"],
        [N, N, "总投资", "一期投资", N],
        ["新材料产业园", "深圳荣格集团", 12000, 5000, "签约"],
    ]
    merges = (((0, 0), (1, 0)), ((0, 1), (1, 1)), ((0, 2), (0, 3)), ((0, 4), (1, 4)))
    layout = detect(rows, Kind.PROJECTS, merges)
    assert (layout.first_header_row, layout.last_header_row) == (0, 1)
    assert fields_of(layout) == {
        "项目名称": "name",
        "投资方": "investor",
        "计划投资 总投资": "total_investment",
        "计划投资 一期投资": "first_phase_investment",
        "项目阶段": "stage",
    }


def test_a_group_header_without_merges_is_carried_over_its_sub_headers_only() -> None:
    """CSV keeps no merges: 到位资金 is carried right over 累计, not over the empty cell after it."""
    rows = [
        ["项目", "月份", "到位资金", N, N],
        [N, N, "本月到位", "累计", N],
        ["新材料产业园", "2025.4", 300, 800, N],
    ]
    layout = detect(rows, Kind.FUNDS)
    assert [c.header for c in layout.columns] == ["项目", "月份", "到位资金 本月到位", "到位资金 累计", ""]
    assert fields_of(layout)["到位资金 本月到位"] == "amount"


def test_a_group_row_above_the_best_row_joins_it() -> None:
    rows = [
        ["企业信息", "企业信息", "联系人信息", "联系人信息"],
        ["企业名称", "统一社会信用代码", "联系人", "电话"],
        ["海威香港实业有限公司", N, "张三", "13800138000"],
    ]
    layout = detect(rows, Kind.COMPANIES)
    assert (layout.first_header_row, layout.last_header_row) == (0, 1)
    assert [c.field for c in layout.columns] == ["name", "credit_code", "contact_name", "contact_phone"]


def test_a_group_header_may_carry_the_unit_of_its_sub_headers() -> None:
    rows = [["项目名称", "投资方", "计划投资（亿元）", "计划投资（亿元）"], [N, N, "总投资", "一期投资"], ["园", "某公司", 1.2, 0.5]]
    layout = detect(rows, Kind.PROJECTS, merges=(((0, 2), (0, 3)),))
    assert [(c.field, c.unit) for c in layout.columns[2:]] == [("total_investment", Unit.YI), ("first_phase_investment", Unit.YI)]


def test_a_unit_line_above_is_not_a_group() -> None:
    rows = [["填报：县招商局", N, "单位：万元", N], ["项目名称", "投资方", "总投资", "一期投资"]]
    assert detect(rows, Kind.PROJECTS).first_header_row == 1


def test_a_title_above_is_not_a_group() -> None:
    rows = [["企业名录", "企业名录", "企业名录"], ["企业名称", "联系人", "电话"], ["海威", "张三", "138"]]
    layout = detect(rows, Kind.COMPANIES, merges=(((0, 0), (0, 2)),))
    assert layout.first_header_row == 1


def test_the_first_data_row_never_joins_the_header() -> None:
    rows = [["企业名称", "联系人", "电话"], ["海威香港实业有限公司", "张三", "13800138000"]]
    assert detect(rows, Kind.COMPANIES).last_header_row == 0


def test_synonyms_by_kind() -> None:
    assert headers_of(Kind.PROJECTS)[header_key("项目")] == "name"
    assert headers_of(Kind.LEADS)[header_key("项目名称")] == "name"
    assert headers_of(Kind.FUNDS)[header_key("项目名称")] == "project"
    assert headers_of(Kind.COMPANIES)[header_key("企业名称")] == "name"
    assert headers_of(Kind.PROJECTS)[header_key("企业名称")] == "investor"
    assert headers_of(Kind.ISSUES)[header_key("编号")] == "number"  # not the ignored 编号 of other kinds
    assert headers_of(Kind.PROJECTS)[header_key("编号")] is None
    assert header_key("＊项目名称：") == "项目名称"


def test_the_first_column_keeps_a_field_named_twice() -> None:
    layout = detect([["项目名称", "投资方", "企业名称"]], Kind.PROJECTS)
    assert [c.field for c in layout.columns] == ["name", "investor", None]


def test_missing_required_columns_are_the_sheets_problem() -> None:
    layout = detect([["项目名称", "总投资", "项目阶段"]], Kind.PROJECTS)
    assert [(p.code, p.detail) for p in layout.problems] == [(Code.MISSING_COLUMN, "投资方")]


def test_no_header() -> None:
    with pytest.raises(ProblemError) as caught:
        detect([["说明"], ["这张表没有表头"], [1, 2, 3]], Kind.PROJECTS)
    assert caught.value.problem.code is Code.NO_HEADER
    assert caught.value.problem.detail == "项目名称、投资方"


def test_month_columns_of_a_funds_sheet_take_the_year_from_the_title() -> None:
    rows = [["2025年到位资金台账", N, N, N], ["项目名称", "1月", "2月份", "3月"]]
    layout = detect(rows, Kind.FUNDS)
    assert [c.period for c in layout.month_columns()] == ["2025-01", "2025-02", "2025-03"]
    assert layout.problems == ()


def test_month_columns_without_a_year() -> None:
    layout = detect([["项目名称", "1月", "2月"]], Kind.FUNDS)
    assert [p.code for p in layout.problems] == [Code.MONTH_WITHOUT_YEAR, Code.MONTH_WITHOUT_YEAR]


def test_a_funds_sheet_needs_months() -> None:
    layout = detect([["项目名称", "投资方", "用途"]], Kind.FUNDS)
    assert [p.detail for p in layout.problems] == ["月份", "本期到位"]


def test_the_user_corrects_the_mapping() -> None:
    layout = detect([["项目名称", "投资方", "备注", "业主", N]], Kind.PROJECTS)
    assert layout.mapping() == {"项目名称": "name", "投资方": "investor", "备注": "notes", "业主": None, "E": None}
    fixed = remap(layout, {"备注": None, "D": "owner"})
    assert [c.field for c in fixed.columns] == ["name", "investor", None, "owner", None]
    with pytest.raises(ProblemError) as caught:
        remap(layout, {"备注": "name"})
    assert caught.value.problem.code is Code.SAME_FIELD_TWICE and caught.value.problem.detail == "项目名称"
    with pytest.raises(KeyError):
        remap(layout, {"备注": "no_such_field"})
    assert remap(layout, {"投资方": None}).problems[0].detail == "投资方"


def test_merges_fill_the_header_but_only_go_down_in_the_data() -> None:
    rows = [["项目", N], ["A", N], [N, N]]
    merges = (((0, 0), (0, 1)), ((1, 0), (2, 1)))
    assert filled(rows, merges, header_end=0) == [["项目", "项目"], ["A", N], ["A", N]]


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


@pytest.mark.parametrize("kind", list(Kind))
def test_records_have_the_fields_of_their_kind(kind) -> None:
    record_fields = {f.name for f in dataclasses.fields(RECORD_TYPES[kind])}
    spec_fields = {f.name for f in FIELDS[kind]}
    if RECORD_TYPES[kind] is FundRecord:  # 月份 + 本期到位 (or the month columns) become entries
        spec_fields = spec_fields - {"period", "amount"} | {"entries"}
    assert record_fields == spec_fields
