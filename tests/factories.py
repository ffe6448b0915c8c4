"""factory_boy factories for the models; ``bind`` points them at the test's session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import Flask
from sqlalchemy.orm import Session

from crm.auth.passwords import hash_password
from crm.domain.access import Role
from crm.domain.units import UnitType
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
