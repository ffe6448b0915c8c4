from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.access.policy import current_actor, get_or_404, gate_required
from crm.domain.access import Action, Gate, Role
from crm.extensions import db
from crm.users.forms import ResetPasswordForm, UserCreateForm, UserEditForm
from crm.users.models import User
from crm.users.services import (
    AccountData,
    AccountError,
    account_query,
    create_account,
    reset_password,
    set_active,
    update_account,
)
from crm.web.forms import attempt, saved
from crm.web.labels import choices
from crm.web.pagination import page_args, paginate
from crm.units.views import unit_filter
from crm.web.ids import bounded_int

bp = Blueprint("users", __name__, url_prefix="/admin/users")
admin_only = gate_required(Gate.ADMINISTRATION)


@bp.route("/")
@admin_only
def index():
    actor = current_actor()
    page, per_page = page_args()
    filters = {
        "q": request.args.get("q", "").strip()[:60],
        "role": request.args.get("role", ""),
        "unit_id": request.args.get("unit_id", type=bounded_int),
        "active": request.args.get("active", ""),
    }
    users = paginate(account_query(actor, **filters), page, per_page)
    return render_template(
        "users/index.html", users=users, filters=filters, unit_filter=unit_filter("manage", filters["unit_id"]),
        roles=choices(Role)
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def create():
    form = UserCreateForm()
    form.set_choices()
    if form.validate_on_submit():
        ok, user = attempt(
            form, lambda: create_account(current_actor(), form.username.data, form.password.data, AccountData.from_form(form))
        )
        if ok:
            db.session.commit()
            flash(_("已创建用户 %(name)s。", name=user.display_name), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None), 400 if form.errors else 200


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@admin_only
def edit(user_id: int):
    user = get_or_404(User, user_id, Action.MANAGE, hide_denied=True)
    form = UserEditForm(obj=user if request.method == "GET" else None)
    form.set_choices()
    if form.validate_on_submit() and saved(form, user, lambda: update_account(current_actor(), user, AccountData.from_form(form))):
        db.session.commit()
        flash(_("已保存 %(name)s 的资料。", name=user.display_name), "success")
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/<int:user_id>/active", methods=["POST"])
@admin_only
def toggle_active(user_id: int):
    user = get_or_404(User, user_id, Action.MANAGE, hide_denied=True)
    make_active = request.form.get("active") == "1"
    try:
        set_active(current_actor(), user, make_active)
    except AccountError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_("已启用 %(name)s。", name=user.display_name) if make_active else _("已停用 %(name)s，其登录已失效。", name=user.display_name), "success")
    return redirect(url_for("users.index"))


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@admin_only
def password(user_id: int):
    user = get_or_404(User, user_id, Action.MANAGE, hide_denied=True)
    form = ResetPasswordForm()
    if form.validate_on_submit() and attempt(form, lambda: reset_password(user, form.new_password.data))[0]:
        db.session.commit()
        flash(_("已重置 %(name)s 的密码，其原有登录已失效。", name=user.display_name), "success")
        return redirect(url_for("users.index"))
    return render_template("users/password.html", form=form, user=user), 400 if form.errors else 200
