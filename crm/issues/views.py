"""问题台账 pages: list and export, the period report, raise (alone or from a project), edit, and one
POST route per move (交办, 办结, 销号, 退回重办, 上提) and per action (催办/约谈/现场办公/办理记录, 领导批示)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, require
from crm.clock import local_today
from crm.domain.access import Action, can_any
from crm.domain.issues import (
    OPEN_STATUSES,
    IssueActionKind,
    IssueCategory,
    IssueLevel,
    IssueStatus,
    ReportList,
    action_problem,
    is_overdue,
    next_level,
    week_of,
)
from crm.extensions import db
from crm.issues.forms import ActionForm, InstructionForm, IssueEditForm, IssueForm, TransitionForm
from crm.issues.models import Issue, issue_target
from crm.issues.queries import (
    OPEN,
    IssueFilters,
    issue_list_query,
    overdue_count,
    period_report,
    creatable_projects,
    unit_projects,
)
from crm.issues.services import (
    IssueData,
    action_kinds,
    add_action,
    add_instruction,
    assign_issue,
    close_issue,
    create_issue,
    escalate_issue,
    reopen_issue,
    resolve_issue,
    update_issue,
)
from crm.projects.models import Project
from crm.units.queries import county_unit_choices
from crm.web.forms import attempt, saved
from crm.web.labels import choices, label, label_text, label_texts
from crm.web.pagination import page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response
from crm.web.ids import bounded_int

bp = Blueprint("issues", __name__)
EXPORT_LIMIT = 50_000
REPORT_SHOWN = 50  # issues per list on the page; the export has them all



def _data(form: IssueForm) -> IssueData:
    return IssueData(
        project_id=form.project_id.data,
        description=form.description.data or "",
        category=form.category.data or "",
        source=form.source.data or "",
        raised_on=form.raised_on.data,
        responsible_unit_id=form.responsible_unit_id.data,
        responsible_person=form.responsible_person.data,
        deadline=form.deadline.data,
        long_term=bool(form.long_term.data),
        level=form.level.data if getattr(form, "level", None) is not None else None,
    )


# --- list, export, report -------------------------------------------------------------------
def _filter_choices() -> dict[str, Any]:
    actor = current_actor()
    statuses = [(OPEN, _("未办结（待交办+办理中）"))] + choices(IssueStatus)
    return {
        "statuses": statuses,
        "categories": choices(IssueCategory),
        "levels": choices(IssueLevel),
        "units": county_unit_choices(actor.unit_id) if actor else [],
    }


@bp.route("/issues/")
@login_required
def index():
    today = local_today()
    filters = IssueFilters.from_args(request.args)
    page, per_page = page_args()
    issues = paginate(issue_list_query(filters, today), page, per_page)
    return render_template(
        "issues/index.html",
        issues=issues,
        filters=filters,
        overdue_ids={i.id for i in issues.items if is_overdue(i.deadline, i.status, today)},
        overdue_total=overdue_count(today),
        can_create=allowed(Action.CREATE, issue_target(current_actor().unit_id)),
        **_filter_choices(),
    )


def _row(i: Issue, today: date, text: Callable[[Any], str] = label_text) -> list[Any]:
    return [
        i.number, i.description, i.project.name if i.project else _("县级问题"), text(i.category), text(i.source),
        i.raised_on, i.responsible_unit.name, i.responsible_person, i.deadline, text(i.level), text(i.status),
        _("是") if is_overdue(i.deadline, i.status, today) else "", _("是") if i.long_term else "", i.resolved_on, i.closed_on,
    ]


ROW_COLUMNS = [
    Column(_l("编号"), 12), Column(_l("问题描述"), 40), Column(_l("所属项目"), 24), Column(_l("问题类别"), 14), Column(_l("问题来源"), 10),
    Column(_l("提出日期"), 12), Column(_l("责任单位"), 22), Column(_l("负责人"), 12), Column(_l("办理期限"), 12), Column(_l("协调层级"), 14),
    Column(_l("状态"), 14), Column(_l("逾期"), 6), Column(_l("长期跟踪"), 8), Column(_l("办结日期"), 12), Column(_l("销号日期"), 12),
]


@bp.route("/issues/export.xlsx")
@login_required
def export():
    today = local_today()
    filters = IssueFilters.from_args(request.args)
    columns = ROW_COLUMNS + [Column(_l("销号确认人"), 14), Column(_l("所属单位"), 18)]

    text = label_texts()

    def row(i: Issue) -> list[Any]:
        return _row(i, today, text) + [i.closed_by.display_name if i.closed_by else None, i.unit.name]

    return xlsx_response("问题台账.xlsx", _("问题台账"), columns, query_rows(issue_list_query(filters, today).limit(EXPORT_LIMIT), row))


def _period() -> tuple[date, date, str | None]:
    """?start=&end= (YYYY-MM-DD), else this week Monday–Sunday; nonsense falls back to this week with a note."""
    monday, sunday = week_of(local_today())
    raw_start, raw_end = request.args.get("start", "").strip(), request.args.get("end", "").strip()
    if not raw_start and not raw_end:
        return monday, sunday, None
    try:
        start = date.fromisoformat(raw_start) if raw_start else None
        end = date.fromisoformat(raw_end) if raw_end else None
    except ValueError:
        return monday, sunday, _("日期格式不正确（应为 2025-05-19），已显示本周。")
    start = start or (end and week_of(end)[0])
    end = end or (start and week_of(start)[1])
    assert start is not None and end is not None
    if end < start:
        return monday, sunday, _("结束日期早于开始日期，已显示本周。")
    if (end - start).days > 366 * 5:
        return monday, sunday, _("统计期间过长，已显示本周。")
    return start, end, None


REPORT_TITLES = {
    ReportList.NEW: _l("新增"),
    ReportList.PROGRESS: _l("推进落实"),
    ReportList.FINISHED: _l("已办结销号"),
}


@bp.route("/issues/report")
@login_required
def report():
    start, end, note = _period()
    if note:
        flash(note, "warning")
    today = local_today()
    monday, sunday = week_of(today)
    last_monday, last_sunday = week_of(monday - timedelta(days=1))
    found = period_report(start, end, limit=REPORT_SHOWN)
    return render_template(
        "issues/report.html",
        report=found,
        report_lists=ReportList,
        overdue_ids={i.id for items in found.lists.values() for i in items if is_overdue(i.deadline, i.status, today)},
        this_week=(monday, sunday),
        last_week=(last_monday, last_sunday),
    )


@bp.route("/issues/report.xlsx")
@login_required
def report_export():
    start, end, _note = _period()
    today = local_today()
    found = period_report(start, end)
    columns = [Column(_l("清单"), 10)] + ROW_COLUMNS
    rows = [[REPORT_TITLES[kind]] + _row(i, today) for kind in ReportList for i in found.lists[kind]]
    return xlsx_response(f"问题台账周报_{start.isoformat()}_{end.isoformat()}.xlsx", _("问题台账"), columns, rows)


# --- raise, read, edit ----------------------------------------------------------------------
def _render_form(form: IssueForm, issue: Issue | None, project: Project | None = None) -> Any:
    return render_template("issues/form.html", form=form, issue=issue, project=project), 400 if form.errors else 200


def _create(form: IssueForm, project: Project | None) -> Any:
    actor = current_actor()
    if request.method == "GET":
        form.raised_on.data = local_today()
        form.level.data = IssueLevel.ZONE
        if project is not None:
            form.project_id.data = project.id
    if form.validate_on_submit():
        ok, issue = attempt(form, lambda: create_issue(actor, _data(form), local_today()))
        if ok:
            db.session.commit()
            flash(_("已登记问题 %(number)s。", number=issue.number), "success")
            return redirect(url_for("issues.detail", issue_id=issue.id))
    return _render_form(form, None, project)


@bp.route("/issues/new", methods=["GET", "POST"])
@login_required
def create():
    actor = current_actor()
    require(Action.CREATE, issue_target(actor.unit_id))
    form = IssueForm()
    form.set_projects(creatable_projects())
    if actor.sees_subtree:  # the 督查 offers a project's issue from the project's own page (a county has hundreds)
        form.project_id.description = _("县级问题在此登记；某个项目的问题，请在该项目页面点“新增问题”登记")
    form.set_units(county_unit_choices(actor.unit_id))
    if request.method == "GET" and (project_id := request.args.get("project_id", type=bounded_int)):
        form.project_id.data = project_id
    return _create(form, None)


@bp.route("/projects/<int:project_id>/issues/new", methods=["GET", "POST"])
@login_required
def create_for_project(project_id: int):
    """From the project page: the project is chosen already (its 服务专班 may raise issues too)."""
    project = get_or_404(Project, project_id)
    require(Action.CREATE, issue_target(project.unit_id, project.id))
    form = IssueForm()
    pairs = creatable_projects()
    if project.id not in {pid for pid, _name in pairs}:
        pairs = [(project.id, project.name)] + pairs
    form.set_projects(pairs)
    form.set_units(county_unit_choices(project.unit_id))
    return _create(form, project)


def _detail(issue: Issue, status: int = 200, **failed: Any) -> Any:
    """The page with every form the user may use; ``failed`` holds the one that was refused, with its errors."""
    actor = current_actor()
    target = issue.access_target()
    can_edit = allowed(Action.EDIT, target)
    can_review = allowed(Action.REVIEW, target)
    can_hand_over = can_any(actor, (Action.EDIT, Action.ASSIGN), target)
    # Offer what may be recorded now: once 办结, only a 办理记录 (pushing a finished issue is refused anyway).
    kinds = tuple(k for k in action_kinds(actor, issue) if action_problem(k, issue.status) is None)
    forms: dict[str, Any] = {}
    for name in ("assign", "resolve", "close", "reopen", "escalate"):
        forms[name] = failed.get(name) or TransitionForm(formdata=None, record=issue)
    forms["action"] = failed.get("action") or ActionForm(formdata=None)
    forms["action"].set_kinds(kinds)
    forms["instruction"] = failed.get("instruction") or InstructionForm(formdata=None)
    is_open = issue.status in OPEN_STATUSES
    return render_template(
        "issues/detail.html",
        issue=issue,
        issue_forms=forms,
        failed=next(iter(failed), None),
        overdue=is_overdue(issue.deadline, issue.status, local_today()),
        next_level=next_level(issue.level),
        can_edit=can_edit and issue.status is not IssueStatus.CLOSED,
        can_assign=can_hand_over and issue.status is IssueStatus.NEW,
        can_resolve=can_edit and issue.status is IssueStatus.IN_PROGRESS,
        can_close=can_review and issue.status is IssueStatus.RESOLVED,
        can_escalate=(can_edit or can_review) and is_open and next_level(issue.level) is not None,
        can_act=bool(kinds) and issue.status is not IssueStatus.CLOSED,
        can_instruct=allowed(Action.COMMENT, target) and issue.status is not IssueStatus.CLOSED,
        can_view_history=allowed(Action.VIEW_HISTORY, target),
        leader_kinds=(IssueActionKind.NOTE, IssueActionKind.URGE),
    ), status


@bp.route("/issues/<int:issue_id>")
@login_required
def detail(issue_id: int):
    return _detail(get_or_404(Issue, issue_id))


@bp.route("/issues/<int:issue_id>/edit", methods=["GET", "POST"])
@login_required
def edit(issue_id: int):
    issue = get_or_404(Issue, issue_id, Action.EDIT)
    if issue.status is IssueStatus.CLOSED:
        flash(_("该问题已销号，不能再办理或修改"), "warning")
        return redirect(url_for("issues.detail", issue_id=issue.id))
    form = IssueEditForm(obj=issue if request.method == "GET" else None)
    form.set_projects(unit_projects(issue.unit_id, keep=issue.project_id))
    form.set_units(county_unit_choices(issue.unit_id, keep=issue.responsible_unit_id))
    if form.validate_on_submit() and saved(form, issue, lambda: update_issue(current_actor(), issue, _data(form), local_today())):
        db.session.commit()
        flash(_("已保存问题 %(number)s。", number=issue.number), "success")
        return redirect(url_for("issues.detail", issue_id=issue.id))
    return _render_form(form, issue)


# --- moves and actions ----------------------------------------------------------------------
def _transition(issue_id: int, action: Action | tuple[Action, ...], name: str, change: Callable[[Issue, TransitionForm], Any], done: str) -> Any:
    """One move: the right to it, the version seen, the service's refusal shown on the page (400), else commit."""
    issue = get_or_404(Issue, issue_id)
    wanted = action if isinstance(action, tuple) else (action,)
    if not can_any(current_actor(), wanted, issue.access_target()):
        require(wanted[0], issue.access_target())
    form = TransitionForm()
    return _on_the_log(issue, name, form, lambda: change(issue, form), lambda _none: done, stale_check=True)


