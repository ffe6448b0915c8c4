"""Pages of 倒排工期 milestones, monthly progress (with photos) and 到位资金 (with evidence and review).

Who: those who may edit the project (its unit's staff and chief, members of its 服务专班 from any unit)
record; reviewers (Action.REVIEW, their subtree) approve or reject fund entries; everyone who sees the
project reads. Records are loaded with ``get_or_404``: another unit's answer 404, files included.
"""

from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.web.money import wan_text
from crm.access.policy import allowed, current_actor, get_or_404, gate_required
from crm.attachments import services as attachments
from crm.attachments.models import Attachment
from crm.clock import local_today
from crm.domain.access import Action, Gate
from crm.domain.projects import MilestoneKind, ReviewStatus
from crm.errors import FieldError
from crm.extensions import db
from crm.progress.forms import (
    EvidenceForm,
    FundForm,
    MilestoneForm,
    PhotosForm,
    RejectForm,
    ReportForm,
    ReviewForm,
    chosen_files,
    schedule_field_name,
    schedule_form,
)
from crm.progress.models import FundArrival, Milestone, ProgressReport
from crm.progress.queries import (
    files_by_record,
    fund_totals,
    may_review,
    progress_page,
    project_funds,
    project_milestones,
    review_queue_section,
)
from crm.progress.services import (
    FundData,
    MilestoneData,
    ReportData,
    add_evidence,
    add_photos,
    approve_fund,
    check_photos,
    create_fund,
    create_milestone,
    create_report,
    delete_fund,
    delete_milestone,
    month_of,
    reject_fund,
    schedule_stamp,
    set_schedule,
    update_fund,
    update_milestone,
    update_report,
)
from crm.projects.models import Project
from crm.units.queries import county_unit_choices
from crm.web.forms import attempt, errors_text, saved, show_error
from crm.web.labels import label_text
from crm.web.urls import is_local_path
from crm.web.xlsx import Column, xlsx_response

bp = Blueprint("progress", __name__)


def _project_page(project_id: int, anchor: str = "progress") -> str:
    return url_for("projects.detail", project_id=project_id) + f"#{anchor}"


def _back(target: str | None, default: str) -> Any:
    return redirect(target if is_local_path(target) else default)


def _user_id() -> int | None:
    actor = current_actor()
    return actor.user_id if actor else None


def _status(form: Any) -> int:
    return 400 if form.errors or form.form_errors else 200


def _deleted(delete: Callable[[], Any], done: str) -> bool:
    """Run a deletion: refused, its reason is flashed as an error (False); else committed and ``done`` flashed (True)."""
    try:
        delete()
    except FieldError as error:
        flash(error.message, "danger")
        return False
    db.session.commit()
    flash(done, "success")
    return True


def _form_page(template: str, form: Any, project: Project, **record: Any) -> Any:
    """A form of this feature (``record``: the milestone, report or fund entry it edits, or None), 400 when refused."""
    return render_template(f"progress/{template}", form=form, project=project, **record), _status(form)


