"""The scope as SQL: a subtree is tested by its path, never by a list of unit ids, and the criteria never
re-enter their own subqueries; ``units.path`` follows every change of the tree."""

from __future__ import annotations

import re
import pytest
import sqlalchemy as sa

from crm.access.policy import build_actor
from crm.access.scoping import scoped_as
from crm.domain.units import UnitType
from crm.units.models import Unit
from crm.users.models import User
from tests.factories import UnitFactory
from tests.helpers import count_statements


def _bound_values(parameters: object) -> int:
    if isinstance(parameters, dict):
        return len(parameters)
    return len(parameters) if isinstance(parameters, (list, tuple)) else 0


def test_paths_are_written_for_new_and_moved_units(session, world):
    county, bureau, branch = (world.units[k] for k in ("county_a", "bureau_a", "branch_a1"))
    assert county.path == f"/{county.id}/"
    assert branch.path == f"/{county.id}/{bureau.id}/{branch.id}/"
    assert world.units["squad_a1"].path == f"{branch.path}{world.units['squad_a1'].id}/"
    # Moving a unit moves its whole subtree.
    branch.parent_id = world.units["county_b"].id
    session.flush()
    stored = dict(session.execute(sa.select(Unit.id, Unit.path)).all())
    assert stored[branch.id] == f"/{world.units['county_b'].id}/{branch.id}/"
    assert stored[world.units["squad_a1"].id] == f"{stored[branch.id]}{world.units['squad_a1'].id}/"
    assert branch.path == stored[branch.id]  # the object in the session says so too


@pytest.mark.parametrize("who", ["reviewer", "leader", "admin"])
def test_a_subtree_costs_the_same_sql_however_many_units_it_holds(app, session, world, who):
    """Forty more units below the actor: not one more bound value in any statement of a scoped read."""
    from crm.projects.models import StageEvent
    from crm.visits.models import Visit

    def bound_values() -> list[int]:
        with app.app_context():
            actor = build_actor(session.get(User, world.users[who].id))
        with scoped_as(session, actor), count_statements(app) as seen:
            session.scalars(sa.select(Visit)).all()
            session.scalars(sa.select(StageEvent)).all()
            session.scalars(sa.select(User).execution_options(populate_existing=True)).all()
        return [_bound_values(p) for sql, p in seen if sql.lstrip().upper().startswith("SELECT")]

    before = bound_values()
    for n in range(40):
        UnitFactory(name=f"新增分局{n}", type=UnitType.BRANCH, parent=world.units["bureau_a"])
    session.flush()
    assert bound_values() == before


def test_the_criteria_do_not_re_enter_their_own_subqueries(app, session, world):
    """Loading accounts as a 服务专班 member from another county: a few subqueries, not a tree of them."""
    from datetime import date

    from crm.assignments.models import TeamMember

    staff_b = world.users["staff_b"]
    project_id = world.records["assignments_project"]  # branch_a1's, in the other county
    session.add(TeamMember(project_id=project_id, user_id=staff_b.id, entered_on=date(2025, 3, 1)))
    session.flush()
    with app.app_context():
        actor = build_actor(session.get(User, staff_b.id))
    assert project_id in actor.team_projects
    with scoped_as(session, actor), count_statements(app) as seen:
        names = {u.username for u in session.scalars(sa.select(User).execution_options(populate_existing=True))}
    assert {"staff_b1", "staff_a1"} <= names  # the project's 跟踪人, seen through the team
    assert "staff_a2" not in names
    sql = seen[-1][0]
    assert len(re.findall(r"\bSELECT\b", sql, flags=re.I)) <= 4, sql
    assert len(sql) < 3_000, sql


def test_a_subtree_of_every_unit_needs_no_condition(app, session, world):
    """Alone at the top of the installation, an actor's subtree is everything: SQL asks for no unit at all. A
    second tree beside it brings the condition back."""
    from crm.access.reach import subtree_units
    from crm.users.models import User

    for key in ("county_a", "county_b"):
        world.units[key].parent_id = None
    session.flush()
    with app.app_context():
        a = build_actor(session.get(User, world.users["admin"].id))
    assert not a.subtree_is_everything  # county B is another tree
    city = UnitFactory(name="平顶山市", type=UnitType.CITY)
    for key in ("county_a", "county_b"):
        world.units[key].parent = city
    from crm.domain.access import Role
    from tests.factories import UserFactory

    mayor_admin = UserFactory(role=Role.ADMIN, unit=city)
    session.flush()
    with app.app_context():
        everything = build_actor(session.get(User, mayor_admin.id))
        county = build_actor(session.get(User, world.users["admin"].id))
    assert everything.subtree_is_everything and str(subtree_units(everything).clause(User.unit_id)) == "true"
    assert not county.subtree_is_everything and "LIKE" in str(subtree_units(county).clause(User.unit_id))
    with scoped_as(session, everything):
        assert {u.username for u in session.scalars(sa.select(User))} >= {"staff_b1", "staff_a1"}
