"""通报 as .docx in the usual 公文 layout (issue 16), ready to edit in WPS or Word: the issuing office in red over a
rule, the 文号 left for the office to fill in, the title, 主送, the body by 一、二、…, the 落款 and date, then the
attachment table. One for a month's 月评比 and one for a quarter's 季奖惩 (通报表扬, 通报批评, 约谈, 问责, the units
that missed 节点 and the slowest projects) — from the same rankings the pages show."""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from flask_babel import gettext as _

from crm.domain.kpi import parse_period
from crm.domain.reports import Verdict
from crm.reports.labels import VERDICT_LABELS
from crm.web.dates import full_date_text
from crm.web.docx import HEADING_FONT, TITLE_FONT, as_bytes, paragraph, styled
from crm.web.joins import enumeration, heading_number, noted
from crm.web.money import points

RED = RGBColor(0xC0, 0x00, 0x00)  # 发文机关标志 and its rule are printed red (GB/T 9704)


def office_of(county_name: str) -> str:
    return _("%(county)s招商引资工作领导小组办公室", county=county_name)


def _document(office: str, year: int, title: str, to: str) -> Any:
    from docx import Document

    document = Document()
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = styled(head.add_run(_("%(office)s文件", office=office)), TITLE_FONT, 24, bold=True)
    run.font.color.rgb = RED
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled(number.add_run(_("招领办〔%(year)d〕　　号", year=year)))  # the 文号: the office numbers its documents
    rule = document.add_paragraph()
    styled(rule.add_run("━" * 28), size=12).font.color.rgb = RED
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styled(heading.add_run(title), TITLE_FONT, 20, bold=True)
    paragraph(document, to)
    return document


def _section(document: Any, number: int, title: str, lines: Sequence[str]) -> None:
    paragraph(document, f"{heading_number(number)}{title}", 15, bold=True, font=HEADING_FONT)
    for line in lines or [_("无。")]:
        paragraph(document, line)


def _sign(document: Any, office: str, day: date) -> None:
    paragraph(document, office, right=True)
    paragraph(document, full_date_text(day), right=True)


def _table(document: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    document.add_page_break()
    paragraph(document, title, 15, bold=True, font=HEADING_FONT)
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        styled(cell.paragraphs[0].add_run(text), size=12, bold=True)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            styled(cell.paragraphs[0].add_run(str(text)), size=12)
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.space_after = Pt(0)


def monthly_notice(county_name: str, period: str, scores: Sequence[Any], praise_top: int, criticise_bottom: int, today: date) -> bytes:
    """月评比通报: who leads and who trails the month's ranking, with the score table attached."""
    year, month = parse_period(period)
    office = office_of(county_name)
    document = _document(office, year, _("关于%(year)d年%(month)d月招商引资工作月评比情况的通报", year=year, month=month),
                         _("各招商分局、县直有关单位："))
    ranked = sorted(scores, key=lambda s: s.rank)
    paragraph(document, _("根据招商引资月评比办法，现将%(year)d年%(month)d月评比结果通报如下：", year=year, month=month))
    lead = [s for s in ranked if s.rank <= praise_top]
    trail = [s for s in ranked if s.rank > len(ranked) - criticise_bottom and s not in lead]
    _section(document, 1, _("总体情况"), [_("参加评比单位 %(n)d 个。", n=len(ranked))])
    _section(document, 2, _("成绩突出的单位"), [_("%(names)s，予以通报表扬。", names=enumeration(noted(s.name, points(s.total)) for s in lead))] if lead else [])
    _section(document, 3, _("排名靠后的单位"), [_("%(names)s，予以通报批评，请认真分析原因，限期整改。",
                                                 names=enumeration(noted(s.name, points(s.total)) for s in trail))] if trail else [])
    _sign(document, office, today)
    _table(document, _("附件：%(year)d年%(month)d月招商引资工作月评比得分表", year=year, month=month),
           [_("名次"), _("单位"), _("得分")], [(str(s.rank), s.name, points(s.total)) for s in ranked])
    return as_bytes(document)


def quarter_notice(county_name: str, view: Any, today: date) -> bytes:
    """季奖惩通报: each verdict with its units, the 建设单位 that missed 节点 and the slowest projects."""
    office = office_of(county_name)
    document = _document(office, view.year, _("关于%(year)d年第%(q)d季度招商引资工作奖惩情况的通报", year=view.year, q=view.quarter),
                         _("各招商分局、县直有关单位："))
    paragraph(document, _("根据%(year)d年第%(q)d季度各月评比结果和重点项目推进情况，经研究，现将有关情况通报如下：", year=view.year, q=view.quarter))
    by_verdict: dict[Verdict, list[str]] = {}
    for row in view.rows:
        if row.verdict is not None:
            by_verdict.setdefault(row.verdict, []).append(_("%(name)s（季度平均 %(points)s 分）", name=row.name, points=points(row.average)))
    sentences = {
        Verdict.PRAISE: _("对以下单位予以通报表扬：%(names)s。"),
        Verdict.CRITICISE: _("对以下单位予以通报批评，限期整改：%(names)s。"),
        Verdict.SUMMON: _("以下单位连续多月排名末位，由县招商引资工作领导小组约谈主要负责人：%(names)s。"),
        Verdict.ACCOUNT: _("以下单位长期排名末位，按规定启动问责程序：%(names)s。"),
    }
    number = 0
    for verdict in (Verdict.PRAISE, Verdict.CRITICISE, Verdict.SUMMON, Verdict.ACCOUNT):
        number += 1
        names = by_verdict.get(verdict, [])
        _section(document, number, str(VERDICT_LABELS[verdict]), [sentences[verdict] % {"names": enumeration(names)}] if names else [])
    _section(document, number + 1, _("未按期完成节点的建设单位"),
             [_("%(name)s：本季度 %(n)d 个节点未按期完成。", name=u.name, n=u.missed) for u in view.late_milestone_units])
    _section(document, number + 2, _("推进缓慢的项目"),
             [_("%(name)s（%(unit)s）：%(n)d 个节点逾期。", name=p.project.name, unit=p.project.unit.name, n=p.overdue) for p in view.slow_projects])
    _section(document, number + 3, _("行风评议后两名的服务单位"),
             [_("%(name)s：季度评议得分 %(points)s 分，予以通报，限期整改。", name=r.name, points=points(r.score)) for r in view.service_bottom])
    _sign(document, office, today)
    months = [_("%(period)s 得分", period=period) for period in view.periods]
    _table(document, _("附件：%(year)d年第%(q)d季度招商引资工作得分表", year=view.year, q=view.quarter),
           [_("名次"), _("单位"), *months, _("季度平均"), _("结果")],
           [(str(r.rank), r.name, *[points(v) if v is not None else "—" for v in r.monthly], points(r.average),
             str(VERDICT_LABELS[r.verdict]) if r.verdict else "") for r in view.rows])
    return as_bytes(document)
