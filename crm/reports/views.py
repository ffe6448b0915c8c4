"""Report pages: 招商引资月报 (live, frozen, print, .xlsx), 月评比 and 季奖惩, 三率, the fund and overdue-节点
lists behind the dashboard's figures, the dashboard's export, and the county's report settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from crm.clock import local_today
from crm.domain.access import Role
from crm.domain.companies import FundingSource
from crm.domain.kpi import Indicator, is_period, period_of, quarter_of, shift_period
from crm.domain.pipeline import Stage
from crm.domain.reports import CountingRules, Flag, Phase, ScoreMethod, Scorecard, Window
from crm.extensions import db
from crm.reports import labels as L
from crm.reports.figures import FundFilter, fund_list_conditions, fund_list_total
from crm.reports.forms import PublishForm, SettingsForm
from crm.reports.scope import ReportScope, counties_within, may_manage, request_scope
from crm.reports.settings import COUNTING, FLAGS, SCORECARD, load_settings
from crm.web.forms import show_error
from crm.web.labels import choices, label
from crm.web.pagination import Page, page_args, paginate
from crm.web.ids import bounded_int

bp = Blueprint("reports", __name__)
UNIT_ROLES = (Role.STAFF, Role.CHIEF)


# --- template helpers ----------------------------------------------------------------------------
class DrillDownOptions:
    """What the project list's filter form needs for the drill-down filters (templates/projects/_filters.html)."""

    @property
    def sources(self) -> list[tuple[str, Any]]:
        return choices(FundingSource)

    def chips(self, f: Any) -> list[tuple[str, dict[str, Any]]]:
        chips: list[tuple[str, dict[str, Any]]] = []
        if f.event or f.signing_event:
            stage = label(Stage(f.event)) if f.event else label(Stage.SIGNED)
            window = f"{f.start or '…'} — {f.end or '…'}" if (f.start or f.end) else _("全部月份")
            chips.append((_("%(window)s %(stage)s（统计口径）", window=window, stage=stage), f.args(event="", start="", end="")))
        if f.signing_event:
            chips.append((_("签约活动：%(name)s", name=f.signing_event), f.args(signing_event="")))
        if f.phase:
            chips.append((str(L.PHASE_LABELS[Phase(f.phase)]), f.args(phase="")))
        if f.yi:
            chips.append((str(L.YI_LABELS.get(f.yi, "")), f.args(yi=None)))
        if f.flag:
            chips.append((str(L.FLAG_LABELS[Flag(f.flag)]), f.args(flag="")))
        return chips


@bp.app_template_global()
def drill_down_options() -> DrillDownOptions:
    return DrillDownOptions()


bp.add_app_template_global(L.rules_note, "rules_note")


@bp.app_template_global()
def flag_label(flag: Flag) -> str:
    return str(L.FLAG_LABELS[flag])


@bp.app_template_global()
def flag_help(flag: Flag, settings: Any) -> str:
    months = settings.shadow_months if flag is Flag.SHADOW else settings.empty_nest_months
    return str(L.FLAG_HELP[flag]) % {"n": months} if flag is not Flag.LATE_START else str(L.FLAG_HELP[flag])




def county_choice(scope: ReportScope, endpoint: str, **args: Any) -> Any:
    """For a scope spanning several counties: the page that lists them, each opening ``endpoint`` for that county
    (units are ranked within their county). None when the scope is one county."""
    counties = counties_within(scope)
    if not counties:
        return None
    return render_template("reports/counties.html", scope=scope, counties=counties, endpoint=endpoint, args=args)


def _require_manager(actor: Any, scope: ReportScope) -> None:
    if not may_manage(actor, scope):
        abort(403)


def _require_county(actor: Any) -> None:
    if actor.role in UNIT_ROLES:
        abort(403)


def _period(default_previous: bool = True) -> str:
    today = local_today()
    raw = request.args.get("period") or request.form.get("period")
    if raw and is_period(raw):
        return raw
    return shift_period(period_of(today), -1) if default_previous else period_of(today)