def _on_the_log(
    issue: Issue, name: str, form: Any, change: Callable[[], Any], done: Callable[[Any], str], *, stale_check: bool = False
) -> Any:
    """A form of the issue page that writes the 办理记录 (a move, an action, a 批示): ``change`` (refused when the issue
    changed meanwhile, with ``stale_check``) done, commit, flash ``done(result)`` and show the log; refused, nothing
    of it stays and the page comes back (400) with form ``name`` showing its errors and what was typed."""
    if form.validate_on_submit():
        ok, result = (saved(form, issue, change), None) if stale_check else attempt(form, change)
        if ok:
            db.session.commit()
            flash(done(result), "success")
            return redirect(url_for("issues.detail", issue_id=issue.id) + "#log")
    issue_id = issue.id
    db.session.rollback()
    return _detail(get_or_404(Issue, issue_id), 400, **{name: form})


@bp.route("/issues/<int:issue_id>/assign", methods=["POST"])
@login_required
def assign(issue_id: int):
    return _transition(issue_id, (Action.EDIT, Action.ASSIGN), "assign", lambda i, f: assign_issue(current_actor(), i, f.note.data), _("已交办。"))


@bp.route("/issues/<int:issue_id>/resolve", methods=["POST"])
@login_required
def resolve(issue_id: int):
    return _transition(
        issue_id, Action.EDIT, "resolve", lambda i, f: resolve_issue(current_actor(), i, f.note.data, local_today()),
        _("已办结，等待督查核验销号。"),
    )


