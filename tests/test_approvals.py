"""审批手续 / 联审联批 (issue 17): a project's procedures with bad input kept next to its field, the 承诺时限 in working
days on the official calendar, overdue ones turning the project red and raised as a 问题 once, the 联审联批 view and
its exports, the county's 审批事项清单, the digest's line, and another unit's procedures never shown
(records: tests/world_parts/approvals.py)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from crm.approvals.models import ApprovalProcedure
from crm.clock import local_today
from crm.domain.approvals import ProcedureStatus
from crm.domain.projects import Rag, RagCause
from crm.issues.models import Issue
from crm.reports.models import ReportSettings
from tests.helpers import in_app


def _text(response) -> str:
    return response.get_data(as_text=True)


def _today(app) -> date:
    with app.app_context():
        return local_today()


def _overdue(session, *keys, world) -> None:
    """The world's procedures (in time as built) past their 承诺时限."""
    for key in keys:
        row = session.get(ApprovalProcedure, world.records[key])
        row.filed_on, row.deadline = row.filed_on - timedelta(days=60), row.filed_on - timedelta(days=30)
    session.commit()


def _form(world, **extra):
    return {"kind": "环评", "agent_unit_id": str(world.units["branch_a1"].id), "agent_user_id": "", "agent_name": "环评代办员",
            "promised_workdays": "", "filed_on": "", "finished_on": "", "note": "", **extra}


def test_bad_input_is_refused_next_to_its_field_and_kept(app, client, login_as, world, session):
    login_as("staff")
    url = f"/projects/{world.records['project']}/approvals/new"
    today = _today(app)
    for extra, message in (
        ({"kind": ""}, "请选择审批事项"),
        ({"kind": "没有这项"}, "请从列表中选择"),
        ({"kind": "用地预审"}, "该项目已有这项审批手续"),
        ({"agent_unit_id": ""}, "须明确代办单位"),
        ({"agent_unit_id": str(world.units["branch_b1"].id)}, "请从列表中选择"),  # another county's unit
        ({"promised_workdays": "二十"}, "请输入整数"),
        ({"promised_workdays": "0"}, "工作日应在 1 到 250 之间"),
        ({"filed_on": "2025-02-30"}, "请输入日期，例如 2025-04-18"),
        ({"filed_on": (today + timedelta(days=1)).isoformat()}, "受理/申报日期不能晚于今天"),
        ({"finished_on": today.isoformat()}, "已办结的事项须填写受理/申报日期"),
        ({"filed_on": today.isoformat(), "finished_on": (today - timedelta(days=1)).isoformat()}, "办结日期不能早于受理/申报日期"),
    ):
        response = client.post(url, data=_form(world, **extra))
        page = _text(response)
        assert response.status_code == 400 and message in page, extra
        assert "环评代办员" in page  # what was typed stays
    assert session.scalar(sa.select(sa.func.count()).select_from(ApprovalProcedure).where(ApprovalProcedure.kind == "环评")) == 0


def test_a_procedure_counts_its_promise_in_working_days_and_is_edited_with_the_version_seen(app, client, login_as, world, session):
    login_as("staff")
    project_id = world.records["project"]
    filed = date(2025, 9, 30)  # 国庆 and 中秋 follow: 3 working days end on 2025-10-11 (a 调休 Saturday)
    response = client.post(f"/projects/{project_id}/approvals/new", data=_form(world, filed_on=filed.isoformat(), promised_workdays="3"))
    assert response.status_code == 302, _text(response)[:800]
    row = session.scalars(sa.select(ApprovalProcedure).where(ApprovalProcedure.kind == "环评")).one()
    assert (row.status, row.deadline, row.promised_workdays, row.agent) == (ProcedureStatus.HANDLING, date(2025, 10, 11), 3, "环评代办员")
    # left blank, the 承诺时限 is the kind's on the county's list (default: 能评 15)
    client.post(f"/projects/{project_id}/approvals/new", data=_form(world, kind="能评", filed_on=""))
    assert session.scalars(sa.select(ApprovalProcedure).where(ApprovalProcedure.kind == "能评")).one().promised_workdays == 15
    url = f"/approvals/{row.id}/edit"
    done = _form(world, filed_on=filed.isoformat(), promised_workdays="3", finished_on="2025-10-10", agent_user_id=str(world.users["staff"].id),
                 agent_name="")
    stale = client.post(url, data={**done, "version": "0"})
    assert stale.status_code == 400 and "已被他人修改" in _text(stale)
    assert client.post(url, data={**done, "version": str(row.version)}).status_code == 302
    session.expire_all()
    row = session.get(ApprovalProcedure, row.id)
    assert (row.status, row.finished_on, row.agent) == (ProcedureStatus.DONE, date(2025, 10, 10), "staff_a1姓名")
    assert client.get(f"/history/approval_procedures/{row.id}").status_code == 200


