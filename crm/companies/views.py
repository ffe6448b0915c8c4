from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from crm.access.policy import allowed, current_actor, get_or_404, own_unit_record, require, gate_required
from crm.catalog.models import IndustryChain
from crm.companies.duplicates import likely_duplicates, new_group_count, queue_pair, remember_distinct, resolve_group, visit_queue
from crm.companies.picker import pick_options
from crm.companies.forms import CompanyForm, ContactForm
from crm.companies.merging import MERGED, SURVIVOR, merge_companies, undo_merge
from crm.companies.models import Company, CompanyMerge, Contact, DuplicateGroup
from crm.companies.queries import (
    MERGE_FIELD_LABELS,
    CompanyFilters,
    company_export_query,
    company_list_query,
    following_units,
    merges_of,
    open_groups,
    tags_of,
)
from crm.companies.services import (
    CompanyData,
    ContactData,
    LikelyDuplicates,
    add_contact,
    create_company,
    set_contact_active,
    update_company,
    update_contact,
)
from crm.domain.access import Action, Gate, Resource, Target
from crm.domain.companies import MERGEABLE_FIELDS, CompanyTag, FundingSource, IndustryCategory, Ownership
from crm.domain.dedup.credit_code import normalise_credit_code
from crm.errors import FieldError
from crm.followups.forms import FollowUpForm
from crm.followups.queries import company_tasks
from crm.extensions import db
from crm.web.forms import attempt, saved, show_error
from crm.web.labels import choices, label_texts
from crm.web.pagination import page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response
from crm.web.ids import bounded_int
from crm.web.joins import enumeration

bp = Blueprint("companies", __name__, url_prefix="/companies")
MASTER = Target(Resource.MASTER_DATA)
EXPORT_LIMIT = 50_000
TASKS_PER_PAGE = 20


def _chains() -> list[tuple[int, str]]:
    rows = db.session.scalars(sa.select(IndustryChain).where(IndustryChain.is_active).order_by(IndustryChain.sort_order, IndustryChain.id))
    return [(chain.id, chain.name) for chain in rows]


def _filter_options() -> dict[str, Any]:
    return {
        "ownerships": choices(Ownership),
        "tags": choices(CompanyTag),
        "funding_sources": choices(FundingSource),
        "categories": choices(IndustryCategory),
        "chains": _chains(),
    }


@bp.route("/")
@login_required
def index():
    require(Action.VIEW, MASTER)
    filters = CompanyFilters.from_args(request.args)
    page, per_page = page_args()
    companies = paginate(company_list_query(filters), page, per_page)
    return render_template("companies/index.html", companies=companies, filters=filters, **_filter_options())


@bp.route("/export.xlsx")
@login_required
def export():
    require(Action.VIEW, MASTER)
    filters = CompanyFilters.from_args(request.args)
    columns = [
        Column(_l("企业名称"), 36), Column(_l("简称"), 14), Column(_l("统一社会信用代码"), 22), Column(_l("所有制"), 14),
        Column(_l("企业标签"), 24), Column(_l("总部所在省"), 10), Column(_l("总部所在市"), 10), Column(_l("资金来源地"), 12),
        Column(_l("行业门类"), 20), Column(_l("主导产业链"), 12), Column(_l("注册资本（万元）"), 16, total=True), Column(_l("网址"), 24),
    ]
    text = label_texts()

    def row(r: Any, tags: dict[int, list[Any]]) -> list[Any]:
        company_id, name, short, code, ownership, province, city, source, category, chain, capital, website = r
        return [name, short, code, text(ownership), enumeration(text(t) for t in tags.get(company_id, [])), province, city, text(source),
                text(category), chain, capital, website]

    stmt = company_export_query(filters).limit(EXPORT_LIMIT)
    rows = query_rows(stmt, row, lambda batch: tags_of([r[0] for r in batch]), objects=False)
    return xlsx_response("企业名录.xlsx", _("企业名录"), columns, rows)


@bp.route("/check")
@login_required
def check():
    """Likely duplicates of what is being typed (the form asks, debounced)."""
    require(Action.VIEW, MASTER)
    name = request.args.get("name", "").strip()[:200]
    code = normalise_credit_code(request.args.get("credit_code", "").strip()[:40]) or None
    exclude = request.args.get("exclude", type=bounded_int)
    if len(name) < 2 and not code:
        return jsonify(matches=[])
    matches = likely_duplicates([name] if name else [], code, exclude_id=exclude)
    return jsonify(
        matches=[
            {
                "id": m.company.id,
                "name": m.company.name,
                "matched_name": m.matched_name,
                "score": m.score,
                "same_code": m.same_code,
                "url": url_for("companies.detail", company_id=m.company.id),
            }
            for m in matches
        ]
    )


def _confirmed_ids() -> set[int]:
    return {int(v) for v in request.form.getlist("distinct_from") if v.isdigit()}


