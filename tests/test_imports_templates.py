"""The downloadable templates (issue 13): each reads back through the importer with every field in its column, its
example row imports without an error, and its choice columns offer the words the importer knows."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from crm.domain.imports.fields import FIELDS, Kind, Type, headers_of, header_key
from crm.domain.imports.plan import Action
from crm.extensions import db
from crm.imports.reading import open_book
from crm.imports.sheets import convert_sheet
from crm.imports.templates import EXAMPLE_ROW, HEADER_ROW, TITLES, choices, header, template_xlsx
from crm.units.models import Unit
from tests.test_imports_commit import LIMITS, acting, commit, plan, sheet_of

UNIT = "甲县第一招商分局"  # staff_a1's unit in the test world


def converted(kind: Kind, data: bytes):
    book = open_book(data, "模板.xlsx", LIMITS)
    assert book.sheet_names == [TITLES[kind]]  # the hidden list sheet is not offered for import
    return convert_sheet(book.sheet(), kind)


@pytest.mark.parametrize("kind", list(Kind))
def test_a_template_reads_back_with_every_field_mapped_and_its_example_converting(kind):
    result = converted(kind, template_xlsx(kind, UNIT, date(2026, 12, 3)))
    layout = result.layout
    assert layout.problems == ()
    assert (layout.first_header_row, layout.last_header_row) == (HEADER_ROW - 1, HEADER_ROW - 1)
    assert [c.field for c in layout.columns] == [f.name for f in FIELDS[kind]]
    assert [c.header for c in layout.columns] == [header(f) for f in FIELDS[kind]]
    assert [(r.row, r.errors, r.skipped) for r in result.rows] == [(EXAMPLE_ROW, (), None)]


def test_headers_mark_required_fields_and_carry_the_units_the_reader_applies():
    by_name = {f.name: header(f) for f in FIELDS[Kind.PROJECTS]}
    assert (by_name["name"], by_name["total_investment"], by_name["foreign_capital"], by_name["land_mu"], by_name["employees"]) == (
        "项目名称*", "总投资（万元）", "外资（万美元）", "用地（亩）", "用工人数（人）")
    for kind in Kind:
        for spec in FIELDS[kind]:
            assert headers_of(kind)[header_key(header(spec))] == spec.name  # the first word names its own field
    record = converted(Kind.PROJECTS, template_xlsx(Kind.PROJECTS, UNIT, date(2026, 12, 3))).rows[0].record
    assert (str(record.total_investment), record.signed_month, record.is_key) == ("50000.00", "2026-10", True)


@pytest.mark.parametrize("kind", [Kind.PROJECTS, Kind.LEADS, Kind.VISITS, Kind.COMPANIES, Kind.ISSUES])
def test_each_example_row_plans_without_an_error(app, world, kind):
    who = "chief" if kind is Kind.ISSUES else "staff"  # issues are a chief's to raise in the test world
    result = plan(app, world, template_xlsx(kind, UNIT), who=who, kind=kind)
    assert result.problems == ()
    assert [(r.row, r.action, r.errors) for r in result.rows] == [(EXAMPLE_ROW, Action.NEW, ())]


def test_the_funds_example_names_the_projects_example_and_imports_after_it(app, session, world):
    funds = template_xlsx(Kind.FUNDS, UNIT)
    assert plan(app, world, funds, kind=Kind.FUNDS).rows[0].action is Action.ERROR  # no such project yet
    outcome = commit(app, world, template_xlsx(Kind.PROJECTS, UNIT))
    assert (outcome.created, outcome.refused) == (1, ())
    result = plan(app, world, funds, kind=Kind.FUNDS)
    assert [(r.action, r.errors) for r in result.rows] == [(Action.NEW, ())]
    with acting(app, world.users["staff"]) as actor:
        from crm.imports.services import plan_import

        unit = db.session.get(Unit, world.units["branch_a1"].id)
        assert plan_import(actor, Kind.FUNDS, sheet_of(funds, Kind.FUNDS), unit).totals.errors == 0


def _validations(data: bytes) -> dict[str, list[str]]:
    """Column header → the words of its list validation, following a reference to the hidden sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    headers = {cell.column_letter: cell.value for cell in sheet[HEADER_ROW]}
    found: dict[str, list[str]] = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        formula = validation.formula1
        if formula.startswith('"'):
            words = formula.strip('"').split(",")
        else:
            target, cells = formula.split("!")
            lists = workbook[target.strip("'")]
            assert lists.sheet_state == "hidden"
            words = [cell.value for row in lists[cells.replace("$", "")] for cell in row]
        found[headers[letter]] = words
    return found


@pytest.mark.parametrize("kind", list(Kind))
def test_choice_and_yes_no_columns_carry_dropdowns_of_the_first_words(kind):
    found = _validations(template_xlsx(kind, UNIT))
    wanted = {header(f): choices(f) for f in FIELDS[kind] if f.type in (Type.CHOICE, Type.CHOICES, Type.YES_NO)}
    assert found == wanted
    if kind is Kind.PROJECTS:
        assert found["项目阶段"][:4] == ["线索", "在谈", "签约", "注册"]
        assert found["是否重点项目"] == ["是", "否"]
        assert found["行业门类"][2] == "C 制造业"


def test_a_list_too_long_for_excel_is_kept_on_a_hidden_sheet(monkeypatch):
    from crm.imports import templates

    monkeypatch.setattr(templates, "INLINE_LIMIT", 60)  # 行业门类 is 217 characters: under Excel's 255
    data = template_xlsx(Kind.PROJECTS, UNIT)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["项目台账", templates.LISTS_SHEET]
    found = _validations(data)
    assert found["行业门类"] == choices(next(f for f in FIELDS[Kind.PROJECTS] if f.name == "industry_category"))
    assert found["是否重点项目"] == ["是", "否"]  # short lists stay in the validation
    assert [c.field for c in converted(Kind.PROJECTS, data).layout.columns] == [f.name for f in FIELDS[Kind.PROJECTS]]


def test_date_columns_are_text_with_a_hint_so_a_typed_month_stays_as_written():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(Kind.PROJECTS, UNIT, date(2026, 12, 3))))
    sheet = workbook.worksheets[0]
    letter = next(c.column_letter for c in sheet[HEADER_ROW] if c.value == "签约时间")
    assert sheet.column_dimensions[letter].number_format == "@"
    assert sheet[f"{letter}{EXAMPLE_ROW}"].value == "2026.10"
    hints = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.prompt for v in sheet.data_validations.dataValidation if v.type is None}
    assert "2025.4" in hints[letter]


def test_the_command_line_writes_a_template(app, tmp_path):
    path = tmp_path / "项目台账模板.xlsx"
    result = app.test_cli_runner().invoke(args=["import", "template", "projects", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert [c.field for c in converted(Kind.PROJECTS, path.read_bytes()).layout.columns] == [f.name for f in FIELDS[Kind.PROJECTS]]
    assert app.test_cli_runner().invoke(args=["import", "template", "nothing", "--output", str(path)]).exit_code == 2
