from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, own_unit_record, require
from crm.agreements.forms import AgreementForm, TerminateForm, UploadForm
from crm.agreements.models import Agreement
from crm.agreements.queries import AgreementFilters, agreement_list_query, agreement_totals
from crm.agreements.services import (
    AgreementData,
    create_agreement,
    party_a_suggestions,
    resolve_company,
    terminate_agreement,
    update_agreement,
)
from crm.attachments import services as attachments
from crm.clock import local_today
from crm.companies.models import Company
from crm.domain.access import Action
from crm.domain.agreements import AgreementStatus, AgreementType
from crm.errors import FieldError
from crm.extensions import db
from crm.leads.queries import unit_lead_names
from crm.leads.views import set_lead_lookup
from crm.web.forms import attempt, saved, show_error
from crm.web.labels import choices, label_texts
from crm.web.pagination import page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response
from crm.web.ids import bounded_int

bp = Blueprint("agreements", __name__, url_prefix="/agreements")
EXPORT_LIMIT = 50_000



def _render_form(form: AgreementForm, agreement: Agreement | None) -> Any:
    if request.method == "POST" and form.errors and not form.company_name.errors and form.company_name.data:
        # Other fields were refused: say at once whether 乙方 is known too, rather than on the next round.
        try:
            resolve_company(form.company_name.data, form.company_id.data)
        except FieldError as error:
            show_error(form, error.field, error.message)
    return render_template(
        "agreements/form.html", form=form, agreement=agreement, party_a_options=party_a_suggestions()
    ), 400 if form.errors else 200


# --- list and export -------------------------------------------------------------------
@bp.route("/")
@login_required
def index():
    filters = AgreementFilters.from_args(request.args)
    page, per_page = page_args()
    agreements = paginate(agreement_list_query(filters), page, per_page)
    return render_template(
        "agreements/index.html",
        agreements=agreements,
        totals=agreement_totals(filters),
        filters=filters,
        types=choices(AgreementType),
        statuses=choices(AgreementStatus),
        can_create=allowed(Action.CREATE, own_unit_record()),
    )


@bp.route("/export.xlsx")
@login_required
def export():
    filters = AgreementFilters.from_args(request.args)
    columns = [
        Column(_l("签约日期"), 12), Column(_l("协议类型"), 18), Column(_l("协议名称"), 28), Column(_l("协议编号"), 16), Column(_l("乙方"), 30),
        Column(_l("甲方"), 20), Column(_l("签约活动"), 20), Column(_l("协议投资额（万元）"), 16, total=True),
        Column(_l("合同引资额（万元）"), 16, total=True), Column(_l("约定开工日期"), 12), Column(_l("约定投产日期"), 12),
        Column(_l("投资强度（万元/亩）"), 14), Column(_l("亩均税收（万元/亩）"), 14), Column(_l("承诺用工（人）"), 12),
        Column(_l("状态"), 8), Column(_l("终止原因"), 24), Column(_l("所属单位"), 16),
    ]
    text = label_texts()

    def row(a: Agreement) -> list[Any]:
        return [
            a.signed_on, text(a.type), a.name, a.number, a.company.name, a.party_a, a.signing_event,
            a.investment_amount, a.attracted_amount, a.planned_start_on, a.planned_production_on,
            a.investment_intensity, a.tax_per_mu, a.jobs, text(a.status), a.termination_reason, a.unit.name,
        ]

    return xlsx_response("协议.xlsx", _("协议"), columns, query_rows(agreement_list_query(filters).limit(EXPORT_LIMIT), row))


