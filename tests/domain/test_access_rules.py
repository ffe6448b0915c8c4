"""The access matrix at the level of the pure rules: role × where × action.

Expectations are written out by hand (not derived from RULES), so a change to
the rules that alters who may do what fails here.
"""

from __future__ import annotations

import pytest

from crm.domain.access import (
    Action,
    Actor,
    Gate,
    Reach,
    Resource,
    Role,
    Target,
    can,
    holds,
    passes,
    reaches,
    subtree_of,
    visible_unit_ids,
    would_create_cycle,
)

# Tree:  1 county ─ 2 bureau ─ 3 branch ─ 4 squad
#                          └─ 5 branch
#        9 other county ─ 10 branch
PARENTS = {1: None, 2: 1, 3: 2, 4: 3, 5: 2, 9: None, 10: 9}
HOME_UNIT = {Role.STAFF: 3, Role.CHIEF: 3, Role.REVIEWER: 2, Role.LEADER: 1, Role.ADMIN: 1}

# Where the target record lives, relative to the actor.
OWN, SUB, SIBLING, OTHER = "own", "subtree", "sibling", "other county"


def actor(role: Role) -> Actor:
    unit = HOME_UNIT[role]
    return Actor(user_id=100, role=role, unit_id=unit, subtree=subtree_of(unit, PARENTS))


def unit_for(role: Role, where: str) -> int:
    home = HOME_UNIT[role]
    return {
        OWN: home,
        SUB: {3: 4, 2: 3, 1: 2}[home],
        SIBLING: {3: 5, 2: 9, 1: 9}[home],  # for the county-level roles "sibling" is the other county
        OTHER: 10,
    }[where]


V, C, E, D, AS, RV, M, CM, MG, H = (
    Action.VIEW,
    Action.CREATE,
    Action.EDIT,
    Action.DELETE,
    Action.ASSIGN,
    Action.REVIEW,
    Action.MERGE,
    Action.COMMENT,
    Action.MANAGE,
    Action.VIEW_HISTORY,
)

UNIT_RECORD_EXPECTED = {
    # role: {where: allowed actions}
    Role.STAFF: {OWN: {V, C, E, H}, SUB: set(), SIBLING: set(), OTHER: set()},
    Role.CHIEF: {OWN: {V, C, E, H, AS, D}, SUB: set(), SIBLING: set(), OTHER: set()},
    Role.REVIEWER: {OWN: {V, H, RV}, SUB: {V, H, RV}, SIBLING: set(), OTHER: set()},
    Role.LEADER: {OWN: {V, H, CM}, SUB: {V, H, CM}, SIBLING: set(), OTHER: set()},
    Role.ADMIN: {OWN: {V, H}, SUB: {V, H}, SIBLING: set(), OTHER: set()},
}

ACCOUNT_EXPECTED = {
    Role.STAFF: {OWN: {V}, SUB: set(), SIBLING: set(), OTHER: set()},
    Role.CHIEF: {OWN: {V}, SUB: set(), SIBLING: set(), OTHER: set()},
    Role.REVIEWER: {OWN: {V}, SUB: {V}, SIBLING: set(), OTHER: set()},
    Role.LEADER: {OWN: {V}, SUB: {V}, SIBLING: set(), OTHER: set()},
    Role.ADMIN: {OWN: {V, MG, H}, SUB: {V, MG, H}, SIBLING: set(), OTHER: set()},
}

UNIT_EXPECTED = {
    Role.STAFF: {OWN: {V}, SUB: {V}, SIBLING: {V}, OTHER: {V}},
    Role.CHIEF: {OWN: {V}, SUB: {V}, SIBLING: {V}, OTHER: {V}},
    Role.REVIEWER: {OWN: {V}, SUB: {V}, SIBLING: {V}, OTHER: {V}},
    Role.LEADER: {OWN: {V}, SUB: {V}, SIBLING: {V}, OTHER: {V}},
    Role.ADMIN: {OWN: {V, MG, H}, SUB: {V, MG, H}, SIBLING: {V}, OTHER: {V}},
}

