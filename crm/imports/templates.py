"""The downloadable .xlsx template of each kind: the headers an import reads, dropdowns of the words it knows, and
one example row that itself imports cleanly.

- Headers are each field's first header word (``fields.py``), ``*`` on required ones (``header_key`` drops it),
  with the unit the reader takes for the column: 总投资（万元）, 外资（万美元）, 用地（亩）, 用工人数（人）.
- Choice and yes/no columns get a dropdown of the first word of each member (``words.py``) — the words a sheet
  may use are more, so a word typed outside the list is warned about, not refused. A list longer than Excel's
  255 characters (行业门类) is kept on a hidden sheet, which the reader does not list (``reading.py``).
- Date and month columns are text cells, so Excel keeps 2025.10 as typed (as a number it becomes 2025.1), and
  show a hint of the formats when selected; so do the credit code and phone columns (leading zeros, long digits).
- Row 1 is a note (带 * 必填 …, the date formats), row 2 the header, row 3 the example: the funds example names the
  projects example's project, so importing the projects template first makes the funds one import too.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from crm.domain.imports.fields import FIELDS, Field, Kind, Type

TITLES = {Kind.PROJECTS: "项目台账", Kind.COMPANIES: "企业名录", Kind.LEADS: "线索台账", Kind.VISITS: "走访记录",
          Kind.FUNDS: "到位资金", Kind.ISSUES: "问题台账"}
LISTS_SHEET = "下拉选项"
INLINE_LIMIT = 255  # Excel's limit on a list written into the validation itself
NOTE_ROW, HEADER_ROW, EXAMPLE_ROW = 1, 2, 3
LAST_ROW = 5_000  # how far down the dropdowns and hints reach
# The scale the reader takes for an amount without a unit (万元); 外资 is kept in 万美元 (crm/projects/models.py).
AMOUNT_UNIT = {"foreign_capital": "万美元"}
DATE_TYPES = (Type.DAY, Type.DEADLINE, Type.MONTH)
TEXT_FIELDS = ("credit_code", "contact_phone", "registration_number")
DATE_HINT = "日期写 2025-04-15、2025/4/15 或 2025.4.15；只知道月份写 2025.4 或 2025-04"
MONTH_HINT = "月份写 2025.4 或 2025-04（也可写到日：2025-04-15）"
NOTE = "填写说明：带 * 的列必填；" + DATE_HINT + "；下拉列表之外的常用写法也能识别；第 3 行是示例，导入前请删除或改写。"
REQUIRED_FILL = PatternFill("solid", fgColor="FFFCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
EXAMPLE_COMPANY = "示例新材料科技有限公司"
EXAMPLE_PROJECT = "示例年产5万吨新型材料项目"


def header(spec: Field) -> str:
    """The column's header as the template prints it: 项目名称*, 总投资（万元）, 用地（亩）."""
    text = spec.label
    if spec.type in (Type.AMOUNT, Type.AMOUNT_RANGE):
        text += f"（{AMOUNT_UNIT.get(spec.name, '万元')}）"
    elif spec.suffix:
        text += f"（{spec.suffix}）"
    return text + ("*" if spec.required else "")


def choices(spec: Field) -> list[str]:
    """The dropdown's words: the first word of each member; 是/否 for a yes/no column; none for other columns."""
    if spec.type is Type.YES_NO:
        return ["是", "否"]
    if spec.choices is not None:
        return spec.choices.offered()
    return []


def _month(day: date, back: int) -> str:
    """The month ``back`` months before ``day``'s, as 2025.4 (the way 台账 write it)."""
    index = day.year * 12 + day.month - 1 - back
    return f"{index // 12}.{index % 12 + 1}"


