"""Factories: factory_boy for units and users (``bind`` points them at the test's session); plain functions
for companies, leads, projects and issues, which hang off the world's units, users and company.

The functions add a valid record with the fields the tests do not care about filled in, flush it (so it has
its id) and leave the commit to the caller; keyword arguments override any field.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import Flask
from sqlalchemy.orm import Session

from crm.auth.passwords import hash_password
from crm.companies.models import Company
from crm.companies.services import refresh_derived
from crm.domain.access import Role
from crm.domain.issues import IssueCategory, IssueLevel, IssueSource
from crm.domain.leads import LeadSource
from crm.domain.pipeline import Stage
from crm.domain.units import UnitType
from crm.issues.models import Issue
from crm.leads.models import Lead
from crm.projects.models import Project
from crm.units.models import Unit
from crm.users.models import User

_PASSWORD_HASHES: dict[int, str] = {}


def test_password_hash() -> str:
    return _PASSWORD_HASHES[0]


class UnitFactory(SQLAlchemyModelFactory):
    class Meta:
        model = Unit
        sqlalchemy_session_persistence = "flush"

    name = factory.Sequence(lambda n: f"测试单位{n}")
    type = UnitType.BRANCH
    parent = None


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_persistence = "flush"

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.STAFF
    unit = factory.SubFactory(UnitFactory)
    password_hash = factory.LazyFunction(test_password_hash)
    is_active = True


ALL = (UnitFactory, UserFactory)


def bind(session: Session, app: Flask) -> None:
    from tests.conftest import TEST_PASSWORD

    if not _PASSWORD_HASHES:
        with app.app_context():
            _PASSWORD_HASHES[0] = hash_password(TEST_PASSWORD)
    for factory_class in ALL:
        factory_class._meta.sqlalchemy_session = session


_SEQUENCE = itertools.count(1)  # unique names and issue numbers across a run


def new_company(app_session: Session, name: str | None = None, **fields: Any) -> Company:
    """A company as the services create one, with its search text and blocking keys. ``refresh_derived``
    writes through ``db.session``: pass the app's own session (``app_session`` or ``tests.helpers.in_app``)."""
    company = Company(name=name or f"测试企业{next(_SEQUENCE)}有限公司", **fields)
    app_session.add(company)
    app_session.flush()
    refresh_derived(company)
    app_session.flush()
    return company


def new_lead(session: Session, world: Any, *, unit: str = "branch_a1", owner: str = "staff", **fields: Any) -> Lead:
    """A lead of the world's company, in ``unit``, followed by ``owner`` (keys of the world)."""
    lead = Lead(**{
        "name": f"测试线索{next(_SEQUENCE)}", "company_id": world.records["company"], "unit_id": world.units[unit].id,
        "owner_id": world.users[owner].id, "source": LeadSource.WALK_IN, "received_on": date(2026, 1, 1), **fields,
    })
    session.add(lead)
    session.flush()
    return lead


def new_project(session: Session, world: Any, *, unit: str = "branch_a1", owner: str = "staff", **fields: Any) -> Project:
    """A signed project of the world's company, in ``unit``, tracked by ``owner`` (keys of the world)."""
    project = Project(**{
        "name": f"测试项目{next(_SEQUENCE)}", "company_id": world.records["company"], "unit_id": world.units[unit].id,
        "owner_id": world.users[owner].id, "stage": Stage.SIGNED, **fields,
    })
    session.add(project)
    session.flush()
    return project


def new_issue(session: Session, *, unit_id: int, **fields: Any) -> Issue:
    """A new issue of unit ``unit_id``, which is also the one responsible for it unless told otherwise."""
    issue = Issue(**{
        "number": f"F-{next(_SEQUENCE):05d}", "unit_id": unit_id, "description": "测试问题", "category": IssueCategory.LAND,
        "source": IssueSource.WEEKLY_INSPECTION, "raised_on": date(2025, 1, 1), "responsible_unit_id": unit_id,
        "responsible_person": "局长", "deadline": date(2025, 2, 1), "level": IssueLevel.ZONE, **fields,
    })
    session.add(issue)
    session.flush()
    return issue
