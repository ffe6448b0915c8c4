"""Reads for 履约: each project's 正式合同 in force (the latest signed, when there are several), its commitments and
the actual figures the product keeps, judged by ``crm.domain.compliance.assess``.

The projects are chosen by the caller: those the reader sees (``visible_project_ids``, the unit scope that fails
closed) for the list, the card and the digest; a report scope's units for the 三率. The agreements and funds are
then read from the plain tables for those projects only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping

import sqlalchemy as sa

from crm.domain.agreements import AgreementStatus, AgreementType
from crm.domain.compliance import Actuals, Assessment, Commitments, ComplianceStatus, assess, breached
from crm.domain.pipeline import Stage
from crm.domain.projects import ReviewStatus
from crm.extensions import db
from crm.reports.scope import ReportScope
from crm.web.ids import bounded_int


@dataclass(frozen=True)
class ProjectCompliance:
    project_id: int
    name: str
    unit_id: int
    unit_name: str
    stage: Stage
    paused_from: Stage | None
    agreement_id: int
    agreement_label: str  # 协议名称, 编号 or 签约日期
    signed_on: date
    commitments: Commitments
    actuals: Actuals
    assessment: Assessment

    @property
    def status(self) -> ComplianceStatus:
        return self.assessment.status


def _funds() -> Any:
    from crm.progress.models import FundArrival

    funds = FundArrival.__table__
    return (sa.select(funds.c.project_id, sa.func.sum(funds.c.amount).label("arrived"))
            .where(funds.c.review_status == ReviewStatus.APPROVED).group_by(funds.c.project_id).subquery())


def load(project_filter: Any, today: date) -> list[ProjectCompliance]:
    """The projects matching ``project_filter`` (a condition on the plain ``projects`` table) that have a 正式合同
    in force, judged on ``today``; by project name."""
    from crm.agreements.models import Agreement
    from crm.projects.models import Project
    from crm.units.models import Unit

    a, p, u = Agreement.__table__, Project.__table__, Unit.__table__
    money = _funds()
    stmt = (
        sa.select(p.c.id, p.c.name, p.c.unit_id, u.c.name.label("unit_name"), p.c.stage, p.c.paused_from, p.c.start_month,
                  p.c.production_month, p.c.land_mu, p.c.monthly_tax, p.c.employees, money.c.arrived,
                  a.c.id.label("agreement_id"), a.c.name.label("agreement_name"), a.c.number, a.c.signed_on, a.c.planned_start_on,
                  a.c.planned_production_on, a.c.investment_intensity, a.c.tax_per_mu, a.c.jobs)
        .select_from(a.join(p, p.c.id == a.c.project_id).join(u, u.c.id == p.c.unit_id))
        .outerjoin(money, money.c.project_id == p.c.id)
        .where(a.c.type == AgreementType.CONTRACT, a.c.status == AgreementStatus.ACTIVE, project_filter)
        .order_by(p.c.id, a.c.signed_on.desc(), a.c.id.desc())
    )
    found: dict[int, ProjectCompliance] = {}
    for r in db.session.execute(stmt):
        if r.id in found:
            continue  # an older 正式合同 of the same project: the latest signed one holds
        commitments = Commitments(r.signed_on, r.planned_start_on, r.planned_production_on, _dec(r.investment_intensity),
                                  _dec(r.tax_per_mu), r.jobs)
        actuals = Actuals(Stage(r.stage), Stage(r.paused_from) if r.paused_from else None, r.start_month, r.production_month,
                          _dec(r.arrived), _dec(r.land_mu), _dec(r.monthly_tax), r.employees)
        found[r.id] = ProjectCompliance(
            r.id, r.name, r.unit_id, r.unit_name, actuals.stage, actuals.paused_from, r.agreement_id,
            r.agreement_name or r.number or r.signed_on.isoformat(), r.signed_on, commitments, actuals,
            assess(commitments, actuals, today))
    return sorted(found.values(), key=lambda x: (x.name, x.project_id))


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def visible(actor: Any, today: date, project_ids: Iterable[int] | None = None) -> list[ProjectCompliance]:
    """The reader's projects (the unit scope, failing closed), or those of ``project_ids`` among them."""
    from crm.projects.models import Project, visible_project_ids

    p = Project.__table__
    condition = p.c.id.in_(visible_project_ids(actor))
    if project_ids is not None:
        condition = sa.and_(condition, p.c.id.in_(sorted(set(project_ids))))
    return load(condition, today)


def of_project(actor: Any, project_id: int, today: date) -> ProjectCompliance | None:
    found = visible(actor, today, [project_id])
    return found[0] if found else None


def breached_in_scope(scope: ReportScope, today: date) -> frozenset[int]:
    """The projects of a report scope whose commitments are not 按期 (the 三率 with the county's setting on)."""
    from crm.projects.models import Project

    return breached((x.project_id, x.assessment) for x in load(scope.units.clause(Project.__table__.c.unit_id), today))


@dataclass(frozen=True)
class ComplianceFilters:
    status: str = ""  # a ComplianceStatus, "late" (not 按期) or "" (all)
    unit: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "ComplianceFilters":
        status = str(args.get("status", ""))
        if status not in {s.value for s in ComplianceStatus} | {NOT_ON_SCHEDULE}:
            status = ""
        try:
            unit = bounded_int(args.get("unit")) if args.get("unit") else None
        except (TypeError, ValueError):
            unit = None
        return cls(status, unit, str(args.get("q", ""))[:60].strip())

    def keep(self, row: ProjectCompliance) -> bool:
        if self.status == NOT_ON_SCHEDULE and row.assessment.on_schedule:
            return False
        if self.status and self.status != NOT_ON_SCHEDULE and ComplianceStatus(self.status) not in row.assessment.statuses:
            return False
        if self.unit and row.unit_id != self.unit:
            return False
        return not self.q or self.q in row.name


NOT_ON_SCHEDULE = "late"


def worst_first(rows: list[ProjectCompliance]) -> list[ProjectCompliance]:
    """Not 按期 first (more statuses first), then by name."""
    return sorted(rows, key=lambda x: (x.assessment.on_schedule, -len(x.assessment.failed), x.name, x.project_id))


def project_section(project: Any) -> dict[str, Any]:
    """What the project page shows of 履约 (templates/compliance/_project_section.html): nothing without a 正式合同."""
    from crm.access.policy import current_actor
    from crm.clock import local_today
    from crm.compliance.texts import lines, status_tone

    row = of_project(current_actor(), project.id, local_today())
    return {"row": row, "lines": lines(row.assessment.checks, row.actuals) if row else [], "tone": status_tone}
