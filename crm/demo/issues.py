"""The demo scenario's 问题台账 (DOMAIN §d, Issues), dated relative to the day the demo is loaded.

Five issues: #1 the land approval that blocks the 石材建材工业城 (办理中 and overdue), #2 the single financing
channel (a county-level problem without a project, kept by the 招商局), #3 the 北区 substation (待交办), #4 the
relocation of 大王庄 and six other villages (up at the 县委常委会), #5 the 轻纺 hiring problem (已办结, waiting
for the reviewer's 销号). 负责人 are titles, never personal names. Idempotent by 问题描述.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from crm.domain.calendar import anchored
from crm.domain.issues import IssueActionKind as K
from crm.domain.issues import IssueCategory, IssueLevel, IssueSource, IssueStatus
from crm.extensions import db
from crm.issues.models import Issue, IssueAction
from crm.issues.services import next_number
from crm.projects.models import Project
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

BUREAU = "鲁山县招商局"
EDITOR = "editor"  # stands for a staff member of the owning unit (staff1 for 第一招商分局 …)


@dataclass(frozen=True)
class DemoAction:
    day: date  # as of the seed report (2025-05-21)
    kind: K
    actor: str | None  # a username, EDITOR, or None for a line recorded by the meeting itself
    note: str


@dataclass(frozen=True)
class DemoIssue:
    description: str
    project: str | None
    category: IssueCategory
    source: IssueSource
    raised: date
    responsible_unit: str
    person: str  # 负责人: a title
    deadline: date
    level: IssueLevel
    status: IssueStatus
    resolved: date | None = None
    long_term: bool = False
    actions: list[DemoAction] = field(default_factory=list)


ISSUES = [
    DemoIssue(
        "已征5000亩土地报批进展缓慢，鲁山县石材建材工业城无法供地，影响项目按计划开工",
        "鲁山县石材建材工业城", IssueCategory.LAND, IssueSource.WEEKLY_INSPECTION, date(2025, 3, 12),
        "土地综合利用指挥部", "指挥长", date(2025, 4, 30), IssueLevel.JOINT_MEETING, IssueStatus.IN_PROGRESS,
        actions=[
            DemoAction(date(2025, 3, 13), K.ASSIGN, EDITOR, "交办土地综合利用指挥部（指挥长）办理，4月底前完成已征5000亩土地组卷报批"),
            DemoAction(date(2025, 4, 15), K.URGE, "reviewer", "周督查：组卷材料尚未上报省厅，请加快进度"),
            DemoAction(date(2025, 5, 6), K.ESCALATE, EDITOR, "集聚区管委会 → 县发展联席会议：已逾期，提请县发展联席会议协调"),
            DemoAction(date(2025, 5, 12), K.URGE, "leader", "请土地综合利用指挥部倒排工期，每周报告报批进展"),
        ],
    ),
    DemoIssue(
        "融资渠道单一，集聚区融资平台（隆源公司）亟需扩股改制，拓宽基础设施建设融资渠道",
        None, IssueCategory.FINANCING, IssueSource.DISPATCH_MEETING, date(2025, 4, 8),
        "鲁山县产业集聚区管委会", "主任", date(2025, 6, 30), IssueLevel.GOVERNMENT, IssueStatus.IN_PROGRESS,
        long_term=True,
        actions=[
            DemoAction(date(2025, 4, 8), K.ASSIGN, None, "县政府常务会研究：由管委会牵头推动隆源公司扩股改制"),
            DemoAction(date(2025, 4, 29), K.NOTE, "exec_deputy", "积极对接省、市金融机构，争取设立产业发展基金"),
            DemoAction(date(2025, 5, 14), K.TALK, "reviewer", "约谈管委会财政金融局，要求5月底前报送改制方案"),
        ],
    ),
    DemoIssue(
        "北区110千伏变电站仍处于前期阶段，海亮（兴发）工业园供电保障不足",
        "海亮(兴发)工业园", IssueCategory.UTILITIES, IssueSource.WEEKLY_INSPECTION, date(2025, 5, 19),
        "规划建设管理指挥部", "指挥长", date(2025, 7, 31), IssueLevel.ZONE, IssueStatus.NEW,
        actions=[
            DemoAction(date(2025, 5, 19), K.NOTE, EDITOR, "周督查发现，拟交规划建设管理指挥部协调供电公司加快前期手续"),
        ],
    ),
    DemoIssue(
        "大王庄等7村整体搬迁推进慢，露峰、汇源社区安置房建设需加快，影响中德纺织科技园用地",
        "中德纺织科技园", IssueCategory.RELOCATION, IssueSource.DISPATCH_MEETING, date(2025, 3, 25),
        "新型社区建设指挥部", "指挥长", date(2025, 8, 31), IssueLevel.PARTY, IssueStatus.IN_PROGRESS,
        long_term=True,
        actions=[
            DemoAction(date(2025, 3, 26), K.ASSIGN, EDITOR, "交办新型社区建设指挥部（指挥长）牵头推进搬迁安置"),
            DemoAction(date(2025, 4, 18), K.ONSITE, EDITOR, "县委书记到露峰社区现场办公，协调安置房建设和群众补偿诉求"),
            DemoAction(date(2025, 5, 8), K.ESCALATE, EDITOR, "县政府常务会 → 县委常委会：涉及7个村整体搬迁，提请县委常委会研究"),
        ],
    ),
    DemoIssue(
        "轻纺企业招工难，熟练工缺口较大，需组织招工和岗前技能培训",
        "海威特种布项目", IssueCategory.HIRING, IssueSource.COMPANY, date(2025, 4, 22),
        "鲁山县人力资源和社会保障局", "局长", date(2025, 5, 31), IssueLevel.ZONE, IssueStatus.RESOLVED,
        resolved=date(2025, 5, 16),
        actions=[
            DemoAction(date(2025, 4, 23), K.ASSIGN, EDITOR, "交办县人社局（局长）组织招工和技能培训"),
            DemoAction(date(2025, 5, 6), K.NOTE, EDITOR, "举办轻纺企业专场招聘会，达成用工意向186人"),
            DemoAction(date(2025, 5, 16), K.RESOLVE, EDITOR, "订单式培训首批120人结业上岗，企业用工缺口已补齐，请督查核验销号"),
        ],
    ),
]

# Who writes the unit's lines, by owning unit: the unit's staff member, else its chief.
EDITORS_BY_UNIT = {"第一招商分局": ("staff1", "chief1"), "第二招商分局": ("staff2",)}


def _at(day: date) -> datetime:
    """09:30 in the county on ``day``."""
    return datetime.combine(day, time(9, 30), ZoneInfo(current_app.config["CRM_TIMEZONE"]))


def load_issues(report: "LoadReport", today: date) -> None:
    """Create the scenario's issues once (an issue with the same 问题描述 is left alone).

    An issue whose project is not there (yet) is skipped; the county-level one is kept by 鲁山县招商局.
    """
    names = {spec.project for spec in ISSUES if spec.project}
    projects = {p.name: p for p in db.session.scalars(sa.select(Project).where(Project.name.in_(names)))}
    units = {u.name: u for u in db.session.scalars(sa.select(Unit))}
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    existing = set(db.session.scalars(sa.select(Issue.description).where(Issue.description.in_([s.description for s in ISSUES]))))
    for spec in ISSUES:
        if spec.description in existing:
            continue
        project = projects.get(spec.project) if spec.project else None
        responsible = units.get(spec.responsible_unit)
        owner = project.unit if project is not None else units.get(BUREAU)
        if (spec.project and project is None) or responsible is None or owner is None:
            continue
        editor = next((users[name] for name in EDITORS_BY_UNIT.get(owner.name, ()) if name in users), None)
        raised = anchored(spec.raised, today)
        issue = Issue(
            number=next_number(raised.year),
            unit_id=owner.id,
            project_id=project.id if project else None,
            description=spec.description,
            category=spec.category,
            source=spec.source,
            raised_on=raised,
            responsible_unit_id=responsible.id,
            responsible_person=spec.person,
            deadline=anchored(spec.deadline, today),
            level=spec.level,
            status=spec.status,
            long_term=spec.long_term,
            resolved_on=anchored(spec.resolved, today) if spec.resolved else None,
            created_by_id=editor.id if editor else None,
        )
        db.session.add(issue)
        db.session.flush()
        for line in spec.actions:
            actor = editor if line.actor == EDITOR else users.get(line.actor) if line.actor else None
            db.session.add(
                IssueAction(issue_id=issue.id, kind=line.kind, note=line.note, actor_id=actor.id if actor else None,
                            at=_at(anchored(line.day, today)))
            )
        db.session.flush()
        report.add("issues")

