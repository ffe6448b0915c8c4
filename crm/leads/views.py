from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, own_unit_record, require
from crm.catalog.models import IndustryChain
from crm.clock import local_today
from crm.domain.access import Action
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.extensions import db
from crm.followups.forms import FollowUpForm
from crm.followups.queries import tasks_for
from crm.followups.services import Subject, schedule, scheduled_message
from crm.leads.forms import LeadForm, StatusForm
from crm.leads.models import Lead
from crm.leads.queries import LeadFilters, lead_export_query, lead_list_query, timeline, unit_lead_candidates, unit_lead_names
from crm.leads.services import LeadData, change_status, create_lead, schedule_next_follow_up, unit_members, update_lead
from crm.web.forms import attempt, errors_text, saved
from crm.web.labels import choices, label, label_texts
from crm.web.owners import offer_owners
from crm.web.pagination import page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response
from crm.units.views import unit_filter
from crm.web.ids import bounded_int

bp = Blueprint("leads", __name__, url_prefix="/leads")
EXPORT_LIMIT = 50_000



def _chains() -> list[tuple[int, str]]:
    rows = db.session.scalars(sa.select(IndustryChain).where(IndustryChain.is_active).order_by(IndustryChain.sort_order))
    return [(c.id, c.name) for c in rows]


def _members() -> list[tuple[int, str]]:
    return [(u.id, u.display_name) for u in unit_members(current_actor().unit_id)]


def _prepare(form: LeadForm, lead: Lead | None = None) -> None:
    form.set_options(_chains())
    offer_owners(form.owner_id, _members(), lead.owner if lead is not None else None)


def _filter_options() -> dict:
    return {
        "statuses": choices(LeadStatus),
        "grades": choices(LeadGrade),
        "sources": choices(LeadSource),
        "chains": _chains(),
        "unit_filter": unit_filter("visible", request.args.get("unit_id", type=bounded_int)),
    }


@bp.route("/")
@login_required
def index():
    filters = LeadFilters.from_args(request.args)
    page, per_page = page_args()
    leads = paginate(lead_list_query(filters, local_today()), page, per_page)
    can_create = allowed(Action.CREATE, own_unit_record())
    return render_template("leads/index.html", leads=leads, filters=filters, can_create=can_create, **_filter_options())


@bp.route("/export.xlsx")
@login_required
def export():
    filters = LeadFilters.from_args(request.args)
    columns = [
        Column(_l("线索名称"), 28), Column(_l("投资方"), 30), Column(_l("跟进单位"), 16), Column(_l("跟进人"), 10), Column(_l("来源方式"), 14),
        Column(_l("拟投资额下限（万元）"), 14, total=True), Column(_l("拟投资额上限（万元）"), 14, total=True), Column(_l("用地需求（亩）"), 12),
        Column(_l("主导产业链"), 12), Column(_l("等级"), 6), Column(_l("接收日期"), 12), Column(_l("状态"), 10), Column(_l("下次跟进"), 12),
    ]

    text = label_texts()

    def row(r: Any) -> list[Any]:
        name, company, unit, owner, source, low, high, land, chain, grade, received, status, next_on = r
        return [name, company, unit, owner, text(source), low, high, land, chain, grade.value if grade else None, received,
                text(status), next_on]

    stmt = lead_export_query(filters, local_today()).limit(EXPORT_LIMIT)
    return xlsx_response("线索.xlsx", _("线索"), columns, query_rows(stmt, row, objects=False))


@bp.route("/candidates")
@login_required
def candidates():
    """The unit's leads by name or company, for the pickers of the visit and agreement forms (who may link a lead
    may create records of the unit)."""
    require(Action.CREATE, own_unit_record())
    found = unit_lead_candidates(current_actor().unit_id, request.args.get("q", ""))
    return jsonify(options=[{"value": lead_id, "text": text} for lead_id, text in found])


def set_lead_lookup(field: Any, unit_id: int) -> None:
    """Make ``field`` a picker of ``unit_id``'s leads: it asks ``candidates`` as the user types, and accepts what
    ``unit_lead_names`` allows."""
    field.set_lookup(url_for("leads.candidates"), lambda ids: unit_lead_names(unit_id, ids), _l("—输入线索或企业名称查找—"))


