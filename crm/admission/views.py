"""准入评审 pages: the list (and export), a project's 初审 (new, edit), a review's page with its 会审, and the
county's 评审表 (a county setting: ``may_manage``).

Reviews are the project's unit's records (``Resource.ADMISSION_REVIEW``): its staff and chief write the 初审, the
county's 审核员 and admins record the 会审 (``Action.REVIEW``), leaders read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, require
from crm.admission.forms import JointForm, PrelimForm, SheetForm, sheet_error_text
from crm.admission.models import AdmissionReview
from crm.admission.queries import ReviewFilters, awaiting_count, review_list_query
from crm.admission.services import (
    JointData,
    PrelimData,
    county_sheet,
    create_prelim,
    record_joint,
    review_target,
    save_sheet,
    update_prelim,
)
from crm.clock import local_today
from crm.domain.access import Action
from crm.domain.admission import (
    Figure,
    Outcome,
    ReviewStatus,
    Sheet,
    SheetError,
    format_criteria,
    parse_criteria,
    parse_vetoes,
    threshold_met,
    validate_sheet,
)
from crm.extensions import db
from crm.projects.models import Project
from crm.reports.scope import may_manage, request_scope
from crm.web.forms import attempt, saved, saved_setting, show_error
from crm.web.labels import choices, label_texts
from crm.web.pagination import page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response

bp = Blueprint("admission", __name__, url_prefix="/admission")
EXPORT_LIMIT = 50_000


def _status(code: int = 200) -> int:
    return 400 if request.method == "POST" else code


def _num(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


# --- the list -------------------------------------------------------------------------------------------
@bp.route("/")
@login_required
def index():
    filters = ReviewFilters.from_args(request.args)
    page, per_page = page_args()
    rows = paginate(review_list_query(filters), page, per_page)
    return render_template("admission/index.html", rows=rows, filters=filters, awaiting=awaiting_count(),
                           statuses=choices(ReviewStatus), outcomes=choices(Outcome))


COLUMNS = [
    Column(_l("项目"), 30), Column(_l("状态"), 10), Column(_l("初审日期"), 12), Column(_l("初审意见"), 36), Column(_l("投资强度（万元/亩）"), 14),
    Column(_l("亩均税收（万元/亩/年）"), 14), Column(_l("会审日期"), 12), Column(_l("参会人员"), 30), Column(_l("总分"), 8), Column(_l("满分"), 8),
    Column(_l("一票否决项"), 24), Column(_l("评审结论"), 12), Column(_l("所附条件"), 36), Column(_l("会议纪要"), 40), Column(_l("单位"), 18),
]


@bp.route("/export.xlsx")
@login_required
def export():
    filters = ReviewFilters.from_args(request.args)
    text = label_texts()

    def row(r: AdmissionReview) -> list[Any]:
        return [r.project.name, text(r.status), r.prelim_on, r.prelim_opinion, r.investment_intensity, r.tax_per_mu, r.joint_on,
                r.participants, r.total_score, r.sheet_rules.total_points, "、".join(r.vetoes_hit or []),
                text(r.outcome) if r.outcome else "", r.conditions, r.minutes, r.project.unit.name]

    return xlsx_response("准入评审.xlsx", _("准入评审"), COLUMNS, query_rows(review_list_query(filters).limit(EXPORT_LIMIT), row))


# --- 初审 ------------------------------------------------------------------------------------------------
def _prelim_data(form: PrelimForm) -> PrelimData:
    return PrelimData(form.prelim_on.data, form.passed.data == "1", form.opinion.data, form.investment_intensity.data, form.tax_per_mu.data)


@bp.route("/projects/<int:project_id>/new", methods=["GET", "POST"])
@login_required
def create(project_id: int):
    project = get_or_404(Project, project_id)
    require(Action.CREATE, review_target(project.unit_id))
    form = PrelimForm()
    if request.method == "GET":
        form.prelim_on.data = local_today()
    if form.validate_on_submit():
        ok, row = attempt(form, lambda: create_prelim(current_actor(), project, _prelim_data(form), local_today()))
        if ok:
            db.session.commit()
            flash(_("已保存初审。") if row.status is ReviewStatus.PRELIM_REJECTED else _("已保存初审，等待县招商局组织会审。"), "success")
            return redirect(url_for("admission.detail", review_id=row.id))
    return render_template("admission/prelim_form.html", form=form, project=project, row=None), _status()


@bp.route("/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
def edit(review_id: int):
    row = get_or_404(AdmissionReview, review_id, Action.EDIT)
    if row.status is ReviewStatus.DECIDED:
        flash(_("会审已完成，初审不能再修改"), "warning")
        return redirect(url_for("admission.detail", review_id=row.id))
    form = PrelimForm(obj=row if request.method == "GET" else None)
    if request.method == "GET":
        form.opinion.data = row.prelim_opinion
        form.passed.data = "0" if row.status is ReviewStatus.PRELIM_REJECTED else "1"
    if form.validate_on_submit() and saved(form, row, lambda: update_prelim(current_actor(), row, _prelim_data(form), local_today())):
        db.session.commit()
        flash(_("已保存初审。"), "success")
        return redirect(url_for("admission.detail", review_id=row.id))
    return render_template("admission/prelim_form.html", form=form, project=row.project, row=row), _status()


# --- the review and its 会审 ------------------------------------------------------------------------------
def _joint_form(row: AdmissionReview, formdata: Any = None) -> JointForm:
    sheet = row.sheet_rules
    form = JointForm(record=row) if formdata is None else JointForm(formdata=formdata)
    form.set_sheet([f"{c.name}（{_('满分')} {_num(c.points)}）" for c in sheet.criteria], list(sheet.vetoes))
    if formdata is None:
        form.joint_on.data = local_today()
    return form


def _figure_lines(row: AdmissionReview, sheet: Sheet) -> list[dict[str, Any]]:
    figures = {Figure.INVESTMENT_INTENSITY: row.investment_intensity, Figure.TAX_PER_MU: row.tax_per_mu}
    scores = row.scores or []
    return [{"name": c.name, "points": c.points, "threshold": c.threshold, "figure": figures.get(c.figure) if c.figure else None,
             "has_figure": c.figure is not None, "met": threshold_met(c, figures), "score": scores[i] if i < len(scores) else None}
            for i, c in enumerate(sheet.criteria)]


def _detail(row: AdmissionReview, code: int = 200, joint: JointForm | None = None) -> Any:
    target = row.access_target()
    sheet = row.sheet_rules
    can_joint = row.status is ReviewStatus.AWAITING_JOINT and allowed(Action.REVIEW, target)
    return render_template(
        "admission/detail.html", row=row, sheet=sheet, lines=_figure_lines(row, sheet),
        joint=(joint or _joint_form(row)) if can_joint else None, can_joint=can_joint,
        can_edit=row.status is not ReviewStatus.DECIDED and allowed(Action.EDIT, target),
        can_view_history=allowed(Action.VIEW_HISTORY, target), num=_num,
    ), code


@bp.route("/<int:review_id>")
@login_required
def detail(review_id: int):
    return _detail(get_or_404(AdmissionReview, review_id))


@bp.route("/<int:review_id>/joint", methods=["POST"])
@login_required
def joint(review_id: int):
    row = get_or_404(AdmissionReview, review_id, Action.REVIEW)
    if row.status is not ReviewStatus.AWAITING_JOINT:
        flash(_("该评审不在待会审状态"), "warning")
        return redirect(url_for("admission.detail", review_id=row.id))
    form = _joint_form(row, request.form)
    data = lambda: JointData(  # noqa: E731
        form.joint_on.data, form.participants.data, form.minutes.data, [e.data for e in form.scores.entries], list(form.vetoes_hit.data or []),
        form.outcome.data, form.conditions.data, form.investment_intensity.data, form.tax_per_mu.data)
    if form.validate_on_submit() and saved(form, row, lambda: record_joint(current_actor(), row, data(), local_today())):
        db.session.commit()
        flash(_("已记录会审结论：%(outcome)s。", outcome=str(choices_text(row.outcome))), "success")
        return redirect(url_for("admission.detail", review_id=row.id))
    db.session.rollback()
    return _detail(db.session.get(AdmissionReview, row.id) or row, 400, form)


def choices_text(outcome: Outcome | None) -> Any:
    from crm.web.labels import label

    return label(outcome)


# --- the county's 评审表 ----------------------------------------------------------------------------------
@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The county's 评审表: read by everyone of the county, set by those who set its reports."""
    actor, scope = request_scope()
    manager = may_manage(actor, scope)
    if request.method == "POST" and not manager:
        abort(403)
    current = county_sheet(scope.county_id)
    row = current.row
    form = SheetForm(record=row) if row is not None else SheetForm()
    if request.method == "GET":
        form.criteria.data = format_criteria(current.sheet.criteria)
        form.vetoes.data = "\n".join(current.sheet.vetoes)
        form.pass_score.data = current.sheet.pass_score
        form.conditional_score.data = current.sheet.conditional_score
        form.gate.data = current.sheet.gate
    if form.validate_on_submit():
        sheet = None
        try:
            sheet = Sheet(parse_criteria(form.criteria.data or ""), parse_vetoes(form.vetoes.data or ""), form.pass_score.data,
                          form.conditional_score.data, bool(form.gate.data))
            validate_sheet(sheet)
        except SheetError as error:
            field = {"vetoes": "vetoes", "scores": "pass_score"}.get(error.code, "criteria")
            message = {"vetoes": _("一票否决项不能重复，也不能超过 20 项"),
                       "scores": _("应满足：0 ≤ 有条件通过分 ≤ 通过分 ≤ 各项满分之和（%(total)s）",
                                   total=_num(sheet.total_points) if sheet else "")}.get(error.code) or sheet_error_text(error)
            show_error(form, field, message)
            sheet = None
        if sheet is not None:
            ok = saved_setting(form, row, lambda: save_sheet(scope.county_id, sheet, row))
            if ok:
                db.session.commit()
                flash(_("已保存准入评审表。"), "success")
                return redirect(url_for("admission.settings"))
    return render_template("admission/settings.html", form=form, manager=manager, current=current, scope=scope, num=_num), _status()