def _full_capacity() -> bool:
    return bool(current_app.config.get("CRM_FULL_CAPACITY_STAGE"))


# --- 周督查 weekly report ------------------------------------------------------------------------------
def _weekly() -> tuple[Any, dict[str, Any]]:
    """The report for ``?week=`` (default: last week, which the Monday meeting reviews) and ``?unit=`` (a unit
    of the reader's scope; the county when none): (report, template context). 404 for a unit outside the scope."""
    from crm.digests.build import Week
    from crm.domain.schedule import iso_week, week_bounds
    from crm.reports.weekly import unit_scope, weekly_report
    from crm.units.models import Unit

    actor, scope = request_scope()
    default = iso_week(local_today() - timedelta(days=7))
    raw = (request.args.get("week") or "").strip()
    try:
        week_bounds(raw or default)
        period = raw or default
    except ValueError:
        flash(_("周次“%(week)s”无法识别，应写作 %(example)s；已显示上周", week=raw[:20], example=default), "warning")
        period = default
    unit_id = request.args.get("unit", type=bounded_int)
    if unit_id:
        unit = db.session.get(Unit, unit_id)
        scope = unit_scope(scope, unit) if unit is not None else None
        if scope is None:
            abort(404)
    report = weekly_report(scope, Week.of(period, current_app.config["CRM_TIMEZONE"]))
    units = [] if scope.unit_level else _report_units(scope)
    return report, {"report": report, "period": period, "actor": actor, "unit_id": unit_id, "units": units}


def _report_units(scope: ReportScope) -> list[tuple[int, str]]:
    from crm.domain.units import UnitType
    from crm.units.models import Unit

    rows = db.session.execute(sa.select(Unit.id, Unit.name).where(scope.units.clause(Unit.id), Unit.is_active, Unit.id != scope.root_id,
                                                                  Unit.type.in_((UnitType.BRANCH, UnitType.SQUAD, UnitType.BUREAU)))
                              .order_by(Unit.sort_order, Unit.id).limit(200))
    return [(uid, name) for uid, name in rows]


@bp.route("/reports/weekly")
@login_required
def weekly():
    _report, context = _weekly()
    return render_template("reports/weekly.html", **context)


@bp.route("/reports/weekly/print")
@login_required
def weekly_print():
    _report, context = _weekly()
    return render_template("reports/weekly_print.html", **context)


@bp.route("/reports/weekly.docx")
@login_required
def weekly_export():
    from crm.reports.weekly_docx import weekly_docx
    from crm.web.docx import docx_response

    report, context = _weekly()
    return docx_response(weekly_docx(report), _("%(name)s周督查报告%(week)s.docx", name=report.root_name, week=context["period"]))


# --- 招商引资月报 --------------------------------------------------------------------------------
def _monthly(scope: ReportScope, period: str) -> dict[str, Any]:
    from crm.reports.monthly import KIND, MonthlyReport, build_report, compare, published, published_periods

    settings = load_settings(scope.county_id)
    live = build_report(scope, settings, period, _full_capacity())
    snapshot = published(scope, KIND, period)
    frozen = MonthlyReport.from_json(snapshot.data) if snapshot else None
    return {
        "period": period,
        "live": live,
        "frozen": frozen,
        "report": frozen or live,
        "snapshot": snapshot,
        "cells": compare(frozen, live),
        "published_periods": published_periods(scope, KIND),
        "indicators": [(Indicator(r["indicator"]), r) for r in (frozen or live).indicators],
        "stages": [Stage(s) for s in (frozen or live).stages],
        "window": Window(period),
        "scope": scope,
    }


@bp.route("/reports/monthly")
@login_required
def monthly():
    actor, scope = request_scope()
    context = _monthly(scope, _period())
    form = PublishForm(formdata=None, data={"period": context["period"]})
    return render_template("reports/monthly.html", form=form, can_manage=may_manage(actor, scope), **context)


