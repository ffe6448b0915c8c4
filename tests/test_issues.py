"""问题台账: raising issues (owning unit, 编号, the three musts), the status flow, escalation, actions,
领导批示, overdue, list/export, the period report, the project section and its counts, the demo."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from crm.audit.models import AuditLog
from crm.domain.issues import IssueActionKind, IssueLevel, IssueStatus
from crm.issues.models import Issue, IssueAction
from crm.units.models import Unit
from tests.factories import new_issue
from tests.helpers import count_statements

WORLD_PROJECT = "荣格精工扩产项目"  # tests/world.py: branch_a1's 在谈 project


def form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "project_id": str(world.records["project"]),
        "description": "已征土地报批慢，影响项目供地",
        "category": "land",
        "source": "weekly_inspection",
        "raised_on": "2026-11-02",
        "responsible_unit_id": str(world.units["bureau_a"].id),
        "responsible_person": "指挥长",
        "deadline": "2026-12-31",
        "level": "zone_committee",
        "long_term": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def create(client, world, **overrides) -> int:  # type: ignore[no-untyped-def]
    response = client.post("/issues/new", data=form(world, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(Issue))


def fresh(session, issue_id: int) -> Issue:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.get(Issue, issue_id)


def kinds(session, issue_id: int) -> list[IssueActionKind]:  # type: ignore[no-untyped-def]
    return list(session.scalars(sa.select(IssueAction.kind).where(IssueAction.issue_id == issue_id).order_by(IssueAction.id)))


def post(client, issue_id: int, route: str, session=None, **data):  # type: ignore[no-untyped-def]
    if session is not None and "version" not in data:
        data["version"] = str(fresh(session, issue_id).version)
    return client.post(f"/issues/{issue_id}/{route}", data=data)


def join_team(app, world, user: str = "staff_a2") -> None:  # type: ignore[no-untyped-def]
    """Put ``user`` (another branch) on the world project's 服务专班."""
    from crm.access.scoping import SYSTEM, set_scope
    from crm.assignments.models import TeamMember
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        db.session.add(TeamMember(project_id=world.records["project"], user_id=world.users[user].id, entered_on=date(2026, 1, 5)))
        db.session.commit()


# --- raising an issue ------------------------------------------------------------------------
def test_staff_raises_an_issue_for_a_project_owned_by_the_projects_unit(auth, client, session, world):
    auth.login_as("staff")
    issue_id = create(client, world, unit_id=str(world.units["branch_b1"].id), status="closed", number="WT1999-001",
                      created_by_id=str(world.users["admin"].id), long_term="y")
    issue = fresh(session, issue_id)
    # Owner, number, status and creator come from the server, whatever the form says.
    assert issue.unit_id == world.units["branch_a1"].id and issue.project_id == world.records["project"]
    assert issue.number == "WT2026-001" and issue.status is IssueStatus.NEW
    assert issue.created_by_id == world.users["staff"].id and issue.long_term is True
    assert issue.responsible_unit_id == world.units["bureau_a"].id and issue.level is IssueLevel.ZONE
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert "WT2026-001" in page and "已征土地报批慢" in page and "甲县招商局" in page and "指挥长" in page
    assert "待交办" in page and WORLD_PROJECT in page and "长期跟踪" in page
    created = session.scalars(sa.select(AuditLog).where(AuditLog.record_type == "issues", AuditLog.record_id == issue_id)).all()
    assert {r.field for r in created} >= {"number", "status", "responsible_unit_id", "deadline", "unit_id"}
    assert all(r.actor_id == world.users["staff"].id and r.unit_id == issue.unit_id for r in created)


def test_county_level_issue_belongs_to_the_creators_unit(auth, client, session, world):
    auth.login_as("chief")
    issue_id = create(client, world, project_id="", category="financing", description="融资渠道单一")
    issue = fresh(session, issue_id)
    assert issue.project_id is None and issue.unit_id == world.units["branch_a1"].id
    assert "县级问题" in client.get(f"/issues/{issue_id}").get_data(as_text=True)


def test_numbers_count_per_year_of_the_raising_day(auth, client, session, world):
    auth.login_as("staff")
    first = create(client, world, raised_on="2026-01-05")
    second = create(client, world, raised_on="2026-02-05")
    old = create(client, world, raised_on="2024-12-30", deadline="2025-01-31")
    from_2025 = create(client, world, raised_on="2025-06-01")  # the world has WT2025-001 … 005
    numbers = [fresh(session, i).number for i in (first, second, old, from_2025)]
    assert numbers == ["WT2026-001", "WT2026-002", "WT2024-001", "WT2025-006"]


