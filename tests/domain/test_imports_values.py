"""One cell into a value: amounts in 万元, dates and months, choices, 是/否, and the rows that are no records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from crm.domain.imports import values, words
from crm.domain.imports.problems import Code, ProblemError
from crm.domain.imports.values import Unit
from crm.domain.issues import IssueStatus
from crm.domain.leads import LeadGrade
from crm.domain.pipeline import Stage


def code_of(read, *args) -> Code:
    with pytest.raises(ProblemError) as caught:
        read(*args)
    return caught.value.problem.code


@pytest.mark.parametrize(
    ("cell", "unit", "wan"),
    [
        (1.2, Unit.YI, "12000.00"),  # a number in a column headed （亿元）
        ("1.2亿", None, "12000.00"),
        ("9.6亿", Unit.WAN, "96000.00"),  # the cell's unit wins over the column's
        ("3,000万元", None, "3000.00"),
        ("３，０００万", None, "3000.00"),  # full-width digits and comma (WPS with a Chinese IME)
        ("12,345.5", None, "12345.50"),
        (" 500 万 元 ", None, "500.00"),
        ("3000000元", None, "300.00"),
        (5000, None, "5000.00"),  # a plain number is 万元 already
        (5000.0, Unit.YUAN, "0.50"),
        ("0.5亿美元", None, "5000.00"),  # 外资: the scale only; the field says 万美元
        (1e-05, None, "0.00"),
    ],
)
def test_amounts_are_read_into_wan(cell, unit, wan) -> None:
    assert values.amount(cell, unit) == Decimal(wan)


@pytest.mark.parametrize("cell", [None, "", "  ", "-", "—", "/", "无"])
def test_blank_amounts_are_none(cell) -> None:
    assert values.amount(cell) is None


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("一亿", Code.BAD_AMOUNT),
        ("1.2亿元左右", Code.BAD_AMOUNT),
        ("abc", Code.BAD_AMOUNT),
        (True, Code.BAD_AMOUNT),
        (date(2025, 4, 1), Code.BAD_AMOUNT),
        ("-300", Code.NEGATIVE),
        (-1.5, Code.NEGATIVE),
        ("20000亿亿", Code.BAD_AMOUNT),
        ("200000000000", Code.TOO_LARGE),  # 万元: more than 1 万亿元
    ],
)
def test_bad_amounts_say_why(cell, code) -> None:
    assert code_of(values.amount, cell) is code


def test_amount_ranges() -> None:
    assert values.amount_range("1-2亿") == (Decimal("10000.00"), Decimal("20000.00"))
    assert values.amount_range("5000万~1亿") == (Decimal("5000.00"), Decimal("10000.00"))
    assert values.amount_range("3000至5000", Unit.WAN) == (Decimal("3000.00"), Decimal("5000.00"))
    assert values.amount_range("1.5亿") == (Decimal("15000.00"), Decimal("15000.00"))
    assert values.amount_range(800) == (Decimal("800.00"), Decimal("800.00"))
    assert values.amount_range("-") is None
    assert code_of(values.amount_range, "2-1亿") is Code.BAD_RANGE


def test_numbers_and_integers() -> None:
    assert values.number("120亩", "亩") == Decimal("120")
    assert values.number("1,200.5") == Decimal("1200.5")
    assert values.number(35.0) == Decimal("35.0")
    assert values.integer("350人", "人") == 350
    assert values.integer(350.0) == 350
    assert code_of(values.number, "很多") is Code.BAD_NUMBER
    assert code_of(values.number, "-3") is Code.NEGATIVE
    assert code_of(values.integer, "3.5") is Code.BAD_INTEGER


@pytest.mark.parametrize(
    ("cell", "day", "month_only"),
    [
        (datetime(2025, 4, 15, 0, 0), date(2025, 4, 15), False),  # an Excel date
        (date(2025, 4, 15), date(2025, 4, 15), False),
        (45762.0, date(2025, 4, 15), False),  # the serial behind a date shown as a number
        ("45762", date(2025, 4, 15), False),  # the serial typed as text
        (45762.75, date(2025, 4, 15), False),  # with a time of day
        ("2025-04-15", date(2025, 4, 15), False),
        ("2025/4/15", date(2025, 4, 15), False),
        ("2025.4.15", date(2025, 4, 15), False),
        ("2025年4月15日", date(2025, 4, 15), False),
        ("２０２５年４月１５日", date(2025, 4, 15), False),
        ("2025-04-15 00:00:00", date(2025, 4, 15), False),
        ("20250415", date(2025, 4, 15), False),
        ("2025.4", date(2025, 4, 1), True),
        ("2025.10", date(2025, 10, 1), True),  # text keeps the 0
        ("2025年4月", date(2025, 4, 1), True),
        ("2025年4月份", date(2025, 4, 1), True),
        ("2025-04", date(2025, 4, 1), True),
        ("2025/4", date(2025, 4, 1), True),
        ("202504", date(2025, 4, 1), True),  # grid_chi's yyyyMM
        (2025.4, date(2025, 4, 1), True),  # 2025.4 typed into a cell is a number
        (2025.12, date(2025, 12, 1), True),
    ],
)
def test_dates_and_months(cell, day, month_only) -> None:
    found = values.when(cell)
    assert found == values.When(day, month_only)
    assert found.period == f"{day:%Y-%m}"


def test_a_month_alone_means_that_month() -> None:
    june = values.when("2025年6月")
    assert june.month_only and june.day == date(2025, 6, 1) and june.period == "2025-06"
    assert june.last_day() == date(2025, 6, 30)  # a deadline of 2025年6月: by the end of June
    assert values.when("2025-06-10").last_day() == date(2025, 6, 10)
    assert values.when("2024年2月").last_day() == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("明年春天", Code.BAD_DATE),
        ("2025年13月", Code.BAD_DATE),
        ("2025-02-30", Code.BAD_DATE),
        (2025, Code.BAD_DATE),  # a year alone
        (True, Code.BAD_DATE),
        (2025.1, Code.AMBIGUOUS_MONTH),  # 2025.1 or 2025.10: Excel cannot tell any more
        ("1985-01-01", Code.DATE_OUT_OF_RANGE),
        (1000.0, Code.BAD_DATE),
        (99999.0, Code.DATE_OUT_OF_RANGE),
    ],
)
def test_bad_dates_say_why(cell, code) -> None:
    assert code_of(values.when, cell) is code


@pytest.mark.parametrize(
    ("cell", "stage"),
    [
        ("已签约", Stage.SIGNED),
        ("签约", Stage.SIGNED),
        ("在建", Stage.STARTED),
        ("已开工", Stage.STARTED),
        ("开工", Stage.STARTED),
        ("已投产", Stage.PRODUCING),
        ("投产", Stage.PRODUCING),
        ("洽谈中", Stage.TALKS),
        ("在谈", Stage.TALKS),
        ("洽谈", Stage.TALKS),
        ("已注册", Stage.REGISTERED),
        ("注册", Stage.REGISTERED),
        (" 已 签 约 ", Stage.SIGNED),
        ("已开工建设，主体封顶", Stage.STARTED),  # a 进展情况 that begins with a stage word
        ("signed", Stage.SIGNED),  # the app's own code reads back
    ],
)
def test_stage_words(cell, stage) -> None:
    assert values.choice(cell, words.STAGES) is stage


def test_unknown_choice_lists_the_words_allowed() -> None:
    with pytest.raises(ProblemError) as caught:
        values.choice("未开工", words.STAGES)
    problem = caught.value.problem
    assert problem.code is Code.BAD_CHOICE and problem.value == "未开工"
    assert problem.detail.startswith("线索、在谈、签约、注册、开工、投产")
    assert values.choice("-", words.STAGES) is None


def test_other_choices() -> None:
    assert values.choice("A级", words.LEAD_GRADES) is LeadGrade.A
    assert values.choice("b", words.LEAD_GRADES) is LeadGrade.B
    assert values.choice("已办结（待销号）", words.ISSUE_STATUSES) is IssueStatus.RESOLVED
    assert values.choice_list("世界500强、上市公司，世界500强", words.COMPANY_TAGS) == (
        words.CompanyTag.GLOBAL_500,
        words.CompanyTag.LISTED,
    )


def test_every_enum_member_has_words_and_no_word_names_two() -> None:
    tables = [value for value in vars(words).values() if isinstance(value, values.Choices)]
    assert len(tables) == 18
    for table in tables:
        enum = type(next(iter(table.words)))
        assert set(table.words) == set(enum), enum  # a member without words could never be imported
    with pytest.raises(ValueError, match="names both"):
        values.Choices({Stage.SIGNED: ("签约",), Stage.STARTED: ("签约",)})


@pytest.mark.parametrize("cell", ["是", "Y", "y", "√", "✓", "yes", True, 1])
def test_yes(cell) -> None:
    assert values.yes_no(cell) is True


@pytest.mark.parametrize("cell", ["否", "N", "×", "x", "no", False, 0])
def test_no(cell) -> None:
    assert values.yes_no(cell) is False


def test_yes_no_blank_and_wrong() -> None:
    assert values.yes_no(None) is None and values.yes_no("-") is None
    assert code_of(values.yes_no, "也许") is Code.BAD_YES_NO


def test_text_cells() -> None:
    assert values.text_of(13800138000.0) == "13800138000"  # a phone typed as a number
    assert values.text_of("  海威香港实业有限公司\u3000") == "海威香港实业有限公司"
    assert values.text_of(datetime(2025, 4, 15)) == "2025-04-15"
    assert values.names("张三、李四，王五 赵六") == ("张三", "李四", "王五", "赵六")
    assert code_of(values.text, "一" * 61, 60) is Code.TOO_LONG


def test_credit_codes() -> None:
    assert values.credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    with pytest.raises(ProblemError) as caught:
        values.credit_code("91350100M000100Y44")
    assert caught.value.problem.code is Code.BAD_CREDIT_CODE and "校验位" in caught.value.problem.detail


@pytest.mark.parametrize(
    "row",
    [
        ["合计", None, 15.6],
        [None, "合 计", None, 15.6],
        [None, "小计（5个）", 3.0],
        ["总计：", 10],
        ["一、", "签约项目小计", 8.2],
        [12.0, "全县合计", 8.2],  # a 序号 before it does not hide it
    ],
)
def test_total_rows(row) -> None:
    assert values.is_total_row(row)


@pytest.mark.parametrize("row", [["新材料产业园", "深圳荣格集团", 1.2], ["总计划投资调整项目", "某公司"], []])
def test_records_are_no_total_rows(row) -> None:
    assert not values.is_total_row(row)


def test_notes_and_headings() -> None:
    assert values.is_note_row(["注：金额单位为万元"])
    assert values.is_note_row([None, "填表人：张三", None, "审核人：李四"])
    assert values.is_note_row(["填报单位：县招商局", None, "填报日期：2025年4月"])
    assert not values.is_note_row(["新材料产业园", "注：二期"])
    assert values.is_section_row([None, "一、签约项目", None, None])
    assert values.is_section_row(["（二）在建项目"])
    assert not values.is_section_row(["一、签约项目", "深圳荣格集团"])