MASTER_EXPECTED = {
    Role.STAFF: {V, C, E, H},
    Role.CHIEF: {V, C, E, H},
    Role.REVIEWER: {V, C, E, H, M},
    Role.LEADER: {V, H},
    Role.ADMIN: {V, C, E, H, M},
}

WHERE = [OWN, SUB, SIBLING, OTHER]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("action", list(Action))
def test_unit_records(role: Role, where: str, action: Action) -> None:
    target = Target(Resource.UNIT_RECORD, unit_id=unit_for(role, where))
    assert can(actor(role), action, target) == (action in UNIT_RECORD_EXPECTED[role][where])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("action", list(Action))
def test_accounts_of_others(role: Role, where: str, action: Action) -> None:
    target = Target(Resource.ACCOUNT, unit_id=unit_for(role, where), account_id=999)
    assert can(actor(role), action, target) == (action in ACCOUNT_EXPECTED[role][where])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_own_account(role: Role, action: Action) -> None:
    me = actor(role)
    target = Target(Resource.ACCOUNT, unit_id=me.unit_id, account_id=me.user_id)
    expected = {V, E} | ACCOUNT_EXPECTED[role][OWN]
    assert can(me, action, target) == (action in expected)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("action", list(Action))
def test_units(role: Role, where: str, action: Action) -> None:
    target = Target(Resource.UNIT, unit_id=unit_for(role, where))
    assert can(actor(role), action, target) == (action in UNIT_EXPECTED[role][where])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_master_data_is_shared(role: Role, action: Action) -> None:
    assert can(actor(role), action, Target(Resource.MASTER_DATA)) == (action in MASTER_EXPECTED[role])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("where", WHERE)
def test_audit_search_is_admin_only_within_subtree(role: Role, where: str) -> None:
    target = Target(Resource.AUDIT_LOG, unit_id=unit_for(role, where))
    expected = role is Role.ADMIN and where in (OWN, SUB)
    assert can(actor(role), Action.VIEW, target) == expected


def test_service_team_member_works_on_another_units_record() -> None:
    from dataclasses import replace

    staff = replace(actor(Role.STAFF), team_projects=frozenset({77}))
    record = Target(Resource.UNIT_RECORD, unit_id=10, project_id=77)
    assert can(staff, Action.VIEW, record)
    assert can(staff, Action.EDIT, record)
    assert not can(staff, Action.DELETE, record)
    assert not can(staff, Action.VIEW, Target(Resource.UNIT_RECORD, unit_id=10, project_id=78))
    assert not can(actor(Role.STAFF), Action.VIEW, record)  # not on that team


def test_nobody_signed_in_may_do_nothing() -> None:
    for resource in Resource:
        for action in Action:
            assert not can(None, action, Target(resource, unit_id=1))


def test_unknown_resource_fails_closed() -> None:
    class Fake:
        value = "fake"

    target = Target(Fake(), unit_id=3)  # type: ignore[arg-type]
    assert not any(can(actor(role), action, target) for role in Role for action in Action)


def test_record_without_unit_is_not_in_anyones_unit() -> None:
    for role in Role:
        assert not can(actor(role), Action.VIEW, Target(Resource.UNIT_RECORD, unit_id=None))


def test_visible_units() -> None:
    assert visible_unit_ids(Role.STAFF, 3, subtree_of(3, PARENTS)) == {3}
    assert visible_unit_ids(Role.CHIEF, 3, subtree_of(3, PARENTS)) == {3}
    assert visible_unit_ids(Role.REVIEWER, 2, subtree_of(2, PARENTS)) == {2, 3, 4, 5}
    assert visible_unit_ids(Role.LEADER, 1, subtree_of(1, PARENTS)) == {1, 2, 3, 4, 5}


def test_subtree_survives_a_cycle_in_bad_data() -> None:
    assert subtree_of(1, {1: 2, 2: 1}) == {1, 2}


def test_cycle_detection() -> None:
    assert would_create_cycle(2, 4, PARENTS)  # under its own grandchild
    assert would_create_cycle(2, 2, PARENTS)  # under itself
    assert not would_create_cycle(4, 5, PARENTS)
    assert not would_create_cycle(4, None, PARENTS)


