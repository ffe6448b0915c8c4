"""Data rows into records, or errors with the row and column the user finds in Excel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm.domain.imports.fields import Kind
from crm.domain.imports.headers import detect, remap
from crm.domain.imports.problems import Code
from crm.domain.imports.records import CompanyRecord, FundEntry, IssueRecord, LeadRecord, ProjectRecord, VisitRecord
from crm.domain.imports.rows import convert
from crm.domain.leads import LeadSource
from crm.domain.pipeline import Stage
from crm.domain.visits import VisitType

N = None


def sheet(kind: Kind, rows, merges=()):
    return convert(rows, detect(rows, kind, merges), merges)


def test_rows_become_records_with_their_excel_row_numbers() -> None:
    rows = [
        ["项目名称", "投资方", "总投资（亿元）", "项目阶段", "签约时间", "分包县级领导", "是否重点项目"],
        ["新材料产业园", "深圳荣格集团", 1.2, "已签约", "2025.4", "张三、李四", "是"],
        [N, N, N, N, N, N, N],
        ["纺织园", "海威香港实业有限公司", "9.6亿", "在建", 45762, N, "否"],
    ]
    result = sheet(Kind.PROJECTS, rows)
    assert [r.row for r in result.rows] == [2, 4]  # the blank row 3 is passed over
    first, second = result.records()
    assert first == ProjectRecord(
        name="新材料产业园",
        investor="深圳荣格集团",
        total_investment=Decimal("12000.00"),
        stage=Stage.SIGNED,
        signed_month="2025-04",
        leaders=("张三", "李四"),
        is_key=True,
    )
    assert second.total_investment == Decimal("96000.00") and second.stage is Stage.STARTED
    assert second.signed_month == "2025-04" and second.is_key is False
    assert result.errors() == []


def test_each_bad_cell_is_an_error_with_row_column_and_letter() -> None:
    rows = [
        ["序号", "项目名称", "投资方", "总投资（亿元）", "项目阶段", "开工时间"],
        [1, "新材料产业园", N, "一亿", "未开工", "明年"],
    ]
    result = sheet(Kind.PROJECTS, rows)
    [row] = result.rows
    assert row.record is None
    found = [(e.row, e.letter, e.column, e.problem.code) for e in row.errors]
    assert found == [
        (2, "D", "总投资（亿元）", Code.BAD_AMOUNT),
        (2, "E", "项目阶段", Code.BAD_CHOICE),
        (2, "F", "开工时间", Code.BAD_DATE),
        (2, "C", "投资方", Code.REQUIRED),
    ]


def test_totals_notes_headings_and_repeats_are_skipped_and_said() -> None:
    rows = [
        ["序号", "项目名称", "投资方", "总投资"],
        [N, "一、签约项目", N, N],
        [1, "新材料产业园", "深圳荣格集团", 12000],
        [2, "新材料产业园", "深圳荣格集团", 12000],  # the same project again, with its own 序号
        [3, N, N, N],  # a 序号 typed ahead is a blank row
        [N, "小计", N, 12000],
        [N, "合计", N, 12000],
        ["注：金额单位为万元", N, N, N],
    ]
    result = sheet(Kind.PROJECTS, rows)
    assert len(result.records()) == 1
    skipped = [(r.row, r.skipped.code, r.skipped.value, r.skipped.detail) for r in result.skipped()]
    assert skipped == [
        (2, Code.SECTION_ROW, "一、签约项目", ""),
        (4, Code.DUPLICATE, "", "3"),
        (6, Code.TOTAL_ROW, "", ""),
        (7, Code.TOTAL_ROW, "", ""),
        (8, Code.NOTE_ROW, "", ""),
    ]


def test_a_unit_merged_down_over_its_projects_reaches_each() -> None:
    rows = [
        ["责任单位", "项目名称", "投资方"],
        ["产业集聚区", "新材料产业园", "深圳荣格集团"],
        [N, "纺织园", "海威香港实业有限公司"],
    ]
    result = sheet(Kind.PROJECTS, rows, merges=(((1, 0), (2, 0)),))
    assert [r.unit for r in result.records()] == ["产业集聚区", "产业集聚区"]


def test_nothing_is_converted_when_a_required_column_is_missing() -> None:
    result = sheet(Kind.PROJECTS, [["项目名称", "总投资"], ["新材料产业园", 1]])
    assert result.rows == () and result.problems[0].code is Code.MISSING_COLUMN


def test_the_users_mapping_decides() -> None:
    rows = [["项目名称", "业主", "金额", "项目阶段"], ["新材料产业园", "深圳荣格集团", "1.2亿", "在谈"]]
    layout = detect(rows, Kind.PROJECTS)
    assert layout.problems[0].code is Code.MISSING_COLUMN  # 投资方
    fixed = remap(layout, {"业主": "investor", "C": "total_investment"})
    [record] = convert(rows, fixed).records()
    assert record.investor == "深圳荣格集团" and record.total_investment == Decimal("12000.00")


def test_the_user_names_the_header_rows_when_none_is_found() -> None:
    rows = [["名称", "业主"], ["新材料产业园", "深圳荣格集团"]]
    layout = remap(detect(rows, Kind.PROJECTS, at=(0, 0)), {"名称": "name", "业主": "investor"})
    assert convert(rows, layout).records() == [ProjectRecord(name="新材料产业园", investor="深圳荣格集团")]


def test_companies_with_a_contact() -> None:
    rows = [
        ["企业名称", "统一社会信用代码", "企业标签", "注册资本（亿元）", "联系人", "职务", "联系电话"],
        ["海威香港实业有限公司", "91350100M000100Y43", "世界500强、上市公司", 2, "张三", "总经理", 13800138000],
    ]
    [record] = sheet(Kind.COMPANIES, rows).records()
    assert isinstance(record, CompanyRecord)
    assert record.credit_code == "91350100M000100Y43" and len(record.tags) == 2
    assert record.registered_capital == Decimal("20000.00")
    assert (record.contact_name, record.contact_title, record.contact_phone) == ("张三", "总经理", "13800138000")


def test_leads_with_an_amount_range() -> None:
    rows = [
        ["线索名称", "投资方", "招商方式", "拟投资额", "接收日期", "跟进人"],
        ["金刚石项目", "力量新材料制造集团", "以商招商", "1-2亿", "2025年3月5日", "王五"],
    ]
    [record] = sheet(Kind.LEADS, rows).records()
    assert isinstance(record, LeadRecord)
    assert record.amount == (Decimal("10000.00"), Decimal("20000.00"))
    assert record.source is LeadSource.BUSINESS_REFERRAL and record.received_on == date(2025, 3, 5)


def test_visits() -> None:
    rows = [
        ["走访日期", "走访类型", "走访企业", "带队领导", "参加人员", "纪要"],
        ["2025/4/15", "外出拜访", "深圳荣格集团", "张三", "李四、王五", "洽谈新材料项目"],
    ]
    [record] = sheet(Kind.VISITS, rows).records()
    assert isinstance(record, VisitRecord)
    assert record.start_on == date(2025, 4, 15) and record.type is VisitType.OUTBOUND
    assert record.participants == ("李四", "王五")


def test_funds_one_row_per_month() -> None:
    rows = [["项目名称", "月份", "本期到位（万元）", "用途"], ["新材料产业园", "2025年4月", "300", "固定资产"]]
    [record] = sheet(Kind.FUNDS, rows).records()
    assert record.entries == (FundEntry("2025-04", Decimal("300.00")),)


def test_funds_one_column_per_month() -> None:
    rows = [
        ["2025年到位资金台账（单位：亿元）", N, N, N],
        ["项目名称", "1月", "2月", "3月"],
        ["新材料产业园", 0.1, N, "0.25"],
        ["纺织园", N, 0, N],
        ["冷链物流园", "-0.1", N, N],
    ]
    result = sheet(Kind.FUNDS, rows)
    first, nothing, negative = result.rows
    assert first.record.entries == (FundEntry("2025-01", Decimal("1000.00")), FundEntry("2025-03", Decimal("2500.00")))
    assert nothing.skipped.code is Code.NO_AMOUNT
    assert [(e.letter, e.problem.code) for e in negative.errors] == [("B", Code.NEGATIVE)]


def test_issues_with_a_month_deadline() -> None:
    rows = [
        ["编号", "项目名称", "问题描述", "问题类别", "责任单位", "负责人", "办理期限", "长期跟踪"],
        ["WT2025-001", "新材料产业园", "用地报批未完成", "用地", "自然资源局", "赵六", "2025年6月", "√"],
    ]
    [record] = sheet(Kind.ISSUES, rows).records()
    assert isinstance(record, IssueRecord)
    assert record.deadline == date(2025, 6, 30) and record.long_term is True
