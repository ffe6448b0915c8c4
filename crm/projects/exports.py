"""The project list as .xlsx: one row per project of the list, with what the list shows beside it (红黄绿 and why,
the stage report under review, the 分包县级领导)."""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import sqlalchemy as sa
from flask import Response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.projects import Rag, scale_band
from crm.projects.models import Project, StageEvent
from crm.users.models import User
from crm.web.joins import enumeration, semicolons
from crm.web.labels import band_label, label_texts
from crm.web.rag_text import reason_text
from crm.web.xlsx import Column, Field, fields_response, query_rows


class ProjectLine(NamedTuple):
    project: Project
    rag: Rag
    reasons: list[str]  # the 红黄绿's reasons, then the 三个一's staffing gaps
    pending: StageEvent | None  # the stage report awaiting review
    leaders: list[User]


def project_line(p: Project, decorations: dict[str, Any]) -> ProjectLine:
    """``decorations`` is what the list shows beside a batch of projects (``crm.projects.views._decorations``)."""
    colour, reasons = decorations["rags"][p.id]
    return ProjectLine(p, colour, [reason_text(r) for r in reasons] + decorations["gaps"].get(p.id, []), decorations["open_events"].get(p.id),
                       decorations["leaders"].get(p.id, []))


def project_fields(text: Callable[[Any], str]) -> list[Field[ProjectLine]]:
    return [
        Field(Column(_l("项目名称"), 28), lambda l: l.project.name),
        Field(Column(_l("外来投资方"), 28), lambda l: l.project.company.name),
        Field(Column(_l("阶段"), 8), lambda l: text(l.project.stage)),
        Field(Column(_l("审核中"), 10), lambda l: text(l.pending.to_stage) if l.pending else ""),
        Field(Column(_l("跟踪单位"), 16), lambda l: l.project.unit.name),
        Field(Column(_l("跟踪人"), 10), lambda l: l.project.owner.display_name),
        Field(Column(_l("分包县级领导"), 16), lambda l: enumeration(u.display_name for u in l.leaders)),
        Field(Column(_l("红黄绿"), 6), lambda l: text(l.rag)),
        Field(Column(_l("红黄绿原因"), 28), lambda l: semicolons(l.reasons)),
        Field(Column(_l("重点项目"), 8), lambda l: _("是") if l.project.is_key else ""),
        Field(Column(_l("项目性质"), 8), lambda l: text(l.project.nature)),
        Field(Column(_l("总投资（万元）"), 14, total=True), lambda l: l.project.total_investment),
        Field(Column(_l("一期投资（万元）"), 14, total=True), lambda l: l.project.first_phase_investment),
        Field(Column(_l("合同引资额（万元）"), 14, total=True), lambda l: l.project.contracted_amount),
        Field(Column(_l("其中省外资金（万元）"), 14, total=True), lambda l: l.project.out_of_province_amount),
        Field(Column(_l("外资（万美元）"), 12, total=True), lambda l: l.project.foreign_capital),
        Field(Column(_l("规模档"), 12), lambda l: str(band_label(scale_band(l.project.total_investment)))),
        Field(Column(_l("主导产业链"), 12), lambda l: l.project.chain.name if l.project.chain else ""),
        Field(Column(_l("行业门类"), 18), lambda l: text(l.project.industry_category)),
        Field(Column(_l("资金来源地"), 12), lambda l: text(l.project.funding_source)),
        Field(Column(_l("建设地点"), 16), lambda l: l.project.site),
        Field(Column(_l("用地（亩）"), 10, total=True), lambda l: l.project.land_mu),
        Field(Column(_l("计划开工"), 12), lambda l: l.project.planned_start_on),
        Field(Column(_l("计划投产"), 12), lambda l: l.project.planned_production_on),
        Field(Column(_l("签约月"), 10), lambda l: l.project.signed_month),
        Field(Column(_l("开工月"), 10), lambda l: l.project.start_month),
        Field(Column(_l("投产月"), 10), lambda l: l.project.production_month),
        Field(Column(_l("本阶段起始"), 12), lambda l: l.project.stage_since),
        Field(Column(_l("入库日期"), 12), lambda l: l.project.tracked_since),
    ]


def project_export(projects: sa.Select[Any], decorations: Callable[[list[Project]], dict[str, Any]]) -> Response:
    """The projects of ``projects`` streamed a batch at a time, ``decorations`` read for each batch."""
    return fields_response("项目.xlsx", _("项目"), project_fields(label_texts()), query_rows(projects, project_line, decorations))
