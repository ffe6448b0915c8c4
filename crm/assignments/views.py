"""三个一 pages: the forms of the project page's section (each also a page of its own, where a refused
entry comes back with its message next to the field), and 我分包的项目 for leaders."""

from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from crm.access.policy import current_actor, get_or_404, gate_required
from crm.assignments.forms import (
    EnterForm,
    ExitKeyForm,
    LeaderForm,
    LeadUnitForm,
    MemberEditForm,
    MemberForm,
    PlanForm,
    RowExitForm,
)
from crm.assignments.models import ProjectLeader, TeamMember
from crm.assignments.permissions import may_decide, may_plan, may_staff
from crm.assignments.queries import (
    leader_choices,
    leader_label,
    member_candidates,
    member_name,
    my_project_list,
    staffing_gaps,
    unit_choices,
)
from crm.assignments.services import (
    add_leader,
    add_member,
    enter_key,
    exit_key,
    exit_leader,
    exit_member,
    set_lead_unit,
    update_member,
    update_plan,
)
from crm.clock import local_today
from crm.domain.access import Gate
from crm.extensions import db
from crm.projects.models import Project
from crm.web.forms import attempt, saved
from crm.web.ids import bounded_int

bp = Blueprint("assignments", __name__)


def _project(project_id: int, may: Callable[[Project], bool]) -> Project:
    """The project (404 when the user cannot see it), then the right to this change (403)."""
    project = get_or_404(Project, project_id)
    if not may(project):
        abort(403)
    return project


def _row(model: Any, row_id: int, project: Project) -> Any:
    row = get_or_404(model, row_id)
    if row.project_id != project.id:
        abort(404)
    return row


def _back(project: Project) -> Any:
    return redirect(url_for("projects.detail", project_id=project.id) + "#assignments")


def _page(form: Any, project: Project, title: str, submit: str, *, intro: str | None = None, danger: bool = False) -> Any:
    return render_template(
        "assignments/form.html", form=form, project=project, title=title, submit=submit, intro=intro, danger=danger,
        gaps=staffing_gaps([project.id]).get(project.id, []),
    ), 400 if form.errors else 200


def _form_view(
    project: Project,
    form: Any,
    change: Callable[[], Any],
    done: Callable[[Any], str],
    title: str,
    submit: str,
    *,
    record: Any = None,
    initial: dict[str, Any] | None = None,
    intro: str | None = None,
    danger: bool = False,
) -> Any:
    """One form of the section, on a page of its own.

    GET: the form with ``initial`` filled in (and ``record``'s version, when it edits one). POST: ``change``
    (refused when ``record`` changed meanwhile, or by the service); done, the change is committed, ``done(result)``
    flashed and the user is back on the project page; refused, the page comes back with the message and what was typed.
    """
    if request.method == "GET":
        if record is not None:
            form.version.data = record.version
        for name, value in (initial or {}).items():
            form[name].data = value
    if form.validate_on_submit():
        ok, result = attempt(form, change) if record is None else (saved(form, record, change), None)
        if ok:
            db.session.commit()
            flash(done(result), "success")
            return _back(project)
    return _page(form, project, title, submit, intro=intro, danger=danger)


# --- 纳入 / 退出 三个一, 牵头单位 (reviewers) -----------------------------------------------------
@bp.route("/projects/<int:project_id>/key/enter", methods=["GET", "POST"])
@login_required
def enter(project_id: int):
    project = _project(project_id, may_decide)
    form = EnterForm(prefix="enter")
    form.set_units(unit_choices(project))
    return _form_view(
        project, form, lambda: enter_key(project, form.lead_unit_id.data),
        lambda _none: _("已纳入三个一。请明确分包县级领导，组建服务专班。"), _("纳入三个一"), _("确认纳入"),
        record=project, initial={"lead_unit_id": project.lead_unit_id},
        intro=_("依据县发展联席会议或县政府常务会的决定，将本项目列入重点项目名录（三个一）。"),
    )


