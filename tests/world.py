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