@bp.route("/issues/<int:issue_id>/close", methods=["POST"])
@login_required
def close(issue_id: int):
    return _transition(
        issue_id, Action.REVIEW, "close", lambda i, f: close_issue(current_actor(), i, f.note.data, local_today()), _("已销号。")
    )


@bp.route("/issues/<int:issue_id>/reopen", methods=["POST"])
@login_required
def reopen(issue_id: int):
    return _transition(issue_id, Action.REVIEW, "reopen", lambda i, f: reopen_issue(current_actor(), i, f.note.data), _("已退回重办。"))


@bp.route("/issues/<int:issue_id>/escalate", methods=["POST"])
@login_required
def escalate(issue_id: int):
    return _transition(
        issue_id, (Action.EDIT, Action.REVIEW), "escalate", lambda i, f: escalate_issue(current_actor(), i, f.note.data),
        _("已上提一级。"),
    )


@bp.route("/issues/<int:issue_id>/actions", methods=["POST"])
@login_required
def record_action(issue_id: int):
    """催办 / 约谈 / 现场办公 / 办理记录, by the unit's editors (all four) or the 督查 (催办, 约谈, 记录)."""
    issue = get_or_404(Issue, issue_id)
    kinds = action_kinds(current_actor(), issue)
    if not kinds:
        require(Action.EDIT, issue.access_target())
    form = ActionForm()
    form.set_kinds(kinds)
    return _on_the_log(
        issue, "action", form, lambda: add_action(current_actor(), issue, form.kind.data, form.note.data),
        lambda action: _("已记录%(kind)s。", kind=label(action.kind)),
    )


@bp.route("/issues/<int:issue_id>/instruction", methods=["POST"])
@login_required
def instruct(issue_id: int):
    """领导批示 (leaders: Action.COMMENT), kept as a 办理记录 line or, with 同时催办, as a 催办."""
    issue = get_or_404(Issue, issue_id, Action.COMMENT)
    form = InstructionForm()
    return _on_the_log(
        issue, "instruction", form, lambda: add_instruction(current_actor(), issue, form.note.data, bool(form.urge.data)),
        lambda _action: _("已记录领导批示。"),
    )