@bp.route("/projects/<int:project_id>/key/exit", methods=["GET", "POST"])
@login_required
def exit_key_view(project_id: int):
    project = _project(project_id, may_decide)
    form = ExitKeyForm()
    return _form_view(
        project, form, lambda: exit_key(project, form.exited_on.data, form.reason.data, local_today()),
        lambda _none: _("已退出三个一，分包领导和服务专班同时退出。"), _("退出三个一"), _("确认退出"),
        record=project, initial={"exited_on": local_today()}, danger=True,
        intro=_("项目投产、达产或经名录审查调出时退出。分包县级领导和服务专班成员将同日退出，记录保留。"),
    )


@bp.route("/projects/<int:project_id>/lead-unit", methods=["GET", "POST"])
@login_required
def lead_unit(project_id: int):
    project = _project(project_id, may_decide)
    form = LeadUnitForm()
    form.set_units(unit_choices(project))
    return _form_view(
        project, form, lambda: set_lead_unit(project, form.lead_unit_id.data),
        lambda _none: _("已保存牵头单位。"), _("牵头单位"), _("保存"),
        record=project, initial={"lead_unit_id": project.lead_unit_id},
    )


# --- 分包县级领导 (reviewers) ----------------------------------------------------------------------
@bp.route("/projects/<int:project_id>/leaders/new", methods=["GET", "POST"])
@login_required
def add_leader_view(project_id: int):
    project = _project(project_id, may_decide)
    form = LeaderForm(prefix="leader")
    form.set_leaders(leader_choices(project))
    return _form_view(
        project, form, lambda: add_leader(project, form.leader_id.data, form.entered_on.data, local_today()),
        lambda row: _("已明确分包县级领导：%(name)s。", name=leader_label(row.leader)), _("明确分包县级领导"), _("保存"),
        initial={"entered_on": local_today()},
    )


@bp.route("/projects/<int:project_id>/leaders/<int:row_id>/exit", methods=["GET", "POST"])
@login_required
def exit_leader_view(project_id: int, row_id: int):
    project = _project(project_id, may_decide)
    row = _row(ProjectLeader, row_id, project)
    form = RowExitForm()
    return _form_view(
        project, form, lambda: exit_leader(row, form.exited_on.data, form.exit_reason.data, local_today()),
        lambda _none: _("%(name)s 已退出分包。", name=row.leader.display_name),
        _("分包领导退出：%(name)s", name=leader_label(row.leader)), _("确认退出"),
        record=row, initial={"exited_on": local_today()}, danger=True,
    )


# --- 服务专班 (the unit's chief, reviewers) -------------------------------------------------------
def _joined(row: TeamMember, asked_for_chief: bool) -> str:
    if row.is_chief_servant and not asked_for_chief:
        return _("已加入服务专班：%(name)s（作为首位成员担任首席服务员）。", name=row.user.display_name)
    return _("已加入服务专班：%(name)s。", name=row.user.display_name)


@bp.route("/projects/<int:project_id>/team/new", methods=["GET", "POST"])
@login_required
def add_member_view(project_id: int):
    project = _project(project_id, may_staff)
    form = MemberForm(prefix="member")
    form.set_project(project)
    return _form_view(
        project, form,
        lambda: add_member(
            project, form.user_id.data, form.duty.data, form.is_chief_servant.data, form.entered_on.data, local_today()
        ),
        lambda row: _joined(row, form.is_chief_servant.data), _("加入服务专班"), _("保存"),
        initial={"entered_on": local_today()},
    )


@bp.route("/projects/<int:project_id>/team/candidates")
@login_required
def team_candidates(project_id: int):
    """Who may join the 服务专班, by name, account or unit, as the member picker asks while the user types."""
    project = _project(project_id, may_staff)
    found = member_candidates(project, request.args.get("q", ""))
    return jsonify(options=[{"value": uid, "text": text} for uid, text in found])


@bp.route("/projects/<int:project_id>/team/<int:row_id>/edit", methods=["GET", "POST"])
@login_required
def edit_member(project_id: int, row_id: int):
    project = _project(project_id, may_staff)
    row = _row(TeamMember, row_id, project)
    form = MemberEditForm(obj=row if request.method == "GET" else None)
    return _form_view(
        project, form, lambda: update_member(row, form.duty.data, form.is_chief_servant.data),
        lambda _none: _("已保存服务专班成员 %(name)s。", name=member_name(row)),
        _("服务专班成员：%(name)s", name=member_name(row)), _("保存"),
        record=row,
    )


