"""安商 pages: 企业诉求 (list and export, 办结率/按期办结率 by 责任单位 and export, register, edit, one POST per move and
上报问题台账), the 重点企业挂牌保护 list (and export, add, edit) and the county's 宁静日.

诉求 are the unit's records (the policy's ``Resource.COMPANY_REQUEST``: staff and chiefs work their own unit's,
the county roles read their subtree's). The 挂牌保护 list is the county's (``Resource.PROTECTION``); the
宁静日 are a county setting (``may_manage``)."""

from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, require
from crm.aftercare.forms import FinishForm, MoveForm, ProtectionForm, QuietDaysForm, RequestForm, RevisitForm
from crm.aftercare.models import CompanyProtection, CompanyRequest
from crm.aftercare.queries import OPEN_FILTER, RequestFilters, overdue_count, rate_lines, request_list_query
from crm.aftercare.quiet import days_of, quiet_row, save_quiet_days
from crm.aftercare.services import (
    ProtectionData,
    RequestData,
    add_protection,
    county_protections,
    create_request,
    escalate_request,
    may_move,
    move_request,
    protection_target,
    request_target,
    update_protection,
    update_request,
)
from crm.clock import local_today
from crm.domain.access import Action
from crm.domain.aftercare import RequestMove, RequestStatus, Satisfaction, format_month_days, is_overdue, parse_month_days
from crm.domain.kpi import pct
from crm.extensions import db
from crm.reports.scope import may_manage, request_scope
from crm.units.queries import county_leaders, county_unit_choices
from crm.web.forms import attempt, saved, saved_setting
from crm.web.labels import choices, label_text, label_texts
from crm.web.pagination import page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")
EXPORT_LIMIT = 50_000


def _status(code: int = 200) -> int:
    return 400 if request.method == "POST" else code


# --- 企业诉求 --------------------------------------------------------------------------------------------
@bp.route("/requests/")
@login_required
def requests():
    today = local_today()
    filters = RequestFilters.from_args(request.args)
    page, per_page = page_args()
    rows = paginate(request_list_query(filters, today), page, per_page)
    return render_template(
        "aftercare/requests.html", rows=rows, filters=filters, today=today, overdue_total=overdue_count(today),
        overdue_ids={r.id for r in rows.items if is_overdue(r.deadline, r.status, today)},
        can_create=allowed(Action.CREATE, request_target(current_actor().unit_id)),
        statuses=[(OPEN_FILTER, _("未办结"))] + choices(RequestStatus), units=county_unit_choices(current_actor().unit_id),
    )


REQUEST_COLUMNS = [
    Column(_l("企业"), 28), Column(_l("类型"), 8), Column(_l("诉求类别"), 12), Column(_l("诉求事项"), 36), Column(_l("受理日期"), 12),
    Column(_l("责任单位"), 22), Column(_l("负责人"), 12), Column(_l("办理时限"), 12), Column(_l("状态"), 10), Column(_l("逾期"), 6),
    Column(_l("办结日期"), 12), Column(_l("按期办结"), 8), Column(_l("办理结果"), 36), Column(_l("回访日期"), 12), Column(_l("满意度"), 10),
    Column(_l("问题台账编号"), 14), Column(_l("受理单位"), 18),
]


@bp.route("/requests/export.xlsx")
@login_required
def requests_export():
    today = local_today()
    filters = RequestFilters.from_args(request.args)
    text = label_texts()
    yes = _("是")

    def row(r: CompanyRequest) -> list[Any]:
        finished = r.done_on is not None
        return [r.company.name, text(r.kind), text(r.category), r.subject, r.received_on, r.responsible_unit.name, r.responsible_person,
                r.deadline, text(r.status), yes if is_overdue(r.deadline, r.status, today) else "", r.done_on,
                (yes if r.done_on <= r.deadline else _("否")) if finished else "", r.result, r.revisited_on,
                text(r.satisfaction) if r.satisfaction else "", r.issue.number if r.issue else "", r.unit.name]

    return xlsx_response("企业诉求.xlsx", _("企业诉求"), REQUEST_COLUMNS,
                         query_rows(request_list_query(filters, today).limit(EXPORT_LIMIT), row))