# --- create, read, edit, terminate --------------------------------------------------------
@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(Action.CREATE, own_unit_record())
    actor = current_actor()
    form = AgreementForm()
    set_lead_lookup(form.lead_id, actor.unit_id)
    if request.method == "GET":
        form.signed_on.data = local_today()
        if (company_id := request.args.get("company_id", type=bounded_int)) and (company := db.session.get(Company, company_id)):
            form.company_name.data = company.name
            form.company_id.data = str(company.id)
        lead_id = request.args.get("lead_id", type=bounded_int)
        if lead_id and unit_lead_names(actor.unit_id, [lead_id]):
            form.lead_id.data = lead_id
    if form.validate_on_submit():
        ok, agreement = attempt(form, lambda: create_agreement(actor, AgreementData.from_form(form)))
        if ok:
            db.session.commit()
            flash(_("已新建协议（乙方：%(company)s）。", company=agreement.company.name), "success")
            return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return _render_form(form, None)


def _detail(agreement: Agreement, upload_form: UploadForm | None = None, status: int = 200) -> Any:
    target = agreement.access_target()
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        files=attachments.attachments_of(agreement),
        upload_form=upload_form or UploadForm(formdata=None),
        can_edit=allowed(Action.EDIT, target),
        can_view_history=allowed(Action.VIEW_HISTORY, target),
    ), status


@bp.route("/<int:agreement_id>")
@login_required
def detail(agreement_id: int):
    return _detail(get_or_404(Agreement, agreement_id))


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(agreement_id: int):
    agreement = get_or_404(Agreement, agreement_id, Action.EDIT)
    form = AgreementForm(obj=agreement if request.method == "GET" else None)
    set_lead_lookup(form.lead_id, agreement.unit_id)
    if request.method == "GET":
        form.company_name.data = agreement.company.name
        form.company_id.data = str(agreement.company_id)
    if form.validate_on_submit() and saved(form, agreement, lambda: update_agreement(agreement, AgreementData.from_form(form))):
        db.session.commit()
        flash(_("已保存协议。"), "success")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return _render_form(form, agreement)


@bp.route("/<int:agreement_id>/terminate", methods=["GET", "POST"])
@login_required
def terminate(agreement_id: int):
    agreement = get_or_404(Agreement, agreement_id, Action.EDIT)
    if agreement.status is AgreementStatus.TERMINATED:
        flash(_("该协议已终止。"), "info")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    form = TerminateForm(record=agreement)
    if request.method == "GET":
        form.terminated_on.data = local_today()
    if form.validate_on_submit() and saved(
        form, agreement, lambda: terminate_agreement(agreement, form.reason.data, form.terminated_on.data)
    ):
        db.session.commit()
        flash(_("协议已终止。"), "success")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template("agreements/terminate.html", form=form, agreement=agreement), 400 if form.errors else 200


# --- attachments ----------------------------------------------------------------------
@bp.route("/<int:agreement_id>/attachments", methods=["POST"])
@login_required
def upload(agreement_id: int):
    agreement = get_or_404(Agreement, agreement_id, Action.EDIT)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            stored = attachments.store(form.file.data, agreement, current_actor().user_id)
        except FieldError as error:
            show_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("已上传附件 %(name)s。", name=stored.original_name), "success")
            return redirect(url_for("agreements.detail", agreement_id=agreement.id) + "#attachments")
    return _detail(agreement, form, 400)


@bp.route("/<int:agreement_id>/attachments/<int:attachment_id>")
@login_required
def attachment(agreement_id: int, attachment_id: int):
    """The file, only to users who may see the agreement (another unit's gets 404, as for the agreement)."""
    agreement = get_or_404(Agreement, agreement_id)
    found = attachments.attachment_of(agreement, attachment_id)
    if found is None:
        abort(404)
    try:
        return attachments.send(found, download=request.args.get("download") == "1")
    except FileNotFoundError:
        abort(404)


@bp.route("/<int:agreement_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(agreement_id: int, attachment_id: int):
    agreement = get_or_404(Agreement, agreement_id, Action.EDIT)
    found = attachments.attachment_of(agreement, attachment_id)
    if found is None:
        abort(404)
    name = found.original_name
    attachments.delete(found)
    db.session.commit()
    flash(_("已删除附件 %(name)s。", name=name), "success")
    return redirect(url_for("agreements.detail", agreement_id=agreement.id) + "#attachments")
