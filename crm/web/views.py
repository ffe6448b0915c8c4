from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from crm.web.navigation import home_summary

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("web/home.html", summary=home_summary())
