"""导入台账 in the browser: upload → sheet and columns → preview (planned part by part, with progress) → confirm;
then the import's own page, with its revert. The same services as ``crm import`` on the command line."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import PurePath
from typing import Any

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from crm.access.policy import current_actor, gate_required
from crm.companies.picker import COMPANY_PICKER
from crm.domain.access import Gate
from crm.domain.imports.fields import Kind
from crm.domain.imports.headers import Layout
from crm.domain.imports.plan import Action
from crm.domain.imports.problems import ProblemError
from crm.extensions import db
from crm.imports import messages
from crm.imports.context import NEW_COMPANY, defaults_from
from crm.imports.forms import LEAVE_OUT, UploadForm, columns_form
from crm.imports.preview import Preview, decisions_from, preview_of
from crm.imports.queries import import_items_page, imports_page, remembered
from crm.imports.reading import Book, Limits, Sheet, UnreadableFile, open_book
from crm.imports.services import (BUILT, REVERT_DAYS, ImportRefused, PlanState, RevertRefused, allowed_kinds, commit_import,
                                  importing_units, plan_part, refusal, remember_mapping, revert_import)
from crm.imports.sheets import convert_sheet, layout_of
from crm.imports.uploads import Upload, load_upload, save_upload
from crm.units.models import Unit
from crm.units.views import set_unit_lookup
from crm.web.pagination import page_args

bp = Blueprint("imports", __name__, url_prefix="/imports")

PART_ROWS = 500  # rows planned per request of the preview: a long sheet shows its progress between them
SAMPLE_ROWS = 3  # values shown under each column on the columns page
RAW_ROWS = 12  # rows of the sheet shown when no header is found


def _limits() -> Limits:
    return Limits.from_config(current_app.config)


def _own_unit() -> Unit:
    unit = db.session.get(Unit, current_actor().unit_id)
    assert unit is not None
    return unit


def _target_unit(kind: Kind, upload: Upload | None = None) -> Unit | None:
    """Where the records go: the unit chosen up front (kept with the upload), else the user's own."""
    if kind is Kind.COMPANIES:
        return None
    if upload is not None and upload.unit_id is not None:
        return db.session.get(Unit, upload.unit_id)
    return _own_unit()


def _upload_or_404(token: str, posted: bool = False) -> tuple[Upload, Kind]:
    """The user's own upload and its kind (404 for anyone else's); a post must carry its CSRF token (400)."""
    if posted and not FlaskForm().validate_on_submit():
        abort(400)
    upload = load_upload(token, current_user.id)
    if upload is None:
        abort(404)
    return upload, Kind(upload.kind)


def _book(upload: Upload) -> Book:
    return open_book(upload.data(), upload.file_name, _limits())


def _at(upload: Upload) -> tuple[int, int] | None:
    return (upload.header_rows[0] - 1, upload.header_rows[1] - 1) if upload.header_rows else None


@bp.route("/")
@login_required
@gate_required(Gate.IMPORTS)
def index() -> str:
    page, per_page = page_args()
    actor = current_actor()
    kinds = list(BUILT) if importing_units(actor) else allowed_kinds(actor, _own_unit())
    return render_template("imports/index.html", page=imports_page(page, per_page), kinds=kinds,
                           revert_days=REVERT_DAYS)


@bp.route("/template/<kind>.xlsx")
@login_required
@gate_required(Gate.IMPORTS)
def template(kind: str) -> Any:
    """The kind's .xlsx template: the headers the importer knows, dropdowns for the choices, an example row."""
    from crm.clock import local_today
    from crm.imports.templates import template_xlsx
    from crm.web.labels import label_text
    from crm.web.xlsx import XLSX_MIMETYPE, download

    try:
        chosen = Kind(kind)
    except ValueError:
        abort(404)
    data = template_xlsx(chosen, unit_name=_own_unit().name, today=local_today())
    return download(data, XLSX_MIMETYPE, _("%(kind)s导入模板.xlsx", kind=label_text(chosen)))


