"""The demo scenario's 安商 (issue 17): the seed's "帮助企业解决用电、融资担保、人才引进和招工培训" as four 企业诉求
at each step (dated relative to the load day), two companies under 重点企业挂牌保护 — 尧盛针织 with its open 用电
诉求 — and 长垣's 宁静日 for the county (the 1st to the 20th of each month). Idempotent by 诉求事项 and company."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.aftercare.models import CompanyProtection, CompanyRequest
from crm.aftercare.quiet import quiet_row, save_quiet_days
from crm.companies.models import Company
from crm.domain.aftercare import RequestKind, RequestStatus, Satisfaction
from crm.domain.calendar import anchored
from crm.domain.issues import IssueCategory
from crm.extensions import db
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

COUNTY = "鲁山县"
KEEPER = "第一招商分局"  # the unit that 受理s them (staff1 and chief1 work them)
QUIET_DAYS = frozenset(range(1, 21))


@dataclass(frozen=True)
class DemoRequest:
    company: str
    subject: str
    category: IssueCategory
    received: date  # as of the seed report (2025-05-21)
    unit: str  # 责任单位
    person: str
    deadline: date
    status: RequestStatus
    done: date | None = None
    result: str | None = None
    satisfaction: Satisfaction | None = None
    kind: RequestKind = RequestKind.REQUEST


REQUESTS = [
    DemoRequest("鲁山县尧盛针织有限公司", "新上织机用电增容，申请尽快完成变压器报装", IssueCategory.UTILITIES, date(2025, 5, 6),
                "国网鲁山县供电公司", "局长", date(2025, 5, 16), RequestStatus.HANDLING),
    DemoRequest("鲁吉兰美体内衣有限公司", "流动资金紧张，申请县融资担保公司提供贷款担保", IssueCategory.FINANCING, date(2025, 5, 12),
                "鲁山县产业集聚区管委会", "主任", date(2025, 6, 10), RequestStatus.ACCEPTED),
    DemoRequest("海威纺织有限公司", "引进纺织工艺技术人才，申请落实人才公寓和安家补贴", IssueCategory.TALENT, date(2025, 4, 14),
                "鲁山县人力资源和社会保障局", "局长", date(2025, 5, 14), RequestStatus.DONE, date(2025, 5, 9),
                "已落实人才公寓10套，安家补贴按县人才政策兑现"),
    DemoRequest("台威运动用品有限公司", "熟练缝纫工缺口约80人，请求组织招工和岗前培训", IssueCategory.HIRING, date(2025, 3, 24),
                "鲁山县人力资源和社会保障局", "局长", date(2025, 4, 24), RequestStatus.REVISITED, date(2025, 4, 28),
                "专场招聘会和订单式培训已补齐用工缺口", Satisfaction.MOSTLY, RequestKind.REQUEST),
]

# (company, 分包县级领导's username, 联系单位, 挂牌日期 as of the seed report)
PROTECTIONS = [
    ("鲁山县尧盛针织有限公司", "deputy_industry", "鲁山县产业集聚区管委会", date(2025, 3, 1)),
    ("海威纺织有限公司", "leader2", "第一招商分局", date(2025, 3, 1)),
]


def load_aftercare(report: "LoadReport", today: date) -> None:
    units = {u.name: u for u in db.session.scalars(sa.select(Unit))}
    companies = {c.name: c for c in db.session.scalars(sa.select(Company))}
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    county, keeper = units.get(COUNTY), units.get(KEEPER)
    if county is None or keeper is None:
        return
    staff = users.get("staff1")
    existing = set(db.session.scalars(sa.select(CompanyRequest.subject)))
    for spec in REQUESTS:
        company, unit = companies.get(spec.company), units.get(spec.unit)
        if spec.subject in existing or company is None or unit is None:
            continue
        db.session.add(CompanyRequest(
            unit_id=keeper.id, company_id=company.id, kind=spec.kind, category=spec.category, subject=spec.subject,
            received_on=anchored(spec.received, today), responsible_unit_id=unit.id, responsible_person=spec.person,
            deadline=anchored(spec.deadline, today), status=spec.status, done_on=anchored(spec.done, today) if spec.done else None,
            result=spec.result, satisfaction=spec.satisfaction,
            revisited_on=anchored(spec.done, today) if spec.satisfaction and spec.done else None,
            created_by_id=staff.id if staff else None))
        report.add("company requests")
    listed = set(db.session.scalars(sa.select(CompanyProtection.company_id).where(CompanyProtection.unit_id == county.id)))
    for name, leader, contact, day in PROTECTIONS:
        company, user, unit = companies.get(name), users.get(leader), units.get(contact)
        if company is None or user is None or unit is None or company.id in listed:
            continue
        db.session.add(CompanyProtection(unit_id=county.id, company_id=company.id, listed_on=anchored(day, today), leader_id=user.id,
                                         contact_unit_id=unit.id, notes="重点企业挂牌保护，一企一策"))
        report.add("protected companies")
    if quiet_row(county.id) is None:
        save_quiet_days(county.id, QUIET_DAYS, None)
        report.add("quiet day settings")
    db.session.flush()
