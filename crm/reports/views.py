"""Report pages: 招商引资月报 (live, frozen, print, .xlsx), 月评比 and 季奖惩, 三率, the fund and overdue-节点
lists behind the dashboard's figures, the dashboard's export, and the county's report settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
from crm.reports.exports import Sheet, book_response
from crm.reports.figures import FundFilter, fund_list_conditions, fund_list_total
from crm.reports.forms import PublishForm, SettingsForm
from crm.reports.scope import ReportScope, counties_within, may_manage, request_scope
from crm.reports.settings import COUNTING, FLAGS, SCORECARD, load_settings
from crm.web.forms import show_error
from crm.web.labels import choices, label, label_text, label_texts
from crm.web.pagination import Page, page_args, paginate
from crm.web.xlsx import Column, query_rows, xlsx_response
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
    _actor, scope = request_scope()
    c = _monthly(scope, _period())
    report, months = c["report"], c["report"].months
    n = f"1–{months}月"
    stage_columns = [
        Column("阶段", 10), Column("本月个数", 10), Column("本月总投资（万元）", 16), Column("本月合同引资额（万元）", 18),
        Column(f"{n}个数", 10), Column(f"{n}总投资（万元）", 16), Column(f"{n}合同引资额（万元）", 18),
        Column(f"去年同期{n}个数", 14), Column(f"去年同期{n}总投资（万元）", 20), Column("个数同比（%）", 12), Column("总投资同比（%）", 14),
    ]

    def g(key: str) -> Decimal | None:
        return report.get(key)

    def count(key: str) -> int | None:
        value = g(key)
        return None if value is None else int(value)

    stage_rows = [
        [label_text(stage), count(f"{stage.value}.month_count"), g(f"{stage.value}.month_total"), g(f"{stage.value}.month_contracted"),
         count(f"{stage.value}.cum_count"), g(f"{stage.value}.cum_total"), g(f"{stage.value}.cum_contracted"),
         count(f"{stage.value}.ly_cum_count"), g(f"{stage.value}.ly_cum_total"), _pct_value(g(f"{stage.value}.yoy_count")),
         _pct_value(g(f"{stage.value}.yoy_total"))]
        for stage in c["stages"]
    ]
    fund_columns = [Column("项目", 22), Column("本月（万元）", 14), Column(f"{n}（万元）", 14), Column("去年同月（万元）", 16),
                    Column(f"去年同期{n}（万元）", 20), Column("同比（%）", 10)]
    fund_rows = [
        ["到位资金", g("funds.month"), g("funds.cum"), g("funds.ly_month"), g("funds.ly_cum"), _pct_value(g("funds.yoy"))],
        ["其中：省外资金", g("funds.oop_month"), g("funds.oop_cum"), g("funds.oop_ly_month"), g("funds.oop_ly_cum"), _pct_value(g("funds.oop_yoy"))],
        ["外资（万美元）", g("foreign.month"), g("foreign.cum"), None, g("foreign.ly_cum"), _pct_value(g("foreign.yoy"))],
    ]
    target_columns = [Column("指标", 26), Column("年度目标", 14), Column(f"{n}完成", 14), Column("完成年度目标（%）", 16),
                      Column("序时进度（%）", 14), Column("超（欠）进度（百分点）", 18), Column("同比（%）", 10), Column("统计月份", 10)]
    target_rows = [
        [label_text(ind), g(f"ind.{ind.value}.target"), g(f"ind.{ind.value}.actual"), _pct_value(g(f"ind.{ind.value}.completion")),
         _pct_value(g(f"ind.{ind.value}.schedule")), _pct_value(g(f"ind.{ind.value}.ahead")), _pct_value(g(f"ind.{ind.value}.yoy")), row["period"]]
        for ind, row in c["indicators"]
    ]
    unit_columns = [Column("单位", 20), Column(f"{n}签约个数", 12, total=True), Column(f"{n}签约总投资（万元）", 18, total=True),
                    Column(f"{n}新开工个数", 14, total=True), Column(f"{n}到位资金（万元）", 16, total=True),
                    Column(f"{n}其中省外资金（万元）", 20, total=True)]
    unit_rows = [[u["name"], int(u["signed_count"] or 0), u["signed_total"], int(u["started_count"] or 0), u["funds"], u["out_of_province"]]
                 for u in report.units]
    status = _("已发布（%(at)s）", at=c["snapshot"].published_at.strftime("%Y-%m-%d")) if c["snapshot"] else _("实时数据（未发布）")
    heading = f"{report.unit_name}招商引资月报（{c['period'][:4]}年{n}）  {status}"
    notes = [_rules_note(report.rules)]
    return book_response(f"招商引资月报-{c['period']}.xlsx", [
        Sheet("项目推进", stage_columns, stage_rows, heading=heading, notes=notes),
        Sheet("到位资金", fund_columns, fund_rows, heading=heading),
        Sheet("年度目标", target_columns, target_rows, heading=heading),
        Sheet("分单位", unit_columns, unit_rows, heading=heading),
    ])


def _pct_value(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def _rules_note(rules: dict[str, Any]) -> str:
    from crm.domain.reports import CountingRules, SettingsError

    try:
        r = CountingRules.from_json(rules)
    except SettingsError:
        r = CountingRules()
    text = _("统计口径：只计审核通过的阶段申报，每个项目每个阶段只计首次；总投资 %(t)s 万元以上", t=L.money(r.threshold, 0))
    if r.industrial_threshold is not None:
        text += _("（工业项目 %(t)s 万元以上）", t=L.money(r.industrial_threshold, 0))
    if r.excluded_categories:
        text += _("；不计：%(c)s", c="、".join(label_text(c) for c in sorted(r.excluded_categories)))
    if r.excluded_sources:
        text += _("；不计资金来源地：%(s)s", s="、".join(label_text(s) for s in sorted(r.excluded_sources)))
    return text


bp.add_app_template_global(_rules_note, "rules_note")


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
    from crm.reports.ranking import monthly_ranking, published_ranking, ranking_from_json

    actor, scope = request_scope()
    _require_county(actor)
    period = _period()
    if (choice := county_choice(scope, "reports.ranking_export", period=period)) is not None:
        return choice
    settings = load_settings(scope.county_id)
    snapshot = published_ranking(scope, period)
    scores = ranking_from_json(snapshot.data) if snapshot else monthly_ranking(scope, settings, period, local_today())
    items = [item for item in L.ITEM_LABELS]
    columns = [Column("名次", 6), Column("单位", 20), Column("总分", 8)] + [Column(str(L.ITEM_LABELS[i]), 14) for i in items] + [Column("得分说明", 60)]
    rows = []
    for s in scores:
        by_item = {line.item: line for line in s.lines}
        rows.append([s.rank, s.name, s.total] + [by_item[i].points if i in by_item else None for i in items]
                    + ["；".join(f"{L.ITEM_LABELS[l.item]} {L.points(l.points)} 分：{L.explain(l)}" for l in s.lines)])
    status = _("已发布") if snapshot else _("实时计算（未发布）")
    return book_response(f"月评比-{period}.xlsx", [Sheet("月评比", columns, rows, heading=f"{scope.root_name} {period} 月评比（{status}）")])


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
    from crm.reports.ranking import quarter_view

    actor, scope = request_scope()
    _require_county(actor)
    year, q = _quarter_args()
    if (choice := county_choice(scope, "reports.quarter_export", year=year, quarter=q)) is not None:
        return choice
    view = quarter_view(scope, load_settings(scope.county_id), year, q, local_today())
    columns = [Column("名次", 6), Column("单位", 20)] + [Column(f"{p} 得分", 12) for p in view.periods] + [Column("季度平均分", 12), Column("结论", 12)]
    rows = [[r.rank, r.name, *r.monthly, r.average, str(L.VERDICT_LABELS[r.verdict]) if r.verdict else ""] for r in view.rows]
    late = Sheet("节点逾期单位", [Column("责任单位", 24), Column("逾期节点（个）", 14, total=True)], [[n, c] for n, c in view.late_milestone_units])
    slow = Sheet("推进缓慢项目", [Column("项目", 28), Column("跟踪单位", 20), Column("逾期节点（个）", 14, total=True)],
                 [[p.name, p.unit.name, c] for p, c in view.slow_projects])
    return book_response(f"季度奖惩-{year}Q{q}.xlsx", [Sheet("季度评比", columns, rows, heading=f"{scope.root_name} {year}年第{q}季度评比"), late, slow])


# --- 三率 ---------------------------------------------------------------------------------------
@bp.route("/reports/cohorts")
@login_required
def cohorts():
    from crm.reports.cohorts import cohorts as cohort_rows

    _actor, scope = request_scope()
    settings = load_settings(scope.county_id)
    years, events = cohort_rows(scope, settings)
    return render_template("reports/cohorts.html", years=years, events=events, scope=scope, rules=settings.counting)


@bp.route("/reports/cohorts.xlsx")
@login_required
def cohorts_export():
    from crm.reports.cohorts import cohorts as cohort_rows

    _actor, scope = request_scope()
    settings = load_settings(scope.county_id)
    years, events = cohort_rows(scope, settings)
    columns = [Column("签约批次", 24), Column("签约项目（个）", 12, total=True), Column("履约（个）", 10, total=True),
               Column("开工含投产（个）", 14, total=True), Column("投产（个）", 10, total=True), Column("落地（个）", 10, total=True),
               Column("累计到位资金（万元）", 18, total=True), Column("合同引资额（万元）", 18, total=True),
               Column("履约率（%）", 10), Column("开工率（%）", 10), Column("资金到位率（%）", 14), Column("投产率（%）", 10), Column("落地率（%）", 10)]

    def row(r: Any) -> list[Any]:
        c, x = r.cohort, r.rates
        return [r.key, c.signed, c.active, c.started, c.producing, c.landed, c.funds_arrived, c.contracted,
                _pct_value(x.performance), _pct_value(x.start), _pct_value(x.funds), _pct_value(x.production), _pct_value(x.landing)]

    notes = [_rules_note(settings.counting.to_json())]
    return book_response("三率.xlsx", [
        Sheet("按签约年度", columns, [row(r) for r in years], heading=f"{scope.root_name} 三率（按签约年度）", notes=notes),
        Sheet("按签约活动", columns, [row(r) for r in events], heading=f"{scope.root_name} 三率（按签约活动）", notes=notes),
    ])


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
    from crm.progress.models import FundArrival
    from crm.projects.models import Project
    from crm.units.models import Unit

    _actor, scope = request_scope()
    stmt = (
        _fund_query(scope, load_settings(scope.county_id).counting, _fund_args())
        .with_only_columns(FundArrival.period, Project.name, Unit.name, FundArrival.amount, FundArrival.source, FundArrival.purpose,
                           FundArrival.note, maintain_column_froms=True)
        .join(Unit, Unit.id == Project.unit_id)
        .limit(50_000)
    )
    columns = [Column("期间", 10), Column("项目", 28), Column("跟踪单位", 18), Column("本期到位（万元）", 16, total=True),
               Column("来源地", 12), Column("用途", 10), Column("备注", 30)]
    text = label_texts()

    def row(r: Any) -> list[Any]:
        period, project, unit, amount, source, purpose, note = r
        return [period, project, unit, amount, text(source), text(purpose), note]

    return xlsx_response("到位资金.xlsx", "到位资金", columns, query_rows(stmt, row, objects=False))


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
    from crm.reports.watch import overdue_milestone_lines

    _actor, scope = request_scope()
    today = local_today()
    columns = [Column("项目", 28), Column("跟踪单位", 18), Column("节点", 12), Column("计划日期", 12), Column("逾期天数", 10, total=True),
               Column("责任单位", 18)]
    text = label_texts()

    def row(r: Any) -> list[Any]:
        project, unit, kind, planned_on, responsible = r
        return [project, unit, text(kind), planned_on, (today - planned_on).days, responsible or ""]

    # Streamed as plain rows (a city's 30,000 逾期节点 were objects held whole: +50 MB, 2 s to the first byte).
    return xlsx_response("逾期节点.xlsx", "逾期节点", columns, query_rows(overdue_milestone_lines(scope, today, 50_000), row, objects=False))


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

    actor, _scope = request_scope()
    c = dashboard_context(actor, request.args.get("period"), local_today(), all_breakdowns=True)
    n = f"1–{c['months']}月"
    target_rows = [
        [label_text(r.indicator), r.progress.target, r.progress.actual, _pct_value(r.progress.completion), _pct_value(r.progress.schedule),
         _pct_value(r.progress.ahead), _pct_value(r.yoy), r.period]
        for r in c["indicators"]
    ]
    target_columns = [Column("指标", 26), Column("年度目标", 14), Column(f"{n}完成", 14), Column("完成率（%）", 12), Column("序时进度（%）", 12),
                      Column("超（欠）进度（百分点）", 18), Column("同比（%）", 10), Column("统计月份", 10)]
    stock_columns = [Column("阶段", 10), Column("项目（个）", 10, total=True), Column("总投资（万元）", 16, total=True),
                     Column("合同引资额（万元）", 18, total=True)]
    stocks = c["stocks"]
    stock_rows = [[label_text(s), stocks[s].count if s in stocks else 0, stocks[s].total if s in stocks else Decimal(0),
                   stocks[s].contracted if s in stocks else Decimal(0)] for s in c["stock_columns"]]
    sheets = [Sheet("年度目标", target_columns, target_rows, heading=f"{c['scope'].root_name} {c['period']}"),
              Sheet("在库项目", stock_columns, stock_rows)]
    titles = {"unit": "分单位", "chain": "分产业链", "category": "分行业门类", "band": "分规模档", "tag": "分企业标签", "leader": "分包领导",
              "source": "分资金来源地"}
    for key, part in c["breakdowns"].items():
        cols = [Column(titles[key][1:], 20)] + [Column(f"{label(s)}（个）", 10, total=True) for s in c["stock_columns"]] + [
            Column("合计（个，不含中止）", 14, total=True), Column("总投资（万元，不含中止）", 18, total=True)]
        rows = [[r.label or "未填"] + [r.by_stage.get(s, 0) for s in c["stock_columns"]] + [r.count, r.total] for r in part.rows]
        sheets.append(Sheet(titles[key], cols, rows))
    key_rows = [[r.project.name, r.project.unit.name, label_text(r.project.stage), label_text(r.rag[0]), "；".join(r.rag[1]),
                 "、".join(u.display_name for u in r.leaders), r.project.total_investment] for r in c["keys"].rows]
    sheets.append(Sheet("三个一项目", [Column("项目", 28), Column("跟踪单位", 18), Column("阶段", 8), Column("红黄绿", 6),
                                   Column("原因", 30), Column("分包县级领导", 16), Column("总投资（万元）", 16, total=True)], key_rows))
    return book_response(f"工作台-{c['period']}.xlsx", sheets)


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
