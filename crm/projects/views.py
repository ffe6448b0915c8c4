from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from crm.access.policy import get_or_404
from crm.domain.pipeline import Stage
from crm.projects.models import Project
from crm.projects.queries import project_list_query
from crm.web.labels import choices
from crm.web.pagination import page_args, paginate

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.route("/")
@login_required
def index():
    q = request.args.get("q", "").strip()[:60]
    stage = request.args.get("stage", "")
    page, per_page = page_args()
    projects = paginate(project_list_query(q, stage), page, per_page)
    return render_template("projects/index.html", projects=projects, q=q, stage=stage, stages=choices(Stage))


@bp.route("/<int:project_id>")
@login_required
def detail(project_id: int):
    project = get_or_404(Project, project_id)
    return render_template("projects/detail.html", project=project, sections=feature_sections(project))


def feature_sections(project: Project) -> dict[str, dict]:
    """What each feature shows on the project page: templates/<feature>/_project_section.html renders ``section``."""
    from crm.assignments.queries import project_section as assignments
    from crm.issues.queries import project_section as issues
    from crm.progress.queries import project_section as progress

    return {"assignments": assignments(project), "progress": progress(project), "issues": issues(project)}
