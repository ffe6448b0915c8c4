"""园区 pages: the county's zones (list and exports of the zones, their land ledger and 厂房), a zone's page
(figures, 分区, land ledger, 厂房), the forms, and the leads' 用地需求 against the zone's land.

Everything here is the county's (``Resource.ZONE``): everyone of the county reads it, its 审核员 and admins keep
it; another county's zone is not found."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, require
from crm.clock import local_today
from crm.domain.access import Action
from crm.domain.zones import Fit
from crm.extensions import db
from crm.reports.scope import request_scope
from crm.web.forms import attempt, saved
from crm.web.joins import enumeration
from crm.web.labels import label_texts
from crm.web.money import number
from crm.web.xlsx import Column, xlsx_response
from crm.zones.forms import BuildingForm, LandForm, PartForm, ZoneForm
from crm.zones.models import Zone, ZoneBuilding, ZoneLand, ZonePart
from crm.zones.queries import child_of, county_zone, county_zones, figures_of, land_demand
from crm.zones.services import (
    BuildingData,
    LandData,
    PartData,
    ZoneData,
    add_building,
    add_land,
    add_part,
    create_zone,
    update_building,
    update_land,
    update_part,
    update_zone,
    zone_target,
)

bp = Blueprint("zones", __name__, url_prefix="/zones")


def _status() -> int:
    return 400 if request.method == "POST" else 200


def area(value: Any) -> str:
    """亩 and m² as read: thousands separators, decimals only when there are some; "—" for none."""
    if value is None:
        return "—"
    value = Decimal(value)
    return number(value, 0 if value == value.to_integral_value() else 2)


def _county() -> int:
    _actor, scope = request_scope()
    require(Action.VIEW, zone_target(scope.county_id))
    return scope.county_id


def _zone(zone_id: int, action: Action = Action.VIEW) -> Zone:
    zone = county_zone(_county(), zone_id)
    if zone is None:
        abort(404)
    require(action, zone.access_target())
    return zone


def _page(template: str, **context: Any) -> str:
    return render_template(template, area=area, Fit=Fit, **context)


@bp.route("/")
@login_required
def index():
    county_id = _county()
    zones = [figures_of(z) for z in county_zones(county_id)]
    return _page("zones/index.html", zones=zones, can_create=allowed(Action.CREATE, zone_target(county_id)))


@bp.route("/<int:zone_id>")
@login_required
def detail(zone_id: int):
    zone = _zone(zone_id)
    figures = figures_of(zone)
    actor = current_actor()
    can_history = allowed(Action.VIEW_HISTORY, zone.access_target()) and zone.unit_id in actor.subtree
    return _page("zones/detail.html", zone=zone, f=figures, demand=land_demand(zone.unit_id, figures.land),
                 can_edit=allowed(Action.EDIT, zone.access_target()), can_history=can_history)


@bp.route("/<int:zone_id>/demand")
@login_required
def demand(zone_id: int):
    zone = _zone(zone_id)
    figures = figures_of(zone)
    return _page("zones/demand.html", zone=zone, f=figures, demand=land_demand(zone.unit_id, figures.land))


# --- exports --------------------------------------------------------------------------------------------
@bp.route("/export.xlsx")
@login_required
def export():
    county_id = _county()
    columns = [Column(_l("园区"), 24), Column(_l("级别"), 16), Column(_l("规划面积（平方公里）"), 14, True), Column(_l("建成区（平方公里）"), 14, True),
               Column(_l("分区"), 24), Column(_l("主导产业"), 30), Column(_l("入驻企业（家）"), 10, True),
               Column(_l("储备（亩）"), 12, True), Column(_l("已征（亩）"), 12, True), Column(_l("报批中（亩）"), 12, True),
               Column(_l("已供地（亩）"), 12, True), Column(_l("可供地（亩）"), 12, True),
               Column(_l("厂房面积（平方米）"), 14, True), Column(_l("已出租（平方米）"), 14, True), Column(_l("空置（平方米）"), 14, True)]
    rows = []
    for f in (figures_of(z) for z in county_zones(county_id)):
        z = f.zone
        rows.append([z.name, z.level, z.planned_km2, z.built_km2, enumeration(p.name for p in f.parts), z.industries, z.firms,
                     f.land.reserve, f.land.acquired, f.land.approving, f.land.supplied, f.land.available,
                     f.space.total, f.space.let, f.space.vacant])
    return xlsx_response("园区.xlsx", _("园区"), columns, rows)


@bp.route("/land.xlsx")
@login_required
def land_export():
    county_id = _county()
    columns = [Column(_l("园区"), 24), Column(_l("分区"), 14), Column(_l("截至日期"), 12), Column(_l("储备（亩）"), 12, True),
               Column(_l("已征（亩）"), 12, True), Column(_l("报批中（亩）"), 12, True), Column(_l("已供地（亩）"), 12, True),
               Column(_l("可供地（亩）"), 12, True), Column(_l("备注"), 30)]
    rows = []
    for f in (figures_of(z) for z in county_zones(county_id)):
        for line in f.land_lines:
            land = line.land()
            rows.append([f.zone.name, f.part_names.get(line.part_id, _("全园区")) if line.part_id else _("全园区"), line.as_of,
                         land.reserve, land.acquired, land.approving, land.supplied, land.available, line.notes])
    return xlsx_response("园区土地台账.xlsx", _("园区土地台账"), columns, rows)


@bp.route("/buildings.xlsx")
@login_required
def buildings_export():
    county_id = _county()
    text = label_texts()
    columns = [Column(_l("园区"), 24), Column(_l("分区"), 14), Column(_l("厂房"), 26), Column(_l("状态"), 8),
               Column(_l("建筑面积（平方米）"), 14, True), Column(_l("已出租/已入驻（平方米）"), 14, True), Column(_l("空置（平方米）"), 14, True),
               Column(_l("入驻企业"), 30), Column(_l("备注"), 30)]
    rows = []
    for f in (figures_of(z) for z in county_zones(county_id)):
        for b in f.buildings:
            vacant = b.total_m2 - b.let_m2 if b.status.value == "built" else None
            rows.append([f.zone.name, f.part_names.get(b.part_id, "") if b.part_id else "", b.name, text(b.status), b.total_m2, b.let_m2,
                         vacant, b.tenants, b.notes])
    return xlsx_response("标准化厂房.xlsx", _("标准化厂房"), columns, rows)


# --- the zone -------------------------------------------------------------------------------------------
def _zone_data(form: ZoneForm, new: bool = False) -> ZoneData:
    return ZoneData(form.name.data or "", form.level.data, form.planned_km2.data, form.built_km2.data, form.industries.data,
                    int(form.firms.data) if form.firms.data is not None else None, form.notes.data, new or bool(form.is_active.data))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    county_id = _county()
    require(Action.CREATE, zone_target(county_id))
    form = ZoneForm()
    if form.validate_on_submit():
        ok, row = attempt(form, lambda: create_zone(current_actor(), county_id, _zone_data(form, new=True)))
        if ok:
            db.session.commit()
            flash(_("已新建园区“%(name)s”。", name=row.name), "success")
            return redirect(url_for("zones.detail", zone_id=row.id))
    return _page("zones/form.html", form=form, zone=None, row=None, title=_("新建园区")), _status()


@bp.route("/<int:zone_id>/edit", methods=["GET", "POST"])
@login_required
def edit(zone_id: int):
    zone = _zone(zone_id, Action.EDIT)
    form = ZoneForm(obj=zone if request.method == "GET" else None)
    if form.validate_on_submit() and saved(form, zone, lambda: update_zone(current_actor(), zone, _zone_data(form))):
        db.session.commit()
        flash(_("已保存园区“%(name)s”。", name=zone.name), "success")
        return redirect(url_for("zones.detail", zone_id=zone.id))
    return _page("zones/form.html", form=form, zone=zone, row=zone, title=_("修改园区")), _status()


# --- 分区, land lines, 厂房: one pattern ------------------------------------------------------------------
def _child_page(zone: Zone, form: Any, row: Any, title: Any, create: Callable[[], Any], update: Callable[[], Any], done: Any) -> Any:
    if form.validate_on_submit():
        ok = attempt(form, create)[0] if row is None else saved(form, row, update)
        if ok:
            db.session.commit()
            flash(str(done), "success")
            return redirect(url_for("zones.detail", zone_id=zone.id))
    return _page("zones/form.html", form=form, zone=zone, row=row, title=title), _status()


def _parts(zone: Zone) -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in figures_of(zone).parts]


@bp.route("/<int:zone_id>/parts/new", methods=["GET", "POST"], defaults={"part_id": None})
@bp.route("/<int:zone_id>/parts/<int:part_id>", methods=["GET", "POST"])
@login_required
def part(zone_id: int, part_id: int | None):
    zone = _zone(zone_id, Action.EDIT)
    row = child_of(ZonePart, zone, part_id) if part_id else None
    if part_id and row is None:
        abort(404)
    form = PartForm(obj=row if request.method == "GET" else None)

    def data() -> PartData:
        return PartData(form.name.data or "", form.planned_km2.data, form.industries.data)

    return _child_page(zone, form, row, _("修改分区") if row else _("新增分区"), lambda: add_part(current_actor(), zone, data()),
                       lambda: update_part(current_actor(), zone, row, data()), _l("已保存分区。"))


@bp.route("/<int:zone_id>/land/new", methods=["GET", "POST"], defaults={"line_id": None})
@bp.route("/<int:zone_id>/land/<int:line_id>", methods=["GET", "POST"])
@login_required
def land(zone_id: int, line_id: int | None):
    zone = _zone(zone_id, Action.EDIT)
    row = child_of(ZoneLand, zone, line_id) if line_id else None
    if line_id and row is None:
        abort(404)
    form = LandForm(obj=row if request.method == "GET" else None)
    form.set_parts(_parts(zone))
    if request.method == "GET" and row is None:
        form.as_of.data = local_today()

    def data() -> LandData:
        return LandData(form.part_id.data, form.as_of.data, form.reserve_mu.data, form.acquired_mu.data, form.approving_mu.data,
                        form.supplied_mu.data, form.notes.data)

    return _child_page(zone, form, row, _("修改土地台账") if row else _("新增土地台账"), lambda: add_land(current_actor(), zone, data(), local_today()),
                       lambda: update_land(current_actor(), zone, row, data(), local_today()), _l("已保存土地台账。"))


@bp.route("/<int:zone_id>/buildings/new", methods=["GET", "POST"], defaults={"building_id": None})
@bp.route("/<int:zone_id>/buildings/<int:building_id>", methods=["GET", "POST"])
@login_required
def building(zone_id: int, building_id: int | None):
    zone = _zone(zone_id, Action.EDIT)
    row = child_of(ZoneBuilding, zone, building_id) if building_id else None
    if building_id and row is None:
        abort(404)
    form = BuildingForm(obj=row if request.method == "GET" else None)
    form.set_parts(_parts(zone))

    def data() -> BuildingData:
        return BuildingData(form.name.data or "", form.part_id.data, form.status.data, form.total_m2.data, form.let_m2.data,
                            form.tenants.data, form.notes.data)

    return _child_page(zone, form, row, _("修改标准化厂房") if row else _("新增标准化厂房"), lambda: add_building(current_actor(), zone, data()),
                       lambda: update_building(current_actor(), zone, row, data()), _l("已保存厂房。"))
