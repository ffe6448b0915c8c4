"""审批手续 pages: a project's procedures (add, edit, 上报问题台账: the card on the project page), the 联审联批 view
(grouped by 审批事项 and by 代办单位, with the list to drill down, and its exports) and the county's 审批事项清单.

Procedures are their project's records (seen and kept as the project is). The 联审联批 view reads what the reader
sees; its export is the county roles' (the policy's ``Resource.APPROVAL_REPORT``). The 清单 is a county setting
(``may_manage``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, require
from crm.approvals.forms import EscalateForm, KindsForm, ProcedureForm
from crm.approvals.kinds import county_kinds, kinds_of, kinds_row, save_kinds
from crm.approvals.models import ApprovalProcedure
from crm.approvals.queries import OPEN_FILTER, OVERDUE_FILTER, ReportFilters, report_query, summary, taken
from crm.approvals.services import ProcedureData, county_of, create_procedure, escalate_procedure, update_procedure
from crm.clock import local_today
from crm.domain.access import Action, Resource, Target
from crm.domain.approvals import ProcedureStatus, format_kinds, is_overdue, parse_kinds
from crm.extensions import db
from crm.projects.models import Project
from crm.reports.scope import may_manage, request_scope
from crm.units.queries import county_unit_choices
from crm.users.models import User
from crm.web.forms import attempt, errors_text, saved, saved_setting
from crm.web.labels import choices, label_texts
from crm.web.xlsx import Column, xlsx_response

bp = Blueprint("approvals", __name__)
REPORT_LIMIT = 5000  # the 联审联批 list on the page and in the export: a county has hundreds of procedures


def _status(code: int = 200) -> int:
    return 400 if request.method == "POST" else code


def _report_target(county_id: int) -> Target:
    return Target(Resource.APPROVAL_REPORT, unit_id=county_id)


# --- a project's procedures ----------------------------------------------------------------------------
def _form_options(form: ProcedureForm, project: Project, row: ApprovalProcedure | None) -> None:
    kinds = [(k.name, _("%(name)s（%(days)d 个工作日）", name=k.name, days=k.workdays)) for k in county_kinds(county_of(project))]
    if row is not None and row.kind not in {name for name, _label in kinds}:
        kinds.append((row.kind, row.kind))
    users = [(u.id, u.display_name) for u in db.session.scalars(
        sa.select(User).where(User.unit_id == project.unit_id, sa.or_(User.is_active, User.id == (row.agent_user_id if row else None)))
        .order_by(User.display_name))]
    form.set_options(kinds, county_unit_choices(project.unit_id, keep=row.agent_unit_id if row else None), users)


def _data(form: ProcedureForm) -> ProcedureData:
    return ProcedureData(form.kind.data or None, form.agent_unit_id.data, form.agent_user_id.data, form.agent_name.data,
                         form.promised_workdays.data, form.filed_on.data, form.finished_on.data, bool(form.not_applicable.data),
                         form.note.data)


def _back(project_id: int) -> Any:
    return redirect(url_for("projects.detail", project_id=project_id, _anchor="approvals"))


@bp.route("/projects/<int:project_id>/approvals/new", methods=["GET", "POST"])
@login_required
def create(project_id: int):
    project = get_or_404(Project, project_id, Action.EDIT)
    form = ProcedureForm()
    _form_options(form, project, None)
    if request.method == "GET" and (kind := request.args.get("kind")):
        form.kind.data = kind[:40]
    if form.validate_on_submit():
        ok, row = attempt(form, lambda: create_procedure(current_actor(), project, _data(form), local_today()))
        if ok:
            db.session.commit()
            flash(_("已添加审批手续“%(kind)s”。", kind=row.kind), "success")
            return _back(project.id)
    return render_template("approvals/form.html", form=form, project=project, row=None), _status()


@bp.route("/approvals/<int:procedure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(procedure_id: int):
    row = get_or_404(ApprovalProcedure, procedure_id, Action.EDIT)
    form = ProcedureForm(obj=row if request.method == "GET" else None)
    _form_options(form, row.project, row)
    if request.method == "GET":
        form.not_applicable.data = row.status is ProcedureStatus.NOT_APPLICABLE
    if form.validate_on_submit() and saved(form, row, lambda: update_procedure(current_actor(), row, _data(form), local_today())):
        db.session.commit()
        flash(_("已保存审批手续“%(kind)s”。", kind=row.kind), "success")
        return _back(row.project_id)
    return render_template("approvals/form.html", form=form, project=row.project, row=row,
                           overdue=is_overdue(row.status, row.deadline, local_today()),
                           can_view_history=allowed(Action.VIEW_HISTORY, row.access_target())), _status()


@bp.route("/approvals/<int:procedure_id>/escalate", methods=["POST"])
@login_required
def escalate(procedure_id: int):
    row = get_or_404(ApprovalProcedure, procedure_id, Action.EDIT)
    form = EscalateForm()
    if form.validate_on_submit() and saved(form, row, lambda: escalate_procedure(current_actor(), row, local_today())):
        db.session.commit()
        flash(_("已上报问题台账（%(number)s）。", number=row.issue.number if row.issue else ""), "success")
    else:
        db.session.rollback()
        flash(errors_text(form) or _("上报失败"), "danger")
    return _back(row.project_id)


# --- 联审联批 --------------------------------------------------------------------------------------------
def _report_rows(filters: ReportFilters) -> list[ApprovalProcedure]:
    return list(db.session.scalars(report_query(filters, local_today()).limit(REPORT_LIMIT)).unique())


@bp.route("/approvals/")
@login_required
def report():
    """联审联批: the procedures the reader sees, by kind and by 代办单位, and the list (filters drill down)."""
    actor, scope = request_scope()
    today = local_today()
    filters = ReportFilters.from_args(request.args)
    rows = _report_rows(filters)
    kinds = [k.name for k in county_kinds(scope.county_id)]
    return render_template(
        "approvals/report.html", rows=rows, filters=filters, today=today, summary=summary(rows, today, kinds),
        overdue_ids={r.id for r in rows if is_overdue(r.status, r.deadline, today)}, taken={r.id: taken(r) for r in rows},
        kinds=kinds, units=county_unit_choices(actor.unit_id), truncated=len(rows) >= REPORT_LIMIT,
        statuses=[(OPEN_FILTER, _("未办结")), (OVERDUE_FILTER, _("逾期"))] + choices(ProcedureStatus),
        can_export=allowed(Action.VIEW, _report_target(scope.county_id)),
    )


LIST_COLUMNS = [
    Column(_l("项目"), 30), Column(_l("跟踪单位"), 18), Column(_l("审批事项"), 14), Column(_l("代办单位"), 22), Column(_l("代办员"), 12),
    Column(_l("承诺时限（工作日）"), 12), Column(_l("受理/申报日期"), 12), Column(_l("承诺办结日期"), 12), Column(_l("办结日期"), 12),
    Column(_l("实际用时（工作日）"), 12), Column(_l("状态"), 10), Column(_l("逾期"), 6), Column(_l("问题台账编号"), 14), Column(_l("备注"), 30),
]


@bp.route("/approvals/export.xlsx")
@login_required
def export():
    _actor, scope = request_scope()
    require(Action.VIEW, _report_target(scope.county_id))
    today = local_today()
    text = label_texts()
    yes = _("是")
    rows = [[r.project.name, r.project.unit.name, r.kind, r.agent_unit.name, r.agent, r.promised_workdays, r.filed_on, r.deadline,
             r.finished_on, taken(r), text(r.status), yes if is_overdue(r.status, r.deadline, today) else "",
             r.issue.number if r.issue else "", r.note] for r in _report_rows(ReportFilters.from_args(request.args))]
    return xlsx_response("联审联批.xlsx", _("联审联批"), LIST_COLUMNS, rows)


@bp.route("/approvals/summary.xlsx")
@login_required
def summary_export():
    """The two groupings in one sheet: by 审批事项, then by 代办单位."""
    _actor, scope = request_scope()
    require(Action.VIEW, _report_target(scope.county_id))
    today = local_today()
    rows = _report_rows(ReportFilters.from_args(request.args))
    result = summary(rows, today, [k.name for k in county_kinds(scope.county_id)])
    columns = [Column(_l("分组"), 10), Column(_l("名称"), 26), Column(_l("事项数"), 8, total=False), Column(_l("未办结"), 8),
               Column(_l("逾期"), 8), Column(_l("已办结"), 8), Column(_l("按期办结"), 10), Column(_l("平均用时（工作日）"), 14),
               Column(_l("平均承诺时限（工作日）"), 16)]
    by_kind, by_unit = _("按审批事项"), _("按代办单位")
    lines = [[by_kind, name, *_figures(line)] for name, line in result.by_kind] + \
            [[by_unit, unit.name, *_figures(line)] for unit, line in result.by_unit]
    return xlsx_response("联审联批汇总.xlsx", _("联审联批汇总"), columns, lines)


def _figures(line: Any) -> list[Any]:
    return [line.total, line.open, line.overdue, line.done, line.done_on_time, line.average_taken, line.average_promised]


# --- the county's 审批事项清单 ------------------------------------------------------------------------------
@bp.route("/approvals/kinds", methods=["GET", "POST"])
@login_required
def kinds():
    """Read by all of the county (the procedure form offers it), set by those who set its reports."""
    actor, scope = request_scope()
    manager = may_manage(actor, scope)
    row = kinds_row(scope.county_id)
    form = KindsForm(record=row) if row is not None else KindsForm()
    if request.method == "GET":
        form.kinds.data = format_kinds(kinds_of(row))
    if request.method == "POST" and not manager:
        abort(403)
    if form.validate_on_submit():
        parsed = parse_kinds(form.kinds.data or "")
        ok = saved_setting(form, row, lambda: save_kinds(scope.county_id, parsed, row))
        if ok:
            db.session.commit()
            flash(_("已保存审批事项清单。"), "success")
            return redirect(url_for("approvals.kinds"))
    return render_template("approvals/kinds.html", form=form, manager=manager, current=kinds_of(row), scope=scope,
                           custom=row is not None and bool((row.value or {}).get("kinds"))), _status()
