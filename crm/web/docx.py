"""Word documents in the 公文 way (python-docx): what the 周督查 report and the 提醒函 share — the fonts Chinese
offices expect, a centred title, body paragraphs."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from flask import Response

from crm.web.xlsx import download

BODY_FONT = "仿宋"  # 公文 body (GB/T 9704: 仿宋 三号); WPS and Word substitute it where missing
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def styled(run, name: str = BODY_FONT, size: float = 14, bold: bool = False):  # type: ignore[no-untyped-def]
    """A run in ``name``: the Chinese glyphs take the East Asian font, which python-docx leaves unset."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)
    return run


def new_document(title: str, subtitle: str | None = None) -> Document:
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled(heading.add_run(title), TITLE_FONT, 20, bold=True)
    if subtitle:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styled(line.add_run(subtitle))
    return document


def paragraph(document: Document, text: str, size: float = 14, bold: bool = False, font: str = BODY_FONT, right: bool = False) -> None:
    para = document.add_paragraph()
    if right:
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    styled(para.add_run(text), font, size, bold)


def as_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_response(data: bytes, filename: str) -> Response:
    return download(data, DOCX_MIMETYPE, filename)
