"""Admin pages of the units' group robots: the list (masked URLs), add, switch on/off, remove."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.access.policy import current_actor, gate_required, get_or_404
from crm.access.reach import subtree_units
from crm.channels.forms import ChannelForm
from crm.channels.models import Channel
from crm.channels.queries import channels_in
from crm.channels.services import ChannelData, add_channel, remove_channel, set_active
from crm.domain.access import Action, Gate
from crm.extensions import db
from crm.units.models import Unit
from crm.web.forms import attempt

bp = Blueprint("channels", __name__, url_prefix="/admin/channels")
admin_only = gate_required(Gate.ADMINISTRATION)


@bp.route("/")
@admin_only
def index():
    return render_template("channels/index.html", channels=channels_in(subtree_units(current_actor())))


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def create():
    from crm.units.views import set_unit_lookup

    form = ChannelForm()
    set_unit_lookup(form.unit_id, "manage", _("—请输入单位名称查找—"))
    if form.validate_on_submit():
        unit = get_or_404(Unit, form.unit_id.data, Action.MANAGE, hide_denied=True)
        ok, channel = attempt(form, lambda: add_channel(unit, ChannelData.from_form(form)))
        if ok:
            db.session.commit()
            flash(_("已为 %(unit)s 添加群机器人。", unit=unit.name), "success")
            return redirect(url_for("channels.index"))
    return render_template("channels/form.html", form=form), 400 if form.errors else 200


@bp.route("/<int:channel_id>/active", methods=["POST"])
@admin_only
def toggle_active(channel_id: int):
    channel = get_or_404(Channel, channel_id, Action.MANAGE, hide_denied=True)
    set_active(channel, request.form.get("active") == "1")
    db.session.commit()
    flash(_("已启用群机器人。") if channel.is_active else _("已停用群机器人，不再向该群发送消息。"), "success")
    return redirect(url_for("channels.index"))


@bp.route("/<int:channel_id>/delete", methods=["POST"])
@admin_only
def delete(channel_id: int):
    channel = get_or_404(Channel, channel_id, Action.MANAGE, hide_denied=True)
    unit_name = channel.unit.name
    remove_channel(channel)
    db.session.commit()
    flash(_("已删除 %(unit)s 的群机器人。", unit=unit_name), "success")
    return redirect(url_for("channels.index"))