def _save(form: CompanyForm, change: Any) -> tuple[bool, Any, list[Any]]:
    """Run create/update; a likely-duplicate refusal comes back with the matches to show."""
    try:
        return True, change(), []
    except LikelyDuplicates as warning:
        show_error(form, "name", warning.message)
        return False, None, warning.matches
    except FieldError as error:
        show_error(form, error.field, error.message)
        return False, None, []


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(Action.CREATE, MASTER)
    form = CompanyForm()
    form.set_chains(_chains())
    matches: list[Any] = []
    if request.method == "GET" and request.args.get("name"):
        form.name.data = request.args.get("name", "")[:200]
    if form.validate_on_submit():
        confirmed = _confirmed_ids() if form.confirm_distinct.data else set()
        ok, company, matches = _save(form, lambda: create_company(current_actor(), CompanyData.from_form(form), confirmed))
        if ok:
            db.session.commit()
            flash(_("已新建企业 %(name)s。", name=company.name), "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template("companies/form.html", form=form, company=None, matches=matches), 400 if form.errors else 200


@bp.route("/<int:company_id>")
@login_required
def detail(company_id: int):
    company = get_or_404(Company, company_id)
    if company.merged_into_id:
        flash(_("「%(name)s」已合并到下面这家企业。", name=company.name), "info")
        return redirect(url_for("companies.detail", company_id=company.merged_into_id))
    from crm.aftercare.queries import company_protection
    from crm.clock import local_today
    from crm.visits.queries import hint_days
    from crm.visits.services import hint_since, recent_visits_by_others

    since = hint_since(local_today(), hint_days())
    return render_template(
        "companies/detail.html",
        company=company,
        recent_visits=recent_visits_by_others([company.id], current_actor().unit_id, since),
        followers=following_units(company.id),
        similar=likely_duplicates(company.all_names(), company.credit_code, exclude_id=company.id),
        merges=merges_of(company.id),
        can_edit=allowed(Action.EDIT, MASTER),
        can_merge=allowed(Action.MERGE, MASTER),
        follow_form=FollowUpForm(formdata=None),
        my_tasks=paginate(company_tasks(company.id), *page_args(default=TASKS_PER_PAGE)),
        can_follow=allowed(Action.CREATE, own_unit_record()),
        today=local_today(),
        protection=company_protection(company.id),
    )


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@login_required
def edit(company_id: int):
    company = get_or_404(Company, company_id, Action.EDIT)
    if company.merged_into_id:
        return redirect(url_for("companies.edit", company_id=company.merged_into_id))
    form = CompanyForm(obj=company if request.method == "GET" else None)
    form.set_chains(_chains())
    matches: list[Any] = []
    if request.method == "GET":
        form.tags.data = [t.value for t in company.tags]
        form.former_names.data = [n.name for n in company.other_names if n.kind.value == "former"]
        form.alias_names.data = [n.name for n in company.other_names if n.kind.value == "alias"]
    if form.validate_on_submit() and form.check_current(company):
        confirmed = _confirmed_ids() if form.confirm_distinct.data else set()
        ok, _unused, matches = _save(form, lambda: update_company(current_actor(), company, CompanyData.from_form(form), confirmed))
        if ok:
            db.session.commit()
            flash(_("已保存 %(name)s。", name=company.name), "success")
            return redirect(url_for("companies.detail", company_id=company.id))
    return render_template("companies/form.html", form=form, company=company, matches=matches), 400 if form.errors else 200


# --- contacts -------------------------------------------------------------------
@bp.route("/<int:company_id>/contacts/new", methods=["GET", "POST"])
@login_required
def contact_create(company_id: int):
    company = get_or_404(Company, company_id, Action.EDIT)
    form = ContactForm()
    if form.validate_on_submit():
        ok, _contact = attempt(form, lambda: add_contact(company, ContactData.from_form(form)))
        if ok:
            db.session.commit()
            flash(_("已添加联系人。"), "success")
            return redirect(url_for("companies.detail", company_id=company.id) + "#contacts")
    return render_template("companies/contact_form.html", form=form, company=company, contact=None), 400 if form.errors else 200


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def contact_edit(contact_id: int):
    contact = get_or_404(Contact, contact_id, Action.EDIT)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    if form.validate_on_submit() and saved(form, contact, lambda: update_contact(contact, ContactData.from_form(form))):
        db.session.commit()
        flash(_("已保存联系人。"), "success")
        return redirect(url_for("companies.detail", company_id=contact.company_id) + "#contacts")
    return render_template("companies/contact_form.html", form=form, company=contact.company, contact=contact), 400 if form.errors else 200


@bp.route("/contacts/<int:contact_id>/active", methods=["POST"])
@login_required
def contact_active(contact_id: int):
    contact = get_or_404(Contact, contact_id, Action.EDIT)
    set_contact_active(contact, request.form.get("active") == "1")
    db.session.commit()
    return redirect(url_for("companies.detail", company_id=contact.company_id) + "#contacts")


# --- duplicate review and merge (审核员, 管理员) ---------------------------------------
reviewers_only = gate_required(Gate.DUPLICATES)


@bp.route("/duplicates")
@reviewers_only
def duplicates():
    require(Action.MERGE, MASTER)
    page, per_page = page_args()
    # what the nightly scan found since this reviewer's last visit is marked 新 and counted
    since = visit_queue(current_actor().user_id)
    new_count = new_group_count(since)
    db.session.commit()
    groups = paginate(open_groups(), page, per_page)
    return render_template("companies/duplicates.html", groups=groups, since=since, new_count=new_count)


@bp.route("/duplicates/<int:group_id>", methods=["GET", "POST"])
@reviewers_only
def review(group_id: int):
    require(Action.MERGE, MASTER)
    group = db.get_or_abort(DuplicateGroup, group_id)
    members = [m.company for m in group.members if not m.company.is_merged]
    if group.status != "open" or len(members) < 2:
        flash(_("该组已处理。"), "info")
        return redirect(url_for("companies.duplicates"))
    member_ids = [c.id for c in members]
    survivor_id = request.values.get("survivor_id", type=bounded_int)
    survivor_id = survivor_id if survivor_id in member_ids else member_ids[0]
    error, choices_by_field = None, {}
    if request.method == "POST":
        choices_by_field = {f: request.form.get(f"field_{f}", "survivor") for f in MERGEABLE_FIELDS}
        survivor = next(c for c in members if c.id == survivor_id)
        try:
            if not request.form.get("confirm"):  # a merge moves every record of the others: say so first
                raise FieldError("confirm", _("请先勾选“我已核对，确认合并”"))
            for other in members:
                if other.id != survivor_id:
                    merge_companies(current_actor(), survivor, other, _choices_for(choices_by_field, other.id))
        except FieldError as refusal:
            db.session.rollback()
            error = refusal.message
        else:
            resolve_group(group, "merged", current_actor())
            db.session.commit()
            flash(_("已合并为「%(name)s」。30 天内可在企业页面撤销。", name=survivor.name), "success")
            return redirect(url_for("companies.detail", company_id=survivor.id))
    return render_template(
        "companies/review.html", group=group, members=members, survivor_id=survivor_id, fields=MERGE_FIELD_LABELS, error=error,
        chosen=choices_by_field, confirmed=bool(request.form.get("confirm")),
    ), 400 if error else 200


def _choices_for(choices_by_field: dict[str, str], other_id: int) -> dict[str, str]:
    """A field set to "company <id>" takes that company's value; anything else keeps the survivor's."""
    return {f: MERGED if choice == str(other_id) else SURVIVOR for f, choice in choices_by_field.items()}


@bp.route("/duplicates/<int:group_id>/dismiss", methods=["POST"])
@reviewers_only
def dismiss(group_id: int):
    require(Action.MERGE, MASTER)
    group = db.session.get(DuplicateGroup, group_id)
    if group is None or group.status != "open":
        abort(404)
    ids = {m.company_id for m in group.members}
    for company_id in ids:
        remember_distinct(company_id, ids - {company_id}, current_actor().user_id)
    resolve_group(group, "dismissed", current_actor())
    db.session.commit()
    flash(_("已标记为不是重复企业，今后不再提示。"), "success")
    return redirect(url_for("companies.duplicates"))


@bp.route("/<int:company_id>/compare/<int:other_id>", methods=["POST"])
@reviewers_only
def compare(company_id: int, other_id: int):
    """Put two companies side by side in the review queue (from a company page's "similar" list)."""
    require(Action.MERGE, MASTER)
    first, second = get_or_404(Company, company_id), get_or_404(Company, other_id)
    group = queue_pair(first, second)
    db.session.commit()
    return redirect(url_for("companies.review", group_id=group.id))


@bp.route("/merges/<int:merge_id>/undo", methods=["POST"])
@reviewers_only
def undo(merge_id: int):
    require(Action.MERGE, MASTER)
    merge = db.get_or_abort(CompanyMerge, merge_id)
    try:
        undo_merge(current_actor(), merge)
    except FieldError as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        flash(_("已撤销合并。"), "success")
    return redirect(url_for("companies.detail", company_id=merge.merged_id))


@bp.route("/pick")
@login_required
def pick():
    """The company picker's list (crm.companies.picker) for what is typed in a company input: htmx sends the
    input under its own name (company_name, stops-0-company_name …)."""
    require(Action.VIEW, MASTER)
    typed = next((v for k, v in request.args.items() if k == "q" or k.endswith("company_name")), "")
    create_url = url_for("companies.create", name=typed.strip()) if allowed(Action.CREATE, MASTER) else None
    return render_template("companies/_pick.html", q=typed.strip(), options=pick_options(typed), create_url=create_url)
