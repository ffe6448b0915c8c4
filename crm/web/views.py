from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import login_required

from crm.access.policy import current_actor
from crm.clock import local_today
from crm.domain.access import Gate, passes
from crm.extensions import db
from crm.web.navigation import home_summary
from crm.web.workbench import workbench as workbench_of

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def home():
    """Where the day starts: the 工作台 for those with tasks (staff, chiefs), the dashboard for the others."""
    return workbench() if passes(current_actor(), Gate.TASKS) else dashboard()


@bp.route("/workbench")
@login_required
def workbench():
    """工作台: today's tasks, the quick actions, the records touched last (crm.web.workbench). Open to everyone;
    of use to those with tasks."""
    today = local_today()
    return render_template("web/workbench.html", bench=workbench_of(current_actor(), today), today=today)


@bp.route("/dashboard")
@login_required
def dashboard():
    """The dashboard (crm.reports.dashboard): the county's for leaders, reviewers and admins, the unit's for
    chiefs and staff; ``?period=YYYY-MM`` picks the month."""
    from crm.reports.dashboard import dashboard_context

    summary = home_summary()
    dash = dashboard_context(current_actor(), request.args.get("period"), local_today())
    return render_template("web/dashboard.html", summary=summary, dash=dash)


@bp.route("/healthz")
def health():
    """For load balancers and monitoring: the app answers and its database does. Open to all, says nothing
    else. The benchmarks use it as the trivial route every page is measured against."""
    db.session.execute(sa.text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