@bp.route("/reports/monthly/publish", methods=["POST"])
@login_required
def monthly_publish():
    from crm.reports.monthly import KIND, build_report
    from crm.reports.services import ReportError, publish

    actor, scope = request_scope()
    _require_manager(actor, scope)
    form = PublishForm()
    if form.validate_on_submit():
        period = form.period.data
        try:
            report = build_report(scope, load_settings(scope.county_id), period, _full_capacity())
            publish(scope, actor.user_id, KIND, period, report.to_json(), local_today())
        except ReportError as error:
            show_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("已发布 %(period)s 招商引资月报，数据已冻结。", period=period), "success")
            return redirect(url_for("reports.monthly", period=period))
    period = form.period.data if form.period.data and is_period(form.period.data) else _period()
    return render_template("reports/monthly.html", form=form, can_manage=True, **_monthly(scope, period)), 400


@bp.route("/reports/monthly/print")
@login_required
def monthly_print():
    _actor, scope = request_scope()
    return render_template("reports/monthly_print.html", **_monthly(scope, _period()))


@bp.route("/reports/monthly.xlsx")
@login_required
def monthly_export():
    from crm.reports.exports_monthly import monthly_book

    _actor, scope = request_scope()
    c = _monthly(scope, _period())
    return monthly_book(c["report"], c["period"], c["snapshot"], c["stages"], c["indicators"])


# --- 月评比 and 季奖惩 -----------------------------------------------------------------------------
def _card(settings: Any) -> Scorecard:
    method = request.args.get("method")
    if method in {m.value for m in ScoreMethod}:
        from dataclasses import replace

        return replace(settings.scorecard, method=ScoreMethod(method))
    return settings.scorecard


@bp.route("/reports/ranking")
@login_required
def ranking():
    from crm.reports.ranking import KIND, monthly_ranking, own_published_rows, published_ranking, ranking_from_json
    from crm.reports.monthly import published_periods

    actor, scope = request_scope()
    period = _period()
    if actor.role in UNIT_ROLES:
        return render_template("reports/ranking_own.html", rows=own_published_rows(scope, actor.unit_id), scope=scope, explain=L.explain)
    if (choice := county_choice(scope, "reports.ranking", period=period)) is not None:
        return choice
    from dataclasses import replace

    settings = load_settings(scope.county_id)
    card = _card(settings)
    live = monthly_ranking(scope, replace(settings, scorecard=card), period, local_today())
    snapshot = published_ranking(scope, period)
    frozen = ranking_from_json(snapshot.data) if snapshot else None
    return render_template(
        "reports/ranking.html", period=period, scores=frozen or live, live=live, frozen=frozen, snapshot=snapshot,
        live_totals={s.unit_id: s.total for s in live}, card=card, method_labels=L.METHOD_LABELS, item_labels=L.ITEM_LABELS,
        explain=L.explain, can_manage=may_manage(actor, scope), form=PublishForm(formdata=None, data={"period": period}),
        published_periods=published_periods(scope, KIND), quarter=quarter_of(period), scope=scope,
    )


@bp.route("/reports/ranking/notice.docx")
@login_required
def ranking_notice():
    """月评比通报 (.docx) of the month: the published ranking when there is one, else the live one (as the page)."""
    from dataclasses import replace

    from crm.reports.notices import monthly_notice
    from crm.reports.ranking import monthly_ranking, published_ranking, ranking_from_json
    from crm.web.docx import docx_response

    actor, scope = request_scope()
    _require_county(actor)
    period = _period()
    if (choice := county_choice(scope, "reports.ranking_notice", period=period)) is not None:
        return choice
    settings = load_settings(scope.county_id)
    card = _card(settings)
    snapshot = published_ranking(scope, period)
    scores = ranking_from_json(snapshot.data) if snapshot else monthly_ranking(scope, replace(settings, scorecard=card), period, local_today())
    data = monthly_notice(scope.root_name, period, scores, card.praise_top, card.criticise_bottom, local_today())
    return docx_response(data, _("月评比通报%(period)s.docx", period=period))


