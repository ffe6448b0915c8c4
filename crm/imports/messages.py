"""The import problems of ``crm.domain.imports`` in Chinese (translated), for the preview, the CLI and tests."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from crm.domain.imports.problems import Code, Problem
from crm.domain.imports.rows import RowError

# %(value)s is what the cell said, %(detail)s the words allowed, the earlier row, the limit … (see Problem).
MESSAGES: dict[Code, Any] = {
    Code.REQUIRED: _l("必填，不能为空"),
    Code.BAD_AMOUNT: _l("无法识别的金额“%(value)s”：请填写数字，可带单位 亿元、万元 或 元"),
    Code.NEGATIVE: _l("不能为负数：“%(value)s”"),
    Code.TOO_LARGE: _l("金额“%(value)s”超过 1 万亿元，请核对单位"),
    Code.BAD_RANGE: _l("区间“%(value)s”的上限小于下限"),
    Code.BAD_NUMBER: _l("无法识别的数字“%(value)s”"),
    Code.BAD_INTEGER: _l("应为整数：“%(value)s”"),
    Code.BAD_DATE: _l("无法识别的日期“%(value)s”：可写 2025-04-15、2025/4/15、2025年4月15日，或月份 2025.4、2025年4月"),
    Code.AMBIGUOUS_MONTH: _l("“%(value)s”可能是 1 月也可能是 10 月（Excel 会去掉 2025.10 末尾的 0）：请改写为 2025年1月 或 2025年10月"),
    Code.DATE_OUT_OF_RANGE: _l("日期“%(value)s”不在 1990 年至 2099 年之间"),
    Code.BAD_CHOICE: _l("无法识别“%(value)s”，可选：%(detail)s"),
    Code.BAD_YES_NO: _l("应填“是”或“否”：“%(value)s”"),
    Code.BAD_CREDIT_CODE: _l("统一社会信用代码“%(value)s”有误：%(detail)s"),
    Code.TOO_LONG: _l("内容过长，最多 %(detail)s 个字"),
    Code.MONTH_WITHOUT_YEAR: _l("月份列“%(value)s”没有年份：请在表头或标题中写明年份，例如 2025年3月"),
    Code.TOTAL_ROW: _l("合计/小计行，已跳过"),
    Code.NOTE_ROW: _l("备注或说明行，已跳过"),
    Code.SECTION_ROW: _l("分组标题“%(value)s”，已跳过"),
    Code.DUPLICATE: _l("与第 %(detail)s 行重复，已跳过"),
    Code.NO_AMOUNT: _l("没有到位金额，已跳过"),
    Code.NO_HEADER: _l("找不到表头：请确认表中有“%(detail)s”等列名"),
    Code.MISSING_COLUMN: _l("缺少“%(detail)s”列"),
    Code.SAME_FIELD_TWICE: _l("“%(detail)s”只能对应一列"),
}


def reason(problem: Problem) -> str:
    return str(MESSAGES[problem.code]) % {"value": problem.value, "detail": problem.detail}


def describe(error: RowError) -> str:
    """第 5 行 D 列（总投资（亿元））：无法识别的金额“一亿”…: where, as the user finds it in Excel, and why."""
    return str(_l("第 %(row)s 行 %(letter)s 列（%(column)s）：%(reason)s", row=error.row, letter=error.letter, column=error.column, reason=reason(error.problem)))


# --- what the database layer finds (or does not) ------------------------------------------------------------
def at(row: int, letter: str, column: str, reason_text: Any) -> str:
    """第 5 行 D 列（跟踪人）：…, for problems found by looking a cell up."""
    return str(_l("第 %(row)s 行 %(letter)s 列（%(column)s）：%(reason)s", row=row, letter=letter, column=column, reason=str(reason_text)))


def on_row(row: int, reason_text: Any) -> str:
    """第 5 行：…, for problems of the row as a whole (a refusal of the service that writes it)."""
    return str(_l("第 %(row)s 行：%(reason)s", row=row, reason=str(reason_text)))


NOT_FOUND_UNIT = _l("找不到单位“%(name)s”")
OTHER_UNIT = _l("该行属于“%(name)s”，不能导入到“%(unit)s”")
NOT_FOUND_PERSON = _l("在%(units)s找不到在职人员“%(name)s”")
TWO_PEOPLE = _l("“%(name)s”有重名，请在系统中分配")
OWNER_BY_CHIEF = _l("只有分局长可以指定他人为跟踪人（跟进人）")
NOT_FOUND_CHAIN = _l("找不到产业链“%(name)s”：请填写产业链名录中的名称")
NOT_FOUND_COMPANY = _l("企业库中没有“%(name)s”，请先导入或新建该企业")
NOT_FOUND_PROJECT = _l("本单位没有名为“%(name)s”的项目")
STAGE_NOT_IMPORTED = _l("导入只支持在谈、签约、注册、开工、投产项目；“%(stage)s”的项目请在系统中申报")
FUTURE_MONTH = _l("月份“%(value)s”晚于本月")
OPEN_REPORT = _l("该项目有未审核的阶段申报，请先处理后再导入阶段")
AMBIGUOUS = _l("“%(name)s”可能是企业库中的 %(count)s 家企业之一，请选择")
VISIBLE_UNITS = _l("您可见的单位中")
YES = _l("是")
NO = _l("否")
UNKNOWN_USER = _l("找不到在职用户“%(name)s”")
UNKNOWN_UNIT = _l("找不到单位“%(name)s”")
UNIT_OR_USER = _l("请用 --unit 指明导入到哪个单位，或用 --user 指明导入人")
NO_ADMIN = _l("没有管辖“%(unit)s”的在职管理员：请用 --user 指明导入人")
WAITING = _l("第 %(row)s 行：%(reason)s：%(names)s，已跳过")
ROW_REASON = _l("第 %(row)s 行：%(reason)s")
UNCHANGED = _l("%(count)s 行与系统中一致，未修改")
KEPT = _l("保留：%(record)s")
LEAD_CONVERTED = _l("已转项目的线索请在项目台账中导入")
FUND_APPROVED = _l("%(period)s 的到位资金已审核通过，金额不同：如有错误请联系审核员")
ISSUE_DONE = _l("“%(status)s”的问题不导入：办结与销号须在系统中核验")
NOT_FOUND_LEADER = _l("找不到带队领导“%(name)s”：须为本县（或上级）的领导")
NOT_FOUND_LEAD = _l("本单位没有名为“%(name)s”的线索")