def test_an_overdue_procedure_turns_the_project_red_and_is_raised_as_an_issue_once(app, client, login_as, world, session):
    login_as("staff")
    assert "审批手续超过承诺时限" not in _text(client.get(f"/projects/{world.records['project']}"))  # in time: no reason
    _overdue(session, "procedure", world=world)
    project_id, procedure_id = world.records["project"], world.records["procedure"]
    page = _text(client.get(f"/projects/{project_id}"))
    assert 'data-testid="approvals-section"' in page and "用地预审" in page and 'data-testid="procedure-overdue"' in page
    assert "1 项审批手续超过承诺时限" in page  # the 红黄绿 reason
    with in_app(app):
        from crm.projects.models import Project
        from crm.projects.rag import project_rag

        colour, reasons = project_rag(session.get(Project, project_id), _today(app))
    assert colour is Rag.RED and any(r.cause is RagCause.PROCEDURES_OVERDUE and r.count == 1 for r in reasons)
    version = session.get(ApprovalProcedure, procedure_id).version
    assert client.post(f"/approvals/{procedure_id}/escalate", data={"version": str(version)}).status_code == 302
    session.expire_all()
    row = session.get(ApprovalProcedure, procedure_id)
    issue = session.get(Issue, row.issue_id)
    assert issue.project_id == project_id and issue.responsible_unit_id == world.units["branch_a1"].id and "用地预审" in issue.description
    assert issue.category.value == "approvals" and issue.deadline > _today(app)
    again = client.post(f"/approvals/{procedure_id}/escalate", data={"version": str(row.version)}, follow_redirects=True)
    assert "该审批手续已上报问题台账" in _text(again)
    assert session.scalar(sa.select(sa.func.count()).select_from(Issue).where(Issue.project_id == project_id, Issue.description.contains("用地预审"))) == 1
    assert issue.number in _text(client.get(f"/projects/{project_id}"))  # the link back


def test_a_procedure_in_time_is_not_raised(app, client, login_as, world, session):
    login_as("staff")
    client.post(f"/projects/{world.records['project']}/approvals/new", data=_form(world, filed_on=_today(app).isoformat()))
    row = session.scalars(sa.select(ApprovalProcedure).where(ApprovalProcedure.kind == "环评")).one()
    refused = client.post(f"/approvals/{row.id}/escalate", data={"version": "1"}, follow_redirects=True)
    assert "该审批手续未逾期，不必上报" in _text(refused)
    session.expire_all()
    assert session.get(ApprovalProcedure, row.id).issue_id is None