@bp.route("/new", methods=["GET", "POST"])
@login_required
@gate_required(Gate.IMPORTS)
def new() -> Any:
    actor = current_actor()
    chooses_unit = importing_units(actor)
    kinds = list(BUILT) if chooses_unit else allowed_kinds(actor, _own_unit())
    form = UploadForm()
    form.offer(kinds)
    if chooses_unit:
        set_unit_lookup(form.unit_id, "visible", _("—请输入单位名称查找—"))
    else:
        del form.unit_id
    if request.method == "GET" and request.args.get("kind") in {k.value for k in kinds}:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        kind = Kind(form.kind.data)
        unit = _chosen_unit(form, kind) if chooses_unit else _target_unit(kind)
        if (refused := refusal(actor, kind, unit)) is not None:
            (form.unit_id if chooses_unit else form.kind).errors.append(refused)
        else:
            name = PurePath(form.file.data.filename or "").name or "upload"
            data = form.file.data.read()
            try:
                book = open_book(data, name, _limits())
            except UnreadableFile as error:
                form.file.errors.append(error.message)
            else:
                upload = save_upload(current_user.id, name, data, kind.value, unit.id if unit is not None else None)
                upload.sheet = book.sheet_names[0]
                upload.save()
                return redirect(url_for(".columns", token=upload.token))
    return render_template("imports/new.html", form=form, kinds=kinds)


def _chosen_unit(form: UploadForm, kind: Kind) -> Unit | None:
    if kind is Kind.COMPANIES or not form.unit_id.data:
        return None
    return db.session.get(Unit, form.unit_id.data)  # one the picker offered: a unit of the actor's subtree


def _mapping_unit(upload: Upload) -> int:
    """The unit whose columns are remembered: the one imported into (its sheets look alike), else the user's."""
    return upload.unit_id or current_actor().unit_id


def _layout(upload: Upload, sheet: Sheet, kind: Kind) -> tuple[Layout | None, str | None]:
    """The sheet's layout as the unit last mapped such a sheet (or as detected), or why none was found."""
    saved = remembered(_mapping_unit(upload), kind)
    try:
        return layout_of(sheet, kind, at=_at(upload), remembered=saved.mapping if saved else None), None
    except ProblemError as error:
        return None, messages.reason(error.problem)


@bp.route("/upload/<token>", methods=["GET", "POST"])
@login_required
@gate_required(Gate.IMPORTS)
def columns(token: str) -> Any:
    upload, kind = _upload_or_404(token)
    book = _book(upload)
    sheet_name = upload.sheet if upload.sheet in book.sheet_names else book.sheet_names[0]
    posted = request.method == "POST"
    if posted and "discard" in request.form:
        upload.discard()
        flash(_("已取消导入“%(name)s”", name=upload.file_name), "info")
        return redirect(url_for(".index"))
    try:
        sheet = book.sheet(sheet_name)
    except UnreadableFile as error:
        sheet, layout, problem = None, None, str(error.message)
    else:
        layout, problem = _layout(upload, sheet, kind)
    rows = upload.header_rows or ((layout.first_header_row + 1, layout.last_header_row + 1) if layout else (None, None))
    form = columns_form(kind, layout, book.sheet_names, formdata=request.form if posted else None,
                        sheet=sheet_name, first_row=rows[0], last_row=rows[1],
                        **{f"default_{name}": value for name, value in upload.defaults.items()})
    if posted and form.validate():
        wanted_rows = (form.first_row.data, form.last_row.data) if form.first_row.data else None
        if form.sheet.data != sheet_name or (wanted_rows and wanted_rows != rows) or "reread" in request.form:
            # Another sheet or other header rows: read again before the columns are chosen.
            # Another sheet is read afresh: the header rows shown were the old sheet's.
            other_sheet = form.sheet.data != sheet_name
            upload.sheet, upload.header_rows, upload.mapping = form.sheet.data, None if other_sheet else wanted_rows, {}
            upload.save()
            return redirect(url_for(".columns", token=token))
        if layout is not None and sheet is not None:
            mapping = {f.name.removeprefix("col_"): (f.data or None) for f in form.column_fields()}
            try:
                chosen = layout_of(sheet, kind, mapping, at=_at(upload))
            except ProblemError as error:
                form.form_errors.append(messages.reason(error.problem))
            else:
                if chosen.problems:
                    form.form_errors.extend(messages.reason(p) for p in chosen.problems)
                else:
                    upload.mapping = mapping
                    upload.defaults = {f.name.removeprefix("default_"): f.data for f in form.default_fields() if f.data}
                    upload.remember = bool(form.remember.data)
                    upload.save()
                    upload.forget_progress()
                    return redirect(url_for(".preview", token=token))
    samples = _samples(sheet, layout) if sheet is not None and layout is not None else {}
    raw = [["" if c is None else _cell_text(c) for c in row[:12]] for row in sheet.rows[:RAW_ROWS]] if sheet is not None and layout is None else []
    return render_template("imports/columns.html", upload=upload, kind=kind, form=form, layout=layout, problem=problem,
                           samples=samples, raw=raw, leave_out=LEAVE_OUT)


