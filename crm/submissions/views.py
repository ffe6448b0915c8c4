"""半月报: units write theirs on a page; reviewers, admins and leaders see who has and hasn't reported."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from crm.access.reach import subtree_units
from crm.access.policy import allowed, current_actor, get_or_404, own_unit_record, require
from crm.clock import local_today
from crm.db import utcnow
from crm.domain.access import Action, Role
from crm.domain.schedule import (
    SubmissionState,
    half_month_due,
    half_month_of,
    latest_due_period,
    next_half_month,
    parse_half_month,
    previous_half_month,
)
from crm.extensions import db
from crm.submissions.forms import SubmissionForm
from crm.submissions.models import Submission
from crm.submissions.queries import STATE_LABELS, label_of, overview, state_of, unit_history
from crm.submissions.services import SubmissionData, open_period, report_days, submit, unit_submission
from crm.web.forms import attempt

bp = Blueprint("submissions", __name__)
HISTORY = 12  # half-months shown to a unit: six months


def _common() -> dict[str, Any]:
    return {"state_labels": STATE_LABELS, "label_of": label_of}


@bp.route("/submissions/")
@login_required
def index():
    actor = current_actor()
    today = local_today()
    if actor.role in (Role.STAFF, Role.CHIEF):
        periods = [half_month_of(today)]
        while len(periods) < HISTORY:
            periods.append(previous_half_month(periods[-1]))
        rows = unit_history(actor.unit_id, periods, today)
        return render_template(
            "submissions/unit.html", rows=rows, can_submit=allowed(Action.CREATE, own_unit_record()),
            due_of=lambda p: half_month_due(p, report_days()), **_common(),
        )
    period = request.args.get("period", "")
    try:
        parse_half_month(period)
    except ValueError:
        period = latest_due_period(today, report_days())
    rows = overview(period, subtree_units(actor), today)
    counts = {state: sum(1 for r in rows if r.state is state) for state in SubmissionState}
    return render_template(
        "submissions/overview.html", rows=rows, period=period, counts=counts,
        due_on=half_month_due(period, report_days()), previous=previous_half_month(period), next=next_half_month(period),
        **_common(),
    )


@bp.route("/submissions/periods/<period>", methods=["GET", "POST"])
@login_required
def edit(period: str):
    """Write (or correct) the unit's report of ``period``; periods not yet begun do not exist."""
    require(Action.CREATE, own_unit_record())
    actor = current_actor()
    today = local_today()
    if not open_period(period, today):
        abort(404)
    existing = unit_submission(actor.unit_id, period)
    form = SubmissionForm(obj=existing if request.method == "GET" else None)
    if form.validate_on_submit() and (existing is None or form.check_current(existing)):
        ok, saved = attempt(form, lambda: submit(actor, period, SubmissionData.from_form(form), utcnow()))
        if ok:
            db.session.commit()
            state = state_of(saved, period, today)
            if state is SubmissionState.LATE:
                flash(_("已报送 %(period)s 半月报（逾期报送：截止日为 %(due)s）。", period=label_of(period), due=saved.due_on.isoformat()), "warning")
            else:
                flash(_("已报送 %(period)s 半月报。", period=label_of(period)), "success")
            return redirect(url_for("submissions.detail", submission_id=saved.id))
    return render_template(
        "submissions/form.html", form=form, period=period, existing=existing,
        due_on=existing.due_on if existing else half_month_due(period, report_days()),
        state=state_of(existing, period, today), **_common(),
    ), 400 if form.errors else 200


@bp.route("/submissions/<int:submission_id>")
@login_required
def detail(submission_id: int):
    submission = get_or_404(Submission, submission_id)
    return render_template(
        "submissions/detail.html", submission=submission, state=state_of(submission, submission.period, local_today()),
        can_edit=allowed(Action.EDIT, submission.access_target()) and submission.unit_id == current_actor().unit_id,
        **_common(),
    )
