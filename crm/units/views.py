from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.access.policy import current_actor, get_or_404, roles_required
from crm.domain.access import Action, Role
from crm.extensions import db
from crm.units.forms import UnitForm
from crm.units.models import Unit
from crm.units.services import UnitData, create_unit, subtree_rows, update_unit
from crm.web.forms import as_choices, attempt, saved

bp = Blueprint("units", __name__, url_prefix="/admin/units")
admin_only = roles_required(Role.ADMIN)


def _parent_choices(exclude: Unit | None = None) -> list[tuple[int | str, str]]:
    rows = subtree_rows(current_actor())
    choices: list[tuple[int | str, str]] = []
    for row in rows:
        if not row.unit.is_active:
            continue
        choices.append((row.unit.id, "　" * row.depth + row.unit.name))
    if exclude is not None and exclude.id == current_actor().unit_id:
        # The admin's own unit keeps its parent, which lies outside their subtree.
        choices = [("" if exclude.parent_id is None else exclude.parent_id, _("（不变）"))]
    return choices


@bp.route("/")
@admin_only
def index():
    return render_template("units/index.html", rows=subtree_rows(current_actor()))


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def create():
    form = UnitForm()
    form.parent_id.choices = as_choices(_parent_choices())
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent_id", type=int) or current_actor().unit_id
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
    form.parent_id.choices = as_choices(_parent_choices(exclude=unit))
    if request.method == "GET":
        form.type.data = unit.type.value
        form.version.data = unit.version
    if form.validate_on_submit() and saved(form, unit, lambda: update_unit(current_actor(), unit, UnitData.from_form(form))):
        db.session.commit()
        flash(_("已保存单位 %(name)s。", name=unit.name), "success")
        return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=unit), 400 if form.errors else 200