def test_a_number_taken_meanwhile_is_settled_by_the_unique_constraint(app, app_session, world, monkeypatch):
    """Two requests computing the same next number: the second one's insert fails on uq_issues_number
    inside a savepoint and it takes the next number instead of failing."""
    from crm.domain.access import Actor, Role
    from crm.issues import services

    actor = Actor(user_id=world.users["staff"].id, role=Role.STAFF, unit_id=world.units["branch_a1"].id,
                  subtree=frozenset({world.units["branch_a1"].id}))
    data = services.IssueData(
        project_id=None, description="并发登记", category="land", source="company", raised_on=date(2025, 6, 1),
        responsible_unit_id=world.units["bureau_a"].id, responsible_person="局长", deadline=date(2025, 7, 1), level="zone_committee",
    )
    real = services.next_number
    handed_out: list[str] = []

    def stale_first(year: int) -> str:
        number = "WT2025-001" if not handed_out else real(year)  # the world's first issue has it already
        handed_out.append(number)
        return number

    monkeypatch.setattr(services, "next_number", stale_first)
    issue = services.create_issue(actor, data, date(2025, 6, 2))
    app_session.commit()
    assert handed_out == ["WT2025-001", "WT2025-006"] and issue.number == "WT2025-006"

    monkeypatch.setattr(services, "next_number", lambda year: "WT2025-001")  # never free: refused, not a 500
    with pytest.raises(services.IssueError, match="编号分配冲突"):
        services.create_issue(actor, data, date(2025, 6, 2))


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"responsible_unit_id": ""}, "responsible_unit_id", "须明确责任单位"),
        ({"responsible_person": "   "}, "responsible_person", "须明确负责人"),
        ({"deadline": ""}, "deadline", "须明确办理期限"),
        ({"deadline": "2026-10-31"}, "deadline", "办理期限不能早于提出日期"),
        ({"deadline": "明天"}, "deadline", "请输入日期"),
        ({"raised_on": "2099-01-01", "deadline": "2099-02-01"}, "raised_on", "提出日期不能晚于今天"),
        ({"raised_on": ""}, "raised_on", "请填写日期"),
        ({"description": "  "}, "description", "请填写问题描述"),
        ({"description": "很" * 2001}, "description", "不能超过 2000 个字符"),
        ({"category": ""}, "category", "请从列表中选择"),
        ({"category": "weather"}, "category", "请从列表中选择"),
        ({"source": "rumour"}, "source", "请从列表中选择"),
        ({"level": "province"}, "level", "请从列表中选择"),
        ({"responsible_person": "局" * 61}, "responsible_person", "不能超过 60 个字符"),
        ({"responsible_person": "局长\x00"}, "responsible_person", "控制字符"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(auth, client, session, world, overrides, field, message):
    auth.login_as("staff")
    before = count(session)
    response = client.post("/issues/new", data=form(world, **{"description": "保留的问题描述", **overrides}))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "invalid-feedback" in text
    if "description" not in overrides:
        assert "保留的问题描述" in text  # what was typed is still there
    assert count(session) == before


def test_all_three_musts_are_said_at_once(auth, client, session, world):
    auth.login_as("staff")
    response = client.post("/issues/new", data=form(world, responsible_unit_id="", responsible_person="", deadline=""))
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "须明确责任单位" in text and "须明确负责人" in text and "须明确办理期限" in text
    # Every refused field says so at once, the picks included.
    text = client.post("/issues/new", data=form(world, description="", category="", source="", deadline="")).get_data(as_text=True)
    assert text.count('invalid-feedback">请从列表中选择') == 2 and "请填写问题描述" in text and "须明确办理期限" in text
    assert 'data-testid="error-summary"' in text  # and listed together at the top


def test_forged_choices_are_refused(app, auth, client, session, world):
    auth.login_as("staff")
    before = count(session)
    # Another county's unit, a unit that does not exist, another branch's project, a project that does not exist.
    for overrides in ({"responsible_unit_id": str(world.units["branch_b1"].id)}, {"responsible_unit_id": "999999"},
                      {"project_id": str(world.records["issues_project_b"])}, {"project_id": "999999"}, {"project_id": "abc"}):
        response = client.post("/issues/new", data=form(world, **overrides))
        assert response.status_code == 400 and "请从列表中选择" in response.get_data(as_text=True), overrides
    # A unit closed down is no longer offered.
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        db.session.get(Unit, world.units["squad_a1"].id).is_active = False
        db.session.commit()
    page = client.get("/issues/new").get_data(as_text=True)
    assert "甲县珠三角小分队" not in page and "甲县招商局" in page and "乙县第一招商分局" not in page
    response = client.post("/issues/new", data=form(world, responsible_unit_id=str(world.units["squad_a1"].id)))
    assert response.status_code == 400
    assert count(session) == before


def test_new_from_the_project_page_preselects_the_project(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["project"]
    page = client.get(f"/projects/{project_id}/issues/new").get_data(as_text=True)
    assert f'<option selected value="{project_id}">' in page or f'value="{project_id}" selected' in page
    response = client.post(f"/projects/{project_id}/issues/new", data=form(world))
    assert response.status_code == 302
    assert fresh(session, int(response.headers["Location"].rsplit("/", 1)[1])).project_id == project_id
    project_page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert f"/projects/{project_id}/issues/new" in project_page and "已征土地报批慢" in project_page


def test_service_team_member_of_another_unit_raises_and_works_the_projects_issues(app, auth, client, session, world):
    join_team(app, world)
    auth.login_as("staff_a2")
    project_id = world.records["project"]
    assert client.get(f"/projects/{project_id}/issues/new").status_code == 200
    assert WORLD_PROJECT in client.get("/issues/new").get_data(as_text=True)
    response = client.post(f"/projects/{project_id}/issues/new", data=form(world, description="专班发现的问题"))
    assert response.status_code == 302
    issue_id = int(response.headers["Location"].rsplit("/", 1)[1])
    issue = fresh(session, issue_id)
    assert issue.unit_id == world.units["branch_a1"].id and issue.created_by_id == world.users["staff_a2"].id
    # They see and work the project's issues (the world's one too), but not branch_a1's county-level ones.
    listing = client.get("/issues/").get_data(as_text=True)
    assert "专班发现的问题" in listing and "荣格精工扩产项目用地指标未落实" in listing and "园区融资渠道单一" not in listing
    assert "乙分局园区道路未通" in listing  # their own unit's
    assert post(client, world.records["issue"], "assign", session).status_code == 302
    assert client.get(f"/issues/{world.records['issue_progress']}").status_code == 404
    # The staff of branch_a1 see the issue the team member raised.
    auth.login_as("staff")
    assert "专班发现的问题" in client.get("/issues/").get_data(as_text=True)


def test_leaders_and_admins_read_but_do_not_raise_or_edit(auth, client, world):
    issue_id = world.records["issue"]
    for role in ("leader", "admin"):
        auth.login_as(role)
        listing = client.get("/issues/").get_data(as_text=True)
        assert "荣格精工扩产项目用地指标未落实" in listing and "登记问题" not in listing
        page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
        assert 'id="assign-form"' not in page and f"/issues/{issue_id}/edit" not in page
        assert client.post("/issues/new", data=form(world)).status_code == 403
        assert client.post(f"/issues/{issue_id}/edit", data=form(world, version="1")).status_code == 403


def test_the_reviewer_raises_issues_and_hands_them_to_a_unit_below(auth, client, session, world):
    """周督查 is a source of issues: the 县招商局 reviewer raises one for a branch (it was 403) and 交办s it; the
    branch keeps it and sees it. What the issue says stays the unit's to edit."""
    from crm.issues.models import Issue

    auth.login_as("reviewer")
    assert "登记问题" in client.get("/issues/").get_data(as_text=True)
    assert "请在该项目页面点“新增问题”登记" in client.get("/issues/new").get_data(as_text=True)
    county_level = create(client, world, project_id="", responsible_unit_id=str(world.units["branch_a1"].id), description="周督查发现：分局台账更新不及时")
    issue = session.get(Issue, county_level)
    assert issue.unit_id == world.units["branch_a1"].id and issue.created_by_id == world.users["reviewer"].id
    page = client.get(f"/issues/{county_level}").get_data(as_text=True)
    assert 'id="assign-form"' in page and f"/issues/{county_level}/edit" not in page
    assert client.post(f"/issues/{county_level}/assign", data={"version": "1"}).status_code == 302
    session.expire_all()
    assert session.get(Issue, county_level).status is IssueStatus.IN_PROGRESS
    assert client.post(f"/issues/{county_level}/edit", data=form(world, version="2")).status_code == 403
    # From a project's page, for the project's unit.
    project_id = world.records["project"]
    assert "新增问题" in client.get(f"/projects/{project_id}").get_data(as_text=True)
    response = client.post(f"/projects/{project_id}/issues/new", data=form(world, description="周督查：项目供地滞后"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    for_project = int(response.headers["Location"].rsplit("/", 1)[1])
    assert session.get(Issue, for_project).unit_id == world.units["branch_a1"].id
    # A 责任单位 outside the reviewer's subtree (the county's own offices): the bureau keeps the issue.
    outside = create(client, world, project_id="", responsible_unit_id=str(world.units["county_a"].id), description="县直部门协调事项")
    assert session.get(Issue, outside).unit_id == world.users["reviewer"].unit_id
    auth.login_as("staff")
    listing = client.get("/issues/").get_data(as_text=True)
    assert "周督查发现：分局台账更新不及时" in listing and "周督查：项目供地滞后" in listing and "县直部门协调事项" not in listing
    # Not in another county.
    auth.login_as("reviewer")
    assert client.get(f"/projects/{world.records['issues_project_b']}/issues/new").status_code == 404


def test_another_units_staff_sees_nothing(auth, client, world):
    auth.login_as("staff_a2")
    for key in ("issue", "issue_progress", "issue_resolved"):
        issue_id = world.records[key]
        for path in (f"/issues/{issue_id}", f"/issues/{issue_id}/edit", f"/history/issues/{issue_id}"):
            assert client.get(path).status_code == 404, path
        assert client.post(f"/issues/{issue_id}/actions", data={"kind": "urge", "note": "x"}).status_code == 404
    listing = client.get("/issues/").get_data(as_text=True)
    assert "乙分局园区道路未通" in listing and "园区融资渠道单一" not in listing
    sheet = load_workbook(io.BytesIO(client.get("/issues/export.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["WT2025-004"]
    report = client.get("/issues/report?start=2025-10-06&end=2025-10-12").get_data(as_text=True)
    assert "乙分局园区道路未通" in report and "园区融资渠道单一" not in report


# --- edit --------------------------------------------------------------------------------------
def test_edit_is_version_checked_and_keeps_number_unit_level_and_status(auth, client, session, world):
    auth.login_as("staff")
    issue_id = world.records["issue"]
    version = fresh(session, issue_id).version
    page = client.get(f"/issues/{issue_id}/edit").get_data(as_text=True)
    assert "荣格精工扩产项目用地指标未落实" in page and 'name="level"' not in page and "逐级上提" in page
    ok = client.post(f"/issues/{issue_id}/edit", data=form(world, description="第一次修改", responsible_person="主任",
                                                          version=str(version), level="party_standing", status="closed",
                                                          unit_id=str(world.units["branch_b1"].id)))
    assert ok.status_code == 302
    issue = fresh(session, issue_id)
    assert (issue.description, issue.responsible_person) == ("第一次修改", "主任")
    assert issue.level is IssueLevel.ZONE and issue.status is IssueStatus.NEW
    assert issue.unit_id == world.units["branch_a1"].id and issue.number == "WT2025-001"
    stale = client.post(f"/issues/{issue_id}/edit", data=form(world, description="第二次修改", version=str(version)))
    assert stale.status_code == 400
    text = stale.get_data(as_text=True)
    assert "已被他人修改" in text and "第一次修改" in text and "第二次修改" in text
    assert fresh(session, issue_id).description == "第一次修改"
    change = session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "issues", AuditLog.record_id == issue_id, AuditLog.field == "responsible_person",
                                  AuditLog.action == "update")
    ).one()
    assert (change.old_value, change.new_value) == ("局长", "主任")


def test_edit_moves_only_to_a_project_of_the_same_unit(auth, client, session, world):
    auth.login_as("staff")
    issue_id = world.records["issue_progress"]  # county-level, branch_a1
    version = fresh(session, issue_id).version
    page = client.get(f"/issues/{issue_id}/edit").get_data(as_text=True)
    assert WORLD_PROJECT in page and "乙分局项目" not in page
    foreign = client.post(f"/issues/{issue_id}/edit", data=form(world, project_id=str(world.records["issues_project_b"]), version=str(version)))
    assert foreign.status_code == 400 and "请从列表中选择" in foreign.get_data(as_text=True)
    assert client.post(f"/issues/{issue_id}/edit", data=form(world, version=str(version))).status_code == 302
    assert fresh(session, issue_id).project_id == world.records["project"]


def test_service_refuses_a_project_of_another_unit_on_edit(app, app_session, world):
    from crm.domain.access import Actor, Role
    from crm.issues import services

    reviewer_like = Actor(user_id=world.users["staff"].id, role=Role.STAFF, unit_id=world.units["branch_a1"].id,
                          subtree=frozenset({world.units["branch_a1"].id}))
    issue = app_session.get(Issue, world.records["issue_progress"])
    data = services.IssueData(
        project_id=world.records["issues_project_b"], description="x", category="land", source="company", raised_on=date(2025, 10, 10),
        responsible_unit_id=world.units["bureau_a"].id, responsible_person="局长", deadline=date(2030, 1, 1),
    )
    with pytest.raises(services.IssueError, match="只能选择本单位的项目"):
        services.update_issue(reviewer_like, issue, data, date(2026, 11, 1))


# --- the status flow -----------------------------------------------------------------------------
def test_the_whole_flow_and_its_log(auth, client, session, world):
    issue_id = world.records["issue"]
    auth.login_as("staff")
    assert post(client, issue_id, "assign", session, note="").status_code == 302
    issue = fresh(session, issue_id)
    assert issue.status is IssueStatus.IN_PROGRESS
    first = session.scalars(sa.select(IssueAction).where(IssueAction.issue_id == issue_id)).one()
    assert first.kind is IssueActionKind.ASSIGN and "交办甲县第一招商分局（局长）办理" in first.note
    assert first.actor_id == world.users["staff"].id

    empty = post(client, issue_id, "resolve", session, note=" ")
    assert empty.status_code == 400 and "请填写办结情况" in empty.get_data(as_text=True)
    assert post(client, issue_id, "resolve", session, note="已完成组卷上报").status_code == 302
    issue = fresh(session, issue_id)
    assert issue.status is IssueStatus.RESOLVED and issue.resolved_on is not None

    # 销号 is the reviewer's alone.
    assert post(client, issue_id, "close", session).status_code == 403
    auth.login_as("leader")
    assert post(client, issue_id, "close", session).status_code == 403
    auth.login_as("reviewer")
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert "核验销号" in page and "退回重办" in page
    assert post(client, issue_id, "close", session, note="").status_code == 302
    issue = fresh(session, issue_id)
    assert issue.status is IssueStatus.CLOSED and issue.closed_by_id == world.users["reviewer"].id and issue.closed_on is not None
    assert kinds(session, issue_id) == [IssueActionKind.ASSIGN, IssueActionKind.RESOLVE, IssueActionKind.CLOSE]
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert "已销号" in page and "reviewer_a姓名" in page and "核验属实，予以销号" in page and "已完成组卷上报" in page
    statuses = [
        (r.old_value, r.new_value)
        for r in session.scalars(sa.select(AuditLog).where(AuditLog.record_type == "issues", AuditLog.record_id == issue_id,
                                                             AuditLog.field == "status", AuditLog.action == "update").order_by(AuditLog.id))
    ]
    assert statuses == [("to_assign", "in_progress"), ("in_progress", "resolved"), ("resolved", "closed")]

    # Nothing more after 销号: no edits, no actions, no moves — each refused with a message.
    auth.login_as("staff")
    assert client.get(f"/issues/{issue_id}/edit").status_code == 302
    refused = client.post(f"/issues/{issue_id}/edit", data=form(world, version=str(fresh(session, issue_id).version)))
    assert refused.status_code == 302 and fresh(session, issue_id).description == "荣格精工扩产项目用地指标未落实"
    note = client.post(f"/issues/{issue_id}/actions", data={"kind": "note", "note": "补充材料"})
    assert note.status_code == 400 and "该问题已销号" in note.get_data(as_text=True)
    assert post(client, issue_id, "escalate", session).status_code == 400


@pytest.mark.parametrize(
    "key,route,role,message",
    [
        ("issue", "resolve", "staff", "当前状态下不能进行此操作"),  # 待交办 cannot be 办结
        ("issue_progress", "assign", "staff", "当前状态下不能进行此操作"),  # already 交办
        ("issue_progress", "close", "reviewer", "当前状态下不能进行此操作"),  # not 办结 yet
        ("issue", "reopen", "reviewer", "当前状态下不能进行此操作"),
        ("issue_resolved", "assign", "staff", "当前状态下不能进行此操作"),  # 交办 does not send an 已办结 issue back
        ("issue_resolved", "reopen", "reviewer", "退回重办须填写原因"),
        ("issue_resolved", "escalate", "staff", "该问题已办结，不能进行此操作"),
    ],
)
def test_wrong_moves_are_refused_with_a_message(auth, client, session, world, key, route, role, message):
    issue_id = world.records[key]
    before = fresh(session, issue_id).status
    auth.login_as(role)
    response = post(client, issue_id, route, session, note="")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "操作未完成" in text
    assert fresh(session, issue_id).status is before
    assert len(kinds(session, issue_id)) == (0 if key == "issue" else 1)


def test_reviewer_sends_it_back_with_a_reason(auth, client, session, world):
    issue_id = world.records["issue_resolved"]
    auth.login_as("reviewer")
    assert post(client, issue_id, "reopen", session, note="佐证材料不全").status_code == 302
    issue = fresh(session, issue_id)
    assert issue.status is IssueStatus.IN_PROGRESS and issue.resolved_on is None
    assert kinds(session, issue_id)[-1] is IssueActionKind.REOPEN
    assert "佐证材料不全" in client.get(f"/issues/{issue_id}").get_data(as_text=True)


def test_a_stale_move_is_refused(auth, client, session, world):
    auth.login_as("staff")
    issue_id = world.records["issue"]
    response = post(client, issue_id, "assign", version="0")
    assert response.status_code == 400 and "已被他人修改" in response.get_data(as_text=True)
    assert fresh(session, issue_id).status is IssueStatus.NEW


def test_escalation_one_level_at_a_time_up_to_the_standing_committee(auth, client, session, world):
    issue_id = world.records["issue"]
    auth.login_as("chief")
    assert "上提至县发展联席会议" in client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert post(client, issue_id, "escalate", session, note="逾期未解决").status_code == 302
    assert fresh(session, issue_id).level is IssueLevel.JOINT_MEETING
    auth.login_as("reviewer")  # the 督查 may push it up too
    assert post(client, issue_id, "escalate", session).status_code == 302
    auth.login_as("staff")
    assert post(client, issue_id, "escalate", session).status_code == 302
    assert fresh(session, issue_id).level is IssueLevel.PARTY
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert 'id="escalate-form"' not in page
    top = post(client, issue_id, "escalate", session)
    assert top.status_code == 400 and "已是最高协调层级" in top.get_data(as_text=True)
    notes = list(session.scalars(sa.select(IssueAction.note).where(IssueAction.issue_id == issue_id).order_by(IssueAction.id)))
    assert notes == ["集聚区管委会 → 县发展联席会议：逾期未解决", "县发展联席会议 → 县政府常务会", "县政府常务会 → 县委常委会"]
    auth.login_as("leader")
    assert post(client, issue_id, "escalate", session).status_code == 403


# --- actions and 领导批示 ----------------------------------------------------------------------------
def test_editors_record_urging_talks_site_meetings_and_notes(auth, client, session, world):
    issue_id = world.records["issue_progress"]
    auth.login_as("staff")
    for kind, note in (("urge", "电话催办"), ("talk", "约谈责任单位"), ("onsite", "现场办公协调"), ("note", "已上报材料")):
        response = client.post(f"/issues/{issue_id}/actions", data={"kind": kind, "note": note})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert kinds(session, issue_id)[1:] == [IssueActionKind.URGE, IssueActionKind.TALK, IssueActionKind.ONSITE, IssueActionKind.NOTE]
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    for text in ("电话催办", "约谈责任单位", "现场办公协调", "已上报材料", "staff_a1姓名"):
        assert text in page
    empty = client.post(f"/issues/{issue_id}/actions", data={"kind": "urge", "note": "  "})
    assert empty.status_code == 400 and "请填写办理情况" in empty.get_data(as_text=True)
    moves = client.post(f"/issues/{issue_id}/actions", data={"kind": "close", "note": "自己销号"})
    assert moves.status_code == 400 and "请从列表中选择" in moves.get_data(as_text=True)
    assert fresh(session, issue_id).status is IssueStatus.IN_PROGRESS


def test_pushing_a_finished_issue_is_refused_but_a_note_is_kept(auth, client, session, world):
    issue_id = world.records["issue_resolved"]
    auth.login_as("staff")
    refused = client.post(f"/issues/{issue_id}/actions", data={"kind": "urge", "note": "再催"})
    assert refused.status_code == 400 and "该问题已办结" in refused.get_data(as_text=True)
    assert client.post(f"/issues/{issue_id}/actions", data={"kind": "note", "note": "补充佐证"}).status_code == 302


def test_reviewer_urges_and_talks_but_does_not_hold_site_meetings(auth, client, session, world):
    issue_id = world.records["issue_progress"]
    auth.login_as("reviewer")
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert 'value="urge"' in page and 'value="onsite"' not in page
    assert client.post(f"/issues/{issue_id}/actions", data={"kind": "urge", "note": "周督查催办"}).status_code == 302
    refused = client.post(f"/issues/{issue_id}/actions", data={"kind": "onsite", "note": "x"})
    assert refused.status_code == 400 and "请从列表中选择" in refused.get_data(as_text=True)


def test_leaders_write_instructions_shown_as_such(auth, client, session, world):
    issue_id = world.records["issue_progress"]
    auth.login_as("leader")
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert "领导批示" in page and 'id="instruction-form"' in page and 'id="action-form"' not in page
    assert client.post(f"/issues/{issue_id}/actions", data={"kind": "note", "note": "x"}).status_code == 403
    assert client.post(f"/issues/{issue_id}/instruction", data={"note": "请本周内解决"}).status_code == 302
    assert client.post(f"/issues/{issue_id}/instruction", data={"note": "限期办结", "urge": "y"}).status_code == 302
    assert kinds(session, issue_id)[1:] == [IssueActionKind.NOTE, IssueActionKind.URGE]
    page = client.get(f"/issues/{issue_id}").get_data(as_text=True)
    assert page.count("领导批示</span>") == 2 and "请本周内解决" in page and "限期办结" in page
    empty = client.post(f"/issues/{issue_id}/instruction", data={"note": ""})
    assert empty.status_code == 400 and "请填写批示内容" in empty.get_data(as_text=True)
    auth.login_as("staff")
    assert client.post(f"/issues/{issue_id}/instruction", data={"note": "冒充批示"}).status_code == 403
    assert 'id="instruction-form"' not in client.get(f"/issues/{issue_id}").get_data(as_text=True)


# --- overdue, list, export ---------------------------------------------------------------------
def test_overdue_is_flagged_on_list_detail_and_filter(auth, client, session, world):
    auth.login_as("staff")
    late = create(client, world, description="逾期的问题", raised_on="2026-01-05", deadline="2026-02-01")
    done_late = create(client, world, description="逾期后办结的问题", raised_on="2026-01-05", deadline="2026-02-01")
    post(client, done_late, "assign", session)
    post(client, done_late, "resolve", session, note="办结")
    detail = client.get(f"/issues/{late}").get_data(as_text=True)
    assert 'data-testid="overdue"' in detail and "已超过办理期限 2026-02-01" in detail
    assert 'data-testid="overdue"' not in client.get(f"/issues/{done_late}").get_data(as_text=True)
    listing = client.get("/issues/").get_data(as_text=True)
    assert "共 1 个问题已逾期" in listing
    only = client.get("/issues/?overdue=1").get_data(as_text=True)
    assert "逾期的问题" in only and "逾期后办结的问题" not in only and "荣格精工扩产项目用地指标未落实" not in only


def test_list_filters_sort_and_pages(auth, client, session, world):
    auth.login_as("staff")
    create(client, world, description="变电站前期慢", category="utilities", level="joint_meeting", project_id="",
           responsible_unit_id=str(world.units["county_a"].id), raised_on="2026-03-01")
    text = client.get("/issues/?category=utilities").get_data(as_text=True)
    assert "变电站前期慢" in text and "园区融资渠道单一" not in text
    assert "变电站前期慢" in client.get("/issues/?level=joint_meeting").get_data(as_text=True)
    assert "变电站前期慢" not in client.get("/issues/?level=zone_committee").get_data(as_text=True)
    text = client.get(f"/issues/?unit={world.units['county_a'].id}").get_data(as_text=True)
    assert "变电站前期慢" in text and "园区融资渠道单一" not in text
    text = client.get("/issues/?project=扩产").get_data(as_text=True)
    assert "荣格精工扩产项目用地指标未落实" in text and "变电站前期慢" not in text
    text = client.get("/issues/?status=resolved").get_data(as_text=True)
    assert "轻纺企业招工难" in text and "变电站前期慢" not in text
    text = client.get("/issues/?status=open").get_data(as_text=True)
    assert "变电站前期慢" in text and "轻纺企业招工难" not in text
    assert "变电站前期慢" in client.get("/issues/?q=WT2026-001").get_data(as_text=True)
    text = client.get("/issues/?sort=raised").get_data(as_text=True)
    assert text.index("园区融资渠道单一") < text.index("变电站前期慢")
    text = client.get("/issues/?sort=-raised").get_data(as_text=True)
    assert text.index("变电站前期慢") < text.index("园区融资渠道单一")
    paged = client.get("/issues/?per_page=2&page=2&sort=number").get_data(as_text=True)
    assert "共 4 条" in paged and "轻纺企业招工难" in paged and "园区融资渠道单一" not in paged
    assert client.get("/issues/?status=x&category=y&level=z&unit=abc&sort=DROP&page=-3&per_page=0&overdue=maybe").status_code == 200


def test_export_has_chinese_headers_and_the_lists_rows(auth, client, world):
    auth.login_as("staff")
    create(client, world, description="=HYPERLINK(\"http://x\")")
    auth.login_as("leader")
    sheet = load_workbook(io.BytesIO(client.get("/issues/export.xlsx?sort=number").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "问题描述", "所属项目") and "责任单位" in rows[0] and "办理期限" in rows[0] and "逾期" in rows[0]
    numbers = [r[0] for r in rows[1:]]
    assert numbers == ["WT2025-001", "WT2025-002", "WT2025-003", "WT2025-004", "WT2026-001"]  # county A only
    assert "'=HYPERLINK(\"http://x\")" in [r[1] for r in rows[1:]]
    assert rows[1][2] == WORLD_PROJECT and rows[2][2] == "县级问题"


# --- the period report -------------------------------------------------------------------------
def _backdate(app, issue_id: int, **fields) -> None:  # type: ignore[no-untyped-def]
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        issue = db.session.get(Issue, issue_id)
        for name, value in fields.items():
            setattr(issue, name, value)
        db.session.commit()


def _action_at(app, issue_id: int, at: datetime) -> None:  # type: ignore[no-untyped-def]
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        db.session.add(IssueAction(issue_id=issue_id, kind=IssueActionKind.URGE, note="催办", at=at))
        db.session.commit()


def test_period_report_lists(app, auth, client, world):
    # World issues were raised 2025-10-10; issue_resolved was 办结 2025-10-20.
    r = world.records
    _action_at(app, r["issue"], datetime(2025, 10, 14, 1, 0, tzinfo=timezone.utc))  # 09:00 in Shanghai, Tue of that week
    _action_at(app, r["issue_progress"], datetime(2025, 10, 12, 16, 30, tzinfo=timezone.utc))  # Mon 00:30 of the next week there
    auth.login_as("chief")
    week = client.get("/issues/report?start=2025-10-06&end=2025-10-12").get_data(as_text=True)
    sections = _sections(week)
    assert {"荣格精工扩产项目用地指标未落实", "园区融资渠道单一", "轻纺企业招工难"} <= set(sections["new"])
    assert set(sections["progress"]) == {"荣格精工扩产项目用地指标未落实", "园区融资渠道单一", "轻纺企业招工难"}
    assert sections["finished"] == []
    next_week = _sections(client.get("/issues/report?start=2025-10-13&end=2025-10-19").get_data(as_text=True))
    assert next_week["new"] == [] and set(next_week["progress"]) == {"荣格精工扩产项目用地指标未落实", "园区融资渠道单一", "轻纺企业招工难"}
    resolved_week = _sections(client.get("/issues/report?start=2025-10-20&end=2025-10-26").get_data(as_text=True))
    assert resolved_week["finished"] == ["轻纺企业招工难"] and "轻纺企业招工难" not in resolved_week["progress"]
    later = _sections(client.get("/issues/report?start=2025-11-03&end=2025-11-09").get_data(as_text=True))
    assert "轻纺企业招工难" not in later["progress"] + later["finished"]  # done before; waiting for 销号 is not reported again
    sheet = load_workbook(io.BytesIO(client.get("/issues/report.xlsx?start=2025-10-20&end=2025-10-26").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("清单", "编号", "问题描述")
    assert ("已办结销号", "WT2025-003") in [(row[0], row[1]) for row in rows[1:]]


def test_a_long_period_report_shows_the_first_of_each_list_and_exports_them_all(auth, client, world, monkeypatch):
    import crm.issues.views as views

    monkeypatch.setattr(views, "REPORT_SHOWN", 1)
    auth.login_as("chief")
    week = client.get("/issues/report?start=2025-10-06&end=2025-10-12").get_data(as_text=True)
    progress = week[week.index('data-testid="report-progress"'):]
    assert 'data-testid="report-progress-more"' in progress and "共 3 项" in progress
    assert len(_sections(week)["progress"]) == 1
    sheet = load_workbook(io.BytesIO(client.get("/issues/report.xlsx?start=2025-10-06&end=2025-10-12").data)).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if row[0] == "推进落实") == 3


def test_period_report_counts_actions_by_local_day_and_closing(app, auth, client, session, world):
    r = world.records
    _backdate(app, r["issue_progress"], resolved_on=date(2025, 10, 21), status=IssueStatus.RESOLVED)
    # The 办结 action fell on Tuesday in Shanghai (Monday evening UTC): it counts in the week of the 20th.
    _action_at(app, r["issue_progress"], datetime(2025, 10, 20, 17, 0, tzinfo=timezone.utc))
    auth.login_as("chief")
    week = _sections(client.get("/issues/report?start=2025-10-20&end=2025-10-26").get_data(as_text=True))
    assert "园区融资渠道单一" in week["progress"] and "园区融资渠道单一" in week["finished"]
    auth.login_as("reviewer")
    issue_id = r["issue_resolved"]
    _backdate(app, issue_id, status=IssueStatus.CLOSED, closed_on=date(2025, 11, 5), closed_by_id=world.users["reviewer"].id)
    closed = _sections(client.get("/issues/report?start=2025-11-03&end=2025-11-09").get_data(as_text=True))
    assert closed["finished"] == ["轻纺企业招工难"] and "轻纺企业招工难" not in closed["progress"]


def test_report_defaults_to_this_week_and_survives_nonsense(auth, client, world):
    from crm.domain.issues import week_of

    auth.login_as("leader")
    monday, sunday = week_of(datetime.now(timezone(timedelta(hours=8))).date())
    text = client.get("/issues/report").get_data(as_text=True)
    assert f"统计期间：{monday.isoformat()} 至 {sunday.isoformat()}" in text
    for query in ("start=abc", "start=2025-10-20&end=2025-10-01", "start=1990-01-01&end=2099-12-31"):
        text = client.get(f"/issues/report?{query}").get_data(as_text=True)
        assert f"统计期间：{monday.isoformat()} 至 {sunday.isoformat()}" in text, query
    text = client.get("/issues/report?start=2025-10-08").get_data(as_text=True)
    assert "统计期间：2025-10-08 至 2025-10-12" in text  # the end defaults to that week's Sunday


def _sections(page: str) -> dict[str, list[str]]:
    """The descriptions listed in each of the report's three tables."""
    import re

    out = {}
    for key in ("new", "progress", "finished"):
        start = page.index(f'data-testid="report-{key}"')
        end = page.index("</table>", start)
        out[key] = re.findall(r'<td class="text-break">([^<]*)</td>', page[start:end])
    return out


# --- the project page section and counts --------------------------------------------------------
def test_project_section_shows_open_issues_and_folds_closed_ones(app, auth, client, session, world):
    project_id = world.records["project"]
    auth.login_as("staff")
    late = create(client, world, description="项目逾期问题", raised_on="2026-01-05", deadline="2026-02-01",
                  responsible_unit_id=str(world.units["branch_a2"].id), responsible_person="分局长")
    closed = create(client, world, description="项目已销号问题")
    post(client, closed, "assign", session)
    post(client, closed, "resolve", session, note="办结")
    auth.login_as("reviewer")
    post(client, closed, "close", session)
    auth.login_as("staff")
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    section = page[page.index('data-testid="issues-section"'):]
    table, folded = section.split("<details", 1)
    assert "项目逾期问题" in table and "甲县第二招商分局" in table and "分局长" in table and "2026-02-01" in table
    assert 'data-testid="overdue"' in table and "荣格精工扩产项目用地指标未落实" in table and "待交办" in table
    assert "项目已销号问题" not in table and "项目已销号问题" in folded
    assert "新增问题" in section
    auth.login_as("leader")
    section = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "项目逾期问题" in section and f"/projects/{project_id}/issues/new" not in section
    assert late


def test_project_section_and_counts_take_a_fixed_number_of_queries(app, world):
    from flask import g

    from crm.access.scoping import set_scope
    from crm.access.policy import build_actor
    from crm.extensions import db
    from crm.issues.queries import open_issue_counts, project_section
    from crm.projects.models import Project

    def run(extra: int):  # type: ignore[no-untyped-def]
        with app.test_request_context():
            actor = build_actor(world.users["staff"])
            g.actor = actor
            set_scope(db.session, actor)
            project = db.session.get(Project, world.records["project"])
            for n in range(extra):
                new_issue(db.session, unit_id=project.unit_id, project_id=project.id, description=f"问题{n}", source="company",
                          raised_on=date(2024, 1, 1), deadline=date(2024, 2, 1), status=IssueStatus.IN_PROGRESS)
            with count_statements(db.engine) as section_sql:
                section = project_section(project)
            with count_statements(db.engine) as counts_sql:
                counts = open_issue_counts([project.id, 999999], today=date(2025, 1, 1))
            db.session.rollback()
            return section, len(section_sql), counts, len(counts_sql)

    small = run(0)
    big = run(6)
    assert small[1] == big[1] and big[3] == 1
    assert len(big[0]["current"]) == 7 and len(big[0]["overdue_ids"]) == 6 and big[0]["can_create"]
    assert big[2] == {world.records["project"]: (7, 6), 999999: (0, 0)}
    assert small[2] == {world.records["project"]: (1, 0), 999999: (0, 0)}


def test_open_issue_counts_are_scoped(app, world):
    from flask import g

    from crm.access.policy import build_actor
    from crm.access.scoping import set_scope
    from crm.extensions import db
    from crm.issues.queries import open_issue_counts

    with app.test_request_context():
        for who, expected in (("staff", (1, 0)), ("staff_a2", (0, 0)), ("staff_b", (0, 0))):
            actor = build_actor(world.users[who])
            g.actor = actor
            set_scope(db.session, actor)
            assert open_issue_counts([world.records["project"]], today=date(2026, 1, 1)) == {world.records["project"]: expected}, who
        assert open_issue_counts([]) == {}


# --- demo -------------------------------------------------------------------------------------
DEMO_PROJECTS = {  # name -> unit, as the lead's demo loader makes them
    "鲁山县石材建材工业城": "第一招商分局",
    "海亮(兴发)工业园": "第一招商分局",
    "中德纺织科技园": "第一招商分局",
    "海威特种布项目": "第一招商分局",
}


def test_demo_issues_are_anchored_and_loaded_once(app, session):
    from crm.access.scoping import SYSTEM, set_scope
    from crm.companies.models import Company
    from crm.demo.issues import load_issues
    from crm.demo.services import LoadReport, load_demo
    from crm.domain.issues import is_overdue
    from crm.domain.pipeline import Stage
    from crm.extensions import db
    from crm.projects.models import Project
    from crm.users.models import User

    today = date(2026, 3, 2)
    with app.app_context():
        set_scope(db.session, SYSTEM)
        load_demo(today)
        company = db.session.scalars(sa.select(Company).limit(1)).one()
        staff1 = db.session.scalars(sa.select(User).where(User.username == "staff1")).one()
        for name, unit in DEMO_PROJECTS.items():
            if db.session.scalar(sa.select(Project.id).where(Project.name == name)) is None:
                unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.name == unit))
                db.session.add(Project(name=name, company_id=company.id, unit_id=unit_id, owner_id=staff1.id, stage=Stage.SIGNED))
        db.session.flush()
        report = LoadReport()
        load_issues(report, today)
        again = LoadReport()
        load_issues(again, today + timedelta(days=40))
        db.session.commit()
        assert again.created.get("issues") is None
        assert session.scalar(sa.select(sa.func.count()).select_from(Issue)) == 5

    found = session.scalars(sa.select(Issue).order_by(Issue.raised_on)).all()
    issues = {key: next(i for i in found if i.description.startswith(key)) for key in ("已征5000亩", "融资渠道单一", "北区110千伏", "大王庄等7村", "轻纺企业招工")}
    land, money, power, villages, hiring = issues.values()
    assert land.project.name == "鲁山县石材建材工业城" and land.responsible_unit.name == "土地综合利用指挥部"
    assert land.level is IssueLevel.JOINT_MEETING and land.status is IssueStatus.IN_PROGRESS
    assert [i for i in issues.values() if is_overdue(i.deadline, i.status, today)] == [land]
    assert money.project_id is None and money.unit.name == "鲁山县招商局" and money.level is IssueLevel.GOVERNMENT
    assert money.responsible_unit.name == "鲁山县产业集聚区管委会"
    assert power.status is IssueStatus.NEW and power.level is IssueLevel.ZONE and power.project.name == "海亮(兴发)工业园"
    assert villages.level is IssueLevel.PARTY and villages.responsible_unit.name == "新型社区建设指挥部"
    assert hiring.status is IssueStatus.RESOLVED and hiring.responsible_unit.name == "鲁山县人力资源和社会保障局"
    assert hiring.resolved_on == today - timedelta(days=5)  # 2025-05-16 is five days before the report day
    assert {i.responsible_person for i in issues.values()} <= {"指挥长", "主任", "局长"}
    assert all(len(i.actions) >= 1 for i in issues.values()) and len(land.actions) == 4
    assert land.number.startswith(f"WT{land.raised_on.year}-") and len({i.number for i in issues.values()}) == 5
    assert all(a.at.date() <= today for i in issues.values() for a in i.actions)
    leaders = [a for a in land.actions if a.actor and a.actor.username == "leader"]
    assert len(leaders) == 1 and leaders[0].kind is IssueActionKind.URGE


def test_the_report_lists_in_sql_agree_with_the_domain_rule(app_session, world):
    """``report_list_clauses`` (SQL) puts every issue in exactly the lists ``crm.domain.issues.report_lists`` says,
    for issues raised, worked on, finished and closed before, in and after the periods."""
    from itertools import product

    from crm.domain.issues import report_lists
    from crm.issues.queries import local_bounds, report_list_clauses

    days = [date(2025, 9, 29), date(2025, 10, 6), date(2025, 10, 9), date(2025, 10, 12), date(2025, 10, 20), None]
    made: list[Issue] = []
    for n, (raised, finished, closed, worked) in enumerate(product(days[:-1], days, days, (None, date(2025, 10, 8)))):
        if (finished and finished < raised) or (closed and (closed < raised or (finished and closed < finished))):
            continue
        issue = new_issue(app_session, unit_id=world.units["branch_a1"].id, description=f"对照{n}", raised_on=raised,
                          responsible_person="王", deadline=date(2030, 1, 1), resolved_on=finished,
                          closed_on=closed, closed_by_id=world.users["reviewer"].id if closed else None,
                          status=IssueStatus.CLOSED if closed else IssueStatus.RESOLVED if finished else IssueStatus.IN_PROGRESS)
        if worked:
            at = local_bounds(worked, worked)[0] + timedelta(hours=10)
            app_session.add(IssueAction(issue_id=issue.id, kind=IssueActionKind.URGE, note="催办", at=at))
        made.append(issue)
    app_session.flush()
    ids = [i.id for i in made]
    for start, end in ((date(2025, 10, 6), date(2025, 10, 12)), (date(2025, 10, 13), date(2025, 10, 19)), (date(2025, 9, 29), date(2025, 10, 5))):
        begin, finish = local_bounds(start, end)
        acted = set(app_session.scalars(sa.select(IssueAction.issue_id).where(IssueAction.at >= begin, IssueAction.at < finish)))
        for kind, clause in report_list_clauses(start, end).items():
            in_sql = set(app_session.scalars(sa.select(Issue.id).where(clause, Issue.id.in_(ids))))
            by_rule = {i.id for i in made if kind in report_lists(i.raised_on, i.resolved_on, i.closed_on, i.id in acted, start, end)}
            assert in_sql == by_rule, (kind, start)
    assert len(made) > 100
