"""The 周督查 report as a .docx to edit in WPS or Word before the Monday meeting (python-docx): a centred title in
the 公文 way, the week under it, then each section as 一、二、… with its totals and a two-column table."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import gettext as _

from crm.reports.weekly import WeeklyReport
from crm.web.joins import heading_number

BODY_FONT = "仿宋"  # 公文 body (GB/T 9704: 仿宋 三号); WPS and Word substitute it where missing
TITLE_FONT = "宋体"


def _font(run, name: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)  # the Chinese glyphs take the East Asian font


def weekly_docx(report: WeeklyReport) -> bytes:
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report.title), TITLE_FONT, 20, bold=True)
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    week = report.week
    _font(meta.add_run(_("（%(period)s：%(start)s 至 %(end)s）", period=week.period, start=week.start.isoformat(), end=week.end.isoformat())),
          BODY_FONT, 14)
    for index, section in enumerate(report.sections):
        heading = document.add_paragraph()
        _font(heading.add_run(f"{heading_number(index + 1)}{section.title}"), "黑体", 15, bold=True)
        if section.summary:
            _font(document.add_paragraph().add_run(section.summary), BODY_FONT, 13)
        if section.items:
            table = document.add_table(rows=1, cols=2)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, (_("事项"), _("情况"))):
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12, bold=True)
            for item in section.items:
                cells = table.add_row().cells
                _font(cells[0].paragraphs[0].add_run(item.text), BODY_FONT, 12)
                _font(cells[1].paragraphs[0].add_run(item.note or ""), BODY_FONT, 12)
        if section.more:
            _font(document.add_paragraph().add_run(_("另有 %(n)d 项未列出。", n=section.more)), BODY_FONT, 12)
        if not section.items and not section.summary:
            _font(document.add_paragraph().add_run(_("本周无。")), BODY_FONT, 13)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