def test_unit_paths() -> None:
    from crm.domain.access import unit_paths

    paths = unit_paths(PARENTS)
    assert paths == {1: "/1/", 2: "/1/2/", 3: "/1/2/3/", 4: "/1/2/3/4/", 5: "/1/2/5/", 9: "/9/", 10: "/9/10/"}
    for unit in PARENTS:  # a subtree is exactly the units whose path starts with the unit's own
        assert {u for u, p in paths.items() if p.startswith(paths[unit])} == subtree_of(unit, PARENTS)


def test_units_in_a_cycle_get_no_path() -> None:
    from crm.domain.access import unit_paths

    assert unit_paths({1: None, 2: 3, 3: 2, 4: 3, 5: 1}) == {1: "/1/", 5: "/1/5/"}


def test_actor_path_must_end_with_its_unit() -> None:
    Actor(user_id=1, role=Role.STAFF, unit_id=3, subtree=frozenset({3}), unit_path="/1/3/")
    Actor(user_id=1, role=Role.ADMIN, unit_id=3, subtree=frozenset({3}), unit_path="/")  # the command line: everything
    with pytest.raises(ValueError):
        Actor(user_id=1, role=Role.STAFF, unit_id=3, subtree=frozenset({3}), unit_path="/1/")
    with pytest.raises(ValueError):
        Actor(user_id=1, role=Role.STAFF, unit_id=3, subtree=frozenset({3}), unit_path="/1/13/")


def test_actor_must_contain_its_unit() -> None:
    with pytest.raises(ValueError):
        Actor(user_id=1, role=Role.STAFF, unit_id=3, subtree=frozenset({4}))


# --- a county's report configuration and the page gates ------------------------------------------------------
@pytest.mark.parametrize(
    "role, unit, allowed",
    [
        (Role.REVIEWER, 1, True),  # the 招商局's reviewer answers for the county above the 招商局
        (Role.REVIEWER, 3, True),  # and for the units below
        (Role.REVIEWER, 9, False),  # not for another county
        (Role.REVIEWER, 10, False),
        (Role.ADMIN, 1, True),
        (Role.ADMIN, 9, False),
        (Role.STAFF, 3, False),
        (Role.CHIEF, 3, False),
        (Role.LEADER, 1, False),
    ],
)
def test_who_manages_a_countys_reports(role, unit, allowed):
    someone = Actor(user_id=100, role=role, unit_id=HOME_UNIT[role], subtree=subtree_of(HOME_UNIT[role], PARENTS), county_id=1)
    assert can(someone, MG, Target(Resource.REPORT, unit_id=unit)) is allowed


@pytest.mark.parametrize(
    "role, unit, writes, reads",
    [
        # (role, the sheet's unit / the county read, may score there, may read there); the county is unit 1.
        (Role.CHIEF, 3, True, True),  # the 分局长's own unit
        (Role.CHIEF, 1, False, False),  # the county's results are not a chief's
        (Role.LEADER, 1, True, True),
        (Role.LEADER, 3, False, True),
        (Role.REVIEWER, 1, False, True),  # the 审核员 sits in unit 2, below the county it reads
        (Role.REVIEWER, 9, False, False),  # another county
        (Role.ADMIN, 1, False, True),
        (Role.STAFF, 3, False, False),
    ],
)
def test_who_scores_and_who_reads_the_service_ratings(role, unit, writes, reads):
    someone = Actor(user_id=100, role=role, unit_id=HOME_UNIT[role], subtree=subtree_of(HOME_UNIT[role], PARENTS), county_id=1)
    target = Target(Resource.SERVICE_RATING, unit_id=unit)
    assert (can(someone, Action.CREATE, target), can(someone, Action.VIEW, target)) == (writes, reads)


def test_a_reviewer_of_no_known_county_manages_only_below():
    reviewer = actor(Role.REVIEWER)  # county unknown
    assert not can(reviewer, MG, Target(Resource.REPORT, unit_id=1))
    assert can(reviewer, MG, Target(Resource.REPORT, unit_id=3))