def _try_with_files(form: Any, change: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a change that also stores files: a refusal undoes what was flushed (and the files written)."""
    ok, result = attempt(form, change)
    if not ok:
        db.session.rollback()
    return ok, result


def _saved_with_files(
    form: Any, data_class: Any, change: Callable[[Any, list[Any]], Any], done: Callable[[Any], str], back: Callable[[], str],
    *, record: Any = None,
) -> Any | None:
    """A valid POST of a report or fund form (the record and its chosen files): ``change(data, files)``, refused when
    ``record`` (on an edit) changed meanwhile. Done: commit, flash ``done(result)``, redirect to ``back()``. Refused,
    what was flushed and the files written are undone and None is returned: the view shows the form again."""
    if not form.validate_on_submit():
        return None
    files = chosen_files(form.files)
    data = data_class.from_form(form)
    if record is None:
        ok, result = _try_with_files(form, lambda: change(data, files))
    else:
        ok, result = saved(form, record, lambda: change(data, files)), None
        if not ok:
            db.session.rollback()  # photos or evidence stored before a refusal; harmless otherwise
    if not ok:
        return None
    db.session.commit()
    flash(done(result), "success")
    return redirect(back())


# --- milestones ------------------------------------------------------------------------------
@bp.route("/projects/<int:project_id>/milestones/new", methods=["GET", "POST"])
@login_required
def milestone_create(project_id: int):
    project = get_or_404(Project, project_id, Action.EDIT)
    units = county_unit_choices(project.unit_id)
    form = MilestoneForm()
    form.set_units(units)
    if request.method == "GET":
        used = {m.kind for m in project_milestones(project.id)}
        wanted = request.args.get("kind")
        first_missing = next((k for k in MilestoneKind if k not in used), None)
        form.kind.data = MilestoneKind(wanted) if wanted in {k.value for k in MilestoneKind} else first_missing
    if form.validate_on_submit():
        data = MilestoneData.from_form(form)
        ok, _milestone = attempt(form, lambda: create_milestone(project, data, local_today(), {i for i, _n in units}))
        if ok:
            db.session.commit()
            flash(_("已添加节点。"), "success")
            return redirect(_project_page(project.id, "milestones"))
    return _form_page("milestone_form.html", form, project, milestone=None)


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def milestone_edit(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id, Action.EDIT)
    project = milestone.project
    units = county_unit_choices(project.unit_id)
    form = MilestoneForm(obj=milestone if request.method == "GET" else None)
    form.set_units(units)
    if form.validate_on_submit() and saved(
        form, milestone, lambda: update_milestone(milestone, MilestoneData.from_form(form), local_today(), {i for i, _n in units})
    ):
        db.session.commit()
        flash(_("已保存节点。"), "success")
        return redirect(_project_page(project.id, "milestones"))
    return _form_page("milestone_form.html", form, project, milestone=milestone)


@bp.route("/milestones/<int:milestone_id>/delete", methods=["POST"])
@login_required
def milestone_delete(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id, Action.EDIT)
    project_id = milestone.project_id
    _deleted(lambda: delete_milestone(milestone), _("已删除节点。"))
    return redirect(_project_page(project_id, "milestones"))


@bp.route("/projects/<int:project_id>/schedule", methods=["GET", "POST"])
@login_required
def schedule(project_id: int):
    """倒排工期: the planned dates of every 节点 on one form."""
    project = get_or_404(Project, project_id, Action.EDIT)
    milestones = project_milestones(project.id)
    by_kind = {m.kind: m for m in milestones}
    form = schedule_form()
    if request.method == "GET":
        for kind, m in by_kind.items():
            getattr(form, schedule_field_name(kind)).data = m.planned_on
        form.stamp.data = schedule_stamp(milestones)
    if form.validate_on_submit():
        current = schedule_stamp(milestones)
        if form.stamp.data != current:
            form.form_errors.append(_("保存失败：节点已被他人修改。请查看下方当前日期，确认后再次保存。"))
            form.stamp.data = current
        else:
            fields = {kind: schedule_field_name(kind) for kind in MilestoneKind}
            planned = {kind: getattr(form, name).data for kind, name in fields.items()}
            ok, changed = attempt(form, lambda: set_schedule(project, planned, fields))
            if ok:
                db.session.commit()
                flash(_("已保存倒排工期（%(n)d 个节点有变化）。", n=changed), "success")
                return redirect(_project_page(project.id, "milestones"))
    rows = [(kind, getattr(form, schedule_field_name(kind)), by_kind.get(kind)) for kind in MilestoneKind]
    return render_template("progress/schedule.html", form=form, project=project, rows=rows), _status(form)


# --- progress reports -------------------------------------------------------------------------
@bp.route("/projects/<int:project_id>/progress")
@login_required
def project_progress(project_id: int):
    """Every monthly report (with photos) and every fund entry of one project."""
    project = get_or_404(Project, project_id)
    return render_template("progress/project.html", section=progress_page(project), project=project)


@bp.route("/projects/<int:project_id>/progress/new", methods=["GET", "POST"])
@login_required
def report_create(project_id: int):
    project = get_or_404(Project, project_id, Action.EDIT)
    form = ReportForm()
    if request.method == "GET":
        form.period.data = month_of(local_today())

    def change(data: ReportData, files: list[Any]) -> ProgressReport:
        check_photos(files)  # before anything is stored
        report = create_report(project, data, local_today(), _user_id())
        add_photos(report, files, _user_id())
        return report

    response = _saved_with_files(
        form, ReportData, change, lambda report: _("已保存 %(month)s 的项目进展。", month=report.period),
        lambda: _project_page(project_id, "progress"),
    )
    return response or _form_page("report_form.html", form, project, report=None)


@bp.route("/progress/<int:report_id>")
@login_required
def report_detail(report_id: int):
    return _report_detail(get_or_404(ProgressReport, report_id))


def _report_detail(report: ProgressReport, photos_form: PhotosForm | None = None, status: int = 200) -> Any:
    return render_template(
        "progress/report_detail.html",
        report=report,
        project=report.project,
        photos=files_by_record(ProgressReport.__tablename__, [report.id])[report.id],
        photos_form=photos_form or PhotosForm(formdata=None),
        can_edit=allowed(Action.EDIT, report.access_target()),
    ), status


@bp.route("/progress/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def report_edit(report_id: int):
    report = get_or_404(ProgressReport, report_id, Action.EDIT)
    form = ReportForm(obj=report if request.method == "GET" else None)

    def change(data: ReportData, files: list[Any]) -> None:
        check_photos(files)
        update_report(report, data, local_today())
        add_photos(report, files, _user_id())

    response = _saved_with_files(
        form, ReportData, change, lambda _none: _("已保存 %(month)s 的项目进展。", month=report.period),
        lambda: url_for("progress.report_detail", report_id=report.id), record=report,
    )
    return response or _form_page("report_form.html", form, report.project, report=report)


@bp.route("/progress/<int:report_id>/photos", methods=["POST"])
@login_required
def photo_upload(report_id: int):
    report = get_or_404(ProgressReport, report_id, Action.EDIT)
    return _upload(
        PhotosForm(), lambda files: add_photos(report, files, _user_id()), _("请选择要上传的照片"),
        lambda n: _("已上传 %(n)d 张照片。", n=n), url_for("progress.report_detail", report_id=report.id) + "#photos",
        lambda form: _report_detail(report, form, 400),
    )


def _file_of(record: Any, attachment_id: int, images_only: bool = False) -> Attachment:
    found = attachments.attachment_of(record, attachment_id)
    if found is None or (images_only and not found.is_image):
        abort(404)
    return found


def _send(found: Attachment) -> Any:
    try:
        return attachments.send(found, download=request.args.get("download") == "1")
    except FileNotFoundError:
        abort(404)


def _upload(
    form: Any, store: Callable[[list[Any]], list[Attachment]], none_chosen: str, done: Callable[[int], str], back: str,
    again: Callable[[Any], Any],
) -> Any:
    """Files added to a record from its page (photos of a report, evidence of a fund entry): ``store`` them,
    commit, flash ``done(how many)`` and go ``back``; nothing chosen or refused, the page ``again`` with the message."""
    if form.validate_on_submit():
        files = chosen_files(form.files)
        if not files:
            show_error(form, "files", none_chosen)
        else:
            ok, stored = _try_with_files(form, lambda: store(files))
            if ok:
                db.session.commit()
                flash(done(len(stored)), "success")
                return redirect(back)
    return again(form)


def _delete_file(found: Attachment, done: Callable[[str], str]) -> None:
    """Delete one attachment (its files too), commit, and flash ``done(its name)``."""
    name = found.original_name
    attachments.delete(found)
    db.session.commit()
    flash(done(name), "success")


@bp.route("/progress/<int:report_id>/photos/<int:attachment_id>")
@login_required
def photo(report_id: int, attachment_id: int):
    """A photo (and its thumbnail), only to users who may see the report."""
    report = get_or_404(ProgressReport, report_id)
    return _send(_file_of(report, attachment_id, images_only=True))


@bp.route("/progress/<int:report_id>/photos/<int:attachment_id>/delete", methods=["POST"])
@login_required
def photo_delete(report_id: int, attachment_id: int):
    report = get_or_404(ProgressReport, report_id, Action.EDIT)
    _delete_file(_file_of(report, attachment_id), lambda name: _("已删除照片 %(name)s。", name=name))
    return redirect(url_for("progress.report_detail", report_id=report.id) + "#photos")


# --- 到位资金 ---------------------------------------------------------------------------------
@bp.route("/projects/<int:project_id>/funds/new", methods=["GET", "POST"])
@login_required
def fund_create(project_id: int):
    project = get_or_404(Project, project_id, Action.EDIT)
    form = FundForm()
    if request.method == "GET":
        form.period.data = month_of(local_today())
        form.source.data = project.funding_source

    def change(data: FundData, files: list[Any]) -> FundArrival:
        fund = create_fund(project, data, local_today(), _user_id())
        add_evidence(fund, files, _user_id())
        return fund

    response = _saved_with_files(
        form, FundData, change, lambda fund: _("已提交到位资金 %(amount)s，等待审核。", amount=wan_text(fund.amount)),
        lambda: _project_page(project_id, "funds"),
    )
    return response or _form_page("fund_form.html", form, project, fund=None)


def _fund_detail(fund: FundArrival, evidence_form: EvidenceForm | None = None, status: int = 200) -> Any:
    return render_template(
        "progress/fund_detail.html",
        fund=fund,
        project=fund.project,
        files=files_by_record(FundArrival.__tablename__, [fund.id])[fund.id],
        evidence_form=evidence_form or EvidenceForm(formdata=None),
        can_edit=allowed(Action.EDIT, fund.access_target()),
        can_review=may_review(current_actor(), fund.project.unit_id),
        totals=fund_totals(fund.project, local_today()),
    ), status


@bp.route("/projects/<int:project_id>/funds/export.xlsx")
@login_required
def fund_export(project_id: int):
    """The project's 到位资金 entries; the totals row sums approved entries only (what counts)."""
    project = get_or_404(Project, project_id)
    columns = [
        Column(_l("月份"), 10), Column(_l("本期到位（万元）"), 16), Column(_l("计入累计（万元）"), 16, total=True), Column(_l("来源地"), 14),
        Column(_l("用途"), 12), Column(_l("审核状态"), 12), Column(_l("退回意见"), 30), Column(_l("填报人"), 14), Column(_l("审核人"), 14), Column(_l("备注"), 30),
    ]
    rows = (
        [
            f.period, f.amount, f.amount if f.review_status is ReviewStatus.APPROVED else None, label_text(f.source),
            label_text(f.purpose), label_text(f.review_status),
            f.review_comment if f.review_status is ReviewStatus.REJECTED else None,
            f.submitted_by.display_name if f.submitted_by else None, f.reviewed_by.display_name if f.reviewed_by else None, f.note,
        ]
        for f in project_funds(project.id)
    )
    return xlsx_response(f"{project.name}-到位资金.xlsx", _("到位资金"), columns, rows)


@bp.route("/funds/<int:fund_id>")
@login_required
def fund_detail(fund_id: int):
    return _fund_detail(get_or_404(FundArrival, fund_id))


@bp.route("/funds/<int:fund_id>/edit", methods=["GET", "POST"])
@login_required
def fund_edit(fund_id: int):
    """Correct an entry not yet approved; saving a rejected one resubmits it for review."""
    fund = get_or_404(FundArrival, fund_id, Action.EDIT)
    if fund.review_status is ReviewStatus.APPROVED:
        flash(_("已审核通过的到位资金不能修改；如有错误请联系审核员"), "warning")
        return redirect(url_for("progress.fund_detail", fund_id=fund.id))
    form = FundForm(obj=fund if request.method == "GET" else None)
    was_rejected = fund.review_status is ReviewStatus.REJECTED

    def change(data: FundData, files: list[Any]) -> None:
        update_fund(fund, data, local_today(), _user_id())
        add_evidence(fund, files, _user_id())

    response = _saved_with_files(
        form, FundData, change, lambda _none: _("已修改并重新提交审核。") if was_rejected else _("已保存到位资金。"),
        lambda: url_for("progress.fund_detail", fund_id=fund.id), record=fund,
    )
    return response or _form_page("fund_form.html", form, fund.project, fund=fund)


@bp.route("/funds/<int:fund_id>/delete", methods=["POST"])
@login_required
def fund_delete(fund_id: int):
    fund = get_or_404(FundArrival, fund_id, Action.EDIT)
    project_id = fund.project_id
    if not _deleted(lambda: delete_fund(fund), _("已撤回该条到位资金。")):
        return redirect(url_for("progress.fund_detail", fund_id=fund_id))
    return redirect(_project_page(project_id, "funds"))


@bp.route("/funds/<int:fund_id>/evidence", methods=["POST"])
@login_required
def evidence_upload(fund_id: int):
    fund = get_or_404(FundArrival, fund_id, Action.EDIT)
    return _upload(
        EvidenceForm(), lambda files: add_evidence(fund, files, _user_id()), _("请选择要上传的文件"),
        lambda n: _("已上传 %(n)d 个佐证材料。", n=n), url_for("progress.fund_detail", fund_id=fund.id) + "#evidence",
        lambda form: _fund_detail(fund, form, 400),
    )


@bp.route("/funds/<int:fund_id>/evidence/<int:attachment_id>")
@login_required
def evidence(fund_id: int, attachment_id: int):
    fund = get_or_404(FundArrival, fund_id)
    return _send(_file_of(fund, attachment_id))


@bp.route("/funds/<int:fund_id>/evidence/<int:attachment_id>/delete", methods=["POST"])
@login_required
def evidence_delete(fund_id: int, attachment_id: int):
    fund = get_or_404(FundArrival, fund_id, Action.EDIT)
    found = _file_of(fund, attachment_id)
    if fund.review_status is ReviewStatus.APPROVED:
        flash(_("已审核通过的到位资金不能修改；如有错误请联系审核员"), "danger")
    else:
        _delete_file(found, lambda name: _("已删除佐证材料 %(name)s。", name=name))
    return redirect(url_for("progress.fund_detail", fund_id=fund.id) + "#evidence")


# --- review -----------------------------------------------------------------------------------
@bp.route("/funds/reviews")
@login_required
@gate_required(Gate.FUND_REVIEW)
def fund_reviews():
    """到位资金 waiting for the signed-in reviewer."""
    return render_template("progress/reviews.html", section=review_queue_section())


@bp.route("/funds/<int:fund_id>/approve", methods=["POST"])
@login_required
def fund_approve(fund_id: int):
    fund = get_or_404(FundArrival, fund_id, Action.REVIEW)
    form = ReviewForm()
    default = url_for("progress.fund_detail", fund_id=fund.id)
    if not form.validate_on_submit():
        flash(errors_text(form) or _("请重试"), "danger")
        return redirect(default)
    if form.stale_for(fund):
        flash(_("该条到位资金在您打开页面后已被修改，请查看最新内容后再审核。"), "warning")
        return redirect(default)
    try:
        approve_fund(fund, _user_id())  # type: ignore[arg-type]
    except FieldError as error:
        flash(error.message, "warning")
        return _back(form.next.data, default)
    db.session.commit()
    flash(_("已审核通过：%(project)s %(month)s 到位资金 %(amount)s。", project=fund.project.name, month=fund.period,
            amount=wan_text(fund.amount)), "success")
    return _back(form.next.data, default)


@bp.route("/funds/<int:fund_id>/reject", methods=["GET", "POST"])
@login_required
def fund_reject(fund_id: int):
    """审核未通过, with the reason the submitter will read; refused without one, nothing typed lost."""
    fund = get_or_404(FundArrival, fund_id, Action.REVIEW)
    form = RejectForm(record=fund)
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        if form.stale_for(fund):
            form.form_errors.append(_("该条到位资金在您打开页面后已被修改，请查看最新内容后再审核。"))
            form.version.data = fund.version
        else:
            ok, _none = attempt(form, lambda: reject_fund(fund, _user_id(), form.comment.data))  # type: ignore[arg-type]
            if ok:
                db.session.commit()
                flash(_("已退回：%(project)s %(month)s 到位资金，意见已告知填报人。", project=fund.project.name, month=fund.period), "success")
                return _back(form.next.data, url_for("progress.fund_detail", fund_id=fund.id))
    return render_template(
        "progress/reject.html", form=form, fund=fund, project=fund.project,
        files=files_by_record(FundArrival.__tablename__, [fund.id])[fund.id],
    ), _status(form)
