from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import login_required
from flask_babel import gettext as _

from crm.access.policy import current_actor, get_or_404, gate_required
from crm.domain.access import Action, Gate, Role
from crm.extensions import db
from crm.units.forms import UnitForm
from crm.units.models import Unit
from crm.units.queries import unit_candidates, unit_names
from crm.units.services import UnitData, create_unit, subtree_rows, update_unit
from crm.web.forms import LookupField, as_choices, attempt, saved
from crm.web.ids import bounded_int

bp = Blueprint("units", __name__, url_prefix="/admin/units")
pickers_bp = Blueprint("unit_pickers", __name__)
admin_only = gate_required(Gate.ADMINISTRATION)
PICKER_SCOPES = ("manage", "visible")


@pickers_bp.route("/units/candidates")
@login_required
def candidates():
    """Units by name for the pickers: ``within=manage`` those an admin manages (account and unit forms),
    ``within=visible`` those whose records the user reads (the lists' filters)."""
    within = request.args.get("within", "visible")
    if within not in PICKER_SCOPES:
        abort(404)
    if within == "manage" and current_actor().role is not Role.ADMIN:
        abort(403)
    found = unit_candidates(current_actor(), within, request.args.get("q", ""))
    return jsonify(options=[{"value": uid, "text": text} for uid, text in found])


def unit_filter(within: str, chosen_id: int | None) -> dict[str, Any] | None:
    """A list's unit filter as a picker: where it asks, and the chosen unit (None when the user reads one unit
    only, so there is nothing to filter)."""
    actor = current_actor()
    if within == "visible" and not actor.sees_subtree:
        return None
    chosen = unit_names(actor, within, [chosen_id]) if chosen_id else {}
    return {"url": url_for("unit_pickers.candidates", within=within), "chosen": next(iter(chosen.items()), None)}


def set_unit_lookup(field: LookupField, within: str, prompt: Any = "—") -> None:
    """Make ``field`` a unit picker that asks ``candidates`` and accepts what ``unit_names`` allows."""
    actor = current_actor()
    field.set_lookup(url_for("unit_pickers.candidates", within=within), lambda ids: unit_names(actor, within, ids), prompt)


def _set_parent_picker(form: UnitForm, unit: Unit | None = None) -> None:
    if unit is not None and unit.id == current_actor().unit_id:
        # The admin's own unit keeps its parent, which lies outside their subtree.
        form.parent_id.choices = as_choices([("" if unit.parent_id is None else unit.parent_id, _("（不变）"))])
    else:
        set_unit_lookup(form.parent_id, "manage", _("—请输入单位名称查找—"))


@bp.route("/")
@admin_only
def index():
    return render_template("units/index.html", rows=subtree_rows(current_actor()))


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def create():
    form = UnitForm()
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent_id", type=bounded_int) or current_actor().unit_id
    _set_parent_picker(form)
    if form.validate_on_submit():
        ok, unit = attempt(form, lambda: create_unit(current_actor(), UnitData.from_form(form)))
        if ok:
            db.session.commit()
            flash(_("已创建单位 %(name)s。", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=None), 400 if form.errors else 200


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@admin_only
def edit(unit_id: int):
    unit = get_or_404(Unit, unit_id, Action.MANAGE, hide_denied=True)
    form = UnitForm(obj=unit if request.method == "GET" else None)
    _set_parent_picker(form, unit)
    if form.validate_on_submit() and saved(form, unit, lambda: update_unit(current_actor(), unit, UnitData.from_form(form))):
        db.session.commit()
        flash(_("已保存单位 %(name)s。", name=unit.name), "success")
        return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=unit), 400 if form.errors else 200