@bp.route("/reports/ranking/publish", methods=["POST"])
@login_required
def ranking_publish():
    from crm.reports.ranking import KIND, monthly_ranking, ranking_json
    from crm.reports.services import ReportError, publish

    actor, scope = request_scope()
    _require_manager(actor, scope)
    form = PublishForm()
    if form.validate_on_submit():
        period = form.period.data
        settings = load_settings(scope.county_id)
        scores = monthly_ranking(scope, settings, period, local_today())
        try:
            publish(scope, actor.user_id, KIND, period, ranking_json(period, settings.scorecard, scores), local_today())
        except ReportError as error:
            flash(error.message, "danger")
            return redirect(url_for("reports.ranking", period=period, county=request.args.get("county")))
        db.session.commit()
        flash(_("已发布 %(period)s 月评比结果，名次已冻结。", period=period), "success")
        return redirect(url_for("reports.ranking", period=period, county=request.args.get("county")))
    flash(_("请输入月份，例如 2025-04"), "danger")
    return redirect(url_for("reports.ranking"))


@bp.route("/reports/ranking.xlsx")
@login_required
def ranking_export():
    from crm.reports.exports_ranking import ranking_book
    from crm.reports.ranking import monthly_ranking, published_ranking, ranking_from_json

    actor, scope = request_scope()
    _require_county(actor)
    period = _period()
    if (choice := county_choice(scope, "reports.ranking_export", period=period)) is not None:
        return choice
    settings = load_settings(scope.county_id)
    snapshot = published_ranking(scope, period)
    scores = ranking_from_json(snapshot.data) if snapshot else monthly_ranking(scope, settings, period, local_today())
    return ranking_book(scope.root_name, period, scores, published=snapshot is not None)


def _quarter_args() -> tuple[int, int]:
    today = local_today()
    try:
        year = int(request.args.get("year", today.year))
        quarter = int(request.args.get("quarter", quarter_of(period_of(today))))
    except ValueError:
        abort(404)
    if not (2000 <= year <= 2999 and 1 <= quarter <= 4):
        abort(404)
    return year, quarter


@bp.route("/reports/ranking/quarter")
@login_required
def quarter():
    from crm.reports.ranking import quarter_view

    actor, scope = request_scope()
    _require_county(actor)
    year, q = _quarter_args()
    if (choice := county_choice(scope, "reports.quarter", year=year, quarter=q)) is not None:
        return choice
    view = quarter_view(scope, load_settings(scope.county_id), year, q, local_today())
    return render_template("reports/quarter.html", view=view, verdicts=L.VERDICT_LABELS, scope=scope)


@bp.route("/reports/ranking/quarter.xlsx")
@login_required
def quarter_export():
    from crm.reports.exports_ranking import quarter_book
    from crm.reports.ranking import quarter_view

    actor, scope = request_scope()
    _require_county(actor)
    year, q = _quarter_args()
    if (choice := county_choice(scope, "reports.quarter_export", year=year, quarter=q)) is not None:
        return choice
    return quarter_book(scope.root_name, quarter_view(scope, load_settings(scope.county_id), year, q, local_today()))


@bp.route("/reports/ranking/quarter/notice.docx")
@login_required
def quarter_notice():
    from crm.reports.notices import quarter_notice as notice
    from crm.reports.ranking import quarter_view
    from crm.web.docx import docx_response

    actor, scope = request_scope()
    _require_county(actor)
    year, q = _quarter_args()
    if (choice := county_choice(scope, "reports.quarter_notice", year=year, quarter=q)) is not None:
        return choice
    view = quarter_view(scope, load_settings(scope.county_id), year, q, local_today())
    return docx_response(notice(scope.root_name, view, local_today()), _("季度奖惩通报%(year)d年第%(q)d季度.docx", year=year, q=q))


# --- 三个一批 ------------------------------------------------------------------------------------
def _batches() -> Any:
    from crm.reports.batches import three_batches

    actor, scope = request_scope()
    year, q = _quarter_args()
    return actor, scope, three_batches(scope, load_settings(scope.county_id).counting, year, q)


@bp.route("/reports/batches")
@login_required
def batches():
    actor, scope, found = _batches()
    return render_template("reports/batches.html", scope=scope, batches=found, actor=actor)


