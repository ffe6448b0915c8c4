from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm

from crm.access.policy import current_actor, get_or_404, own_unit_record, require
from crm.companies.models import Company
from crm.clock import local_today
from crm.domain.access import Action, Role
from crm.extensions import db
from crm.followups.forms import DoneForm, FollowUpForm, ReassignForm, SnoozeForm
from crm.followups.models import FollowUp
from crm.followups.queries import my_todo, todo_group
from crm.followups.services import Subject, complete, reassign, schedule, snooze
from crm.leads.services import unit_members
from crm.web.forms import as_choices, attempt, errors_text
from crm.web.pagination import page_args, paginate
from crm.web.urls import is_local_path

bp = Blueprint("followups", __name__)

# 我的待办's groups as the pages show them: title and colour.
GROUP_LOOKS = {
    "overdue": (_l("已逾期"), "danger"),
    "today": (_l("今天"), "warning"),
    "this_week": (_l("本周"), "primary"),
    "later": (_l("以后"), "secondary"),
}


def _finish(form: FlaskForm, ok: bool, message: str):  # type: ignore[no-untyped-def]
    """Commit and say so, or flash why not; then back to the page the button was on (local paths only)."""
    if ok:
        db.session.commit()
        flash(message, "success")
    else:
        flash(errors_text(form) or _("操作未完成"), "danger")
    target = request.form.get("back", "")
    return redirect(target if is_local_path(target) else url_for("followups.todo"))


@bp.route("/todo")
@login_required
def todo():
    today = local_today()
    actor = current_actor()
    members = as_choices([(u.id, u.display_name) for u in unit_members(actor.unit_id)]) if actor.role is Role.CHIEF else []
    group = request.args.get("group")
    if group in GROUP_LOOKS:  # one group, a page at a time
        page, per_page = page_args()
        tasks = paginate(todo_group(actor.user_id, today, group), page, per_page)
        return render_template("followups/todo_group.html", group=group, look=GROUP_LOOKS[group], tasks=tasks, today=today,
                               members=members)
    return render_template("followups/todo.html", todo=my_todo(actor.user_id, today), looks=GROUP_LOOKS, today=today,
                           members=members)


@bp.route("/follow-ups/<int:task_id>/done", methods=["POST"])
@login_required
def done(task_id: int):
    task = get_or_404(FollowUp, task_id, Action.EDIT)
    form = DoneForm()
    ok = form.validate_on_submit() and attempt(form, lambda: complete(task, form.note.data, local_today()))[0]
    return _finish(form, ok, _("已完成跟进任务。"))


@bp.route("/follow-ups/<int:task_id>/snooze", methods=["POST"])
@login_required
def snooze_task(task_id: int):
    task = get_or_404(FollowUp, task_id, Action.EDIT)
    form = SnoozeForm()
    ok = form.validate_on_submit() and attempt(form, lambda: snooze(task, form.due_on.data, local_today()))[0]
    return _finish(form, ok, _("已推迟到 %(day)s。", day=task.due_on.isoformat()))


@bp.route("/follow-ups/<int:task_id>/reassign", methods=["POST"])
@login_required
def reassign_task(task_id: int):
    task = get_or_404(FollowUp, task_id, Action.ASSIGN)
    form = ReassignForm()
    form.assignee_id.choices = as_choices([(u.id, u.display_name) for u in unit_members(task.unit_id)])
    ok = form.validate_on_submit() and attempt(form, lambda: reassign(current_actor(), task, form.assignee_id.data))[0]
    return _finish(form, ok, _("已改派。"))


@bp.route("/companies/<int:company_id>/follow-ups", methods=["POST"])
@login_required
def for_company(company_id: int):
    """A follow-up about a company the unit has no lead on (yet)."""
    require(Action.CREATE, own_unit_record())
    company = get_or_404(Company, company_id)
    form = FollowUpForm()
    form.assignee_id.choices = as_choices([("", _("本人"))])
    ok = form.validate_on_submit() and attempt(
        form,
        lambda: schedule(current_actor(), Subject(company_id=company.id), form.due_on.data, form.note.data, local_today(),
                         move_off_holiday=form.move_off_holiday.data),
    )[0]
    return _finish(form, ok, _("已安排跟进。"))
