"""三个一: 纳入/退出, 分包县级领导 (one per project, the database insists too), 牵头单位, 服务专班 with
one 首席服务员, 推进方案, who may change what, the staffing flag, 我分包的项目 and the demo."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from crm.access.scoping import SYSTEM, set_scope
from crm.assignments.models import ProjectLeader, TeamMember
from crm.domain.access import Role
from crm.domain.pipeline import Stage
from crm.domain.units import LeaderTitle
from crm.extensions import db
from crm.projects.models import Project
from crm.users.models import User
from tests.factories import UserFactory, new_issue, new_project
from tests.helpers import Statement, count_statements

PAST = "2025-03-01"


# --- helpers ----------------------------------------------------------------------------------------
def leader_user(session, world, username="leader_b_a", title=LeaderTitle.DEPUTY_HEAD, **fields) -> User:  # type: ignore[no-untyped-def]
    user = UserFactory(username=username, display_name=f"{username}姓名", role=Role.LEADER, unit=world.units["county_a"], title=title, **fields)
    session.commit()
    return user


def project_of(session, project_id) -> Project:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.get(Project, project_id)


def active_rows(session, model, project_id):  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(sa.select(model).where(model.project_id == project_id, model.exited_on.is_(None)).order_by(model.id)))


def enter(client, session, project_id, **data):  # type: ignore[no-untyped-def]
    version = project_of(session, project_id).version
    return client.post(f"/projects/{project_id}/key/enter", data={"enter-version": str(version), **data})


def add_leader(client, project_id, leader_id, day=PAST):  # type: ignore[no-untyped-def]
    return client.post(f"/projects/{project_id}/leaders/new", data={"leader-leader_id": str(leader_id), "leader-entered_on": day})


def add_member(client, project_id, user_id, chief=False, duty="手续代办", day=PAST):  # type: ignore[no-untyped-def]
    data = {"member-user_id": str(user_id), "member-duty": duty, "member-entered_on": day}
    if chief:
        data["member-is_chief_servant"] = "y"
    return client.post(f"/projects/{project_id}/team/new", data=data)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def data_queries(statements: list[Statement]) -> list[str]:
    return [s.sql for s in statements if s.sql.lstrip().upper().startswith(("SELECT", "WITH"))]


# --- 纳入 / 退出 三个一 -------------------------------------------------------------------------------
def test_reviewer_enters_a_project_with_its_lead_unit(auth, client, session, world):
    pid = world.records["project"]
    auth.login_as("reviewer")
    page = text(client.get(f"/projects/{pid}"))
    assert "未纳入三个一" in page and f"/projects/{pid}/key/enter" in page
    response = enter(client, session, pid, **{"enter-lead_unit_id": str(world.units["bureau_a"].id)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/projects/{pid}#assignments")
    project = project_of(session, pid)
    assert project.is_key and project.lead_unit_id == world.units["bureau_a"].id
    page = text(client.get(f"/projects/{pid}"))
    assert "重点项目" in page and "甲县招商局" in page
    assert "未明确分包县级领导" in page and "未组建服务专班" in page  # the flag
    assert f"/projects/{pid}/leaders/new" in page and f"/projects/{pid}/team/new" in page  # the forms
    assert "未组建服务专班" in text(client.get(f"/projects/{pid}/leaders/new"))  # on this feature's pages too
    again = enter(client, session, pid)
    assert again.status_code == 400 and "该项目已纳入三个一" in text(again)


def test_lead_unit_of_another_county_is_refused(auth, client, session, world):
    pid = world.records["project"]
    auth.login_as("reviewer")
    response = enter(client, session, pid, **{"enter-lead_unit_id": str(world.units["branch_b1"].id)})
    assert response.status_code == 400 and "请从列表中选择" in text(response)
    assert not project_of(session, pid).is_key


def test_only_reviewers_decide_key_status_leaders_and_lead_unit(auth, client, session, world):
    pid = world.records["assignments_project"]
    for role in ("staff", "chief", "leader", "admin"):
        auth.login_as(role)
        assert enter(client, session, world.records["project"]).status_code == 403
        assert add_leader(client, pid, world.users["leader"].id).status_code == 403
        assert client.post(f"/projects/{pid}/lead-unit", data={"lead_unit_id": ""}).status_code == 403
        assert client.post(f"/projects/{pid}/key/exit", data={"reason": "x", "exited_on": PAST}).status_code == 403
    assert not project_of(session, world.records["project"]).is_key
    page = text(client.get(f"/projects/{pid}"))  # still admin: reads, no forms
    assert "退出三个一" not in page and "明确分包县级领导" not in page


def test_stale_key_form_is_refused(auth, client, session, world):
    pid = world.records["project"]
    auth.login_as("reviewer")
    version = project_of(session, pid).version
    project = session.get(Project, pid)
    project.plan = "他人刚修改"
    session.commit()
    response = client.post(f"/projects/{pid}/key/enter", data={"enter-version": str(version)})
    assert response.status_code == 400 and "已被他人修改" in text(response)
    assert not project_of(session, pid).is_key


def test_exit_closes_leaders_and_team_with_the_reason_and_keeps_history(auth, client, session, world):
    pid = world.records["assignments_project"]
    auth.login_as("reviewer")
    version = project_of(session, pid).version
    bad = client.post(f"/projects/{pid}/key/exit", data={"version": str(version), "exited_on": "2025-01-01", "reason": "已投产"})
    assert bad.status_code == 400 and "退出日期不能早于现有成员的纳入日期" in text(bad)
    assert 'value="已投产"' in text(bad)  # what was typed stays
    missing = client.post(f"/projects/{pid}/key/exit", data={"version": str(version), "exited_on": "2025-06-01", "reason": " "})
    assert missing.status_code == 400 and "请填写退出原因" in text(missing)
    response = client.post(f"/projects/{pid}/key/exit", data={"version": str(version), "exited_on": "2025-06-01", "reason": "已投产"})
    assert response.status_code == 302
    assert not project_of(session, pid).is_key
    assert active_rows(session, ProjectLeader, pid) == [] and active_rows(session, TeamMember, pid) == []
    leader = session.get(ProjectLeader, world.records["assignments_leader_row"])
    assert leader.exited_on == date(2025, 6, 1) and leader.exit_reason == "退出三个一：已投产"
    page = text(client.get(f"/projects/{pid}"))
    assert "纳入与退出记录" in page and "退出三个一：已投产" in page and "2025-06-01" in page
    assert "未明确分包县级领导" not in page  # no longer key: no flag


# --- 分包县级领导 ---------------------------------------------------------------------------------------
def test_one_leader_per_project_the_service_says_why(auth, client, session, world):
    pid = world.records["assignments_project"]
    second = leader_user(session, world)
    auth.login_as("reviewer")
    response = add_leader(client, pid, second.id)
    assert response.status_code == 400
    body = text(response)
    assert "一个项目只能明确一名分包县级领导" in body and "leader_a姓名" in body
    assert f'<option selected value="{second.id}"' in body or f'value="{second.id}" selected' in body  # kept
    assert [r.leader_id for r in active_rows(session, ProjectLeader, pid)] == [world.users["leader"].id]


def test_the_database_refuses_a_second_active_leader_in_slot_one(app, world, session):
    pid = world.records["assignments_project"]
    second = leader_user(session, world)
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(ProjectLeader(project_id=pid, leader_id=second.id, slot=1, entered_on=date(2025, 4, 1)))
    with pytest.raises(IntegrityError):  # the same leader twice, even in another slot
        with session.begin_nested():
            session.add(ProjectLeader(project_id=pid, leader_id=world.users["leader"].id, slot=2, entered_on=date(2025, 4, 1)))
    # An exited row does not count: history may hold many rows of slot 1.
    row = session.get(ProjectLeader, world.records["assignments_leader_row"])
    row.exited_on, row.exit_reason = date(2025, 4, 1), "调整分工"
    session.add(ProjectLeader(project_id=pid, leader_id=second.id, slot=1, entered_on=date(2025, 4, 1)))
    session.commit()


def test_a_lost_race_for_the_slot_reads_as_a_message(app, world, session, monkeypatch):
    """Two reviewers at once: both see a free slot 1; the database stops the second, the service explains."""
    from crm.assignments import services

    pid = new_project(session, world, is_key=True).id
    first, second = leader_user(session, world, "leader_x"), leader_user(session, world, "leader_y")
    with app.test_request_context():
        set_scope(db.session, SYSTEM)
        project = db.session.get(Project, pid)
        real = services.active_leaders
        monkeypatch.setattr(services, "active_leaders", lambda project_id: [])  # what the second request saw
        services.add_leader(project, first.id, date(2025, 4, 1), date(2025, 5, 1))
        with pytest.raises(services.AssignmentError) as refused:
            services.add_leader(project, second.id, date(2025, 4, 1), date(2025, 5, 1))
        monkeypatch.setattr(services, "active_leaders", real)
        assert refused.value.field == "leader_id" and "刚被他人修改" in refused.value.message
        assert [r.leader_id for r in services.active_leaders(pid)] == [first.id]  # the session goes on
        db.session.rollback()


def test_large_projects_may_have_more_leaders_by_setting(app, auth, client, session, world):
    pid = new_project(session, world, is_key=True, total_investment=Decimal("1000000")).id
    small = new_project(session, world, name="小项目", is_key=True, total_investment=Decimal("999999.99")).id
    extra = [leader_user(session, world, f"leader_{n}") for n in range(3)]
    saved = app.config["CRM_LARGE_PROJECT_LEADERS"]
    app.config["CRM_LARGE_PROJECT_LEADERS"] = 2
    try:
        auth.login_as("reviewer")
        assert add_leader(client, pid, extra[0].id).status_code == 302
        assert add_leader(client, pid, extra[1].id).status_code == 302
        third = add_leader(client, pid, extra[2].id)
        assert third.status_code == 400 and "已有 2 名分包县级领导" in text(third)
        assert sorted(r.slot for r in active_rows(session, ProjectLeader, pid)) == [1, 2]
        assert add_leader(client, small, extra[0].id).status_code == 302
        assert add_leader(client, small, extra[1].id).status_code == 400
    finally:
        app.config["CRM_LARGE_PROJECT_LEADERS"] = saved


def test_leader_must_be_an_active_leader_listed_once(auth, client, session, world):
    pid = new_project(session, world, is_key=True).id
    inactive = leader_user(session, world, "leader_gone", is_active=False)
    auth.login_as("reviewer")
    response = add_leader(client, pid, world.users["staff"].id)  # not on the list: a forged choice
    assert response.status_code == 400 and "请从列表中选择" in text(response)
    response = add_leader(client, pid, inactive.id)
    assert response.status_code == 400 and "请从列表中选择" in text(response)
    assert active_rows(session, ProjectLeader, pid) == []
    response = add_leader(client, pid, world.users["leader"].id, day="2999-01-01")
    assert response.status_code == 400 and "日期超出合理范围" in text(response)
    assert add_leader(client, pid, world.users["leader"].id).status_code == 302


def test_leader_service_refuses_non_leaders_inactive_and_duplicates(app, world, session):
    from crm.assignments.services import AssignmentError, add_leader as add

    pid = new_project(session, world, is_key=True).id
    inactive = leader_user(session, world, "leader_off", is_active=False)
    plain = new_project(session, world, name="非重点项目").id
    session.commit()
    today = date(2025, 5, 1)
    with app.test_request_context():
        set_scope(db.session, SYSTEM)
        project = db.session.get(Project, pid)
        for user_id, message in (
            (world.users["staff"].id, "分包领导须为县级领导账号"),
            (inactive.id, "该账号已停用"),
            (None, "请选择分包县级领导"),
        ):
            with pytest.raises(AssignmentError) as refused:
                add(project, user_id, date(2025, 4, 1), today)
            assert message in refused.value.message
        with pytest.raises(AssignmentError) as refused:
            add(project, world.users["leader"].id, today + timedelta(days=1), today)
        assert "日期不能晚于今天" in refused.value.message
        add(project, world.users["leader"].id, date(2025, 4, 1), today)
        with pytest.raises(AssignmentError) as refused:
            add(project, world.users["leader"].id, date(2025, 4, 1), today)
        assert "已是本项目的分包县级领导" in refused.value.message
        with pytest.raises(AssignmentError) as refused:
            add(db.session.get(Project, plain), world.users["leader"].id, date(2025, 4, 1), today)
        assert "尚未纳入三个一" in refused.value.message
        db.session.rollback()


def test_leader_exits_and_comes_back_as_a_new_row(auth, client, session, world):
    pid = world.records["assignments_project"]
    row_id = world.records["assignments_leader_row"]
    auth.login_as("reviewer")
    version = session.get(ProjectLeader, row_id).version
    early = client.post(f"/projects/{pid}/leaders/{row_id}/exit", data={"version": str(version), "exited_on": "2025-02-01", "exit_reason": "调整分工"})
    assert early.status_code == 400 and "退出日期不能早于纳入日期（2025-03-01）" in text(early)
    done = client.post(f"/projects/{pid}/leaders/{row_id}/exit", data={"version": str(version), "exited_on": "2025-04-01", "exit_reason": "调整分工"})
    assert done.status_code == 302
    stale = client.post(f"/projects/{pid}/leaders/{row_id}/exit", data={"version": str(version), "exited_on": "2025-04-01", "exit_reason": "x"})
    assert stale.status_code == 400 and "已被他人修改" in text(stale)
    assert "未明确分包县级领导" in text(client.get(f"/projects/{pid}"))
    assert add_leader(client, pid, world.users["leader"].id, day="2025-04-10").status_code == 302
    rows = list(session.scalars(sa.select(ProjectLeader).where(ProjectLeader.project_id == pid).order_by(ProjectLeader.id)))
    assert [(r.entered_on, r.exited_on) for r in rows] == [(date(2025, 3, 1), date(2025, 4, 1)), (date(2025, 4, 10), None)]
    page = text(client.get(f"/projects/{pid}"))
    assert "调整分工" in page and "2025-04-01" in page and "未明确分包县级领导" not in page


# --- 服务专班 -----------------------------------------------------------------------------------------
def test_chief_builds_the_team_with_exactly_one_chief_servant(auth, client, session, world):
    pid = new_project(session, world, is_key=True).id
    colleague = UserFactory(username="staff_a1b", display_name="分局同事", role=Role.STAFF, unit=world.units["branch_a1"])
    session.commit()
    auth.login_as("chief")
    assert add_member(client, pid, world.users["staff"].id).status_code == 302  # the first one becomes 首席服务员
    members = active_rows(session, TeamMember, pid)
    assert [(m.user_id, m.is_chief_servant) for m in members] == [(world.users["staff"].id, True)]
    twice = add_member(client, pid, world.users["staff"].id)
    assert twice.status_code == 400 and "已是服务专班成员" in text(twice)
    assert add_member(client, pid, colleague.id, chief=True, duty="要素保障").status_code == 302  # hands the role over
    members = active_rows(session, TeamMember, pid)
    assert [(m.user_id, m.is_chief_servant) for m in members] == [(world.users["staff"].id, False), (colleague.id, True)]
    chief_row = members[1]
    refuse = client.post(f"/projects/{pid}/team/{chief_row.id}/edit", data={"version": str(chief_row.version), "duty": "要素保障"})
    assert refuse.status_code == 400 and "服务专班须有一名首席服务员" in text(refuse)
    leave = client.post(f"/projects/{pid}/team/{chief_row.id}/exit", data={"version": str(chief_row.version), "exited_on": PAST, "exit_reason": "调岗"})
    assert leave.status_code == 400 and "请先把另一名成员设为首席服务员" in text(leave)
    other = members[0]
    swap = client.post(f"/projects/{pid}/team/{other.id}/edit", data={"version": str(other.version), "duty": "牵头协调", "is_chief_servant": "y"})
    assert swap.status_code == 302
    members = active_rows(session, TeamMember, pid)
    assert [(m.duty, m.is_chief_servant) for m in members] == [("牵头协调", True), ("要素保障", False)]
    page = text(client.get(f"/projects/{pid}"))
    assert "首席服务员" in page and "分局同事" in page and "未组建服务专班" not in page


def test_the_database_allows_one_active_chief_servant(world, session):
    pid = world.records["assignments_project"]
    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.add(TeamMember(project_id=pid, user_id=world.users["chief"].id, is_chief_servant=True, entered_on=date(2025, 4, 1)))


def test_chief_picks_only_own_unit_people_reviewer_may_pick_across_units(auth, client, session, world):
    pid = world.records["assignments_project"]
    auth.login_as("chief")

    def candidates(q: str) -> set[str]:
        return {o["text"] for o in client.get(f"/projects/{pid}/team/candidates?q={q}").get_json()["options"]}

    page = text(client.get(f"/projects/{pid}/team/new"))
    assert "staff_a2姓名" not in page and "staff_a1姓名（" not in page  # the picker asks; the page holds no one
    assert 'data-picker-url="/projects/' in page
    assert candidates("姓名") == {"staff_a1姓名（甲县第一招商分局）", "chief_a1姓名（甲县第一招商分局）"}
    assert candidates("staff_a2") == set() and candidates("") == set()
    forged = add_member(client, pid, world.users["staff_a2"].id)
    assert forged.status_code == 400 and "请从列表中选择" in text(forged)
    assert add_member(client, pid, world.users["leader"].id).status_code == 400  # leaders are not team members
    auth.login_as("reviewer")
    assert "staff_a2姓名（甲县第二招商分局）" in candidates("第二")  # by unit
    assert candidates("staff_b1") == set()  # another county
    other_county = add_member(client, pid, world.users["staff_b"].id)
    assert other_county.status_code == 400
    assert add_member(client, pid, world.users["staff_a2"].id).status_code == 302


def test_member_form_keeps_what_was_typed_when_refused(auth, client, session, world):
    pid = world.records["assignments_project"]
    auth.login_as("chief")
    response = add_member(client, pid, world.users["chief"].id, duty="要素保障", day="明天")
    body = text(response)
    assert response.status_code == 400 and "请输入日期" in body and 'value="要素保障"' in body
    long = add_member(client, pid, world.users["chief"].id, duty="长" * 121)
    assert long.status_code == 400 and "不能超过 120 个字符" in text(long)


def test_team_member_of_another_unit_sees_and_works_on_the_project_until_they_leave(auth, client, session, world):
    pid = world.records["project"]
    auth.login_as("staff_a2")
    assert client.get(f"/projects/{pid}").status_code == 404
    assert "荣格精工扩产项目" not in text(client.get("/projects/"))
    auth.login_as("reviewer")
    enter(client, session, pid)
    assert add_member(client, pid, world.users["staff"].id).status_code == 302
    assert add_member(client, pid, world.users["staff_a2"].id, duty="手续代办").status_code == 302
    auth.login_as("staff_a2")
    page = client.get(f"/projects/{pid}")
    assert page.status_code == 200 and "荣格精工扩产项目" in text(page)
    assert "staff_a1姓名" in text(page)  # colleagues of the owning unit are named on the team
    assert "荣格精工扩产项目" in text(client.get("/projects/"))
    version = project_of(session, pid).version
    assert client.post(f"/projects/{pid}/plan", data={"version": str(version), "plan": "专班周例会"}).status_code == 302
    assert project_of(session, pid).plan == "专班周例会"
    assert client.get(f"/projects/{pid}/team/new").status_code == 403  # serving is not staffing
    row = next(m for m in active_rows(session, TeamMember, pid) if m.user_id == world.users["staff_a2"].id)
    auth.login_as("chief")
    done = client.post(f"/projects/{pid}/team/{row.id}/exit", data={"version": str(row.version), "exited_on": PAST, "exit_reason": "调岗"})
    assert done.status_code == 302
    auth.login_as("staff_a2")
    assert client.get(f"/projects/{pid}").status_code == 404
    assert "荣格精工扩产项目" not in text(client.get("/projects/"))


def test_a_chief_of_another_unit_on_the_team_does_not_staff_it(auth, client, session, world):
    pid = world.records["assignments_project"]
    chief_a2 = UserFactory(username="chief_a2", display_name="二分局局长", role=Role.CHIEF, unit=world.units["branch_a2"])
    session.commit()
    auth.login_as("reviewer")
    assert add_member(client, pid, chief_a2.id).status_code == 302
    world.users["chief_a2"] = chief_a2
    auth.login_as("chief_a2")
    assert client.get(f"/projects/{pid}").status_code == 200
    assert client.get(f"/projects/{pid}/team/new").status_code == 403
    assert client.get(f"/projects/{pid}/plan").status_code == 200


# --- 推进方案 -----------------------------------------------------------------------------------------
def test_plan_by_the_unit_and_by_the_projects_own_leader_only(auth, client, session, world):
    pid = world.records["assignments_project"]
    auth.login_as("leader")
    version = project_of(session, pid).version
    response = client.post(f"/projects/{pid}/plan", data={"version": str(version), "plan": "县长批示：七月开工"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/projects/{pid}#assignments")
    assert project_of(session, pid).plan == "县长批示：七月开工"
    stale = client.post(f"/projects/{pid}/plan", data={"version": str(version), "plan": "我的版本"})
    assert stale.status_code == 400 and "已被他人修改" in text(stale) and "我的版本" in text(stale)
    assert "县长批示：七月开工" in text(stale)  # the other change is shown
    assert client.get(f"/projects/{world.records['project']}/plan").status_code == 403  # not their project
    auth.login_as("reviewer")
    assert client.get(f"/projects/{pid}/plan").status_code == 403
    auth.login_as("staff")
    page = text(client.get(f"/projects/{pid}"))
    assert "编辑推进方案" in page and "县长批示：七月开工" in page


def test_an_exited_leader_no_longer_writes_the_plan(auth, client, session, world):
    pid = world.records["assignments_project"]
    row = session.get(ProjectLeader, world.records["assignments_leader_row"])
    row.exited_on, row.exit_reason = date(2025, 4, 1), "调整分工"
    session.commit()
    auth.login_as("leader")
    assert client.get(f"/projects/{pid}/plan").status_code == 403
    assert "编辑推进方案" not in text(client.get(f"/projects/{pid}"))


# --- the flag and the lead's helpers -----------------------------------------------------------------
def test_staffing_gaps_and_leaders_of_in_fixed_queries(app, auth, client, session, world):
    from crm.assignments.queries import leaders_of, staffing_gaps

    full = world.records["assignments_project"]
    bare = new_project(session, world, name="空专班", is_key=True).id
    no_chief = new_project(session, world, name="无首席", is_key=True).id
    session.add(TeamMember(project_id=no_chief, user_id=world.users["staff"].id, entered_on=date(2025, 3, 1)))
    session.add(ProjectLeader(project_id=no_chief, leader_id=world.users["leader"].id, entered_on=date(2025, 3, 1)))
    plain = world.records["project"]
    many = [new_project(session, world, name=f"批量{n}", is_key=True).id for n in range(6)]
    session.commit()
    with app.test_request_context():
        set_scope(db.session, SYSTEM)
        with count_statements(app) as statements:
            gaps = staffing_gaps([full, bare, no_chief, plain])
        assert 1 <= len(data_queries(statements)) <= 2
        with count_statements(app) as statements:
            staffing_gaps([full, bare, no_chief, plain, *many])
        assert 1 <= len(data_queries(statements)) <= 2
        assert gaps == {bare: ["未明确分包县级领导", "未组建服务专班"], no_chief: ["服务专班未明确首席服务员"]}
        with count_statements(app) as statements:
            leaders = leaders_of([full, bare, no_chief, *many])
        assert len(data_queries(statements)) == 1
        assert {pid: [u.username for u in users] for pid, users in leaders.items()} == {full: ["leader_a"], no_chief: ["leader_a"]}
        assert staffing_gaps([]) == {} and leaders_of([]) == {}
    from crm.access.policy import build_actor  # another county's staff: nothing at all

    with app.test_request_context():
        set_scope(db.session, SYSTEM)
        set_scope(db.session, build_actor(db.session.get(User, world.users["staff_b"].id)))
        assert staffing_gaps([bare]) == {} and leaders_of([full]) == {}


# --- 我分包的项目 ---------------------------------------------------------------------------------------
def _leader_project(session, world, n: int, today: date) -> int:  # type: ignore[no-untyped-def]
    from crm.domain.issues import IssueLevel, IssueStatus
    from crm.domain.projects import MilestoneKind
    from crm.progress.models import Milestone, ProgressReport

    pid = new_project(session, world, name=f"分包项目{n}", is_key=True, stage=Stage.STARTED, last_progress_on=today).id
    session.add_all([
        ProjectLeader(project_id=pid, leader_id=world.users["leader"].id, entered_on=date(2025, 3, 1)),
        Milestone(project_id=pid, kind=MilestoneKind.REGISTRATION, planned_on=date(2025, 1, 1), actual_on=date(2025, 1, 5)),
        Milestone(project_id=pid, kind=MilestoneKind.TOPPING_OUT, planned_on=today + timedelta(days=30 + n)),
        Milestone(project_id=pid, kind=MilestoneKind.PRODUCTION, planned_on=today + timedelta(days=90)),
        ProgressReport(project_id=pid, period="2025-03", description="旧进展"),
        ProgressReport(project_id=pid, period="2025-04", description=f"主体施工第{n}层" + "，进展顺利" * 20),
    ])
    for k, (status, deadline) in enumerate([
        (IssueStatus.IN_PROGRESS, today - timedelta(days=3)),
        (IssueStatus.NEW, today + timedelta(days=10)),
        (IssueStatus.CLOSED, today - timedelta(days=30)),
    ]):
        new_issue(
            session, unit_id=world.units["branch_a1"].id, project_id=pid, description="用地报批慢", raised_on=date(2025, 3, 1),
            responsible_unit_id=world.units["bureau_a"].id, responsible_person="王主任", deadline=deadline,
            level=IssueLevel.JOINT_MEETING, status=status,
            closed_by_id=world.users["reviewer"].id if status is IssueStatus.CLOSED else None,
        )
    session.commit()
    return pid


def test_my_projects_shows_each_projects_state(app, auth, client, session, world):
    from crm.clock import local_today

    with app.app_context():
        today = local_today()
    pid = _leader_project(session, world, 1, today)
    auth.login_as("leader")
    page = text(client.get("/my-projects"))
    assert "分包项目1" in page and "星河三个一测试项目" in page  # the world's project too
    assert "荣格精工扩产项目" not in page  # not theirs
    row = page.split(f'data-project="{pid}"')[1].split("</tr>")[0]
    assert "开工" in row  # stage label
    assert 'data-rag="red"' in row  # an overdue issue
    assert "主体封顶" in row and (today + timedelta(days=31)).isoformat() in row
    assert "逾期 1" in row
    assert "2025-04" in row and "主体施工第1层" in row and "…" in row and "旧进展" not in row
    world_row = page.split(f'data-project="{world.records["assignments_project"]}"')[1].split("</tr>")[0]
    assert "暂无进展报告" in world_row and "staffing-gap" not in world_row
    flagged = new_project(session, world, name="缺专班项目", is_key=True).id
    session.add(ProjectLeader(project_id=flagged, leader_id=world.users["leader"].id, entered_on=date(2025, 3, 1)))
    session.commit()
    page = text(client.get("/my-projects"))
    assert "未组建服务专班" in page.split(f'data-project="{flagged}"')[1].split("</tr>")[0]


def test_my_projects_issue_counts(app, auth, client, session, world):
    from crm.assignments.queries import my_project_list
    from crm.access.policy import build_actor
    from crm.clock import local_today

    with app.test_request_context():
        today = local_today()
    pid = _leader_project(session, world, 2, today)
    with app.test_request_context():
        set_scope(db.session, SYSTEM)
        set_scope(db.session, build_actor(db.session.get(User, world.users["leader"].id)))
        rows = {r.project.id: r for r in my_project_list(world.users["leader"].id, today)}
        assert (rows[pid].open_issues, rows[pid].overdue_issues) == (2, 1)
        assert rows[pid].next_milestone.planned_on == today + timedelta(days=32)
        assert rows[pid].latest_report.period == "2025-04"


def test_my_projects_runs_the_same_number_of_queries_for_1_and_5_projects(app, auth, client, session, world):
    from crm.clock import local_today

    with app.app_context():
        today = local_today()
    row = session.get(ProjectLeader, world.records["assignments_leader_row"])
    row.exited_on, row.exit_reason = date(2025, 4, 1), "调整分工"
    session.commit()
    _leader_project(session, world, 1, today)
    auth.login_as("leader")
    client.get("/my-projects")  # warm up
    with count_statements(app) as one:
        assert client.get("/my-projects").status_code == 200
    for n in range(2, 6):
        _leader_project(session, world, n, today)
    with count_statements(app) as five:
        page = client.get("/my-projects")
    assert text(page).count("data-project=") == 5
    assert len(one) > 5 and len(five) == len(one), (len(one), len(five))


def test_my_projects_is_for_leaders(auth, client, world):
    auth.login_as("leader")
    assert client.get("/my-projects").status_code == 200
    for role in ("staff", "chief", "reviewer", "admin"):
        auth.login_as(role)
        assert client.get("/my-projects").status_code == 403


# --- the project page ---------------------------------------------------------------------------------
def test_project_page_section_runs_fixed_queries(app, auth, client, session, world):
    pid = world.records["assignments_project"]
    auth.login_as("reviewer")
    client.get(f"/projects/{pid}")
    with count_statements(app) as before:
        client.get(f"/projects/{pid}")
    for n in range(4):
        user = UserFactory(username=f"member{n}", display_name=f"专班{n}", role=Role.STAFF, unit=world.units["branch_a1"])
        session.flush()
        session.add(TeamMember(project_id=pid, user_id=user.id, entered_on=date(2025, 3, 1), exited_on=date(2025, 4, 1) if n % 2 else None))
    session.commit()
    client.get(f"/projects/{pid}")  # (the change renews the cached figures, e.g. the 审核 badge: both views warm)
    with count_statements(app) as after:
        page = text(client.get(f"/projects/{pid}"))
    assert "专班0" in page and "专班3" in page
    assert len(before) > 5 and len(after) == len(before)


def test_section_shows_each_viewer_only_their_forms(auth, client, world):
    pid = world.records["assignments_project"]
    # The one leader slot is taken: nobody is offered a second leader (the reviewer exits the first one instead).
    expectations = {
        "reviewer": {"/leaders/new": False, "退出分包": True, "/team/new": True, "退出三个一": True, "编辑推进方案": False},
        "chief": {"/leaders/new": False, "退出分包": False, "/team/new": True, "退出三个一": False, "编辑推进方案": True},
        "staff": {"/leaders/new": False, "退出分包": False, "/team/new": False, "退出三个一": False, "编辑推进方案": True},
        "leader": {"/leaders/new": False, "退出分包": False, "/team/new": False, "退出三个一": False, "编辑推进方案": True},
        "admin": {"/leaders/new": False, "退出分包": False, "/team/new": False, "退出三个一": False, "编辑推进方案": False},
    }
    for role, shown in expectations.items():
        auth.login_as(role)
        page = text(client.get(f"/projects/{pid}"))
        assert "leader_a姓名" in page and "甲县招商局" in page and "一、七月底前完成供地摘牌。" in page
        for words, expected in shown.items():
            assert (words in page) is expected, (role, words)


# --- demo -----------------------------------------------------------------------------------------
def test_demo_assignments_follow_the_seed_and_load_once(app, client, session):
    from crm.demo.assignments import ASSIGNMENTS, load_assignments
    from crm.demo.scenario import DEMO_PASSWORD
    from crm.demo.services import LoadReport, load_demo

    today = date(2026, 3, 2)
    with app.app_context():
        set_scope(db.session, SYSTEM)
        load_demo(today)
        load_assignments(LoadReport(), today)
        db.session.commit()
        again = LoadReport()
        load_assignments(again, today + timedelta(days=40))  # another day adds nothing either
        assert again.nothing_new
        db.session.commit()
    projects = {p.name: p for p in session.scalars(sa.select(Project).where(Project.is_key))}
    assert set(projects) == {a.project for a in ASSIGNMENTS} and len(projects) == 10
    leaders = {
        name: [u.username for u in users]
        for name, users in (
            (p.name, session.scalars(
                sa.select(User).join(ProjectLeader, ProjectLeader.leader_id == User.id)
                .where(ProjectLeader.project_id == p.id, ProjectLeader.exited_on.is_(None))
            ).all())
            for p in projects.values()
        )
    }
    assert leaders == {
        "鲁山县石材建材工业城": ["leader"], "海亮(兴发)工业园": ["exec_deputy"], "中德纺织科技园": ["deputy_industry"],
        "海威特种布项目": ["leader"], "荣格集团项目": ["leader2"], "圣光保健器材科技园二期": ["deputy_industry"],
        "方圆碳素项目": ["exec_deputy"], "鲁吉兰美体内衣项目": ["standing"], "尧盛针织项目": ["deputy_industry"],
        "河南靖焜丝绸项目": ["deputy_industry"],
    }
    assert all(p.plan and p.lead_unit_id for p in projects.values())
    haiwei = projects["海威特种布项目"]
    team = session.scalars(sa.select(TeamMember).join(User, User.id == TeamMember.user_id).where(TeamMember.project_id == haiwei.id)).all()
    by_user = {session.get(User, m.user_id).username: m for m in team}
    assert set(by_user) == {"staff1", "chief1", "staff2"} and by_user["staff1"].is_chief_servant
    assert by_user["staff1"].entered_on == today + (date(2025, 4, 18) - date(2025, 5, 21))
    history = session.scalars(sa.select(ProjectLeader).where(ProjectLeader.project_id == projects["中德纺织科技园"].id)).all()
    assert len(history) == 2 and any(r.exited_on is not None for r in history)

    client.post("/login", data={"username": "staff2", "password": DEMO_PASSWORD})
    page = client.get(f"/projects/{haiwei.id}")  # 第一招商分局's project, staff2 serves on its team
    assert page.status_code == 200 and "外资登记" in text(page)
    client.post("/logout")
    client.post("/login", data={"username": "leader2", "password": DEMO_PASSWORD})
    mine = text(client.get("/my-projects"))
    assert "荣格集团项目" in mine and "未组建服务专班" in mine
    client.post("/logout")
    client.post("/login", data={"username": "leader", "password": DEMO_PASSWORD})
    mine = text(client.get("/my-projects"))
    assert "鲁山县石材建材工业城" in mine and "海威特种布项目" in mine and 'data-rag="red"' in mine


@pytest.mark.parametrize("who", ["chief", "reviewer", "leader", "staff"])
def test_a_project_page_reads_the_team_once(app, auth, client, world, who):
    """The signed-in user's own 服务专班 memberships once (for the scope), the project's team rows once (for the
    page): never again per section, per permission check or per member."""
    auth.login_as(who)
    with count_statements(app) as sent:
        assert client.get(f"/projects/{world.records['project']}").status_code == 200
    # (Other statements name the table inside the scope's criteria for users, from the actor's own memberships.)
    team_reads = [s.sql for s in sent if s.sql.lstrip().startswith("SELECT project_team_members.")]
    assert len(team_reads) <= 2, team_reads
