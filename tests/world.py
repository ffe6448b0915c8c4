"""A small organisation used by the access tests.

    county_a (county)                      county_b (county)
      ├─ bureau_a (bureau)                   └─ branch_b1 (branch)
      │    ├─ branch_a1 (branch)
      │    │    └─ squad_a1 (squad)   ← inside branch_a1's subtree
      │    └─ branch_a2 (branch)
      └─ ...

Users: one per role in county A, plus colleagues for "own / other / subtree" cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy.orm import Session

from crm.domain.access import Role
from crm.domain.units import LeaderTitle, UnitType
from crm.units.models import Unit
from crm.users.models import User
from tests.factories import UnitFactory, UserFactory


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)  # ids of shared records, for URL templates


def build_world(session: Session, app: Flask) -> World:
    w = World()
    u = w.units
    u["county_a"] = UnitFactory(name="甲县", type=UnitType.COUNTY)
    u["bureau_a"] = UnitFactory(name="甲县招商局", type=UnitType.BUREAU, parent=u["county_a"])
    u["branch_a1"] = UnitFactory(name="甲县第一招商分局", parent=u["bureau_a"])
    u["squad_a1"] = UnitFactory(name="甲县珠三角小分队", type=UnitType.SQUAD, parent=u["branch_a1"])
    u["branch_a2"] = UnitFactory(name="甲县第二招商分局", parent=u["bureau_a"])
    u["county_b"] = UnitFactory(name="乙县", type=UnitType.COUNTY)
    u["branch_b1"] = UnitFactory(name="乙县第一招商分局", parent=u["county_b"])

    people = {
        "staff": ("staff_a1", Role.STAFF, "branch_a1", None),
        "chief": ("chief_a1", Role.CHIEF, "branch_a1", None),
        "reviewer": ("reviewer_a", Role.REVIEWER, "bureau_a", None),
        "leader": ("leader_a", Role.LEADER, "county_a", LeaderTitle.COUNTY_HEAD),
        "admin": ("admin_a", Role.ADMIN, "county_a", None),
        "staff_a2": ("staff_a2", Role.STAFF, "branch_a2", None),
        "staff_squad": ("staff_sq", Role.STAFF, "squad_a1", None),
        "admin_b": ("admin_b", Role.ADMIN, "county_b", None),
        "staff_b": ("staff_b1", Role.STAFF, "branch_b1", None),
        "admin_bureau": ("admin_bu", Role.ADMIN, "bureau_a", None),
    }
    for key, (username, role, unit_key, title) in people.items():
        w.users[key] = UserFactory(username=username, display_name=f"{username}姓名", role=role, unit=u[unit_key], title=title)
    session.commit()
    _shared_records(app, w)
    _unit_records(app, w)
    _agreement_records(app, w)
    from tests.world_parts import build_parts

    build_parts(app, w)
    return w


def _shared_records(app: Flask, w: World) -> None:
    """Master data every role can reach: two similar companies queued for review, a contact, a chain."""
    from crm.access.scoping import SYSTEM, set_scope
    from crm.catalog.models import IndustryChain
    from crm.companies.duplicates import queue_pair
    from crm.companies.models import Company, Contact
    from crm.companies.services import refresh_derived
    from crm.extensions import db

    with app.app_context():  # the app's session shares the test's connection (conftest.isolated)
        set_scope(db.session, SYSTEM)
        chain = IndustryChain(name="轻纺")
        first, second = Company(name="荣格精工有限公司"), Company(name="深圳市荣格精工有限公司")
        db.session.add_all([chain, first, second])
        db.session.flush()
        for company in (first, second):
            refresh_derived(company)
        contact = Contact(company_id=first.id, name="陈总")
        db.session.add(contact)
        db.session.flush()
        group = queue_pair(first, second)
        db.session.commit()
        w.records.update(company=first.id, other_company=second.id, contact=contact.id, chain=chain.id, group=group.id)


def _unit_records(app: Flask, w: World) -> None:
    """Records owned by branch_a1 (staff_a1's unit): a lead with an open follow-up."""
    from datetime import date

    from crm.access.scoping import SYSTEM, set_scope
    from crm.domain.leads import LeadSource
    from crm.extensions import db
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead

    with app.app_context():
        set_scope(db.session, SYSTEM)
        lead = Lead(
            name="荣格精工扩产线索",
            company_id=w.records["company"],
            unit_id=w.units["branch_a1"].id,
            owner_id=w.users["staff"].id,
            source=LeadSource.BUSINESS_REFERRAL,
            received_on=date(2026, 11, 1),
        )
        db.session.add(lead)
        db.session.flush()
        task = FollowUp(
            unit_id=lead.unit_id,
            assignee_id=w.users["staff"].id,
            lead_id=lead.id,
            company_id=lead.company_id,
            due_on=date(2026, 11, 20),
            note="电话回访",
        )
        db.session.add(task)
        db.session.flush()
        from crm.domain.visits import VisitOutcome, VisitType
        from crm.visits.models import Visit, VisitCompany

        visit = Visit(
            unit_id=lead.unit_id,
            type=VisitType.OUTBOUND,
            start_on=date(2026, 11, 18),
            outcome=VisitOutcome.INTENT,
            stops=[VisitCompany(company_id=lead.company_id, contact_name="王总", contact_title="总经理")],
        )
        db.session.add(visit)
        db.session.flush()
        from crm.domain.pipeline import Stage
        from crm.projects.models import Project

        project = Project(unit_id=lead.unit_id, owner_id=lead.owner_id, name="荣格精工扩产项目", company_id=lead.company_id, stage=Stage.TALKS)
        db.session.add(project)
        db.session.commit()
        w.records.update(lead=lead.id, follow_up=task.id, visit=visit.id, project=project.id)


# The smallest valid PNG (1×1 pixel): what the world attaches to its agreements.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _agreement_records(app: Flask, w: World) -> None:
    """An agreement, with a scanned page, in each of branch_a1 (staff's and chief's unit), branch_a2
    (same county, another branch) and branch_b1 (another county)."""
    from datetime import date
    from decimal import Decimal
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from crm.access.scoping import SYSTEM, set_scope
    from crm.agreements.models import Agreement
    from crm.attachments.services import store
    from crm.companies.models import Company
    from crm.companies.services import refresh_derived
    from crm.domain.agreements import AgreementType
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        company = Company(name="星河协议测试实业有限公司")
        db.session.add(company)
        db.session.flush()
        refresh_derived(company)
        w.records["agreement_company"] = company.id
        for key, unit, user in (("agreement", "branch_a1", "staff"), ("agreement_a2", "branch_a2", "staff_a2"), ("agreement_b", "branch_b1", "staff_b")):
            agreement = Agreement(
                type=AgreementType.CONTRACT,
                signed_on=date(2025, 4, 18),
                party_a="甲县人民政府",
                company_id=company.id,
                investment_amount=Decimal("30000"),
                attracted_amount=Decimal("30000"),
                unit_id=w.units[unit].id,
                created_by_id=w.users[user].id,
                name=f"{unit}投资协议书",
            )
            db.session.add(agreement)
            db.session.flush()
            scan = store(FileStorage(BytesIO(TINY_PNG), filename="协议扫描件.png"), agreement, w.users[user].id)
            w.records.update({key: agreement.id, f"{key}_file": scan.id})
        db.session.commit()
