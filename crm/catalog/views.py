from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.access.policy import get_or_404, gate_required
from crm.catalog.forms import ChainForm
from crm.catalog.models import IndustryChain
from crm.catalog.services import save_chain
from crm.domain.access import Gate
from crm.extensions import db
from crm.web.forms import attempt, saved

bp = Blueprint("catalog", __name__, url_prefix="/admin/chains")
admin_only = gate_required(Gate.ADMINISTRATION)


@bp.route("/", methods=["GET", "POST"])
@admin_only
def chains():
    form = ChainForm()
    if form.validate_on_submit():
        ok, chain = attempt(form, lambda: save_chain(None, form.name.data, form.sort_order.data, form.is_active.data))
        if ok:
            db.session.commit()
            flash(_("已添加产业链 %(name)s。", name=chain.name), "success")
            return redirect(url_for("catalog.chains"))
    rows = db.session.scalars(sa.select(IndustryChain).order_by(IndustryChain.sort_order, IndustryChain.id)).all()
    return render_template("catalog/chains.html", form=form, chains=rows), 400 if form.errors else 200


@bp.route("/<int:chain_id>/edit", methods=["GET", "POST"])
@admin_only
def edit(chain_id: int):
    chain = get_or_404(IndustryChain, chain_id)
    form = ChainForm(obj=chain if request.method == "GET" else None)
    if form.validate_on_submit() and saved(form, chain, lambda: save_chain(chain, form.name.data, form.sort_order.data, form.is_active.data)):
        db.session.commit()
        flash(_("已保存。"), "success")
        return redirect(url_for("catalog.chains"))
    return render_template("catalog/chain_form.html", form=form, chain=chain), 400 if form.errors else 200
