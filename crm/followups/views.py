from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm

from crm.access.policy import current_actor, gate_required, get_or_404, own_unit_record, require
from crm.companies.models import Company
from crm.clock import local_today
from crm.domain.access import Action, Gate, Role
from crm.extensions import db
from crm.followups.calendar import snooze_presets
from crm.followups.forms import (BulkReassignForm, DoneForm, FollowUpForm, NewFollowUpForm, ReassignForm, SnoozeForm,
                                 TeamFilterForm)
from crm.followups.models import FollowUp
from crm.followups.queries import TEAM_STATES, TeamFilters, my_todo, team_load, team_tasks, todo_group
from crm.followups.services import Subject, complete, reassign, reassign_many, schedule, scheduled_message, snooze
from crm.leads.models import Lead
from crm.leads.services import unit_members
from crm.web.forms import as_choices, attempt, errors_text
from crm.web.owners import offer_owners
from crm.web.pagination import Page, page_args, paginate
from crm.web.urls import is_local_path

bp = Blueprint("followups", __name__)
bp.add_app_template_global(snooze_presets, "snooze_presets")  # the one-tap 推迟 of every task (_task.html)

# 我的待办's groups as the pages show them: title and colour.
GROUP_LOOKS = {
    "overdue": (_l("已逾期"), "danger"),
    "today": (_l("今天"), "warning"),
    "this_week": (_l("本周"), "primary"),
    "later": (_l("以后"), "secondary"),
}

TEAM_STATE_LABELS = dict(zip(TEAM_STATES, (_l("未完成"), _l("已逾期"), _l("今天到期"), _l("本周到期"), _l("已完成"))))
MAX_BULK = 200  # tasks handed over in one go (a page holds at most 100)


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


@bp.route("/follow-ups/new", methods=["GET", "POST"])
@login_required
def create():
    """新增跟进: a task about one of the unit's leads, from anywhere (the 工作台's quick action)."""
    from crm.leads.views import set_lead_lookup

    require(Action.CREATE, own_unit_record())
    actor = current_actor()
    form = NewFollowUpForm()
    set_lead_lookup(form.lead_id, actor.unit_id)
    offer_owners(form.assignee_id, [(u.id, u.display_name) for u in unit_members(actor.unit_id)])
    if request.method == "GET":
        form.lead_id.data = request.args.get("lead_id", type=int)
    if form.validate_on_submit():
        lead = get_or_404(Lead, form.lead_id.data, Action.EDIT)
        ok, task = attempt(form, lambda: schedule(actor, Subject(lead_id=lead.id), form.due_on.data, form.note.data,
                                                  local_today(), assignee_id=form.assignee_id.data,
                                                  move_off_holiday=form.move_off_holiday.data))
        if ok:
            db.session.commit()
            flash(scheduled_message(task, form.due_on.data), "success")
            return redirect(url_for("web.home"))
    return render_template("followups/new.html", form=form)


@bp.route("/team-todo")
@gate_required(Gate.TEAM_TASKS)
def team():
    """团队待办: the unit's tasks by person, state and due date, with bulk 改派."""
    actor = current_actor()
    today = local_today()
    load = team_load(actor.unit_id, today)
    form = TeamFilterForm(request.args)
    form.assignee.choices = as_choices(
        [("", _("全部"))] + [(p.user_id, p.name if p.in_unit else _("%(name)s（已不在本单位）", name=p.name)) for p in load]
    )
    form.state.choices = as_choices(TEAM_STATE_LABELS.items())
    page, per_page = page_args()
    if form.validate():
        filters = TeamFilters(form.assignee.data, form.state.data or "open", form.due_from.data, form.due_to.data)
        tasks = paginate(team_tasks(actor.unit_id, filters, today), page, per_page)
    else:
        tasks = Page(items=[], page=1, per_page=per_page, total=0)
    members = as_choices([(p.user_id, p.name) for p in load if p.in_unit])
    return render_template("followups/team.html", form=form, load=load, tasks=tasks, today=today, members=members)


@bp.route("/team-todo/reassign", methods=["POST"])
@gate_required(Gate.TEAM_TASKS)
def team_reassign():
    actor = current_actor()
    form = BulkReassignForm()
    form.assignee_id.choices = as_choices([(u.id, u.display_name) for u in unit_members(actor.unit_id)])
    ok = form.validate_on_submit()
    if ok and len(set(form.task_ids.data)) > MAX_BULK:
        form.task_ids.errors = [_("一次最多改派 %(n)d 项", n=MAX_BULK)]
        ok = False
    moved = 0
    if ok:
        tasks = [get_or_404(FollowUp, task_id, Action.ASSIGN) for task_id in sorted(set(form.task_ids.data))]
        ok, moved = attempt(form, lambda: reassign_many(actor, tasks, form.assignee_id.data))
    return _finish(form, ok, ngettext("已改派 %(num)d 项任务。", "已改派 %(num)d 项任务。", moved or 0))


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