def _with_next_task(lead: Lead, form: LeadForm) -> Lead:
    """The form's 下次跟进日期 as a follow-up task (``schedule_next_follow_up``)."""
    schedule_next_follow_up(current_actor(), lead, form.next_follow_up_on.data, local_today())
    return lead


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(Action.CREATE, own_unit_record())
    form = LeadForm()
    _prepare(form)
    if request.method == "GET":
        form.received_on.data = local_today()
        form.company_name.data = request.args.get("company", "")[:200]
    if form.validate_on_submit():
        ok, lead = attempt(form, lambda: _with_next_task(create_lead(current_actor(), LeadData.from_form(form)), form))
        if ok:
            db.session.commit()
            flash(_("已新建线索 %(name)s。", name=lead.name), "success")
            return redirect(url_for("leads.detail", lead_id=lead.id))
    return render_template("leads/form.html", form=form, lead=None), 400 if form.errors else 200


@bp.route("/<int:lead_id>")
@login_required
def detail(lead_id: int):
    lead = get_or_404(Lead, lead_id)
    target = lead.access_target()
    follow_form = FollowUpForm()
    offer_owners(follow_form.assignee_id, _members())
    status_form = StatusForm(status=lead.status, record=lead)
    from crm.projects.queries import project_of_lead

    return render_template(
        "leads/detail.html",
        lead=lead,
        project=project_of_lead(lead.id),
        timeline=timeline(lead),
        tasks=tasks_for(lead_id=lead.id),
        follow_form=follow_form,
        status_form=status_form,
        can_edit=allowed(Action.EDIT, target),
        today=local_today(),
    )


@bp.route("/<int:lead_id>/edit", methods=["GET", "POST"])
@login_required
def edit(lead_id: int):
    lead = get_or_404(Lead, lead_id, Action.EDIT)
    form = LeadForm(obj=lead if request.method == "GET" else None)
    _prepare(form, lead)
    if request.method == "GET":
        form.company_name.data = lead.company.name

    def save() -> None:
        update_lead(current_actor(), lead, LeadData.from_form(form))
        _with_next_task(lead, form)

    if form.validate_on_submit() and saved(form, lead, save):
        db.session.commit()
        flash(_("已保存线索。"), "success")
        return redirect(url_for("leads.detail", lead_id=lead.id))
    return render_template("leads/form.html", form=form, lead=lead), 400 if form.errors else 200


@bp.route("/<int:lead_id>/status", methods=["POST"])
@login_required
def status(lead_id: int):
    lead = get_or_404(Lead, lead_id, Action.EDIT)
    form = StatusForm()
    if form.validate_on_submit() and saved(form, lead, lambda: change_status(lead, form.status.data, form.reason.data)):
        db.session.commit()
        flash(_("线索状态已改为「%(status)s」。", status=label(lead.status)), "success")
    else:
        flash(errors_text(form), "danger")
    return redirect(url_for("leads.detail", lead_id=lead.id))


@bp.route("/<int:lead_id>/follow-ups", methods=["POST"])
@login_required
def add_follow_up(lead_id: int):
    lead = get_or_404(Lead, lead_id, Action.EDIT)
    form = FollowUpForm()
    offer_owners(form.assignee_id, _members())
    if form.validate_on_submit():
        ok, task = attempt(
            form,
            lambda: schedule(current_actor(), Subject(lead_id=lead.id), form.due_on.data, form.note.data, local_today(),
                             assignee_id=form.assignee_id.data, move_off_holiday=form.move_off_holiday.data),
        )
        if ok:
            db.session.commit()
            flash(scheduled_message(task, form.due_on.data), "success")
            return redirect(url_for("leads.detail", lead_id=lead.id) + "#tasks")
    flash(errors_text(form), "danger")
    return redirect(url_for("leads.detail", lead_id=lead.id) + "#tasks")


@bp.route("/<int:lead_id>/convert", methods=["POST"])
@login_required
def convert(lead_id: int):
    """线索 → 在谈 project, keeping the link."""
    from crm.errors import FieldError
    from crm.projects.services import convert_lead

    lead = get_or_404(Lead, lead_id, Action.EDIT)
    try:
        project = convert_lead(current_actor(), lead)
    except FieldError as refusal:
        flash(refusal.message, "danger")
        return redirect(url_for("leads.detail", lead_id=lead.id))
    db.session.commit()
    flash(_("已转为在谈项目「%(name)s」。", name=project.name), "success")
    return redirect(url_for("projects.detail", project_id=project.id))
