"""周督查 weekly report (issue 16): the page, the print view, the .docx and ``crm reports weekly``, read under the
reader's scope, for the county or one unit."""

from __future__ import annotations

import io

from docx import Document

from tests.test_digests import PERIOD, SECRET, _week


def _text(response) -> str:
    return response.get_data(as_text=True)


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_county_report_has_every_section_of_the_meeting(app, client, login_as, world):
    made = _week(app, world)
    login_as("reviewer")
    page = _text(client.get(f"/reports/weekly?week={PERIOD}"))
    assert "甲县招商引资周督查报告" in page and "2026-11-23 至 2026-11-29" in page
    for title in ("本周新增线索和项目", "本周阶段变化（审核通过）", "本周确认到位资金", "三个一项目红黄牌", "三个一项目未按期完成的节点",
                  "问题台账：新增、逾期、销号", "7 天以上未更新进度的项目", "下周外出招商和客商来访", "分包县级领导本周活动"):
        assert title in page, title
    assert "新增线索 3 条" in page  # branch_a1 one, branch_a2 two (both of 甲县); 乙县 none
    assert "WT2026-801" in page and "东莞" in page and f"/visits/{made['visit']}" in page
    assert f"{SECRET}项目branch_b1" not in page and f"{SECRET}目的地" in page  # 乙县's never; 甲县's second branch yes


def test_one_unit_and_a_chiefs_report_hold_only_that_unit(app, client, login_as, world, auth):
    _week(app, world)
    login_as("reviewer")
    a1 = world.units["branch_a1"].id
    page = _text(client.get(f"/reports/weekly?week={PERIOD}&unit={a1}"))
    assert "甲县第一招商分局招商引资周督查报告" in page and SECRET not in page
    assert client.get(f"/reports/weekly?week={PERIOD}&unit={world.units['branch_b1'].id}").status_code == 404
    auth.logout()
    login_as("chief")
    own = _text(client.get(f"/reports/weekly?week={PERIOD}"))
    assert "甲县第一招商分局招商引资周督查报告" in own and SECRET not in own and "新增线索 1 条" in own
    assert client.get(f"/reports/weekly?week={PERIOD}&unit={world.units['branch_a2'].id}").status_code == 404


def test_a_bad_week_says_so_and_shows_last_week(app, client, login_as, world):
    login_as("reviewer")
    page = _text(client.get("/reports/weekly?week=2026-48"))
    assert "周次“2026-48”无法识别" in page and "周督查报告" in page


def test_the_print_view_and_the_docx_carry_the_same_report(app, client, login_as, world):
    _week(app, world)
    login_as("reviewer")
    printed = _text(client.get(f"/reports/weekly/print?week={PERIOD}"))
    assert "甲县招商引资周督查报告" in printed and "WT2026-801" in printed and "data-print" in printed
    response = client.get(f"/reports/weekly.docx?week={PERIOD}")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = _docx_text(response.data)
    assert "甲县招商引资周督查报告" in text and "一、本周新增线索和项目" in text and "WT2026-801" in text and "东莞" in text
    assert f"{SECRET}项目branch_b1" not in text


def test_the_command_line_writes_the_docx(app, world, tmp_path):
    _week(app, world)
    runner = app.test_cli_runner()
    out = tmp_path / "周督查.docx"
    done = runner.invoke(args=["reports", "weekly", "--week", PERIOD, "--unit", "甲县第一招商分局", "--output", str(out)])
    assert done.exit_code == 0, done.output
    text = _docx_text(out.read_bytes())
    assert "甲县第一招商分局招商引资周督查报告" in text and SECRET not in text and "WT2026-801" in text
    assert runner.invoke(args=["reports", "weekly", "--week", "2026-48", "--unit", "甲县", "--output", str(out)]).exit_code == 2
    several = runner.invoke(args=["reports", "weekly", "--week", PERIOD, "--output", str(out)])
    assert several.exit_code == 2 and "--unit" in several.output  # 甲县 and 乙县: which one?
    county = runner.invoke(args=["reports", "weekly", "--week", PERIOD, "--unit", "甲县", "--output", str(out)])
    assert county.exit_code == 0 and "甲县招商引资周督查报告" in _docx_text(out.read_bytes())
