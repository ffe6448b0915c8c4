"""The demo scenario's 审批手续 (issue 17): 鲁山县石材建材工业城's 用地预审 lies at the 土地综合利用指挥部 past its
承诺时限 (the seed's 报批进度滞后), and a few other projects have procedures 办结, 办理中 and not started. Dated as
of the seed report and moved to the load day (``anchored``). The county keeps the default 审批事项清单 as its own. Idempotent by project and kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.approvals.kinds import kinds_row, save_kinds
from crm.approvals.models import ApprovalProcedure
from crm.domain.approvals import DEFAULT_KINDS, deadline_of, status_for
from crm.domain.calendar import anchored
from crm.extensions import db
from crm.followups.calendar import is_workday
from crm.projects.models import Project
from crm.units.models import Unit

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

COUNTY = "鲁山县"
LAND = "土地综合利用指挥部"
PLANNING = "规划建设管理指挥部"
NDRC = "鲁山县发展和改革委员会"
NATURAL = "鲁山县自然资源局"
HOUSING = "鲁山县住房和城乡建设局"
ZONE = "鲁山县产业集聚区管委会"


@dataclass(frozen=True)
class DemoProcedure:
    project: str
    kind: str
    unit: str  # 代办单位
    agent: str  # 代办员 (a title, as the demo names no one)
    workdays: int
    filed: date | None = None  # as of the seed report (2025-05-21)
    finished: date | None = None
    not_applicable: bool = False


STONE = "鲁山县石材建材工业城"
PROCEDURES = [
    DemoProcedure(STONE, "立项/备案", NDRC, "投资科科长", 3, date(2025, 2, 10), date(2025, 2, 13)),
    DemoProcedure(STONE, "用地预审", LAND, "指挥部办公室主任", 20, date(2025, 3, 12)),  # due 2025-04-09: overdue
    DemoProcedure(STONE, "规划许可", PLANNING, "规划股股长", 10),
    DemoProcedure("方圆碳素项目", "立项/备案", NDRC, "投资科科长", 3, date(2024, 12, 2), date(2024, 12, 4)),
    DemoProcedure("方圆碳素项目", "用地预审", LAND, "指挥部办公室主任", 20, date(2024, 12, 9), date(2025, 1, 17)),  # late
    DemoProcedure("方圆碳素项目", "环评", ZONE, "环保专干", 30, date(2025, 1, 6), date(2025, 2, 21)),
    DemoProcedure("方圆碳素项目", "施工许可", HOUSING, "审批股股长", 7, date(2025, 5, 15)),  # in time
    DemoProcedure("海威特种布项目", "立项/备案", NDRC, "投资科科长", 3, date(2025, 4, 1), date(2025, 4, 3)),
    DemoProcedure("海威特种布项目", "规划许可", NATURAL, "规划股股长", 10, date(2025, 4, 21), date(2025, 4, 30)),
    DemoProcedure("海威特种布项目", "能评", NDRC, "能源股股长", 15, date(2025, 4, 14)),  # due 2025-05-07: overdue
    DemoProcedure("鲁吉兰美体内衣项目", "消防", HOUSING, "消防审验股股长", 15, not_applicable=True),
    DemoProcedure("鲁吉兰美体内衣项目", "竣工验收", HOUSING, "质监站站长", 15, date(2025, 5, 12)),
]


def load_approvals(report: "LoadReport", today: date) -> None:
    units = {u.name: u for u in db.session.scalars(sa.select(Unit))}
    county = units.get(COUNTY)
    if county is not None and kinds_row(county.id) is None:  # the county keeps the usual list as its own
        save_kinds(county.id, list(DEFAULT_KINDS), None)
        report.add("approval kind lists")
    projects = {p.name: p for p in db.session.scalars(sa.select(Project))}
    existing = {(row.project_id, row.kind) for row in db.session.execute(sa.select(ApprovalProcedure.project_id, ApprovalProcedure.kind))}
    for spec in PROCEDURES:
        project, unit = projects.get(spec.project), units.get(spec.unit)
        if project is None or unit is None or (project.id, spec.kind) in existing:
            continue
        filed = anchored(spec.filed, today) if spec.filed else None
        finished = anchored(spec.finished, today) if spec.finished else None
        db.session.add(ApprovalProcedure(
            project_id=project.id, kind=spec.kind, agent_unit_id=unit.id, agent_name=spec.agent, promised_workdays=spec.workdays,
            filed_on=filed, finished_on=finished, deadline=deadline_of(filed, spec.workdays, is_workday),
            status=status_for(filed, finished, spec.not_applicable)))
        report.add("approval procedures")
    db.session.flush()
