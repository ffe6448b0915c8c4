"""The dashboard: the home page of leaders, reviewers and admins, and a unit's own for chiefs and staff.

Everything is read under the signed-in actor's scope, in a fixed number of grouped queries
(``docs/PERFORMANCE.md``); every figure carries the link to the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _

from crm.domain.kpi import is_period, months_elapsed, period_of
from crm.domain.pipeline import Stage
from crm.domain.reports import Flag, Window
from crm.reports import charts
from crm.reports.figures import (
    big_counts,
    breakdowns,
    flow,
    flow_stages,
    funds,
    stock,
    stock_stages,
    target_progress,
    trend,
)
from crm.web.money import yi_text
from crm.reports.scope import ReportScope, may_manage, report_scope
from crm.reports.settings import load_settings
from crm.reports.watch import KEY_SHOWN, flagged, key_projects, overdue_issues, overdue_milestones
from crm.web.labels import label_text


def chosen_period(raw: str | None, today: date) -> str:
    """The month asked for (YYYY-MM), else the current one."""
    return raw if raw and is_period(raw) else period_of(today)


def full_capacity() -> bool:
    return bool(current_app.config.get("CRM_FULL_CAPACITY_STAGE"))


# --- links to the records behind a figure ------------------------------------------------------
def stage_url(stage: Stage, **more: Any) -> str:
    return url_for("projects.index", stage=stage.value, **more)


def counted_url(stage: Stage, start: str, end: str, **more: Any) -> str:
    return url_for("projects.index", event=stage.value, start=start, end=end, **more)


def funds_url(start: str, end: str, **more: Any) -> str:
    return url_for("reports.funds", start=start, end=end, **more)


@dataclass
class Links:
    window: Window

    def month(self, stage: Stage) -> str:
        return counted_url(stage, self.window.period, self.window.period)

    def cum(self, stage: Stage) -> str:
        return counted_url(stage, self.window.start, self.window.period)

    def last_year(self, stage: Stage) -> str:
        return counted_url(stage, self.window.last_year_start, self.window.last_year)

    def funds_month(self, **more: Any) -> str:
        return funds_url(self.window.period, self.window.period, **more)

    def funds_cum(self, **more: Any) -> str:
        return funds_url(self.window.start, self.window.period, **more)

    def funds_last_year(self, **more: Any) -> str:
        return funds_url(self.window.last_year_start, self.window.last_year, **more)

    def indicator(self, row: Any) -> str | None:
        from crm.domain.kpi import Indicator

        if row.zone:
            return url_for("targets.zone", year=row.period[:4])
        return {
            Indicator.YI_PROJECTS: lambda: counted_url(Stage.SIGNED, self.window.start, self.window.period, yi=1),
            Indicator.SIGNED_AMOUNT: lambda: self.cum(Stage.SIGNED),
            Indicator.CONTRACTED_AMOUNT: lambda: self.cum(Stage.SIGNED),
            Indicator.FOREIGN_CAPITAL: lambda: self.cum(Stage.SIGNED),
            Indicator.STARTED_PROJECTS: lambda: self.cum(Stage.STARTED),
            Indicator.FUNDS_ARRIVED: lambda: self.funds_cum(),
            Indicator.OUT_OF_PROVINCE_FUNDS: lambda: self.funds_cum(source="other_province"),
        }.get(row.indicator, lambda: None)()


def _charts(stages: list[Stage], stocks: dict[Stage, Any], points: list[Any], units: Any, links: Links) -> dict[str, Any]:
    funnel = charts.funnel(
        _("项目漏斗（按当前阶段）"),
        [
            charts.Bar(label_text(s), stocks[s].count if s in stocks else 0, stage_url(s),
                       note=yi_text(stocks[s].total) if s in stocks else "", key=s.value)
            for s in stages
        ],
    )
    monthly = charts.columns(
        _("逐月签约金额（亿元）与到位资金"),
        [charts.Bar(_("%(m)d月", m=int(p.period[5:])), (p.signed_total / 10_000).quantize(Decimal("0.01")) if p.signed_total else 0,
                    counted_url(Stage.SIGNED, p.period, p.period), key=p.period, axis_label=str(int(p.period[5:])))
         for p in points],
        line=[(p.funds / 10_000) for p in points], unit=_("亿元"), line_name=_("到位资金"), bar_name=_("签约总投资"),
    )
    by_unit = charts.hbars(
        _("各单位在库项目（个）"),
        [charts.Bar(r.label, r.count, url_for("projects.index", unit=r.value), key=str(r.value)) for r in units.top() if r.count],
        unit=_("个"),
    )
    return {"funnel": funnel, "monthly": monthly, "by_unit": by_unit}


def dashboard_context(actor: Any, raw_period: str | None, today: date, all_breakdowns: bool = False) -> dict[str, Any]:
    """Everything the dashboard shows, for the signed-in actor and a month. The page shows the breakdown by unit
    and links to the others (each has its page); the export asks for ``all_breakdowns``."""
    scope: ReportScope = report_scope(actor)
    settings = load_settings(scope.county_id)
    period = chosen_period(raw_period, today)
    window = Window(period)
    full = full_capacity()
    flows = flow(scope, settings.counting, window, flow_stages(full))
    money = funds(scope, settings.counting, window)
    stocks = stock(scope)
    parts = breakdowns(scope, None if all_breakdowns else "unit")
    points = trend(scope, settings.counting, window)
    links = Links(window)
    stages = stock_stages(full)
    return {
        "scope": scope,
        "period": period,
        "window": window,
        "months": months_elapsed(period),
        "flows": flows,
        "funds": money,
        "stocks": stocks,
        "stock_columns": stages + [Stage.PAUSED, Stage.TERMINATED],
        "big": big_counts(scope),
        "breakdowns": parts,
        "indicators": target_progress(scope, window, flows, money),
        "keys": key_projects(scope, today, shown=None if all_breakdowns else KEY_SHOWN),
        "milestones": overdue_milestones(scope, today),
        "issues": overdue_issues(scope, today),
        "flags": {flag: flagged(scope, flag, today, settings.flags) for flag in Flag},
        "flag_settings": settings.flags,
        "rules": settings.counting,
        "links": links,
        "charts": _charts(stages, stocks, points, parts["unit"], links),
        "can_manage": may_manage(actor, scope),
        "today": today,
    }
