"""Project pages: list, board, export, create/edit, the page itself, stage reports and their review."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, own_unit_record, require, gate_required
from crm.attachments import services as attachments
from crm.catalog.models import IndustryChain
from crm.clock import local_today
from crm.companies.models import Company
from crm.domain.access import Action, Gate, Resource, holds, passes
from crm.domain.companies import CompanyTag, IndustryCategory
from crm.domain.pipeline import Stage, earlier_stages, main_line, next_targets
from crm.domain.projects import Rag, scale_band
from crm.extensions import db
from crm.projects.exports import project_export
from crm.projects.forms import ProjectForm, RejectForm, ReviewForm, StageForm
from crm.projects.models import Project, StageEvent
from crm.projects.queries import (
    BAND_NAMES,
    ProjectFilters,
    attachments_by_event,
    board_cards,
    board_columns,
    ids_with_rag,
    open_events,
    pending_reviews,
    project_list_query,
    stage_counts,
    stage_history,
    totals,
)
from crm.projects.rag import project_rag, project_rags
from crm.projects.services import (
    ProjectData,
    StageData,
    approve,
    create_project,
    discard_draft,
    move_back,
    open_event,
    pipeline_settings,
    reject,
    report_stage,
    signing_agreements,
    stage_fields,
    stage_path,
    submission_required,
    unit_members,
    update_project,
)
from crm.web.forms import attempt, errors_text, saved
from crm.web.labels import choices, label
from crm.web.owners import offer_owners
from crm.web.pagination import page_args, paginate
from crm.web.urls import is_local_path
from crm.units.queries import county_leaders
from crm.units.views import unit_filter
from crm.web.ids import bounded_int
from crm.web.joins import semicolons

bp = Blueprint("projects", __name__, url_prefix="/projects")
reviews_bp = Blueprint("reviews", __name__, url_prefix="/reviews")
EXPORT_LIMIT = 50_000
QUEUE_PER_PAGE = 20  # stage reports per page of the review queue, and the fund entries beside them
BOARD_CARDS = 12  # per column; the column's link opens the full list



def _chains() -> list[tuple[int, str]]:
    rows = db.session.scalars(sa.select(IndustryChain).where(IndustryChain.is_active).order_by(IndustryChain.sort_order))
    return [(c.id, c.name) for c in rows]


def _filter_options() -> dict[str, Any]:
    leaders = db.session.scalars(county_leaders(current_actor().unit_id, with_those_above=True)).all()
    return {
        "stages": choices(Stage),
        "unit_filter": unit_filter("visible", request.args.get("unit", type=bounded_int)),
        "chains": _chains(),
        "categories": choices(IndustryCategory),
        "bands": BAND_NAMES,
        "leader_options": [(u.id, u.display_name) for u in leaders],
        "tags": choices(CompanyTag),
        "rag_options": choices(Rag),
    }


def _decorations(projects: list[Project]) -> dict[str, Any]:
    """What list rows and board cards show besides the project: RAG, leaders, staffing flags, open reports."""
    from crm.assignments.queries import leaders_of, staffing_gaps

    ids = [p.id for p in projects]
    return {
        "rags": project_rags(projects, local_today()),
        "leaders": leaders_of(ids),
        "gaps": staffing_gaps(ids),
        "open_events": open_events(ids),
    }


def _listing(f: ProjectFilters) -> sa.Select[Any]:
    return project_list_query(f, ids_with_rag(f, local_today()))


# --- list, board, export ------------------------------------------------------------------------
@bp.route("/")
@login_required
def index():
    f = ProjectFilters.from_args(request.args)
    page, per_page = page_args()
    stmt = _listing(f)
    projects = paginate(stmt, page, per_page)
    return render_template(
        "projects/index.html", projects=projects, filters=f, totals=totals(stmt), sorts=SORT_LABELS,
        can_create=allowed(Action.CREATE, own_unit_record()), **_decorations(list(projects.items)), **_filter_options(),
    )


SORT_LABELS = [
    ("-updated", _l("最近更新")), ("-total", _l("总投资从高到低")), ("-contracted", _l("合同引资额从高到低")),
    ("name", _l("项目名称")), ("stage_since", _l("在本阶段最久")),
]


@bp.route("/board")
@login_required
def board():
    f = ProjectFilters.from_args(request.args)
    stmt = _listing(ProjectFilters(**{**f.__dict__, "stage": ""}))
    columns = board_columns(list(main_line(pipeline_settings())[1:]))
    counts = stage_counts(stmt)
    cards = board_cards(stmt, f.sort, columns, BOARD_CARDS)
    everything = [p for stage_cards in cards.values() for p in stage_cards]
    return render_template(
        "projects/board.html", columns=columns, cards=cards, counts=counts, filters=f, per_column=BOARD_CARDS,
        **_decorations(everything), **_filter_options(),
    )


@bp.route("/export.xlsx")
@login_required
def export():
    return project_export(_listing(ProjectFilters.from_args(request.args)).limit(EXPORT_LIMIT), _decorations)


# --- create and edit ---------------------------------------------------------------------------
def _offer_owners(form: ProjectForm, unit_id: int, project: Project | None = None) -> None:
    offer_owners(form.owner_id, [(u.id, u.display_name) for u in unit_members(unit_id)], project.owner if project else None)


def _form_page(form: ProjectForm, project: Project | None) -> Any:
    return render_template("projects/form.html", form=form, project=project), 400 if form.errors else 200


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(Action.CREATE, own_unit_record())
    actor = current_actor()
    form = ProjectForm()
    form.set_options(_chains())
    _offer_owners(form, actor.unit_id)
    if request.method == "GET":
        form.tracked_since.data = local_today()
        if (company_id := request.args.get("company_id", type=bounded_int)) and (company := db.session.get(Company, company_id)):
            form.company_name.data = company.name
    if form.validate_on_submit():
        ok, project = attempt(form, lambda: create_project(actor, ProjectData.from_form(form)))
        if ok:
            db.session.commit()
            flash(_("已新建在谈项目「%(name)s」。", name=project.name), "success")
            return redirect(url_for("projects.detail", project_id=project.id))
    return _form_page(form, None)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = get_or_404(Project, project_id, Action.EDIT)
    form = ProjectForm(obj=project if request.method == "GET" else None)
    form.set_options(_chains())
    _offer_owners(form, project.unit_id, project)
    if request.method == "GET":
        form.company_name.data = project.company.name
        form.local_company_name.data = project.local_company.name if project.local_company else None
        form.owner_id.data = None
    if form.validate_on_submit() and saved(form, project, lambda: update_project(current_actor(), project, ProjectData.from_form(form))):
        db.session.commit()
        flash(_("已保存。"), "success")
        return redirect(url_for("projects.detail", project_id=project.id))
    return _form_page(form, project)


# --- the project page ---------------------------------------------------------------------------
@bp.route("/<int:project_id>")
@login_required
def detail(project_id: int):
    project = get_or_404(Project, project_id)
    target = project.access_target()
    history = stage_history(project.id)
    actor = current_actor()
    return render_template(
        "projects/detail.html",
        project=project,
        rag=project_rag(project, local_today()),
        history=history,
        files=attachments_by_event(history),
        open_report=open_event(project),
        targets=next_targets(project.stage, project.paused_from, project.nature, pipeline_settings()),
        path=stage_path(project, history),
        back_targets=earlier_stages(project.stage, pipeline_settings()) if passes(actor, Gate.STAGE_CORRECTION) else [],
        can_edit=allowed(Action.EDIT, target),
        can_review=allowed(Action.REVIEW, target),
        can_view_history=allowed(Action.VIEW_HISTORY, target),
        days_in_stage=(local_today() - project.stage_since).days if project.stage_since else None,
        band=scale_band(project.total_investment),
        sections=feature_sections(project),
    )


def feature_sections(project: Project) -> dict[str, dict]:
    """What each feature shows on the project page: templates/<feature>/_project_section.html renders ``section``."""
    from crm.admission.queries import project_section as admission
    from crm.approvals.queries import project_section as approvals
    from crm.assignments.queries import project_section as assignments
    from crm.compliance.queries import project_section as compliance
    from crm.issues.queries import project_section as issues
    from crm.progress.queries import project_section as progress

    return {"assignments": assignments(project), "progress": progress(project), "issues": issues(project),
            "admission": admission(project), "approvals": approvals(project), "compliance": compliance(project)}


# --- stage reports -------------------------------------------------------------------------------
def _agreement_choices(project: Project) -> list[tuple[int, str]]:
    return [(a.id, f"{label(a.type)} · {a.name or a.number or ''} · {a.signed_on}") for a in signing_agreements(project)]


def _stage_form(project: Project, target: Stage) -> StageForm:
    form = StageForm()
    form.set_agreements(_agreement_choices(project))
    return form


@bp.route("/<int:project_id>/stage/<stage>", methods=["GET", "POST"])
@login_required
def stage_report(project_id: int, stage: str):
    project = get_or_404(Project, project_id, Action.EDIT)
    try:
        target = Stage(stage)
    except ValueError:
        abort(404)
    if target not in next_targets(project.stage, project.paused_from, project.nature, pipeline_settings()):
        flash(_("不能从“%(current)s”申报到“%(target)s”：只能逐级推进", current=label(project.stage), target=label(target)), "danger")
        return redirect(url_for("projects.detail", project_id=project.id))
    draft = open_event(project)
    form = _stage_form(project, target)
    if request.method == "GET":
        form.process(obj=project)
        form.set_agreements(_agreement_choices(project))
        form.period.data = draft.period if draft else local_today().strftime("%Y-%m")
        if draft is not None:
            form.agreement_id.data, form.reason.data, form.note.data = draft.agreement_id, draft.reason, draft.note
    if form.validate_on_submit():
        submit = request.form.get("action") != "save"
        files = [f for f in form.evidence.data or [] if getattr(f, "filename", "")]
        ok, event = attempt(form, lambda: report_stage(current_actor(), project, StageData.from_form(target, form), files, submit))
        if ok:
            db.session.commit()
            message = _("已提交审核，审核通过后项目进入“%(stage)s”。", stage=label(target)) if submit else _("已保存，尚未提交审核。")
            flash(message, "success")
            return redirect(url_for("projects.detail", project_id=project.id))
        db.session.rollback()
        project = get_or_404(Project, project_id, Action.EDIT)
    return render_template(
        "projects/stage_form.html", form=form, project=project, target=target, fields=stage_fields(project, target),
        required=submission_required(project, target),
        draft=draft, draft_files=attachments.attachments_of(draft) if draft else [],
    ), 400 if form.errors else 200


@bp.route("/<int:project_id>/stage-events/<int:event_id>/discard", methods=["POST"])
@login_required
def discard(project_id: int, event_id: int):
    event = _event(project_id, event_id, Action.EDIT)
    ok, _result = attempt(ReviewForm(), lambda: discard_draft(event))
    if ok:
        db.session.commit()
        flash(_("已删除未提交的申报。"), "success")
    else:
        flash(_("该申报已提交，不能删除。"), "danger")
    return redirect(url_for("projects.detail", project_id=project_id))


@bp.route("/<int:project_id>/stage-events/<int:event_id>/files/<int:file_id>")
@login_required
def evidence(project_id: int, event_id: int, file_id: int):
    event = _event(project_id, event_id, Action.VIEW)
    file = attachments.attachment_of(event, file_id)
    if file is None:
        abort(404)
    return attachments.send(file, download=request.args.get("download") == "1")


@bp.route("/<int:project_id>/move-back", methods=["POST"])
@login_required
@gate_required(Gate.STAGE_CORRECTION)
def move_back_view(project_id: int):
    project = get_or_404(Project, project_id)
    try:
        target = Stage(request.form.get("stage", ""))
    except ValueError:
        target = None
    form = ReviewForm()
    reason = (request.form.get("reason") or "").strip()[:500] or None
    ok = False
    if target is not None:
        ok, _event_result = attempt(form, lambda: move_back(current_actor(), project, target, local_today().strftime("%Y-%m"), reason))
    if ok:
        db.session.commit()
        flash(_("已退回到“%(stage)s”。", stage=label(target)), "success")
    else:
        flash(errors_text(form) or semicolons(form.form_errors) or _("请选择要退回的阶段"), "danger")
    return redirect(url_for("projects.detail", project_id=project.id))


def _event(project_id: int, event_id: int, action: Action) -> StageEvent:
    project = get_or_404(Project, project_id, action)
    event = db.session.get(StageEvent, event_id)
    if event is None or event.project_id != project.id:
        abort(404)
    return event


# --- review (审核) ---------------------------------------------------------------------------------
@reviews_bp.route("/")
@login_required
@gate_required(Gate.REVIEW_QUEUE)
def queue():
    from crm.progress.queries import review_queue_section

    page, per_page = page_args(default=QUEUE_PER_PAGE)
    events = paginate(pending_reviews(), page, per_page)
    return render_template(
        "projects/reviews.html", events=events, files=attachments_by_event(list(events.items)), facts=_reported_facts(events.items),
        funds_section=review_queue_section(limit=QUEUE_PER_PAGE), can_review=holds(current_actor().role, Action.REVIEW, Resource.UNIT_RECORD),
    )


def _reported_facts(events: Any) -> dict[int, list[tuple[str, Any]]]:
    """What each report asks the reviewer to accept: its gate's facts (注册号, 注册资本, amounts …) as reported, the
    report's own copy where it keeps one, else the project's (the form writes them to the project)."""
    labels = StageForm(formdata=None, meta={"csrf": False})
    shown: dict[int, list[tuple[str, Any]]] = {}
    for event in events:
        names = [n for n in stage_fields(event.project, event.to_stage) if n not in ("agreement_id", "evidence")]
        shown[event.id] = [(labels[n].label.text, _reported(event, n)) for n in names]
    return shown


def _reported(event: StageEvent, name: str) -> Any:
    own = getattr(event, name, None) if name in StageEvent.__table__.c else None
    return own if own is not None else getattr(event.project, name, None)


def _back_to_queue() -> Any:
    wanted = request.form.get("next")
    return redirect(wanted if is_local_path(wanted) else url_for("reviews.queue"))


def _review(event_id: int, decide: Any, form: Any) -> Any:
    event = db.session.get(StageEvent, event_id)
    if event is None:
        abort(404)
    get_or_404(Project, event.project_id, Action.REVIEW)
    if form.validate_on_submit():
        ok, _result = attempt(form, lambda: decide(event))
        if ok:
            db.session.commit()
            flash(_("已审核：%(project)s → %(stage)s（%(result)s）。", project=event.project.name, stage=label(event.to_stage), result=label(event.review_status)), "success")
            return _back_to_queue()
    flash(errors_text(form) or semicolons(form.form_errors), "danger")
    return _back_to_queue()


@reviews_bp.route("/<int:event_id>/approve", methods=["POST"])
@login_required
def approve_view(event_id: int):
    form = ReviewForm()
    return _review(event_id, lambda event: approve(current_actor(), event, form.comment.data), form)


@reviews_bp.route("/<int:event_id>/reject", methods=["POST"])
@login_required
def reject_view(event_id: int):
    form = RejectForm()
    return _review(event_id, lambda event: reject(current_actor(), event, form.comment.data), form)

