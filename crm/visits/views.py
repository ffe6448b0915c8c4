from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, own_unit_record, require
from crm.aftercare.quiet import quiet_days, visit_warning
from crm.clock import local_today
from crm.companies.services import find_company_by_name
from crm.domain.access import Action
from crm.domain.visits import VisitOutcome, VisitType
from crm.extensions import db
from crm.leads.services import unit_members
from crm.visits.forms import VisitForm
from crm.visits.models import Visit
from crm.visits.queries import VisitFilters, hint_days, visit_list_query
from crm.visits.services import VisitData, hint_since, leaders, log_visit, recent_visits_by_others, update_visit
from crm.web.forms import attempt, saved
from crm.web.labels import choices, label_text
from crm.web.pagination import page_args, paginate
from crm.web.ids import bounded_int
from crm.web.joins import noted

bp = Blueprint("visits", __name__, url_prefix="/visits")


def _prepare(form: VisitForm) -> None:
    actor = current_actor()
    leader_rows = [(u.id, noted(label_text(u.title), u.title_note) if u.title_note else label_text(u.title)) for u in leaders(actor.unit_id)]
    members = [(u.id, u.display_name) for u in unit_members(actor.unit_id)]
    form.set_options(leader_rows, members, actor.unit_id)


def _render_form(form: VisitForm, visit: Visit | None) -> Any:
    """The form, with the 宁静日 warning for a 企业服务走访 on one of the county's quiet days (the page's script
    says it again as the type and dates change)."""
    county_id = current_actor().county_id
    warning = visit_warning(county_id, form.type.data, form.start_on.data, form.end_on.data)
    days = sorted(quiet_days(county_id)) if county_id is not None else []
    return render_template("visits/form.html", form=form, visit=visit, quiet_warning=warning, quiet_days=days), \
        400 if request.method == "POST" else 200


def _warn_quiet_day(form: VisitForm) -> None:
    """Saved all the same (a warning, not a refusal): said once more on the page the user lands on."""
    if warning := visit_warning(current_actor().county_id, form.type.data, form.start_on.data, form.end_on.data):
        flash(warning, "warning")


@bp.route("/")
@login_required
def index():
    filters = VisitFilters.from_args(request.args)
    page, per_page = page_args()
    visits = paginate(visit_list_query(filters), page, per_page)
    can_create = allowed(Action.CREATE, own_unit_record())
    return render_template(
        "visits/index.html", visits=visits, filters=filters, can_create=can_create,
        types=choices(VisitType), outcomes=choices(VisitOutcome),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(Action.CREATE, own_unit_record())
    form = VisitForm()
    _prepare(form)
    if request.method == "GET":
        form.start_on.data = local_today()
        form.outcome.data = VisitOutcome.NONE
        if company := request.args.get("company"):
            form.stops.entries[0].company_name.data = company[:200]
        if lead_id := request.args.get("lead_id", type=bounded_int):
            form.lead_ids.data = [lead_id]
    if form.validate_on_submit():
        ok, visit = attempt(form, lambda: log_visit(current_actor(), VisitData.from_form(form), local_today()))
        if ok:
            db.session.commit()
            flash(_("已记录走访。"), "success")
            _warn_quiet_day(form)
            return redirect(url_for("visits.detail", visit_id=visit.id))
    # A POST that comes back here failed (some refusals sit inside sub-forms, where form.errors is cached).
    return _render_form(form, None)


@bp.route("/<int:visit_id>")
@login_required
def detail(visit_id: int):
    visit = get_or_404(Visit, visit_id)
    since = hint_since(local_today(), hint_days())
    others = recent_visits_by_others([s.company_id for s in visit.stops], visit.unit_id, since)
    return render_template("visits/detail.html", visit=visit, others=others, can_edit=allowed(Action.EDIT, visit.access_target()))


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(visit_id: int):
    visit = get_or_404(Visit, visit_id, Action.EDIT)
    form = VisitForm(obj=visit if request.method == "GET" else None)
    _prepare(form)
    if request.method == "GET":
        form.participant_ids.data = [u.id for u in visit.participants]
        form.lead_ids.data = [lead.id for lead in visit.leads]
        for entry, stop in zip(form.stops.entries, visit.stops):
            entry.company_name.data, entry.contact_name.data, entry.contact_title.data = stop.company.name, stop.contact_name, stop.contact_title
    if form.validate_on_submit() and saved(form, visit, lambda: update_visit(current_actor(), visit, VisitData.from_form(form))):
        db.session.commit()
        flash(_("已保存走访记录。"), "success")
        _warn_quiet_day(form)
        return redirect(url_for("visits.detail", visit_id=visit.id))
    return _render_form(form, visit)


@bp.route("/hints")
@login_required
def hints():
    """Which other unit visited this company lately, and when (the form asks as a company is typed)."""
    company = find_company_by_name(request.args.get("company", "")[:200])
    if company is None:
        return jsonify(hints=[])
    since = hint_since(local_today(), hint_days())
    rows = recent_visits_by_others([company.id], current_actor().unit_id, since)
    return jsonify(hints=[{"unit": unit, "date": day.isoformat()} for unit, day in rows])