GATE_ROLES = {
    Gate.TASKS: {Role.STAFF, Role.CHIEF},
    Gate.TEAM_TASKS: {Role.CHIEF},
    Gate.MY_PROJECTS: {Role.LEADER},
    Gate.REVIEW_QUEUE: {Role.REVIEWER, Role.ADMIN},
    Gate.FUND_REVIEW: {Role.REVIEWER},
    Gate.DUPLICATES: {Role.REVIEWER, Role.ADMIN},
    Gate.ADMINISTRATION: {Role.ADMIN},
    Gate.STAGE_CORRECTION: {Role.ADMIN},
    Gate.IMPORTS: {Role.STAFF, Role.CHIEF, Role.REVIEWER, Role.ADMIN},
    Gate.SERVICE_RATING: {Role.CHIEF, Role.LEADER, Role.REVIEWER, Role.ADMIN},
}


@pytest.mark.parametrize("gate", list(Gate))
def test_page_gates(gate):
    assert {role for role in Role if passes(actor(role), gate)} == GATE_ROLES[gate]
    assert not passes(None, gate)


def test_holds_and_reaches_read_the_grants():
    assert holds(Role.REVIEWER, RV, Resource.UNIT_RECORD) and not holds(Role.ADMIN, RV, Resource.UNIT_RECORD)
    assert reaches(Role.CHIEF, E, Resource.UNIT_RECORD) == {Reach.OWN_UNIT}
    assert reaches(Role.LEADER, E, Resource.UNIT_RECORD) == frozenset()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("action", list(Action))
def test_company_requests_are_kept_like_unit_records(role: Role, where: str, action: Action) -> None:
    """企业诉求: the unit that 受理s it works it; the county roles read it (the unit records' grants, by hand)."""
    target = Target(Resource.COMPANY_REQUEST, unit_id=unit_for(role, where))
    assert can(actor(role), action, target) == (action in UNIT_RECORD_EXPECTED[role][where])


@pytest.mark.parametrize(
    "role, unit, reads, keeps",
    [
        # (role, the list's county, may read, may add/edit); the county is unit 1, unit 9 another county.
        (Role.STAFF, 1, True, False),
        (Role.CHIEF, 1, True, False),
        (Role.LEADER, 1, True, False),
        (Role.REVIEWER, 1, True, True),  # the 招商局's 审核员 keeps the county's list
        (Role.ADMIN, 1, True, True),
        (Role.STAFF, 9, False, False),
        (Role.REVIEWER, 9, False, False),
        (Role.ADMIN, 9, False, False),
    ],
)
def test_who_reads_and_keeps_the_protection_list(role, unit, reads, keeps):
    someone = Actor(user_id=100, role=role, unit_id=HOME_UNIT[role], subtree=subtree_of(HOME_UNIT[role], PARENTS), county_id=1)
    target = Target(Resource.PROTECTION, unit_id=unit)
    assert can(someone, Action.VIEW, target) is reads
    assert can(someone, Action.CREATE, target) is keeps and can(someone, Action.EDIT, target) is keeps
    assert not can(someone, Action.DELETE, target)


def test_protection_list_of_an_unknown_county_is_nobodys_below_admin():
    assert not can(actor(Role.STAFF), Action.VIEW, Target(Resource.PROTECTION, unit_id=1))  # county unknown: fails closed


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("where", WHERE)
def test_an_assigned_request_is_handled_by_its_responsible_units_people_and_read_above(role: Role, where: str) -> None:
    """企业诉求 as its 责任单位 sees it (issue 17): staff and chiefs of that unit read and 办理 it; the county roles read
    those of their subtree; nobody else, and no other action."""
    target = Target(Resource.ASSIGNED_REQUEST, unit_id=unit_for(role, where))
    works = role in (Role.STAFF, Role.CHIEF) and where == OWN
    reads = works or (role in (Role.REVIEWER, Role.LEADER, Role.ADMIN) and where in (OWN, SUB))
    assert can(actor(role), Action.VIEW, target) == reads
    assert can(actor(role), Action.EDIT, target) == works
    for action in set(Action) - {Action.VIEW, Action.EDIT}:
        assert not can(actor(role), action, target)