def _year() -> int | None:
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else None


@bp.route("/requests/rates")
@login_required
def rates():
    """办结率 and 按期办结率 by 责任单位 (考核), over the 诉求 the reader sees."""
    year = _year()
    return render_template("aftercare/rates.html", lines=rate_lines(local_today(), year), year=year, this_year=local_today().year)


@bp.route("/requests/rates.xlsx")
@login_required
def rates_export():
    year = _year()
    columns = [Column(_l("责任单位"), 28), Column(_l("受理"), 8), Column(_l("办结"), 8), Column(_l("按期办结"), 10), Column(_l("逾期未办结"), 10),
               Column(_l("办结率（%）"), 12), Column(_l("按期办结率（%）"), 14)]
    # A list, built inside the request (the file streams after it): a county has a few dozen units.
    rows = [[line.name, r.received, r.finished, r.finished_on_time, r.overdue_open, pct(r.handling_rate), pct(r.on_time_rate)]
            for line in rate_lines(local_today(), year) for r in (line.rates,)]
    title = _("诉求办理考核") + (f" {year}" if year else "")
    return xlsx_response("诉求办理考核.xlsx", title, columns, rows)


def _request_data(form: RequestForm) -> RequestData:
    return RequestData(form.company_name.data or "", form.kind.data, form.category.data, form.subject.data or "", form.description.data,
                       form.received_on.data, form.responsible_unit_id.data, form.responsible_person.data, form.deadline.data,
                       form.deadline_workdays.data)


def _render_request_form(form: RequestForm, row: CompanyRequest | None) -> Any:
    return render_template("aftercare/request_form.html", form=form, row=row), _status()


@bp.route("/requests/new", methods=["GET", "POST"], endpoint="create_request")
@login_required
def create_request_view():
    actor = current_actor()
    require(Action.CREATE, request_target(actor.unit_id))
    form = RequestForm()
    form.set_units(county_unit_choices(actor.unit_id))
    if request.method == "GET":
        form.received_on.data = local_today()
        if company := request.args.get("company"):
            form.company_name.data = company[:200]
    if form.validate_on_submit():
        ok, row = attempt(form, lambda: create_request(actor, _request_data(form), local_today()))
        if ok:
            db.session.commit()
            flash(_("已受理诉求“%(subject)s”，办理时限 %(deadline)s。", subject=row.subject, deadline=row.deadline.isoformat()), "success")
            return redirect(url_for("aftercare.request_detail", request_id=row.id))
    return _render_request_form(form, None)


def _get_request(request_id: int, move: RequestMove | None = None) -> CompanyRequest:
    """The 诉求, read by the unit that 受理d it or (``Resource.ASSIGNED_REQUEST``) by its 责任单位: 404 for anyone else;
    403 when ``move`` is not theirs to make."""
    row = db.session.get(CompanyRequest, request_id)
    if row is None or not (allowed(Action.VIEW, row.access_target()) or allowed(Action.VIEW, row.handler_target())):
        abort(404)
    if move is not None and not may_move(current_actor(), row, move):
        abort(403)
    return row


def _detail(row: CompanyRequest, code: int = 200, **failed: Any) -> Any:
    target = row.access_target()
    can_edit = allowed(Action.EDIT, target)
    actor = current_actor()
    forms = {
        "handle": failed.get("handle") or MoveForm(formdata=None, record=row),
        "finish": failed.get("finish") or FinishForm(formdata=None, record=row),
        "revisit": failed.get("revisit") or RevisitForm(formdata=None, record=row),
        "escalate": failed.get("escalate") or MoveForm(formdata=None, record=row),
    }
    is_open = row.status not in (RequestStatus.DONE, RequestStatus.REVISITED)
    return render_template(
        "aftercare/request_detail.html", row=row, request_forms=forms, overdue=is_overdue(row.deadline, row.status, local_today()),
        can_edit=can_edit and is_open, can_handle=may_move(actor, row, RequestMove.HANDLE) and row.status is RequestStatus.ACCEPTED,
        can_finish=may_move(actor, row, RequestMove.FINISH) and row.status is RequestStatus.HANDLING,
        can_revisit=can_edit and row.status is RequestStatus.DONE,
        can_escalate=can_edit and is_open and row.issue_id is None, can_view_history=allowed(Action.VIEW_HISTORY, target),
    ), code