@bp.route("/reports/batches.xlsx")
@login_required
def batches_export():
    from crm.web.xlsx import Column, xlsx_response

    _actor, scope, found = _batches()
    columns = [Column(_("批次"), 10), Column(_("项目名称"), 30), Column(_("投资方"), 30), Column(_("单位"), 18), Column(_("月份"), 10),
               Column(_("总投资（万元）"), 16, total=True), Column(_("合同引资额（万元）"), 16, total=True)]
    rows = [(label(batch.stage), r.name, r.company, r.unit, r.period, r.amount, r.contracted) for batch in found.batches for r in batch.rows]
    title = _("%(name)s%(year)d年第%(q)d季度三个一批项目", name=scope.root_name, year=found.year, q=found.quarter)
    return xlsx_response(f"{title}.xlsx", title, columns, rows)


# --- 三率 ---------------------------------------------------------------------------------------
@bp.route("/reports/cohorts")
@login_required
def cohorts():
    from crm.reports.cohorts import breakdowns
    from crm.reports.cohorts import cohorts as cohort_rows

    _actor, scope = request_scope()
    settings = load_settings(scope.county_id)
    years, events = cohort_rows(scope, settings)
    return render_template("reports/cohorts.html", years=years, events=events, by=breakdowns(scope, settings), scope=scope,
                           rules=settings.counting)


@bp.route("/reports/cohorts.xlsx")
@login_required
def cohorts_export():
    from crm.reports.cohorts import breakdowns
    from crm.reports.cohorts import cohorts as cohort_rows
    from crm.reports.exports_cohorts import cohorts_book

    _actor, scope = request_scope()
    settings = load_settings(scope.county_id)
    years, events = cohort_rows(scope, settings)
    return cohorts_book(scope.root_name, years, events, breakdowns(scope, settings), settings.counting)


# --- the lists behind the figures ------------------------------------------------------------------
def _fund_args() -> FundFilter:
    start, end = request.args.get("start", ""), request.args.get("end", "")
    source = request.args.get("source", "")
    return FundFilter(
        start=start if is_period(start) else "",
        end=end if is_period(end) else "",
        source=source if source in {s.value for s in FundingSource} else "",
        unit=request.args.get("unit", type=bounded_int),
    )


def _fund_query(scope: ReportScope, rules: CountingRules, chosen: FundFilter) -> Any:
    import sqlalchemy as sa
    from crm.progress.models import FundArrival
    from crm.projects.models import Project

    return (
        sa.select(FundArrival)
        .join(Project, Project.id == FundArrival.project_id)
        .where(*fund_list_conditions(rules, scope.units, chosen))
        .order_by(FundArrival.period.desc(), FundArrival.id.desc())
    )


@bp.route("/reports/funds")
@login_required
def funds():
    from sqlalchemy.orm import contains_eager

    from crm.progress.models import FundArrival
    from crm.projects.models import Project

    _actor, scope = request_scope()
    chosen = _fund_args()
    rules = load_settings(scope.county_id).counting
    count, total = fund_list_total(scope, rules, chosen)
    page, per_page = page_args()
    # The join that filters also loads the project (a second join made PostgreSQL read every row of the newest
    # month before the first 25).
    listed = _fund_query(scope, rules, chosen).options(contains_eager(FundArrival.project).joinedload(Project.unit))
    rows = paginate(listed, page, per_page, counted=count)
    return render_template("reports/funds.html", rows=rows, total=total, args=chosen, sources=choices(FundingSource))


@bp.route("/reports/funds.xlsx")
@login_required
def funds_export():
    from crm.reports.exports_dashboard import funds_export as export

    _actor, scope = request_scope()
    return export(_fund_query(scope, load_settings(scope.county_id).counting, _fund_args()))


@bp.route("/reports/milestones")
@login_required
def milestones():
    from crm.reports.watch import overdue_milestones

    _actor, scope = request_scope()
    page, per_page = page_args(default=50)
    listing = overdue_milestones(scope, local_today(), limit=per_page, offset=(page - 1) * per_page)
    return render_template("reports/milestones.html", listing=listing, today=local_today(),
                           pages=Page(listing.rows, page, per_page, listing.count))


