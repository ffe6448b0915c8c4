"""招商引资月报 (DOMAIN §c): the month and 1–N月 per stage, 到位资金 and 其中省外资金, 外资, 同比,
完成年度目标 % and 超/欠进度; frozen when published.

The report is a flat map of named figures ("signed.cum_total", "funds.oop_cum", "ind.tax.actual" …)
so that a published (frozen) report and the live one compare key by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm.domain.kpi import Indicator, months_elapsed
from crm.domain.pipeline import Stage
from crm.domain.reports import Window
from crm.extensions import db
from crm.reports.figures import flow, flow_stages, funds, grouped_figures, target_progress
from crm.reports.models import ReportSnapshot
from crm.reports.scope import ReportScope, county_rows
from crm.reports.settings import CountySettings
from crm.units.models import Unit

KIND = "monthly_report"
STAGE_MEASURES = (
    "month_count", "month_total", "month_contracted", "cum_count", "cum_total", "cum_contracted",
    "ly_month_count", "ly_month_total", "ly_cum_count", "ly_cum_total", "yoy_count", "yoy_total",
)
FUND_MEASURES = ("month", "cum", "ly_month", "ly_cum", "yoy", "oop_month", "oop_cum", "oop_ly_month", "oop_ly_cum", "oop_yoy")
INDICATOR_MEASURES = ("target", "actual", "completion", "schedule", "ahead", "yoy")
UNIT_MEASURES = ("signed_count", "signed_total", "started_count", "funds", "out_of_province")


def _text(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass
class MonthlyReport:
    period: str
    unit_name: str
    stages: list[str]
    indicators: list[dict[str, Any]]  # {"indicator": code, "period": YYYY-MM, "zone": bool, "count": bool}
    figures: dict[str, Decimal | None]
    units: list[dict[str, Any]] = field(default_factory=list)  # {"unit_id", "name", measures…}
    rules: dict[str, Any] = field(default_factory=dict)

    @property
    def months(self) -> int:
        return months_elapsed(self.period)

    def get(self, key: str) -> Decimal | None:
        return self.figures.get(key)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "unit_name": self.unit_name,
            "stages": self.stages,
            "indicators": self.indicators,
            "figures": {k: _text(v) for k, v in self.figures.items()},
            "units": [{k: (_text(v) if k in UNIT_MEASURES else v) for k, v in row.items()} for row in self.units],
            "rules": self.rules,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MonthlyReport":
        return cls(
            period=data["period"],
            unit_name=data.get("unit_name", ""),
            stages=list(data.get("stages", [])),
            indicators=list(data.get("indicators", [])),
            figures={k: _number(v) for k, v in data.get("figures", {}).items()},
            units=[{k: (_number(v) if k in UNIT_MEASURES else v) for k, v in row.items()} for row in data.get("units", [])],
            rules=dict(data.get("rules", {})),
        )


def build_report(scope: ReportScope, settings: CountySettings, period: str, full_capacity: bool = False) -> MonthlyReport:
    """The live report of a month (six queries)."""
    window = Window(period)
    stages = flow_stages(full_capacity)
    flows = flow(scope, settings.counting, window, stages)
    money = funds(scope, settings.counting, window)
    figures: dict[str, Decimal | None] = {}
    for stage in stages:
        row = flows[stage]
        for measure in STAGE_MEASURES:
            value = getattr(row, measure)
            figures[f"{stage.value}.{measure}"] = Decimal(value) if value is not None else None
    for measure in FUND_MEASURES:
        figures[f"funds.{measure}"] = getattr(money, measure)
    signed = flows[Stage.SIGNED]
    figures["foreign.month"] = signed.foreign_month
    figures["foreign.cum"] = signed.foreign_cum
    figures["foreign.ly_cum"] = signed.foreign_ly_cum
    from crm.domain.kpi import yoy

    figures["foreign.yoy"] = yoy(signed.foreign_cum, signed.foreign_ly_cum)
    indicators = []
    for row in target_progress(scope, window, flows, money):
        code = row.indicator.value
        indicators.append({"indicator": code, "period": row.period, "zone": row.zone, "count": row.is_count})
        p = row.progress
        for measure, value in (("target", p.target), ("actual", p.actual), ("completion", p.completion),
                               ("schedule", p.schedule), ("ahead", p.ahead), ("yoy", row.yoy)):
            figures[f"ind.{code}.{measure}"] = value
    per_unit = grouped_figures(scope, settings.counting, window, "unit")
    names = dict(db.session.execute(
        sa.select(Unit.id, Unit.name).where(Unit.id.in_(sorted(per_unit))).order_by(Unit.sort_order, Unit.id)
    ).all()) if per_unit else {}
    units = [
        {"unit_id": unit_id, "name": names.get(unit_id, ""), "signed_count": Decimal(f.signed_count), "signed_total": f.signed_total,
         "started_count": Decimal(f.started_count), "funds": f.funds, "out_of_province": f.out_of_province}
        for unit_id, f in sorted(per_unit.items(), key=lambda item: -item[1].signed_total)
    ]
    return MonthlyReport(period, scope.root_name, [s.value for s in stages], indicators, figures, units, settings.counting.to_json())


def published(scope: ReportScope, kind: str, period: str) -> ReportSnapshot | None:
    """The published report of the scope's county (or unit) for the month, if any (one query)."""
    stmt = sa.select(ReportSnapshot).where(ReportSnapshot.kind == kind, ReportSnapshot.period == period)
    return db.session.scalars(county_rows(stmt, ReportSnapshot.unit_id, scope.root_id)).first()


def published_periods(scope: ReportScope, kind: str) -> list[str]:
    stmt = sa.select(ReportSnapshot.period).where(ReportSnapshot.kind == kind)
    return list(db.session.scalars(county_rows(stmt, ReportSnapshot.unit_id, scope.root_id).order_by(ReportSnapshot.period.desc())))


@dataclass(frozen=True)
class Cell:
    """A figure as published, as it is now, and the difference (live − frozen)."""

    frozen: Decimal | None
    live: Decimal | None

    @property
    def shown(self) -> Decimal | None:
        return self.frozen

    @property
    def difference(self) -> Decimal | None:
        if self.frozen is None or self.live is None:
            return None
        return self.live - self.frozen

    @property
    def changed(self) -> bool:
        return self.frozen != self.live


def compare(frozen: MonthlyReport | None, live: MonthlyReport) -> dict[str, Cell]:
    """Key by key: with no published report, the live figure is what is shown."""
    keys = set(live.figures) | set(frozen.figures if frozen else {})
    if frozen is None:
        return {k: Cell(live.get(k), live.get(k)) for k in keys}
    return {k: Cell(frozen.get(k), live.get(k)) for k in keys}


def indicator_labels(report: MonthlyReport) -> list[tuple[Indicator, dict[str, Any]]]:
    return [(Indicator(row["indicator"]), row) for row in report.indicators]