@bp.route("/requests/<int:request_id>")
@login_required
def request_detail(request_id: int):
    return _detail(_get_request(request_id))


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit_request(request_id: int):
    row = get_or_404(CompanyRequest, request_id, Action.EDIT)
    if row.status in (RequestStatus.DONE, RequestStatus.REVISITED):
        flash(_("该诉求已办结，不能再修改"), "warning")
        return redirect(url_for("aftercare.request_detail", request_id=row.id))
    form = RequestForm(obj=row if request.method == "GET" else None)
    form.set_units(county_unit_choices(row.unit_id, keep=row.responsible_unit_id))
    if request.method == "GET":
        form.company_name.data = row.company.name
    if form.validate_on_submit() and saved(form, row, lambda: update_request(current_actor(), row, _request_data(form), local_today())):
        db.session.commit()
        flash(_("已保存诉求“%(subject)s”。", subject=row.subject), "success")
        return redirect(url_for("aftercare.request_detail", request_id=row.id))
    return _render_request_form(form, row)


MOVE_FORMS: dict[str, tuple[type[Any], Any]] = {
    RequestMove.HANDLE.value: (MoveForm, _l("已转入办理。")),
    RequestMove.FINISH.value: (FinishForm, _l("已办结，请择期回访企业。")),
    RequestMove.REVISIT.value: (RevisitForm, _l("已记录回访。")),
}


def _post(row: CompanyRequest, name: str, form: Any, change: Callable[[], Any], done: Any) -> Any:
    """One POST on the page: the version seen, the service's refusal next to its field (400), else commit."""
    if form.validate_on_submit() and saved(form, row, change):
        db.session.commit()
        flash(str(done), "success")
        return redirect(url_for("aftercare.request_detail", request_id=row.id))
    db.session.rollback()
    return _detail(db.session.get(CompanyRequest, row.id) or row, 400, **{name: form})


@bp.route("/requests/<int:request_id>/move/<name>", methods=["POST"])
@login_required
def move(request_id: int, name: str):
    if name not in MOVE_FORMS:
        abort(404)
    row = _get_request(request_id, RequestMove(name))
    form_cls, done = MOVE_FORMS[name]
    form = form_cls()
    if name == RequestMove.REVISIT.value and form.satisfaction.data is Satisfaction.UNSATISFIED:
        done = _l("企业不满意，诉求已退回办理，请责任单位继续办理。")
    return _post(row, name, form, lambda: move_request(
        current_actor(), row, RequestMove(name), local_today(), result=getattr(form, "result", None) and form.result.data,
        satisfaction=getattr(form, "satisfaction", None) and form.satisfaction.data,
        note=getattr(form, "revisit_note", None) and form.revisit_note.data), done)


@bp.route("/requests/<int:request_id>/escalate", methods=["POST"])
@login_required
def escalate(request_id: int):
    row = get_or_404(CompanyRequest, request_id, Action.EDIT)
    return _post(row, "escalate", MoveForm(), lambda: escalate_request(current_actor(), row, local_today()), _l("已上报问题台账。"))


# --- 挂牌保护 ---------------------------------------------------------------------------------------------
def _county() -> int:
    _actor, scope = request_scope()
    return scope.county_id


@bp.route("/protections/")
@login_required
def protections():
    county_id = _county()
    require(Action.VIEW, protection_target(county_id))
    return render_template("aftercare/protections.html", rows=county_protections(county_id),
                           can_create=allowed(Action.CREATE, protection_target(county_id)))