@bp.route("/projects/<int:project_id>/team/<int:row_id>/exit", methods=["GET", "POST"])
@login_required
def exit_member_view(project_id: int, row_id: int):
    project = _project(project_id, may_staff)
    row = _row(TeamMember, row_id, project)
    form = RowExitForm()
    return _form_view(
        project, form, lambda: exit_member(row, form.exited_on.data, form.exit_reason.data, local_today()),
        lambda _none: _("%(name)s 已退出服务专班。", name=member_name(row)),
        _("退出服务专班：%(name)s", name=member_name(row)), _("确认退出"),
        record=row, initial={"exited_on": local_today()}, danger=True,
    )


# --- 推进方案 (the project's editors and its 分包 leader) -------------------------------------------
@bp.route("/projects/<int:project_id>/plan", methods=["GET", "POST"])
@login_required
def plan(project_id: int):
    project = _project(project_id, may_plan)
    form = PlanForm()
    return _form_view(
        project, form, lambda: update_plan(project, form.plan.data),
        lambda _none: _("已保存推进方案。"), _("推进方案"), _("保存"),
        record=project, initial={"plan": project.plan},
    )


# --- 我分包的项目 -----------------------------------------------------------------------------------
@bp.route("/my-projects")
@gate_required(Gate.MY_PROJECTS)
def my_projects():
    rows = my_project_list(current_actor().user_id, local_today())
    return render_template("assignments/my_projects.html", rows=rows, today=local_today())


@bp.route("/my-projects/briefs")
@login_required
def briefs():
    """项目简报: one printed page per 分包县级领导 — a leader's own by default, every leader of the projects the reader
    sees for the others; ``?leader=`` one of them."""
    from crm.assignments.briefs import brief_of, briefing_leaders
    from crm.domain.access import Role
    from crm.domain.projects import Rag

    actor = current_actor()
    leaders = briefing_leaders()
    wanted = request.args.get("leader", type=bounded_int) or (actor.user_id if actor.role is Role.LEADER else None)
    if wanted is not None:
        leaders = [leader for leader in leaders if leader.id == wanted]
        if not leaders:
            abort(404)
    today = local_today()
    return render_template("assignments/briefs.html", briefs=[brief_of(leader, today) for leader in leaders], today=today, rag=Rag)


def _letters(project_id: int) -> tuple[Project, list[Any]]:
    """The 提醒函 of a key project to its active 分包县级领导 (``?leader=`` one of them), as the project is today."""
    from crm.assignments.letters import letter_for
    from crm.assignments.queries import leaders_of

    project = get_or_404(Project, project_id)
    if not project.is_key:
        abort(404)
    leaders = leaders_of([project.id]).get(project.id, [])
    wanted = request.args.get("leader", type=bounded_int)
    if wanted is not None:
        leaders = [leader for leader in leaders if leader.id == wanted]
    if not leaders:
        abort(404)
    today = local_today()
    return project, [letter_for(project, leader, today) for leader in leaders]


def _sender(project: Project) -> str:
    from crm.reports.scope import home_county
    from crm.units.models import Unit

    county = db.session.get(Unit, home_county(project.unit_id))
    return _("%(county)s招商引资工作领导小组办公室", county=county.name if county else "")


@bp.route("/projects/<int:project_id>/reminder")
@login_required
def reminder(project_id: int):
    from crm.assignments.letters import body_text, closing_text

    project, letters = _letters(project_id)
    return render_template("assignments/reminder.html", project=project, letters=letters, body_text=body_text,
                           closing=closing_text(), sender=_sender(project))


@bp.route("/projects/<int:project_id>/reminder.docx")
@login_required
def reminder_docx(project_id: int):
    from crm.assignments.letters import letter_docx
    from crm.web.docx import docx_response

    project, letters = _letters(project_id)
    return docx_response(letter_docx(letters, _sender(project)), _("提醒函-%(name)s.docx", name=project.name))