def example(kind: Kind, today: date, unit_name: str | None) -> dict[str, Any]:
    """The example row, field name → cell. Its months are past (a future month is refused) and its people blank
    (the importing user is the default 跟踪人); the unit columns name ``unit_name``, the importing user's unit."""
    week_ago = (today - timedelta(days=7)).isoformat()
    unit = unit_name or None
    rows: dict[Kind, dict[str, Any]] = {
        Kind.PROJECTS: {
            "name": EXAMPLE_PROJECT, "investor": EXAMPLE_COMPANY, "construction": "新建厂房 3 万平方米及两条生产线",
            "stage": "签约", "nature": "新建", "total_investment": 50000, "first_phase_investment": 20000,
            "contracted_amount": 30000, "out_of_province_amount": 30000, "funding_source": "省外", "industry_category": "C 制造业",
            "sector": "二产", "site": "产业集聚区", "land_mu": 120, "is_key": "是", "talks_month": _month(today, 4),
            "signed_month": _month(today, 2), "planned_start_on": (today + timedelta(days=90)).isoformat(), "unit": unit,
            "contact_name": "王经理", "contact_phone": "13800000000", "notes": "示例行，导入前请删除",
        },
        Kind.COMPANIES: {
            "name": EXAMPLE_COMPANY, "short_name": "示例新材料", "ownership": "民营", "tags": "专精特新", "hq_province": "广东省",
            "hq_city": "深圳市", "funding_source": "省外", "industry_category": "C 制造业", "registered_capital": 5000,
            "website": "www.example.com", "contact_name": "王经理", "contact_title": "总经理", "contact_phone": "13800000000",
            "contact_email": "wang@example.com", "notes": "示例行，导入前请删除",
        },
        Kind.LEADS: {
            "name": "示例新能源电池项目线索", "investor": EXAMPLE_COMPANY, "source": "以商招商", "referrer": "县外客商联谊会",
            "amount": "10000-20000", "construction": "电池模组生产线", "land_mu": 80, "expected_output": 50000,
            "expected_tax": 2000, "grade": "A 级", "received_on": week_ago, "assessment": "符合主导产业，建议跟进",
            "status": "新线索", "unit": unit, "contact_name": "王经理", "contact_phone": "13800000000", "notes": "示例行，导入前请删除",
        },
        Kind.VISITS: {
            "start_on": week_ago, "end_on": (today - timedelta(days=6)).isoformat(), "type": "外出拜访", "destination": "深圳",
            "company": EXAMPLE_COMPANY, "contact_name": "王经理", "contact_title": "总经理", "outcome": "达成意向",
            "notes": "介绍县产业政策，对方有意考察（示例行，导入前请删除）", "unit": unit,
        },
        Kind.FUNDS: {
            "project": EXAMPLE_PROJECT, "investor": EXAMPLE_COMPANY, "period": _month(today, 1), "amount": 2000,
            "source": "省外", "purpose": "固定资产", "note": "示例行，导入前请删除", "unit": unit,
        },
        Kind.ISSUES: {
            "description": "示例：厂房用地指标未落实", "category": "用地报批/征收", "source": "企业反映", "responsible_unit": unit,
            "responsible_person": "王局长", "deadline": (today + timedelta(days=60)).isoformat(), "level": "集聚区管委会",
            "status": "待交办", "long_term": "否", "progress": "已与自然资源局对接（示例行，导入前请删除）", "unit": unit,
        },
    }
    return rows[kind]


def _validation(lists: Any, spec: Field, words: list[str], list_column: int) -> DataValidation:
    inline = ",".join(words)
    if len(inline) + 2 <= INLINE_LIMIT and not any("," in w or '"' in w for w in words):
        formula = f'"{inline}"'
    else:
        letter = get_column_letter(list_column)
        lists.cell(1, list_column, spec.label)
        for row, word in enumerate(words, 2):
            lists.cell(row, list_column, word)
        formula = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(words) + 1}"
    several = spec.type is Type.CHOICES  # 企业标签: several words in one cell, so the list only suggests
    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=not several, errorStyle="warning",
                          errorTitle=spec.label, error="不是下拉列表中的写法，导入时可能无法识别",
                          promptTitle=spec.label, prompt="可填多个，用顿号分隔" if several else "请从下拉列表中选择", showInputMessage=True)


def _hint(spec: Field) -> DataValidation:
    """No rule, only the hint Excel shows on the selected cell."""
    prompt = MONTH_HINT if spec.type is Type.MONTH else DATE_HINT
    return DataValidation(allow_blank=True, promptTitle=spec.label, prompt=prompt, showInputMessage=True)


def template_xlsx(kind: Kind, unit_name: str | None = None, today: date | None = None) -> bytes:
    """The kind's template as .xlsx bytes. ``unit_name``: the downloading user's unit, for the example's unit
    columns (the issues example needs one as its 责任单位); ``today``: the day its example dates count from."""
    today = today or date.today()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TITLES[kind]
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    sheet.cell(NOTE_ROW, 1, NOTE).font = Font(color="FF7F7F7F")
    values = example(kind, today, unit_name)
    list_column = 0
    for index, spec in enumerate(FIELDS[kind], 1):
        letter = get_column_letter(index)
        cell = sheet.cell(HEADER_ROW, index, header(spec))
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if spec.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[letter].width = max(10, min(30, len(cell.value) * 2 + 2))
        data = f"{letter}{EXAMPLE_ROW}:{letter}{LAST_ROW}"
        is_text = spec.type in DATE_TYPES or spec.name in TEXT_FIELDS
        if is_text:  # the column's format, not one per cell: a styled empty cell would count as a used row
            sheet.column_dimensions[letter].number_format = "@"
        if words := choices(spec):
            list_column += 1
            validation = _validation(lists, spec, words, list_column)
        elif spec.type in DATE_TYPES:
            validation = _hint(spec)
        else:
            validation = None
        if validation is not None:
            validation.add(data)
            sheet.add_data_validation(validation)
        value = values.get(spec.name)
        if value is not None:
            cell = sheet.cell(EXAMPLE_ROW, index, str(value) if is_text else value)
            cell.number_format = "@" if is_text else cell.number_format
    if lists.max_row == 1 and lists.cell(1, 1).value is None:  # every list fitted in its validation
        workbook.remove(lists)
    sheet.freeze_panes = sheet.cell(EXAMPLE_ROW, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