@bp.route("/protections/export.xlsx")
@login_required
def protections_export():
    county_id = _county()
    require(Action.VIEW, protection_target(county_id))
    columns = [Column(_l("企业"), 30), Column(_l("挂牌日期"), 12), Column(_l("分包县级领导"), 16), Column(_l("职务"), 14), Column(_l("联系单位"), 24),
               Column(_l("状态"), 8), Column(_l("备注"), 30)]
    rows = [[p.company.name, p.listed_on, p.leader.display_name, label_text(p.leader.title) if p.leader.title else "", p.contact_unit.name,
             _("保护中") if p.is_active else _("已摘牌"), p.notes] for p in county_protections(county_id)]
    return xlsx_response("重点企业挂牌保护.xlsx", _("重点企业挂牌保护"), columns, rows)


def _protection_form(form: ProtectionForm, county_id: int, keep_unit: int | None = None) -> None:
    leaders = [(u.id, f"{u.display_name}（{label_text(u.title)}）" if u.title else u.display_name)
               for u in db.session.scalars(county_leaders(county_id))]
    form.set_options(leaders, county_unit_choices(county_id, keep=keep_unit))


def _protection_data(form: ProtectionForm, new: bool = False) -> ProtectionData:
    """A new row is 保护中 (the form offers 摘牌 only on an existing one)."""
    return ProtectionData(form.company_name.data or "", form.listed_on.data, form.leader_id.data, form.contact_unit_id.data, form.notes.data,
                          new or bool(form.is_active.data))


@bp.route("/protections/new", methods=["GET", "POST"])
@login_required
def create_protection():
    county_id = _county()
    require(Action.CREATE, protection_target(county_id))
    form = ProtectionForm()
    _protection_form(form, county_id)
    if request.method == "GET":
        form.listed_on.data = local_today()
    if form.validate_on_submit():
        ok, row = attempt(form, lambda: add_protection(current_actor(), county_id, _protection_data(form, new=True), local_today()))
        if ok:
            db.session.commit()
            flash(_("已将“%(name)s”列入挂牌保护名单。", name=row.company.name), "success")
            return redirect(url_for("aftercare.protections"))
    return render_template("aftercare/protection_form.html", form=form, row=None), _status()


@bp.route("/protections/<int:protection_id>", methods=["GET", "POST"])
@login_required
def edit_protection(protection_id: int):
    county_id = _county()
    require(Action.VIEW, protection_target(county_id))
    row: CompanyProtection | None = next((p for p in county_protections(county_id) if p.id == protection_id), None)
    if row is None:
        abort(404)
    require(Action.EDIT, row.access_target())
    form = ProtectionForm(obj=row if request.method == "GET" else None)
    _protection_form(form, county_id, keep_unit=row.contact_unit_id)
    if request.method == "GET":
        form.company_name.data = row.company.name
    if form.validate_on_submit() and saved(form, row, lambda: update_protection(current_actor(), row, _protection_data(form), local_today())):
        db.session.commit()
        flash(_("已保存“%(name)s”的挂牌保护信息。", name=row.company.name), "success")
        return redirect(url_for("aftercare.protections"))
    return render_template("aftercare/protection_form.html", form=form, row=row), _status()


# --- 宁静日 -----------------------------------------------------------------------------------------------
@bp.route("/quiet-days", methods=["GET", "POST"])
@login_required
def quiet_days():
    """The county's 宁静日: read by all of the county (the visit form warns on them), set by those who set its reports."""
    actor, scope = request_scope()
    manager = may_manage(actor, scope)
    row = quiet_row(scope.county_id)
    form = QuietDaysForm(record=row) if row is not None else QuietDaysForm()
    if request.method == "GET":
        form.days.data = format_month_days(days_of(row))
    if request.method == "POST" and not manager:
        abort(403)
    if form.validate_on_submit():
        days = parse_month_days(form.days.data or "")
        ok = saved_setting(form, row, lambda: save_quiet_days(scope.county_id, days, row))
        if ok:
            db.session.commit()
            flash(_("已保存宁静日设置。"), "success")
            return redirect(url_for("aftercare.quiet_days"))
    return render_template("aftercare/quiet_days.html", form=form, manager=manager, days=sorted(days_of(row)),
                           rule=format_month_days(days_of(row)), scope=scope), _status()
