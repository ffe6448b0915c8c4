"""The 周督查 report as a .docx to edit in WPS or Word before the Monday meeting: a centred title in the 公文 way, the
week under it, then each section as 一、二、… with its totals and a two-column table."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from flask_babel import gettext as _

from crm.reports.weekly import WeeklyReport
from crm.web.docx import HEADING_FONT, as_bytes, new_document, paragraph, styled
from crm.web.joins import heading_number


def weekly_docx(report: WeeklyReport) -> bytes:
    week = report.week
    document = new_document(report.title, _("（%(period)s：%(start)s 至 %(end)s）", period=week.period, start=week.start.isoformat(),
                                            end=week.end.isoformat()))
    for index, section in enumerate(report.sections):
        paragraph(document, f"{heading_number(index + 1)}{section.title}", 15, bold=True, font=HEADING_FONT)
        if section.summary:
            paragraph(document, section.summary, 13)
        if section.items:
            table = document.add_table(rows=1, cols=2)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, (_("事项"), _("情况"))):
                styled(cell.paragraphs[0].add_run(text), size=12, bold=True)
            for item in section.items:
                cells = table.add_row().cells
                styled(cells[0].paragraphs[0].add_run(item.text), size=12)
                styled(cells[1].paragraphs[0].add_run(item.note or ""), size=12)
        if section.more:
            paragraph(document, _("另有 %(n)d 项未列出。", n=section.more), 12)
        if not section.items and not section.summary:
            paragraph(document, _("本周无。"), 13)
    return as_bytes(document)
