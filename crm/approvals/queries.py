"""Reads of the 审批手续 (under the session's scope: a procedure is seen where its project is): the project page's
card, the 联审联批 view (grouped by kind and by 代办单位) and the digest's count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.access.policy import allowed
from crm.approvals.kinds import county_kinds
from crm.approvals.models import ApprovalProcedure
from crm.approvals.services import county_of, project_procedures
from crm.clock import local_today
from crm.domain.access import Action
from crm.domain.approvals import GroupLine, ProcedureFacts, ProcedureStatus, is_overdue, summarise, workdays_between
from crm.extensions import db
from crm.followups.calendar import is_workday
from crm.projects.models import Project
from crm.units.models import Unit
from crm.web.ids import bounded_int

OPEN_FILTER = "open"
OVERDUE_FILTER = "overdue"


def project_section(project: Project) -> dict[str, Any]:
    """What the project page shows (templates/approvals/_project_section.html): the procedures in the county list's
    order, which are overdue, the kinds not added yet."""
    today = local_today()
    order = {k.name: i for i, k in enumerate(county_kinds(county_of(project)))}
    rows = sorted(project_procedures(project.id), key=lambda r: (order.get(r.kind, len(order)), r.id))
    used = {r.kind for r in rows}
    return {
        "project": project,
        "rows": rows,
        "overdue_ids": {r.id for r in rows if is_overdue(r.status, r.deadline, today)},
        "missing": [k for k in order if k not in used],
        "can_edit": allowed(Action.EDIT, project.access_target()),
        "today": today,
    }


@dataclass(frozen=True)
class ReportFilters:
    kind: str = ""
    unit: int | None = None  # 代办单位
    status: str = ""  # a ProcedureStatus, "open", "overdue" or "" (all)
    q: str = ""  # in the project's name

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> "ReportFilters":
        status = str(args.get("status", ""))
        if status not in {s.value for s in ProcedureStatus} | {OPEN_FILTER, OVERDUE_FILTER}:
            status = ""
        try:
            unit = bounded_int(args.get("unit")) if args.get("unit") else None
        except (TypeError, ValueError):
            unit = None
        return cls(str(args.get("kind", ""))[:40].strip(), unit, status, str(args.get("q", ""))[:60].strip())

    def args(self) -> dict[str, Any]:
        return {k: v for k, v in (("kind", self.kind), ("unit", self.unit), ("status", self.status), ("q", self.q)) if v}


def report_query(filters: ReportFilters, today: date) -> sa.Select[Any]:
    stmt = sa.select(ApprovalProcedure).join(Project, Project.id == ApprovalProcedure.project_id).options(
        joinedload(ApprovalProcedure.project), joinedload(ApprovalProcedure.agent_unit), joinedload(ApprovalProcedure.agent_user))
    if filters.kind:
        stmt = stmt.where(ApprovalProcedure.kind == filters.kind)
    if filters.unit:
        stmt = stmt.where(ApprovalProcedure.agent_unit_id == filters.unit)
    if filters.status == OPEN_FILTER:
        stmt = stmt.where(ApprovalProcedure.is_open())
    elif filters.status == OVERDUE_FILTER:
        stmt = stmt.where(ApprovalProcedure.overdue_on(today))
    elif filters.status:
        stmt = stmt.where(ApprovalProcedure.status == ProcedureStatus(filters.status))
    if filters.q:
        stmt = stmt.where(Project.name.contains(filters.q, autoescape=True))
    return stmt.order_by(ApprovalProcedure.deadline.is_(None), ApprovalProcedure.deadline, ApprovalProcedure.id)


def taken(row: ApprovalProcedure) -> int | None:
    """工作日 from filed to 办结, for a finished one."""
    if row.filed_on is None or row.finished_on is None:
        return None
    return workdays_between(row.filed_on, row.finished_on, is_workday)


@dataclass(frozen=True)
class Summary:
    by_kind: list[tuple[str, GroupLine]]
    by_unit: list[tuple[Unit, GroupLine]]
    total: int
    overdue: int

    @property
    def kind_lines(self) -> list[tuple[Any, str, GroupLine]]:
        """(the filter's value, the name, the line) for the page's tables."""
        return [(name, name, line) for name, line in self.by_kind]

    @property
    def unit_lines(self) -> list[tuple[Any, str, GroupLine]]:
        return [(unit.id, unit.name, line) for unit, line in self.by_unit]


def summary(rows: list[ApprovalProcedure], today: date, kind_order: list[str]) -> Summary:
    """The lines by kind (the county list's order) and by 代办单位 (most overdue first)."""
    def facts(key: Any) -> list[ProcedureFacts]:
        return [ProcedureFacts(key(r), r.status, r.promised_workdays, r.deadline, taken(r)) for r in rows]

    order = {name: i for i, name in enumerate(kind_order)}
    kinds = sorted(summarise(facts(lambda r: r.kind), today), key=lambda line: (order.get(str(line.key), len(order)), str(line.key)))
    units = {r.agent_unit_id: r.agent_unit for r in rows}
    by_unit = sorted(summarise(facts(lambda r: r.agent_unit_id), today), key=lambda line: (-line.overdue, -line.open, units[line.key].name))
    return Summary([(str(line.key), line) for line in kinds], [(units[line.key], line) for line in by_unit],  # type: ignore[index]
                   sum(line.total for line in kinds), sum(line.overdue for line in kinds))


def overdue_of_unit(unit_id: int, today: date) -> int:
    """The digest's line: overdue procedures of the unit's projects."""
    return db.session.scalar(sa.select(sa.func.count(ApprovalProcedure.id)).join(Project, Project.id == ApprovalProcedure.project_id)
                             .where(Project.unit_id == unit_id, ApprovalProcedure.overdue_on(today))) or 0