@bp.route("/reports/milestones.xlsx")
@login_required
def milestones_export():
    from crm.reports.exports_dashboard import LIST_LIMIT, milestones_export as export
    from crm.reports.watch import overdue_milestone_lines

    _actor, scope = request_scope()
    today = local_today()
    return export(overdue_milestone_lines(scope, today, LIST_LIMIT), today)


# --- the dashboard's breakdowns, one dimension in full -------------------------------------------------
@bp.route("/reports/breakdown/<key>")
@login_required
def breakdown(key: str):
    """All rows of one of the dashboard's 分类统计 (the dashboard shows the largest 15)."""
    from crm.reports.figures import BREAKDOWN_KEYS, breakdowns, stock_stages
    from crm.reports.dashboard import full_capacity

    if key not in BREAKDOWN_KEYS:
        abort(404)
    _actor, scope = request_scope()
    stock_columns = stock_stages(full_capacity()) + [Stage.PAUSED, Stage.TERMINATED]
    return render_template("reports/breakdown.html", scope=scope, part=breakdowns(scope, key)[key], stock_columns=stock_columns)


# --- the dashboard's export ------------------------------------------------------------------------
@bp.route("/reports/dashboard.xlsx")
@login_required
def dashboard_export():
    from crm.reports.dashboard import dashboard_context
    from crm.reports.exports_dashboard import dashboard_book

    actor, _scope = request_scope()
    c = dashboard_context(actor, request.args.get("period"), local_today(), all_breakdowns=True)
    return dashboard_book(c["scope"].root_name, c["period"], c["months"], c["indicators"], c["stocks"], c["stock_columns"],
                          c["breakdowns"], c["keys"].rows)


# --- settings --------------------------------------------------------------------------------------
def _versions(settings: Any) -> dict[str, str]:
    return {key: str(row.version) for key, row in settings.rows.items()}


@bp.route("/reports/settings", methods=["GET", "POST"])
@login_required
def settings():
    from crm.reports.services import ReportError, problems_of, save_settings

    actor, scope = request_scope()
    _require_manager(actor, scope)
    current = load_settings(scope.county_id)
    form = SettingsForm()
    stored = {COUNTING: current.counting.to_json(), SCORECARD: current.scorecard.to_json(), FLAGS: current.flags.to_json()}
    versions = _versions(current)
    if request.method == "GET":
        for value in stored.values():
            form.fill(value)
        form.v_counting_rules.data = versions.get(COUNTING, "0")
        form.v_scorecard.data = versions.get(SCORECARD, "0")
        form.v_flags.data = versions.get(FLAGS, "0")
    elif form.validate_on_submit():
        posted = {COUNTING: form.v_counting_rules.data, SCORECARD: form.v_scorecard.data, FLAGS: form.v_flags.data}
        stale = [key for key in stored if (posted[key] or "0") != versions.get(key, "0")]
        if stale:
            form.form_errors.append(_("保存失败：设置已被他人修改。下方为您填写的内容，请核对当前设置后再次保存。"))
            form.v_counting_rules.data = versions.get(COUNTING, "0")
            form.v_scorecard.data = versions.get(SCORECARD, "0")
            form.v_flags.data = versions.get(FLAGS, "0")
        else:
            values = {COUNTING: form.values(SettingsForm.COUNTING_FIELDS), SCORECARD: form.values(SettingsForm.SCORECARD_FIELDS),
                      FLAGS: form.values(SettingsForm.FLAG_FIELDS)}
            problems = [p for key, value in values.items() for p in problems_of(key, value)]
            for field, message in problems:
                show_error(form, field, message)
            if not problems:
                try:
                    save_settings(scope, values)
                except ReportError as error:
                    show_error(form, error.field, error.message)
                else:
                    db.session.commit()
                    flash(_("已保存统计与评比设置。"), "success")
                    return redirect(url_for("reports.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("reports/settings.html", form=form, broken=current.broken, scope=scope), status
