"""三个一批 (签约一批、开工一批、投产一批) for a quarter, as Henan reports them (issue 16): the projects whose first
approved 签约, 开工 or 投产 falls in the quarter's months, counted as the monthly report counts (the county's
统计口径: recognised projects, the 总投资 threshold; ``counting.counted_events``). 意向书 and 框架协议 signed in the
quarter are tallied on lines of their own, never as 签约 ("达成3亿元的投资意向")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from crm.domain.agreements import AgreementType
from crm.domain.kpi import last_day, quarter_periods
from crm.domain.pipeline import Stage
from crm.domain.reports import CountingRules
from crm.extensions import db
from crm.reports.counting import counted_events
from crm.reports.scope import ReportScope

BATCH_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.PRODUCING)
TALLIED = (AgreementType.INTENT, AgreementType.FRAMEWORK)


@dataclass(frozen=True)
class BatchRow:
    project_id: int
    name: str
    unit: str
    company: str
    period: str
    amount: Decimal  # 总投资 as counted (万元)
    contracted: Decimal  # 合同引资额 as counted


@dataclass(frozen=True)
class Batch:
    stage: Stage
    rows: list[BatchRow]

    @property
    def amount(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))


@dataclass(frozen=True)
class Tally:
    kind: AgreementType
    count: int
    amount: Decimal


@dataclass(frozen=True)
class Batches:
    year: int
    quarter: int
    batches: list[Batch]
    tallies: list[Tally]


def three_batches(scope: ReportScope, rules: CountingRules, year: int, quarter: int) -> Batches:
    from crm.agreements.models import Agreement
    from crm.companies.models import Company
    from crm.units.models import Unit

    months = quarter_periods(year, quarter)
    events = counted_events(rules, scope.units, stages=list(BATCH_STAGES), start=months[0], end=months[-1]).subquery()
    rows = db.session.execute(
        sa.select(events.c.project_id, events.c.name, Unit.name, Company.name, events.c.period, events.c.amount, events.c.contracted,
                  events.c.to_stage)
        .join(Unit, Unit.id == events.c.unit_id).join(Company, Company.id == events.c.company_id)
        .order_by(events.c.to_stage, events.c.amount.desc(), events.c.name)
    ).all()
    by_stage: dict[Stage, list[BatchRow]] = {stage: [] for stage in BATCH_STAGES}
    for pid, name, unit, company, period, amount, contracted, stage in rows:
        by_stage[Stage(stage)].append(BatchRow(pid, name, unit, company, period, Decimal(amount or 0), Decimal(contracted or 0)))
    first_day, last = date.fromisoformat(f"{months[0]}-01"), last_day(months[-1])
    tallies = []
    for kind in TALLIED:
        count, amount = db.session.execute(
            sa.select(sa.func.count(Agreement.id), sa.func.coalesce(sa.func.sum(Agreement.investment_amount), 0))
            .where(scope.units.clause(Agreement.unit_id), Agreement.type == kind, Agreement.terminated_on.is_(None),
                   Agreement.signed_on >= first_day, Agreement.signed_on <= last)
        ).one()
        tallies.append(Tally(kind, count, Decimal(amount)))
    return Batches(year, quarter, [Batch(stage, by_stage[stage]) for stage in BATCH_STAGES], tallies)