def test_another_units_staff_can_neither_see_nor_edit(app, client, login_as, world, session):
    _overdue(session, "procedure", "procedure_a2", "procedure_b", world=world)
    login_as("staff")  # branch_a1's
    a2 = world.records["procedure_a2"]
    assert client.get(f"/approvals/{a2}/edit").status_code == 404
    assert client.post(f"/approvals/{a2}/edit", data=_form(world, kind="用地预审", version="1")).status_code == 404
    assert client.post(f"/approvals/{a2}/escalate", data={"version": "1"}).status_code == 404
    assert client.post(f"/projects/{world.records['project_a2']}/approvals/new", data=_form(world)).status_code == 404
    report = _text(client.get("/approvals/"))
    with in_app(app):
        from crm.projects.models import Project

        a2_name = session.get(Project, world.records["project_a2"]).name
        b_name = session.get(Project, world.records["project_b"]).name
    assert a2_name not in report and b_name not in report and "共 1 项审批手续（不含不适用），逾期 1 项" in report
    assert client.get("/approvals/export.xlsx").status_code == 403  # the export is the county roles'
    assert session.scalar(sa.select(sa.func.count()).select_from(ApprovalProcedure).where(ApprovalProcedure.id == a2,
                                                                                          ApprovalProcedure.version == 2)) == 1  # as _overdue left it


def test_the_county_view_groups_by_kind_and_unit_and_the_leader_exports_it(app, client, login_as, world, session):
    _overdue(session, "procedure", "procedure_a2", "procedure_b", world=world)
    login_as("leader")
    page = _text(client.get("/approvals/"))
    assert 'data-testid="by-kind"' in page and 'data-testid="by-unit"' in page
    assert "共 2 项审批手续（不含不适用），逾期 2 项" in page  # county A's two, not county B's
    assert "甲县第一招商分局" in page and "甲县第二招商分局" in page and "乙县第一招商分局" not in page
    filtered = _text(client.get(f"/approvals/?unit={world.units['branch_a2'].id}&status=overdue"))
    assert "共 1 项审批手续（不含不适用），逾期 1 项" in filtered
    response = client.get("/approvals/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:3] == ["项目", "跟踪单位", "审批事项"] and len([r for r in rows[1:] if r[2] == "用地预审"]) == 2
    assert all(r[11] == "是" for r in rows[1:] if r[2] == "用地预审")
    summary = load_workbook(io.BytesIO(client.get("/approvals/summary.xlsx").data)).active
    lines = [[c.value for c in r] for r in summary.iter_rows()]
    assert ["按审批事项", "用地预审", 2, 2, 2, 0, 0] == lines[1][:7]


def test_the_county_sets_its_list_of_kinds(app, client, login_as, world, session):
    login_as("staff")
    assert client.post("/approvals/kinds", data={"kinds": "环评 30"}).status_code == 403
    assert "用地预审 · 20 个工作日" in _text(client.get("/approvals/kinds"))  # the default list
    login_as("reviewer")
    bad = client.post("/approvals/kinds", data={"kinds": "环评 30\n水土保持 二十"})
    assert bad.status_code == 400 and "第 2 行：请写成“事项名称 工作日数”" in _text(bad) and "水土保持 二十" in _text(bad)
    assert client.post("/approvals/kinds", data={"kinds": "环评 30\n水土保持方案 12"}).status_code == 302
    assert session.scalar(sa.select(ReportSettings.value).where(ReportSettings.key == "approval_kinds")) == {"kinds": [["环评", 30], ["水土保持方案", 12]]}
    login_as("staff")
    form = _text(client.get(f"/projects/{world.records['project']}/approvals/new"))
    assert "水土保持方案（12 个工作日）" in form and "施工许可" not in form
    # a kind dropped from the list stays on the procedure that names it
    assert "用地预审" in _text(client.get(f"/approvals/{world.records['procedure']}/edit"))


def test_the_weekly_digest_tells_the_unit_of_its_overdue_procedures(app, world, session):
    from crm.digests.build import Week, unit_overdue

    _overdue(session, "procedure", "procedure_b", world=world)
    with in_app(app), app.test_request_context():
        year, week, _day = local_today().isocalendar()
        section = unit_overdue(world.units["branch_a1"].id, Week.of(f"{year}-W{week:02d}", app.config["CRM_TIMEZONE"]))
        texts = [item.text for item in section.items]
        other = [item.text for item in unit_overdue(world.units["branch_b1"].id, Week.of(f"{year}-W{week:02d}", app.config["CRM_TIMEZONE"])).items]
    assert "超过承诺时限的审批手续 1 项" in texts and "超过承诺时限的审批手续 1 项" in other  # each unit its own
