"""服务单位评议: the month's page (a rater's sheets, the county roles' results and the quarter's bottom two), a
sheet, the county's criteria, and the results as .xlsx.

Raters (分局长 of a 招商分局, county leaders) score for their own unit; the county roles read the results of
their county; the county's 审核员 and admins set the criteria (``Resource.REPORT``). Anyone else: 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import gate_required
from crm.clock import local_today
from crm.domain.access import Gate
from crm.domain.kpi import is_period, period_of, quarter_of
from crm.domain.ratings import QUARTER_BOTTOM, bottom, rating_month
from crm.extensions import db
from crm.ratings.forms import CriterionForm, NewCriterionForm, field_name, sheet_form
from crm.ratings.models import RatingCriterion
from crm.ratings.queries import county_criteria, may_view_results, month_ranking, own_sheets, quarter_ranking, raters_done, service_units
from crm.ratings.services import CriterionData, add_criterion, may_rate_for, save_sheet, sheet_errors, update_criterion
from crm.reports.exports import Sheet, book_response
from crm.reports.ranking import quarter_periods
from crm.reports.scope import may_manage, request_scope
from crm.web.forms import attempt, saved, show_error
from crm.web.xlsx import Column

bp = Blueprint("ratings", __name__, url_prefix="/ratings")


def _period() -> str:
    """The month asked for (not a future one), else the month raters are asked about (``rating_month``)."""
    period = request.args.get("period", "")
    return period if is_period(period) and period <= period_of(local_today()) else rating_month(local_today())


def _rater_or_403(actor: Any) -> None:
    if not may_rate_for(actor):
        abort(403)


@bp.route("/")
@login_required
@gate_required(Gate.SERVICE_RATING)
def index() -> Any:
    actor, scope = request_scope()
    period = _period()
    county = scope.county_id
    rater = may_rate_for(actor)
    results = may_view_results(actor, county)
    if not rater and not results:
        abort(403)
    year, quarter = int(period[:4]), quarter_of(period)
    periods = [p for p in quarter_periods(year, quarter) if p <= period_of(local_today())]
    quarter_rows = quarter_ranking(county, periods) if results else []
    return render_template(
        "ratings/index.html", period=period, units=service_units(county), criteria=county_criteria(county),
        mine=own_sheets(actor, period) if rater else {}, rater=rater, results=results,
        ranking=month_ranking(county, period) if results else [], raters=raters_done(county, period) if results else 0,
        quarter=quarter, year=year, quarter_rows=quarter_rows, quarter_bottom=bottom(quarter_rows), bottom_count=QUARTER_BOTTOM,
        can_manage=may_manage(actor, scope), scope=scope,
    )


@bp.route("/<int:unit_id>", methods=["GET", "POST"])
@login_required
@gate_required(Gate.SERVICE_RATING)
def rate(unit_id: int) -> Any:
    actor, scope = request_scope()
    _rater_or_403(actor)
    period = _period()
    service_unit = next((u for u in service_units(scope.county_id) if u.id == unit_id), None)
    if service_unit is None:
        abort(404)
    criteria = county_criteria(scope.county_id)
    sheet = own_sheets(actor, period).get(unit_id)
    form = sheet_form(criteria)(record=sheet)
    if request.method == "GET" and sheet is not None:
        for criterion in criteria:
            if (value := sheet.points.get(str(criterion.id))) is not None:
                form[field_name(criterion.id)].data = Decimal(value)
        form.comment.data = sheet.comment
    if form.validate_on_submit():
        points = {c.id: form[field_name(c.id)].data for c in criteria}
        errors = sheet_errors(criteria, points)
        for name, message in errors.items():
            show_error(form, name, message)

        def change() -> Any:
            return save_sheet(actor, scope.county_id, period, service_unit, criteria, points, form.comment.data, sheet)

        if not errors and (saved(form, sheet, change) if sheet is not None else attempt(form, change)[0]):
            db.session.commit()
            flash(_("已保存对“%(unit)s”%(period)s 的评议。", unit=service_unit.name, period=period), "success")
            return redirect(url_for("ratings.index", period=period))
    return render_template("ratings/rate.html", form=form, unit=service_unit, period=period, criteria=criteria, sheet=sheet), \
        400 if request.method == "POST" else 200


def criterion_of(county_id: int, criterion_id: int) -> RatingCriterion | None:
    return next((r for r in county_criteria(county_id, active_only=False) if r.id == criterion_id), None)


def _manager_or_403() -> Any:
    actor, scope = request_scope()
    if not may_manage(actor, scope):
        abort(403)
    return scope


@bp.route("/criteria", methods=["GET", "POST"])
@login_required
@gate_required(Gate.SERVICE_RATING)
def criteria() -> Any:
    scope = _manager_or_403()
    form = NewCriterionForm()
    if form.validate_on_submit():
        data = CriterionData(form.name.data, form.max_points.data, form.sort_order.data or 0)
        if attempt(form, lambda: add_criterion(scope.county_id, data))[0]:
            db.session.commit()
            flash(_("已添加评议内容“%(name)s”。", name=data.name), "success")
            return redirect(url_for("ratings.criteria"))
    rows = county_criteria(scope.county_id, active_only=False)
    return render_template("ratings/criteria.html", form=form, rows=rows, scope=scope,
                           total=sum((r.max_points for r in rows if r.is_active), start=Decimal(0))), \
        400 if request.method == "POST" else 200


@bp.route("/criteria/<int:criterion_id>", methods=["GET", "POST"])
@login_required
@gate_required(Gate.SERVICE_RATING)
def criterion(criterion_id: int) -> Any:
    scope = _manager_or_403()
    row = criterion_of(scope.county_id, criterion_id)
    if row is None:
        abort(404)
    form = CriterionForm(obj=row)
    if form.validate_on_submit():
        data = CriterionData(form.name.data, form.max_points.data, form.sort_order.data or 0, form.is_active.data)
        if saved(form, row, lambda: update_criterion(row, data)):
            db.session.commit()
            flash(_("已保存评议内容“%(name)s”。", name=data.name), "success")
            return redirect(url_for("ratings.criteria"))
    return render_template("ratings/criterion.html", form=form, row=row), 400 if request.method == "POST" else 200


@bp.route("/results.xlsx")
@login_required
@gate_required(Gate.SERVICE_RATING)
def export() -> Any:
    actor, scope = request_scope()
    if not may_view_results(actor, scope.county_id):
        abort(403)
    period = _period()
    columns = [Column(_l("名次"), 8), Column(_l("服务单位"), 28), Column(_l("平均得分"), 12), Column(_l("评议人数"), 10)]
    rows = [[r.rank, r.name, r.score, r.count] for r in month_ranking(scope.county_id, period)]
    return book_response(f"服务单位评议-{period}.xlsx", [Sheet(_("服务单位评议"), columns, rows,
                                                          heading=f"{scope.root_name} {period} " + _("服务单位评议结果"))])

