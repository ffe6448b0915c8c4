"""履约 pages: the list of projects with a 正式合同 and their 履约 status (filters, drill-down to the project, .xlsx)
and the county's setting for the 三率's 履约率.

The list is the reader's projects (the unit scope, failing closed: staff and chiefs their unit's, the county roles
their subtree's). The setting is the county's (``may_manage``: its 审核员 and the admins above it); everyone of the
county reads it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import current_actor
from crm.clock import local_today
from crm.compliance.forms import SettingForm
from crm.compliance.queries import NOT_ON_SCHEDULE, ComplianceFilters, ProjectCompliance, visible, worst_first
from crm.compliance.settings import compliance_row, save_setting, uses_commitments, uses_commitments_of
from crm.compliance.texts import lines, reasons, status_tone
from crm.domain.compliance import STATUS_ORDER, CheckKind, ComplianceStatus, Outcome, count_statuses
from crm.extensions import db
from crm.reports.scope import may_manage, request_scope
from crm.web.forms import saved_setting
from crm.web.labels import label, label_text
from crm.web.xlsx import Column, xlsx_response

bp = Blueprint("compliance", __name__, url_prefix="/compliance")
LIST_LIMIT = 5_000


def _rows() -> tuple[ComplianceFilters, list[ProjectCompliance], list[ProjectCompliance]]:
    filters = ComplianceFilters.from_args(request.args)
    everything = visible(current_actor(), local_today())
    return filters, everything, worst_first([r for r in everything if filters.keep(r)])[:LIST_LIMIT]


@bp.route("/")
@login_required
def index():
    filters, everything, rows = _rows()
    _actor, scope = request_scope()
    units = sorted({(r.unit_id, r.unit_name) for r in everything}, key=lambda u: u[1])
    return render_template(
        "compliance/index.html", rows=rows, filters=filters, counts=count_statuses(r.assessment for r in everything),
        total=len(everything), late_total=sum(1 for r in everything if not r.assessment.on_schedule), units=units,
        statuses=[(NOT_ON_SCHEDULE, _("未按期（全部）"))] + [(s.value, str(label(s))) for s in (ComplianceStatus.ON_SCHEDULE, *STATUS_ORDER)],
        reasons=reasons, status_tone=status_tone, uses_commitments=uses_commitments(scope.county_id),
    )


COLUMNS = [
    Column(_l("项目"), 30), Column(_l("单位"), 20), Column(_l("阶段"), 10), Column(_l("正式合同"), 24), Column(_l("签约日期"), 12),
    Column(_l("履约状态"), 24), Column(_l("约定开工"), 12), Column(_l("约定投产"), 12),
    Column(_l("投资强度（承诺）"), 16), Column(_l("投资强度（实际）"), 16), Column(_l("亩均税收（承诺）"), 16), Column(_l("亩均税收（实际）"), 16),
    Column(_l("用工（承诺）"), 12), Column(_l("用工（实际）"), 12), Column(_l("原因"), 60),
]


@bp.route("/export.xlsx")
@login_required
def export():
    _filters, _everything, rows = _rows()

    def row(r: ProjectCompliance) -> list[Any]:
        by_kind = {x.kind: x for x in lines(r.assessment.checks, r.actuals)}
        c = r.commitments
        return [r.name, r.unit_name, label_text(r.stage), r.agreement_label, r.signed_on,
                "、".join(label_text(s) for s in r.assessment.statuses), c.start_on, c.production_on,
                *(v for kind in (CheckKind.INTENSITY, CheckKind.TAX, CheckKind.JOBS) for v in (by_kind[kind].promised, by_kind[kind].actual)),
                reasons(r.assessment.checks, r.actuals) or "；".join(x.reason for x in by_kind.values() if x.outcome is Outcome.NO_DATA)]

    return xlsx_response("项目履约.xlsx", _("项目履约"), COLUMNS, [row(r) for r in rows])


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The county's choice for the 三率's 履约率: read by all of the county, set by those who set its reports."""
    actor, scope = request_scope()
    manager = may_manage(actor, scope)
    row = compliance_row(scope.county_id)
    form = SettingForm(record=row) if row is not None else SettingForm()
    if request.method == "GET":
        form.uses_commitments.data = uses_commitments_of(row)
    if request.method == "POST" and not manager:
        abort(403)
    if form.validate_on_submit():
        on = bool(form.uses_commitments.data)
        ok = saved_setting(form, row, lambda: save_setting(scope.county_id, on, row))
        if ok:
            db.session.commit()
            flash(_("已保存履约设置。"), "success")
            return redirect(url_for("compliance.settings"))
    return render_template("compliance/settings.html", form=form, manager=manager, scope=scope,
                           on=uses_commitments_of(row)), 400 if request.method == "POST" else 200
