from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from crm.access.policy import current_actor, get_or_404, gate_required
from crm.audit.forms import AuditSearchForm
from crm.audit.queries import audited_models, record_history, search_query
from crm.domain.access import Action, Gate
from crm.web.forms import as_choices
from crm.web.pagination import Page, page_args, paginate
from crm.web.ids import bounded_int

bp = Blueprint("audit", __name__)
HISTORY_PER_PAGE = 50


@bp.route("/history/<record_type>/<int:record_id>")
@login_required
def history(record_type: str, record_id: int):
    model = audited_models().get(record_type)
    if model is None:
        abort(404)
    record = get_or_404(model, record_id, Action.VIEW_HISTORY, hide_denied=True)
    page, per_page = page_args(default=HISTORY_PER_PAGE)
    rows = paginate(record_history(record_type, record_id), page, per_page)
    return render_template("audit/history.html", record=record, rows=rows)


@bp.route("/admin/audit")
@gate_required(Gate.ADMINISTRATION)
def search():
    form = AuditSearchForm(request.args)
    models = audited_models()
    form.record_type.choices = as_choices([("", _("全部"))] + [(name, models[name].__audit_name__ or name) for name in sorted(models)])
    page, per_page = page_args()
    if form.validate():
        stmt = search_query(
            current_actor(),
            q=form.q.data,
            record_type=form.record_type.data,
            actor_id=request.args.get("actor_id", type=bounded_int),
            day_from=form.date_from.data,
            day_to=form.date_to.data,
        )
        rows = paginate(stmt, page, per_page)
    else:
        rows = Page(items=[], page=1, per_page=per_page, total=0)
    return render_template("audit/search.html", form=form, rows=rows, models=models)
