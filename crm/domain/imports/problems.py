"""What can be wrong with a cell, a row or a sheet: codes the feature turns into Chinese sentences."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    # one cell
    REQUIRED = "required"  # a field the record cannot do without is blank
    BAD_AMOUNT = "bad_amount"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    BAD_RANGE = "bad_range"  # an amount range whose high end is below its low end
    BAD_NUMBER = "bad_number"
    BAD_INTEGER = "bad_integer"
    BAD_DATE = "bad_date"
    AMBIGUOUS_MONTH = "ambiguous_month"  # the number 2025.1: 一月 or 十月 (Excel dropped the 0 of 2025.10)
    DATE_OUT_OF_RANGE = "date_out_of_range"
    BAD_CHOICE = "bad_choice"
    BAD_YES_NO = "bad_yes_no"
    BAD_CREDIT_CODE = "bad_credit_code"
    TOO_LONG = "too_long"
    MONTH_WITHOUT_YEAR = "month_without_year"  # a 3月 column with no year in its header or the title
    # one row
    TOTAL_ROW = "total_row"  # 合计/小计/总计: skipped
    NOTE_ROW = "note_row"  # 备注/注/说明 below the table: skipped
    SECTION_ROW = "section_row"  # 一、签约项目: a group heading inside the table, skipped
    DUPLICATE = "duplicate"  # the same row again: skipped
    NO_AMOUNT = "no_amount"  # a 到位资金 row with no money in any month: skipped
    # the sheet
    NO_HEADER = "no_header"
    MISSING_COLUMN = "missing_column"
    SAME_FIELD_TWICE = "same_field_twice"  # a corrected mapping that gives two columns one field


@dataclass(frozen=True)
class Problem:
    code: Code
    value: str = ""  # what the cell said, as the user sees it
    detail: str = ""  # the words allowed, the earlier row, the limit …


class ProblemError(ValueError):
    """A cell that cannot be read as its field's type, or a sheet without a header."""

    def __init__(self, code: Code, value: object = "", detail: str = "") -> None:
        self.problem = Problem(code, shown(value), detail)
        super().__init__(f"{code}: {self.problem.value}")


def shown(value: object) -> str:
    """A cell as the user would recognise it in the sheet (a whole float without its .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
