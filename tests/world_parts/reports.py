"""World records of the reports feature (see tests/world_parts/__init__.py).

- A published 月报 of county B for 2026-09 (``reports_snapshot_b``): county A's people never see it.
- County B's 统计口径 setting (threshold 1 万元), which county A's figures must not use.
"""

from __future__ import annotations

from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db
    from crm.reports.models import ReportSettings, ReportSnapshot

    with app.app_context():
        set_scope(db.session, SYSTEM)
        county_b = w.units["county_b"].id
        snapshot = ReportSnapshot(kind="monthly_report", unit_id=county_b, period="2026-09",
                                  data={"period": "2026-09", "unit_name": "乙县", "stages": [], "indicators": [], "figures": {}})
        setting = ReportSettings(unit_id=county_b, key="counting_rules", value={"threshold": "1"})
        db.session.add_all([snapshot, setting])
        db.session.commit()
        w.records.update(reports_snapshot_b=snapshot.id)


# --- helpers for the report tests: projects with their approved history, funds, 三个一 ----------------
def add_project(session: Any, w: Any, name: str, *, unit: str = "branch_a1", owner: str = "staff", stage: Any = None,
                total: str | None = "50000", contracted: str | None = None, events: list[tuple[Any, str]] | None = None,
                event_total: str | None = None, pending: list[tuple[Any, str]] | None = None, category: Any = "C",
                source: Any = "other_province", nature: Any = None, is_key: bool = False, planned_start: Any = None,
                signed_month: str | None = None, foreign: str | None = None, leader: str | None = None,
                funds: list[tuple[str, str, str]] | None = None, chain: int | None = None, company: int | None = None,
                paused_from: Any = None) -> Any:
    """A project of ``unit`` with approved stage events [(stage, period)], pending ones, and approved funds
    [(period, amount 万元, source)]. ``stage`` defaults to the last event's."""
    from decimal import Decimal

    from crm.assignments.models import ProjectLeader
    from crm.domain.companies import FundingSource, IndustryCategory
    from crm.domain.pipeline import Nature, Stage
    from crm.domain.projects import FundPurpose, ReviewStatus
    from crm.progress.models import FundArrival
    from crm.projects.models import Project, StageEvent

    events = events or []
    money = (lambda v: Decimal(v) if v is not None else None)
    project = Project(
        name=name, company_id=company or w.records["company"], unit_id=w.units[unit].id, owner_id=w.users[owner].id,
        stage=stage or (events[-1][0] if events else Stage.TALKS), paused_from=paused_from,
        total_investment=money(total), contracted_amount=money(contracted if contracted is not None else total),
        industry_category=IndustryCategory(category) if category else None, funding_source=FundingSource(source) if source else None,
        nature=Nature(nature) if nature else Nature.NEW, is_key=is_key, planned_start_on=planned_start,
        signed_month=signed_month or next((p for s, p in events if s is Stage.SIGNED), None), foreign_capital=money(foreign),
        chain_id=chain,
    )
    session.add(project)
    session.flush()
    previous = Stage.TALKS
    for status, rows in ((ReviewStatus.APPROVED, events), (ReviewStatus.PENDING, pending or [])):
        for to_stage, period in rows:
            session.add(StageEvent(
                project_id=project.id, from_stage=previous, to_stage=to_stage, period=period, review_status=status,
                total_investment=money(event_total if event_total is not None else total),
                contracted_amount=money(event_total if event_total is not None else (contracted or total)),
            ))
            session.flush()
            previous = to_stage
    for period, amount, fund_source in funds or []:
        session.add(FundArrival(project_id=project.id, period=period, amount=Decimal(amount), source=FundingSource(fund_source),
                                purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.APPROVED))
    if leader:
        from datetime import date

        session.add(ProjectLeader(project_id=project.id, leader_id=w.users[leader].id, slot=1, entered_on=date(2026, 1, 1)))
    session.flush()
    return project
