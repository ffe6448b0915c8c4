"""The demo scenario's 三个一 (DOMAIN §d): the key projects, their 分包县级领导, 牵头单位, 服务专班 and 推进方案.

Dates are the seed's (as of 2025-05-21) moved to the load day by ``anchored``. 荣格集团项目 has its leader
but no 服务专班 yet, so the staffing flag shows. 中德纺织科技园 changed its leader in March, so its page
shows a history. staff2 (第二招商分局) serves on 海威特种布项目's team, so that project is theirs to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.assignments.models import ProjectLeader, TeamMember
from crm.domain.calendar import anchored
from crm.extensions import db
from crm.projects.models import Project
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

D = date
ZONE = "鲁山县产业集聚区管委会"
COMMAND = "招商选资指挥部"
LAND = "土地综合利用指挥部"


@dataclass(frozen=True)
class Member:
    username: str
    duty: str
    chief: bool = False  # 首席服务员


@dataclass(frozen=True)
class DemoAssignment:
    project: str
    leader: str  # username
    entered: date  # 纳入 (seed date)
    lead_unit: str
    plan: str
    team: tuple[Member, ...] = ()
    # (username, entered, exited, reason): a leader who answered for the project before
    past_leader: tuple[str, date, date, str] | None = None


def _branch1(*extra: Member) -> tuple[Member, ...]:
    return (Member("staff1", "手续代办、日常联络", True), Member("chief1", "统筹协调、要素保障"), *extra)


def _branch2() -> tuple[Member, ...]:
    return (Member("staff2", "手续代办、日常联络", True),)


ASSIGNMENTS = [
    DemoAssignment(
        "鲁山县石材建材工业城", "leader", D(2025, 1, 25), ZONE,
        "一、目标：年内一期开工。\n二、措施：土地综合利用指挥部加快已征5000亩土地报批；隆源公司扩股改制拓宽融资渠道。\n"
        "三、倒排工期：6月底前完成供地摘牌，7月取得施工许可，8月开工。",
        _branch1(),
    ),
    DemoAssignment(
        "海亮(兴发)工业园", "exec_deputy", D(2025, 1, 20), ZONE,
        "一、目标：二季度末开工。\n二、措施：规划建设管理指挥部推进北区110千伏变电站前期；每周调度一次。\n"
        "三、倒排工期：6月完成规划许可，7月开工。",
        _branch2(),
    ),
    DemoAssignment(
        "中德纺织科技园", "deputy_industry", D(2025, 3, 1), ZONE,
        "一、目标：年底主体封顶。\n二、措施：县人社局组织轻纺企业招工培训；专班每周现场办公。\n三、倒排工期：10月主体封顶，次年3月设备安装。",
        _branch1(),
        past_leader=("exec_deputy", D(2024, 12, 15), D(2025, 2, 28), "县政府领导分工调整"),
    ),
    DemoAssignment(
        "海威特种布项目", "leader", D(2025, 4, 18), COMMAND,
        "一、目标：7月1日开工，次年6月投产。\n二、措施：港资项目外资登记由第二招商分局协助；南区标准化厂房先行交付。\n"
        "三、倒排工期：5月底完成注册，6月供地摘牌，7月开工。",
        _branch1(Member("staff2", "外资登记、港资政策对接")),
    ),
    DemoAssignment(
        "荣格集团项目", "leader2", D(2025, 3, 25), COMMAND,
        "一、目标：三季度签订正式投资协议。\n二、措施：招商选资指挥部牵头对接深圳总部，明确投资额和用地需求。",
    ),
    DemoAssignment(
        "圣光保健器材科技园二期", "deputy_industry", D(2025, 1, 10), ZONE,
        "续建项目：二期厂房9月主体封顶，年底设备安装。", _branch1(),
    ),
    DemoAssignment(
        "方圆碳素项目", "exec_deputy", D(2025, 1, 10), LAND,
        "续建项目：解决用电增容，8月完成主体工程。", _branch2(),
    ),
    DemoAssignment(
        "鲁吉兰美体内衣项目", "standing", D(2025, 3, 5), ZONE,
        "一、目标：年内试生产。\n二、措施：专班协助办理环评，组织招工。", _branch1(),
    ),
    DemoAssignment(
        "尧盛针织项目", "deputy_industry", D(2025, 4, 10), ZONE,
        "一、目标：11月设备安装。\n二、措施：协调施工环境，每月调度。", _branch1(),
    ),
    DemoAssignment(
        "河南靖焜丝绸项目", "deputy_industry", D(2025, 4, 10), ZONE,
        "一、目标：年底主体封顶。\n二、措施：落实丝绸产业扶持政策，协调南区道路配套。", _branch2(),
    ),
]


def load_assignments(report: "LoadReport", today: date) -> None:
    """Make the scenario's key projects 三个一 once. What exists is left alone: a project already key keeps
    its 牵头单位 and plan; a leader or member who has a row on the project (past or present) is not added
    again; a project with an active leader gets no second one; a team with a 首席服务员 keeps it."""
    projects = {p.name: p for p in db.session.scalars(sa.select(Project).where(Project.name.in_({a.project for a in ASSIGNMENTS})))}
    units = {u.name: u for u in db.session.scalars(sa.select(Unit).where(Unit.name.in_({a.lead_unit for a in ASSIGNMENTS})))}
    usernames = {a.leader for a in ASSIGNMENTS} | {m.username for a in ASSIGNMENTS for m in a.team}
    usernames |= {a.past_leader[0] for a in ASSIGNMENTS if a.past_leader}
    users = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(usernames)))}
    for spec in ASSIGNMENTS:
        project = projects.get(spec.project)
        if project is None:
            continue
        if not project.is_key:
            project.is_key = True
            report.add("key projects")
        if project.lead_unit_id is None and spec.lead_unit in units:
            project.lead_unit_id = units[spec.lead_unit].id
        if project.plan is None:
            project.plan = spec.plan
        entered = anchored(spec.entered, today)
        leader_rows = list(db.session.scalars(sa.select(ProjectLeader).where(ProjectLeader.project_id == project.id)))
        if spec.past_leader and (past := users.get(spec.past_leader[0])) is not None:
            if not any(row.leader_id == past.id for row in leader_rows):
                name, since, until, reason = spec.past_leader
                db.session.add(
                    ProjectLeader(
                        project_id=project.id, leader_id=past.id, slot=1, entered_on=anchored(since, today),
                        exited_on=anchored(until, today), exit_reason=reason,
                    )
                )
                db.session.flush()
        leader = users.get(spec.leader)
        has_active = any(row.exited_on is None for row in leader_rows)
        if leader is not None and not has_active and not any(row.leader_id == leader.id for row in leader_rows):
            db.session.add(ProjectLeader(project_id=project.id, leader_id=leader.id, slot=1, entered_on=entered))
            report.add("project leaders")
        members = list(db.session.scalars(sa.select(TeamMember).where(TeamMember.project_id == project.id)))
        has_chief = any(m.exited_on is None and m.is_chief_servant for m in members)
        for member in spec.team:
            user = users.get(member.username)
            if user is None or any(m.user_id == user.id for m in members):
                continue
            chief = member.chief and not has_chief
            has_chief = has_chief or chief
            db.session.add(TeamMember(project_id=project.id, user_id=user.id, duty=member.duty, is_chief_servant=chief, entered_on=entered))
            report.add("team members")
        db.session.flush()