def _samples(sheet: Sheet, layout: Layout) -> dict[str, list[str]]:
    """A few values of each column under the header, for the user to see what a column holds."""
    found: dict[str, list[str]] = {c.letter: [] for c in layout.columns}
    for row in sheet.rows[layout.data_start:layout.data_start + 40]:
        for column in layout.columns:
            value = row[column.index] if column.index < len(row) else None
            values = found[column.letter]
            if value not in (None, "") and len(values) < SAMPLE_ROWS:
                values.append(_cell_text(value)[:40])
    return found


def _cell_text(value: Any) -> str:
    """A cell as the sheet shows it: 3 not 3.0 (the reader gives every number as a float), a date without 00:00."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    return str(value)


def _start(upload: Upload, kind: Kind) -> Preview:
    """The sheet converted with the chosen columns, and nothing planned yet."""
    sheet = _book(upload).sheet(upload.sheet)
    result = convert_sheet(sheet, kind, upload.mapping or None, at=_at(upload))
    preview = Preview(result, PlanState([], {}))
    upload.save_progress(preview)
    return preview


def _web_max() -> int:
    return int(current_app.config["CRM_IMPORT_WEB_MAX_ROWS"])


def _advance(upload: Upload, kind: Kind, preview: Preview, rows: int) -> Preview:
    # A sheet the page will write is tried row by row (its refusals shown before confirming); a longer one, which
    # goes to the command line, is planned without the trial (the trial costs what the commit does).
    state = plan_part(current_actor(), kind, preview.sheet, _target_unit(kind, upload), preview.state, rows,
                      defaults_from(kind, upload.defaults), trial=preview.total <= _web_max())
    preview = Preview(preview.sheet, state)
    upload.save_progress(preview)
    return preview


def _preview_or_columns(upload: Upload, kind: Kind) -> Preview | Any:
    """The upload's preview so far (started if need be), or a redirect to the columns page when the chosen columns
    no longer read the sheet."""
    preview = upload.progress()
    if preview is None:
        try:
            preview = _start(upload, kind)
        except (ProblemError, UnreadableFile) as error:
            text = messages.reason(error.problem) if isinstance(error, ProblemError) else str(error.message)
            flash(text, "danger")
            return redirect(url_for(".columns", token=upload.token))
    if preview.sheet.problems:
        for problem in preview.sheet.problems:
            flash(messages.reason(problem), "danger")
        upload.forget_progress()
        return redirect(url_for(".columns", token=upload.token))
    return preview


@bp.route("/upload/<token>/preview")
@login_required
@gate_required(Gate.IMPORTS)
def preview(token: str) -> Any:
    upload, kind = _upload_or_404(token)
    found = _preview_or_columns(upload, kind)
    if not isinstance(found, Preview):
        return found
    try:
        if found.state.done == 0 and found.total <= PART_ROWS:  # short: planned at once, no progress to show
            found = _advance(upload, kind, found, found.total)
    except ImportRefused as error:
        flash(error.message, "danger")
        return redirect(url_for(".new"))
    return render_template("imports/preview.html", upload=upload, kind=kind, preview=preview_of(found, kind, _target_unit(kind, upload)),
                           new_company=NEW_COMPANY, csrf=FlaskForm(), company_picker=COMPANY_PICKER, web_max=_web_max(),
                           command=_command(upload, kind))


@bp.route("/upload/<token>/plan", methods=["POST"])
@login_required
@gate_required(Gate.IMPORTS)
def plan_more(token: str) -> Any:
    """The next part of a long preview (htmx); when the last part is planned the page reloads to show it all."""
    upload, kind = _upload_or_404(token, posted=True)
    found = _preview_or_columns(upload, kind)
    if not isinstance(found, Preview):
        return _reload(url_for(".columns", token=token))
    found = _advance(upload, kind, found, PART_ROWS)
    if found.state.done >= found.total:
        return _reload(url_for(".preview", token=token))
    return render_template("imports/_progress.html", upload=upload, progress=found, csrf=FlaskForm())


def _command(upload: Upload, kind: Kind) -> str:
    """The command line that imports this sheet, for a sheet too long for the page."""
    unit = _target_unit(kind, upload)
    parts = ["crm", "import", kind.value, upload.file_name]
    if unit is not None:
        parts += ["--unit", unit.name]
    parts += ["--user", current_user.username]
    if upload.sheet:
        parts += ["--sheet", upload.sheet]
    return " ".join(f'"{p}"' if " " in p else p for p in parts)


def _reload(url: str) -> Any:
    response = make_response("")
    response.headers["HX-Redirect"] = url  # a full page load: the preview runs its own scripts (htmx swaps run none)
    return response


@bp.route("/upload/<token>/commit", methods=["POST"])
@login_required
@gate_required(Gate.IMPORTS)
def commit(token: str) -> Any:
    upload, kind = _upload_or_404(token, posted=True)
    found = upload.progress()
    if found is None or found.state.done < found.total:
        return redirect(url_for(".preview", token=token))
    if found.total > _web_max():
        flash(_("本表有 %(rows)s 行，超过网页一次导入的上限 %(max)s 行，请分成几个文件导入，或用命令行导入", rows=found.total, max=_web_max()), "danger")
        return redirect(url_for(".preview", token=token))
    actor = current_actor()
    decisions, unknown = decisions_from(request.form, found.state.rows)
    try:
        outcome = commit_import(actor, kind, found.sheet, _target_unit(kind, upload), decisions, file_name=upload.file_name,
                                sha256=upload.sha256, sheet_name=upload.sheet, defaults=defaults_from(kind, upload.defaults))
    except ImportRefused as error:
        flash(error.message, "danger")
        return redirect(url_for(".new"))
    if upload.remember:
        remember_mapping(_mapping_unit(upload), kind, found.sheet.layout.mapping())
    db.session.commit()
    upload.discard()
    for line in (*unknown, *outcome.refused)[:20]:
        flash(line, "warning")
    flash(_("导入完成：新建 %(created)s 条，更新 %(updated)s 条，跳过 %(skipped)s 行", created=outcome.created,
            updated=outcome.updated, skipped=outcome.skipped), "success")
    return redirect(url_for(".show", import_id=outcome.import_id))


@bp.route("/<int:import_id>")
@login_required
@gate_required(Gate.IMPORTS)
def show(import_id: int) -> str:
    from crm.imports.queries import import_by_id

    record = import_by_id(import_id)
    if record is None:
        abort(404)
    page, per_page = page_args()
    return render_template("imports/show.html", record=record, items=import_items_page(record, page, per_page),
                           changed=request.args.get("changed") == "1", revert_days=REVERT_DAYS, csrf=FlaskForm(),
                           actions=Action)


@bp.route("/<int:import_id>/revert", methods=["POST"])
@login_required
@gate_required(Gate.IMPORTS)
def revert(import_id: int) -> Any:
    FlaskForm().validate_on_submit() or abort(400)
    try:
        done = revert_import(current_actor(), import_id, leave_changed=request.form.get("leave_changed") == "1")
    except RevertRefused as error:
        db.session.rollback()
        flash(error.message, "danger")
        for line in error.changed[:30]:
            flash(line, "warning")
        return redirect(url_for(".show", import_id=import_id, changed="1" if error.changed else None))
    db.session.commit()
    for line in done.kept[:30]:
        flash(messages.KEPT % {"record": line}, "warning")
    flash(_("已撤销：删除 %(deleted)s 条，恢复 %(restored)s 条", deleted=done.deleted, restored=done.restored), "success")
    return redirect(url_for(".show", import_id=import_id))
