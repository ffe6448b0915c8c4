"""Reading the files counties keep: .xlsx (merged cells, formats, formulas), .ods, CSV in UTF-8 and GBK, and the
files refused with a Chinese message. Fixtures are written here, small, with openpyxl and xlsxwriter."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from crm.config import settings_from_env
from crm.domain.imports.fields import Kind
from crm.domain.imports.problems import Code, ProblemError
from crm.domain.imports.records import ProjectRecord
from crm.domain.pipeline import Stage
from crm.imports.messages import MESSAGES, describe, reason
from crm.imports.reading import Limits, UnreadableFile, open_book
from crm.imports.sheets import convert_sheet

LIMITS = Limits(max_bytes=1024 * 1024, max_rows=1000)
N = None


def xlsx(*sheets: tuple[str, list[list[object]]], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> bytes:
    """A workbook of the given sheets; ``merges`` and number ``formats`` apply to the first."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    first = workbook.worksheets[0]
    for cells in merges:
        first.merge_cells(cells)
    for cell, number_format in (formats or {}).items():
        first[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_of(data: bytes, filename: str, sheet: str | None = None, limits: Limits = LIMITS) -> list[list[object]]:
    return open_book(data, filename, limits).sheet(sheet).rows


def refusal(data: bytes, filename: str, limits: Limits = LIMITS, sheet: str | None = None) -> str:
    with pytest.raises(UnreadableFile) as caught:
        open_book(data, filename, limits).sheet(sheet)
    return str(caught.value.message)


# --- a realistic 项目台账 ----------------------------------------------------------------------------------
LEDGER = [
    ["XX县2025年重点招商引资项目台账", N, N, N, N, N, N, N, N, N],
    ["填报单位：县招商局", N, N, N, N, "填报日期：2025年4月30日", N, N, N, "单位：万元"],
    ["序号", "项目名称", "投资方", "总投资", "合同引资额", "项目阶段", "签约时间", "开工时间", "责任单位", "分包县级领导"],
    [N, N, N, "（亿元）", N, N, N, N, N, N],
    ["一、签约及在建项目", N, N, N, N, N, N, N, N, N],
    [1, "新材料产业园", "深圳荣格集团", 1.2, "3,000万元", "已签约", "2025.4", N, "产业集聚区", "张三"],
    [2, "中德纺织科技园", "海威香港实业有限公司", "9.6亿", 5000, "在建", datetime(2025, 1, 8), "2025年4月", N, "李四"],
    [N, N, N, N, N, N, N, N, N, N],
    [3, "冷链物流园", "河南华商药业有限公司", "13", N, "洽谈中", N, N, "商务局", N],
    [4, "金刚石微粉项目", "惠丰金刚石有限公司", "1.5亿元", "８０００", "已投产", "45292", "2024/6/15", "商务局", "王五、赵六"],
    [5, "石材建材工业城", "鲁山县石材有限公司", "一亿", N, "未开工", N, N, "商务局", N],
    [6, "冷链物流园", "河南华商药业有限公司", "13", N, "洽谈中", N, N, "商务局", N],
    ["合计", N, N, "=SUM(D6:D10)", N, N, N, N, N, N],
    ["注：总投资单位为亿元，合同引资额单位为万元。", N, N, N, N, N, N, N, N, N],
]
LEDGER_MERGES = ("A1:J1", "A3:A4", "B3:B4", "C3:C4", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "I3:I4", "J3:J4", "A5:J5", "I6:I7")


def test_a_county_project_ledger() -> None:
    data = xlsx(("项目台账", LEDGER), merges=LEDGER_MERGES, formats={"G7": "yyyy\"年\"m\"月\"d\"日\""})
    book = open_book(data, "2025年项目台账.xlsx", LIMITS)
    assert book.sheet_names == ["项目台账"]
    result = convert_sheet(book.sheet(), Kind.PROJECTS)

    layout = result.layout
    assert (layout.first_header_row, layout.last_header_row) == (2, 3)
    assert layout.columns[3].header == "总投资（亿元）"
    assert result.problems == ()

    records = {r.row: r.record for r in result.rows if r.record}
    assert sorted(records) == [6, 7, 9, 10]
    assert records[6] == ProjectRecord(
        name="新材料产业园",
        investor="深圳荣格集团",
        total_investment=Decimal("12000.00"),
        contracted_amount=Decimal("3000.00"),
        stage=Stage.SIGNED,
        signed_month="2025-04",
        unit="产业集聚区",
        leaders=("张三",),
    )
    second = records[7]
    assert (second.total_investment, second.contracted_amount) == (Decimal("96000.00"), Decimal("5000.00"))
    assert (second.stage, second.signed_month, second.start_month) == (Stage.STARTED, "2025-01", "2025-04")
    assert second.unit == "产业集聚区"  # 责任单位 merged over both projects
    assert records[9].stage is Stage.TALKS and records[9].total_investment == Decimal("130000.00")
    fourth = records[10]
    assert (fourth.total_investment, fourth.contracted_amount) == (Decimal("15000.00"), Decimal("8000.00"))
    assert (fourth.stage, fourth.signed_month, fourth.start_month) == (Stage.PRODUCING, "2024-01", "2024-06")
    assert fourth.leaders == ("王五", "赵六")

    [bad] = [r for r in result.rows if r.errors]
    assert [describe(e) for e in bad.errors] == [
        "第 11 行 D 列（总投资（亿元））：无法识别的金额“一亿”：请填写数字，可带单位 亿元、万元 或 元",
        "第 11 行 F 列（项目阶段）：无法识别“未开工”，可选：线索、在谈、签约、注册、开工、投产、达产、暂缓、中止",
    ]
    skipped = {r.row: reason(r.skipped) for r in result.skipped()}
    assert skipped == {
        5: "分组标题“一、签约及在建项目”，已跳过",
        12: "与第 9 行重复，已跳过",
        13: "合计/小计行，已跳过",
        14: "备注或说明行，已跳过",
    }


def test_formulas_give_their_saved_values_and_merges_are_reported() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet("资金")
    sheet.merge_range("A1:C1", "2025年到位资金", None)
    sheet.write_row("A2", ["项目名称", "月份", "本期到位"])
    sheet.write_row("A3", ["新材料产业园", "2025-03"])
    sheet.write_formula("C3", "=100*3", None, 300)
    workbook.close()
    book = open_book(buffer.getvalue(), "资金.xlsx", LIMITS)
    loaded = book.sheet()
    assert loaded.rows[2] == ["新材料产业园", "2025-03", 300.0]
    assert loaded.merges == (((0, 0), (0, 2)),)
    [record] = convert_sheet(loaded, Kind.FUNDS).records()
    assert record.entries[0].amount == Decimal("300.00")


def test_cells_keep_their_types_and_rows_start_at_a1() -> None:
    data = xlsx(("表", [[N, N], [N, "项目名称"], [N, 1234.5], [N, datetime(2025, 4, 15)], [N, True]]), formats={"B3": "#,##0.00"})
    rows = rows_of(data, "表.xlsx")
    assert rows == [[N, N], [N, "项目名称"], [N, 1234.5], [N, date(2025, 4, 15)], [N, True]]


def test_the_user_picks_one_of_several_sheets() -> None:
    data = xlsx(("说明", [["本表由招商局填报"]]), ("项目", [["项目名称", "投资方"], ["新材料产业园", "深圳荣格集团"]]))
    book = open_book(data, "台账.xlsx", LIMITS)
    assert book.sheet_names == ["说明", "项目"]
    assert book.sheet("项目").rows[1] == ["新材料产业园", "深圳荣格集团"]
    assert refusal(data, "台账.xlsx", sheet="线索") == "没有名为“线索”的工作表"


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
    ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods(rows_xml: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="项目">{rows_xml}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_ods_without_merges_carries_the_group_header() -> None:
    def cell(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    empty = "<table:table-cell/>"
    data = ods(
        f"<table:table-row>{cell('项目名称')}{cell('月份')}{cell('到位资金')}{empty}</table:table-row>"
        f"<table:table-row>{empty}{empty}{cell('本月到位')}{cell('累计')}</table:table-row>"
        f"<table:table-row>{cell('新材料产业园')}{cell('2025年3月')}"
        '<table:table-cell office:value-type="float" office:value="120"><text:p>120</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="300"><text:p>300</text:p></table:table-cell>'
        "</table:table-row>"
    )
    result = convert_sheet(open_book(data, "资金.ods", LIMITS).sheet(), Kind.FUNDS)
    assert [c.header for c in result.layout.columns] == ["项目名称", "月份", "到位资金 本月到位", "到位资金 累计"]
    [record] = result.records()
    assert [(e.period, e.amount) for e in record.entries] == [("2025-03", Decimal("120.00"))]


# --- CSV ---------------------------------------------------------------------------------------------------
CSV_TEXT = "项目名称,投资方,总投资（亿元）,项目阶段,签约时间\r\n新材料产业园,深圳荣格集团,1.2,已签约,2025年4月\r\n纺织园,\"海威香港实业有限公司\",\"3,000万元\",在建,2025/4/15\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_of_excel_and_wps(encoding) -> None:
    result = convert_sheet(open_book(CSV_TEXT.encode(encoding), "项目.csv", LIMITS).sheet(), Kind.PROJECTS)
    first, second = result.records()
    assert first.name == "新材料产业园" and first.total_investment == Decimal("12000.00") and first.signed_month == "2025-04"
    assert second.investor == "海威香港实业有限公司" and second.total_investment == Decimal("3000.00")
    assert open_book(CSV_TEXT.encode(encoding), "项目.csv", LIMITS).sheet_names == ["项目"]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_csv_with_tabs_or_semicolons(delimiter) -> None:
    text = CSV_TEXT.replace(",", delimiter).replace(f"3{delimiter}000", "3,000")
    rows = rows_of(text.encode("gbk"), "项目.csv")
    assert rows[0] == ["项目名称", "投资方", "总投资（亿元）", "项目阶段", "签约时间"]
    assert rows[2][2] == "3,000万元"


def test_a_one_column_csv_falls_back_to_commas() -> None:
    assert rows_of("企业名称\n海威香港实业有限公司\n".encode("utf-8"), "企业.csv") == [["企业名称"], ["海威香港实业有限公司"]]


def test_a_workbook_renamed_csv_is_read_as_the_workbook_it_is() -> None:
    data = xlsx(("项目", [["项目名称", "投资方"]]))
    assert rows_of(data, "项目.csv") == [["项目名称", "投资方"]]


# --- refusals ----------------------------------------------------------------------------------------------
def test_wrong_file_types_are_refused_by_content_not_name() -> None:
    assert refusal(b"%PDF-1.7 ...", "台账.pdf") == "不支持的文件类型“.pdf”：请上传 .xlsx、.xlsm、.xls、.ods 或 .csv 文件"
    not_a_sheet = "文件“台账.xlsx”的内容不是电子表格（扩展名可能被改过）：请在 Excel 或 WPS 中另存为 .xlsx 再上传"
    assert refusal(b"%PDF-1.7 \x00\x01\x02", "台账.xlsx") == not_a_sheet
    assert refusal("项目名称,投资方\n".encode(), "台账.xlsx") == not_a_sheet  # text named .xlsx
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert refusal(document.getvalue(), "台账.xlsx") == not_a_sheet  # a .docx renamed
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "garbage")
    assert refusal(broken.getvalue(), "台账.xlsx") == not_a_sheet
    assert refusal(b"\x89PNG\r\n\x1a\n\x00\x00", "台账.csv").startswith("文件“台账.csv”的内容不是电子表格")


def test_an_encrypted_workbook_is_refused() -> None:
    # What Office writes for a password-protected .xlsx: an OLE container with an EncryptionInfo stream.
    container = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100
    assert refusal(container, "台账.xlsx") == "工作簿设置了打开密码：请在 Excel 或 WPS 中取消密码后另存，再上传"


def test_an_empty_sheet_is_refused() -> None:
    assert refusal(xlsx(("项目", [])), "台账.xlsx") == "工作表“项目”是空的"
    assert refusal(xlsx(("项目", [[N, ""], [N, N]])), "台账.xlsx") == "工作表“项目”是空的"
    assert refusal(b"\xef\xbb\xbf\r\n,,\r\n", "台账.csv") == "工作表“台账”是空的"


def test_size_and_row_limits() -> None:
    data = xlsx(("项目", [["项目名称", "投资方"]] + [[f"项目{i}", "某公司"] for i in range(5)]))
    assert refusal(data, "台账.xlsx", Limits(max_bytes=len(data) - 1, max_rows=1000)) == f"文件超过 {(len(data) - 1) / 1048576:g} MB 的上限，请拆分后分批导入"
    assert refusal(data, "台账.xlsx", Limits(max_bytes=len(data), max_rows=5)) == "工作表“项目”超过 5 行的上限，请拆分后分批导入"
    assert len(rows_of(data, "台账.xlsx", limits=Limits(max_bytes=len(data), max_rows=6))) == 6
    text = ("项目名称,投资方\n" + "新材料产业园,深圳荣格集团\n" * 5).encode()
    assert refusal(text, "台账.csv", Limits(max_bytes=10_000, max_rows=5)) == "工作表“台账”超过 5 行的上限，请拆分后分批导入"


def test_the_default_limits_are_documented_settings() -> None:
    limits = Limits.from_config(settings_from_env({}, "/tmp/instance"))
    assert limits == Limits(max_bytes=20 * 1024 * 1024, max_rows=50_000)
    assert Limits.from_config(settings_from_env({"CRM_IMPORT_MAX_ROWS": "200"}, "/tmp/instance")).max_rows == 200


def test_a_sheet_without_a_header_says_which_columns_it_needs() -> None:
    sheet = open_book(xlsx(("项目", [["随便写写"], ["没有表头"]])), "台账.xlsx", LIMITS).sheet()
    with pytest.raises(ProblemError) as caught:
        convert_sheet(sheet, Kind.PROJECTS)
    assert reason(caught.value.problem) == "找不到表头：请确认表中有“项目名称、投资方”等列名"


def test_every_problem_has_a_message() -> None:
    assert set(MESSAGES) == set(Code)
