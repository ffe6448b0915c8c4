"""The seed's leads (DOMAIN §d) and follow-ups, dated relative to the day the demo is loaded.

The 东莞 trip of mid-February 2025 (县长 leading) produced the 台威 lead (以商招商 via the
东莞市台商商会) and the 海威 intention; 荣格 came through a framework agreement in March.
Follow-ups are placed so that 我的待办 always has overdue, today's and this week's items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.catalog.models import IndustryChain
from crm.companies.models import Company
from crm.db import utcnow
from crm.domain.calendar import anchored
from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.extensions import db
from crm.followups.models import FollowUp
from crm.leads.models import Lead
from crm.users.models import User


@dataclass(frozen=True)
class DemoLead:
    name: str
    company: str
    owner: str  # username
    source: LeadSource
    received: date  # as in the reports
    amount: int | None
    chain: str | None
    grade: LeadGrade
    status: LeadStatus = LeadStatus.FOLLOWING
    referrer: str | None = None
    construction: str | None = None
    land_mu: int | None = None


LEADS = [
    DemoLead("台威运动用品项目", "台威运动用品有限公司", "staff1", LeadSource.BUSINESS_REFERRAL, date(2025, 2, 15), 10_000, "轻纺",
             LeadGrade.B, LeadStatus.NEW, referrer="东莞市台商商会", construction="运动服装及用品生产线", land_mu=60),
    DemoLead("海威特种布项目", "海威纺织有限公司", "staff1", LeadSource.LEADER_LED, date(2025, 2, 15), 30_000, "轻纺",
             LeadGrade.A, construction="特种工业用布生产", land_mu=120),
    DemoLead("荣格集团项目", "深圳荣格集团有限公司", "staff2", LeadSource.CHAIN, date(2025, 3, 10), None, None, LeadGrade.A),
]

# (lead name, days from today, note, done)
FOLLOW_UPS = [
    ("海威特种布项目", -3, "催海威提交正式投资协议书修改意见", False),
    ("台威运动用品项目", 0, "电话联系台威林董事长，确认考察行程", False),
    ("海威特种布项目", 1, "陪同海威陈总看南区地块", False),  # tomorrow: "this week" unless today is Sunday
    ("荣格集团项目", 4, "约荣格集团来鲁山考察", False),
    ("台威运动用品项目", 12, "准备台威项目研判材料", False),
    ("荣格集团项目", -1, "跟进荣格集团投资协议条款", False),
    ("海威特种布项目", -20, "向海威介绍轻纺产业政策", True),
]


def load_leads(report, today: date) -> None:  # type: ignore[no-untyped-def]
    """Idempotent by (lead name, unit)."""
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    companies = {c.name: c for c in db.session.scalars(sa.select(Company))}
    chains = {c.name: c for c in db.session.scalars(sa.select(IndustryChain))}
    created: dict[str, Lead] = {}
    for spec in LEADS:
        owner = users.get(spec.owner)
        company = companies.get(spec.company)
        if owner is None or company is None:
            continue
        exists = db.session.scalar(sa.select(Lead.id).where(Lead.name == spec.name, Lead.unit_id == owner.unit_id))
        if exists:
            continue
        lead = Lead(
            name=spec.name, company_id=company.id, unit_id=owner.unit_id, owner_id=owner.id, source=spec.source,
            referrer=spec.referrer, amount_low=Decimal(spec.amount) if spec.amount else None,
            amount_high=Decimal(spec.amount) if spec.amount else None, construction=spec.construction,
            land_mu=Decimal(spec.land_mu) if spec.land_mu else None, chain_id=chains[spec.chain].id if spec.chain else None,
            grade=spec.grade, received_on=anchored(spec.received, today), status=spec.status,
        )
        db.session.add(lead)
        created[spec.name] = lead
        report.add("leads")
    db.session.flush()
    for lead_name, offset, note, done in FOLLOW_UPS:
        lead = created.get(lead_name)
        if lead is None:
            continue  # only for leads created now, so a second load adds nothing
        task = FollowUp(unit_id=lead.unit_id, assignee_id=lead.owner_id, created_by_id=lead.owner_id, lead_id=lead.id,
                        company_id=lead.company_id, due_on=today + timedelta(days=offset), note=note)
        if done:
            task.done_at = utcnow()
            task.done_note = "企业表示有兴趣，约定再谈"
            lead.last_activity_on = task.due_on
        db.session.add(task)
        report.add("follow-ups")
    db.session.flush()


def load_visits(report, today: date) -> None:  # type: ignore[no-untyped-def]
    """The 东莞 trip of mid-February 2025: 领导带队招商, the 县长 leading, three companies visited."""
    from crm.domain.visits import LeaderKind, VisitOutcome, VisitType
    from crm.visits.models import Visit, VisitCompany

    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    staff1, chief1, leader = users.get("staff1"), users.get("chief1"), users.get("leader")
    if staff1 is None or chief1 is None or leader is None:
        return
    start = anchored(date(2025, 2, 15), today)
    exists = db.session.scalar(sa.select(Visit.id).where(Visit.unit_id == staff1.unit_id, Visit.start_on == start, Visit.destination == "广东东莞"))
    if exists:
        return
    companies = {c.name: c for c in db.session.scalars(sa.select(Company))}
    stops = [
        ("东莞市台商商会", "黄秘书长", "秘书长"),
        ("海威纺织有限公司", "陈总", "总经理"),
        ("台威运动用品有限公司", "林董事长", "董事长"),
    ]
    leads = db.session.scalars(sa.select(Lead).where(Lead.unit_id == staff1.unit_id, Lead.name.in_(["台威运动用品项目", "海威特种布项目"]))).all()
    visit = Visit(
        unit_id=staff1.unit_id, type=VisitType.LEADER_LED, start_on=start, end_on=start + timedelta(days=2),
        destination="广东东莞", leader_id=leader.id, leader_kind=LeaderKind.PARTY_GOVERNMENT_HEAD,
        outcome=VisitOutcome.INTENT, created_by_id=staff1.id,
        notes="县长带队赴东莞，拜访东莞市台商商会、海威纺织、台威运动用品。与海威纺织达成 3 亿元特种布项目投资意向；台威经台商商会引荐，有意来鲁山投资。",
        stops=[VisitCompany(company_id=companies[n].id, contact_name=c, contact_title=t) for n, c, t in stops if n in companies],
        participants=[staff1, chief1],
        leads=list(leads),
    )
    db.session.add(visit)
    report.add("visits")
    db.session.flush()
