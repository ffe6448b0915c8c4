"""年度目标 (per county, unit and leader) and 园区指标 (typed monthly 1–N月 figures with 同比).

Everyone reads the targets they may see (a unit's people their unit's); admins and reviewers edit
(others 403). The 园区指标 pages are the county's: county roles read, admins and reviewers type.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.clock import local_today
from crm.domain.access import Role
from crm.domain.kpi import Indicator, is_period, make_period, period_of
from crm.extensions import db
from crm.reports.exports import Sheet, book_response
from crm.reports.scope import may_edit_targets_of, may_manage, request_scope
from crm.reports.views import county_choice
from crm.targets.forms import target_form, zone_form
from crm.targets.queries import (
    ZONE_ORDER,
    find_owner,
    is_count,
    owners,
    progress_of,
    progress_period,
    targets_by_owner,
    zone_month,
    zone_rows,
)
from crm.targets.services import TargetError, save_targets, save_zone_month
from crm.web.forms import show_error
from crm.web.labels import label, label_text
from crm.web.xlsx import Column

bp = Blueprint("targets", __name__)


def _year() -> int:
    today = local_today()
    try:
        year = int(request.args.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2999 else today.year


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@bp.route("/targets/")
@login_required
def index():
    actor, scope = request_scope()
    year = _year()
    if (choice := county_choice(scope, "targets.index", year=year)) is not None:
        return choice  # a city's targets are read one county at a time
    all_owners = owners(scope)
    targets = targets_by_owner(scope, year)
    today = local_today()
    progress = progress_of(scope, year, today, all_owners, targets)
    editable = {o.key for o in all_owners if may_edit_targets_of(actor, scope, o.unit_id)}
    return render_template(
        "targets/index.html", year=year, progress=progress, targets=targets, editable=editable, scope=scope,
        period=progress_period(year, today), is_count=is_count, all_owners=all_owners,
    )


def _stale(form: Any, indicators: list[Indicator], rows: dict[Indicator, Any]) -> list[tuple[Any, Any]]:
    """(label, saved value) of every indicator whose row changed since the form was rendered."""
    differences = []
    for indicator in indicators:
        row = rows.get(indicator)
        posted = getattr(form, f"v_{indicator.value}").data or "0"
        if posted != (str(row.version) if row is not None else "0"):
            differences.append((label(indicator), row.value if row is not None else _("（已删除）")))
    return differences


def _refuse_stale(form: Any, differences: list[tuple[Any, Any]], indicators: list[Indicator], rows: dict[Indicator, Any]) -> None:
    form.form_errors.append(_("保存失败：这些目标已被他人修改。请查看下方当前内容，确认后再次保存。"))
    form.stale_differences = differences
    for indicator in indicators:
        row = rows.get(indicator)
        getattr(form, f"v_{indicator.value}").data = str(row.version) if row is not None else "0"


@bp.route("/targets/edit", methods=["GET", "POST"])
@login_required
def edit():
    actor, scope = request_scope()
    year = _year()
    owner = find_owner(scope, request.args.get("owner", ""))
    if owner is None:
        abort(404)
    if not may_edit_targets_of(actor, scope, owner.unit_id):
        abort(403)
    indicators = owner.indicators
    rows = targets_by_owner(scope, year).get(owner.key, {})
    form = target_form(indicators)()
    if request.method == "GET":
        for indicator in indicators:
            row = rows.get(indicator)
            getattr(form, indicator.value).data = row.value if row is not None else None
            getattr(form, f"v_{indicator.value}").data = str(row.version) if row is not None else "0"
    elif form.validate_on_submit():
        differences = _stale(form, indicators, rows)
        if differences:
            _refuse_stale(form, differences, indicators, rows)
        else:
            values = {i: getattr(form, i.value).data for i in indicators}
            try:
                save_targets(owner, year, values, rows)
            except TargetError as error:
                show_error(form, error.field, error.message)
            else:
                db.session.commit()
                flash(_("已保存 %(owner)s %(year)d 年度目标。", owner=owner.name, year=year), "success")
                return redirect(url_for("targets.index", year=year, county=request.args.get("county")))
    return render_template("targets/edit.html", form=form, owner=owner, year=year, indicators=indicators), \
        400 if request.method == "POST" else 200


@bp.route("/targets/export.xlsx")
@login_required
def export():
    _actor, scope = request_scope()
    year = _year()
    all_owners = owners(scope)
    progress = progress_of(scope, year, local_today(), all_owners, targets_by_owner(scope, year))
    columns = [Column(_l("对象"), 22), Column(_l("类别"), 8), Column(_l("指标"), 28), Column(_l("年度目标"), 14), Column(_l("累计完成"), 14),
               Column(_l("完成率（%）"), 12), Column(_l("序时进度（%）"), 12), Column(_l("超（欠）进度（百分点）"), 18)]
    rows = []
    for item in progress:
        for indicator, target, p in item.rows:
            if target is None:
                continue
            rows.append([
                item.owner.name, label_text(item.owner.scope), label_text(indicator), target.value,
                p.actual if p else None, _q(p.completion) if p else None, _q(p.schedule) if p else None, _q(p.ahead) if p else None,
            ])
    return book_response(f"年度目标-{year}.xlsx", [Sheet(_("年度目标"), columns, rows, heading=f"{scope.root_name} {year} " + _("年度目标完成情况"))])


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


# --- 园区指标 --------------------------------------------------------------------------------------
def _county_roles_only(actor: Any) -> None:
    if actor.role in (Role.STAFF, Role.CHIEF):
        abort(403)


@bp.route("/targets/zone")
@login_required
def zone():
    actor, scope = request_scope()
    _county_roles_only(actor)
    year = _year()
    months = [make_period(year, m) for m in range(1, 13)]
    return render_template(
        "targets/zone.html", year=year, months=months, rows=zone_rows(scope, year), indicators=ZONE_ORDER, is_count=is_count,
        can_manage=may_manage(actor, scope), scope=scope, current=period_of(local_today()),
    )


@bp.route("/targets/zone/edit", methods=["GET", "POST"])
@login_required
def zone_edit():
    actor, scope = request_scope()
    _county_roles_only(actor)
    if not may_manage(actor, scope):
        abort(403)
    period = request.args.get("period", "")
    if not is_period(period):
        abort(404)
    rows = zone_month(scope, period)
    form = zone_form(ZONE_ORDER)()
    if request.method == "GET":
        for indicator in ZONE_ORDER:
            row = rows.get(indicator)
            getattr(form, indicator.value).data = row.value if row is not None else None
            getattr(form, f"yoy_{indicator.value}").data = row.yoy_pct if row is not None else None
            getattr(form, f"v_{indicator.value}").data = str(row.version) if row is not None else "0"
    elif form.validate_on_submit():
        differences = _stale(form, ZONE_ORDER, rows)
        if differences:
            _refuse_stale(form, differences, ZONE_ORDER, rows)
        else:
            values = {i: (getattr(form, i.value).data, getattr(form, f"yoy_{i.value}").data) for i in ZONE_ORDER}
            try:
                save_zone_month(scope.county_id, period, values, rows)
            except TargetError as error:
                show_error(form, error.field, error.message)
            else:
                db.session.commit()
                flash(_("已保存 %(period)s 园区指标。", period=period), "success")
                return redirect(url_for("targets.zone", year=period[:4], county=request.args.get("county")))
    return render_template("targets/zone_edit.html", form=form, period=period, indicators=ZONE_ORDER, scope=scope), \
        400 if request.method == "POST" else 200


@bp.route("/targets/zone.xlsx")
@login_required
def zone_export():
    actor, scope = request_scope()
    _county_roles_only(actor)
    year = _year()
    rows = zone_rows(scope, year)
    columns = [Column(_l("期间（1–N月累计）"), 14)]
    for indicator in ZONE_ORDER:
        columns += [Column(label_text(indicator), 16), Column(_l("同比（%）"), 10)]
    data = []
    for period, found in rows.items():
        line: list[Any] = [period]
        for indicator in ZONE_ORDER:
            m = found.get(indicator)
            line += [m.value if m else None, m.yoy_pct if m else None]
        data.append(line)
    return book_response(f"园区指标-{year}.xlsx", [Sheet(_("园区指标"), columns, data, heading=f"{scope.root_name} {year} " + _("园区指标"))])
