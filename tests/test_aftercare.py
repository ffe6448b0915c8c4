"""安商 (issue 17): a 诉求 goes 受理 → 办理 → 办结 → 回访 with bad input kept next to its field, its 时限 in working
days, 上报问题台账 once, the 考核 rates by 责任单位, the 挂牌保护 list, and the 宁静日 warning on the visit form
(records: tests/world_parts/aftercare.py)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from crm.aftercare.models import CompanyProtection, CompanyRequest
from crm.clock import local_today
from crm.domain.aftercare import RequestStatus, Satisfaction
from crm.issues.models import Issue
from crm.reports.models import ReportSettings


def _text(response) -> str:
    return response.get_data(as_text=True)


def _today(app) -> date:
    with app.app_context():
        return local_today()


def _form(world, **extra):
    return {"company_name": "荣格精工有限公司", "kind": "request", "category": "financing", "subject": "流动资金贷款担保",
            "received_on": "", "responsible_unit_id": str(world.units["branch_a1"].id), "responsible_person": "局长",
            "deadline": "", "deadline_workdays": "", **extra}


def test_bad_input_is_refused_next_to_its_field_and_kept(app, client, login_as, world, session):
    login_as("staff")
    today = _today(app).isoformat()
    for extra, message in (
        ({"received_on": today, "deadline_workdays": "三天"}, "请输入整数"),
        ({"received_on": today, "deadline_workdays": "0"}, "工作日应在 1 到 250 之间"),
        ({"received_on": today}, "须明确办理时限（日期或工作日）"),
        ({"received_on": today, "deadline": "2000-01-01"}, "办理时限不能早于受理日期"),
        ({"received_on": "2025-02-30", "deadline_workdays": "5"}, "请输入日期，例如 2025-04-18"),
        ({"received_on": today, "deadline_workdays": "5", "company_name": "不存在的企业"}, "企业库中没有「不存在的企业」"),
        ({"received_on": today, "deadline_workdays": "5", "responsible_person": ""}, "须明确负责人"),
        ({"received_on": today, "deadline_workdays": "5", "responsible_unit_id": str(world.units["branch_b1"].id)}, "请从列表中选择"),
    ):
        response = client.post("/aftercare/requests/new", data=_form(world, **extra))
        page = _text(response)
        assert response.status_code == 400 and message in page, extra
        assert "流动资金贷款担保" in page  # what was typed stays
    assert session.scalar(sa.select(sa.func.count()).select_from(CompanyRequest).where(CompanyRequest.subject == "流动资金贷款担保")) == 0


def test_a_request_goes_from_accepted_to_revisited(app, client, login_as, world, session):
    login_as("staff")
    received = date(2025, 9, 30)  # 国庆 and 中秋 follow: 3 working days end on 2025-10-11 (a 调休 Saturday)
    response = client.post("/aftercare/requests/new", data=_form(world, received_on=received.isoformat(), deadline_workdays="3"))
    assert response.status_code == 302, _text(response)[:800]
    row = session.scalars(sa.select(CompanyRequest).where(CompanyRequest.subject == "流动资金贷款担保")).one()
    assert (row.status, row.deadline, row.deadline_workdays, row.unit_id) == (RequestStatus.ACCEPTED, date(2025, 10, 11), 3,
                                                                             world.units["branch_a1"].id)
    url = f"/aftercare/requests/{row.id}"
    assert client.post(f"{url}/move/finish", data={"version": "1", "result": "x"}).status_code == 400  # 办结 only after 办理
    assert client.post(f"{url}/move/handle", data={"version": "1"}).status_code == 302
    refused = client.post(f"{url}/move/finish", data={"version": "2", "result": ""})
    assert refused.status_code == 400 and "请填写办理结果" in _text(refused)
    stale = client.post(f"{url}/move/finish", data={"version": "1", "result": "县担保公司已放款"})
    assert stale.status_code == 400 and "已被他人修改" in _text(stale)
    assert client.post(f"{url}/move/finish", data={"version": "2", "result": "县担保公司已放款"}).status_code == 302
    bad = client.post(f"{url}/move/revisit", data={"version": "3", "satisfaction": "很好", "revisit_note": "企业认可"})
    assert bad.status_code == 400 and "请从列表中选择" in _text(bad) and "企业认可" in _text(bad)
    assert client.post(f"{url}/move/revisit", data={"version": "3", "satisfaction": "mostly"}).status_code == 302
    session.expire_all()
    row = session.get(CompanyRequest, row.id)
    assert (row.status, row.satisfaction, row.done_on, row.revisited_on) == (RequestStatus.REVISITED, Satisfaction.MOSTLY, _today(app), _today(app))
    assert "基本满意" in _text(client.get(url))
    assert client.get(f"{url}/edit").status_code == 302  # 办结: no more edits


def test_escalation_makes_one_issue_linked_back(app, client, login_as, world, session):
    login_as("chief")
    rid = world.records["request"]
    assert client.post(f"/aftercare/requests/{rid}/escalate", data={"version": "1"}).status_code == 302
    row = session.get(CompanyRequest, rid)
    issue = session.get(Issue, row.issue_id)
    assert issue.source.value == "company" and issue.responsible_person == "局长" and "用电增容报装" in issue.description
    assert issue.category.value == "utilities" and issue.deadline == row.deadline
    again = client.post(f"/aftercare/requests/{rid}/escalate", data={"version": str(row.version)})
    assert again.status_code == 400 and "已上报问题台账" in _text(again)
    assert issue.number in _text(client.get(f"/aftercare/requests/{rid}"))


def test_rates_by_responsible_unit(app, client, login_as, world):
    login_as("reviewer")  # the county's: every branch
    page = _text(client.get("/aftercare/requests/rates"))
    assert "甲县第一招商分局" in page and "甲县第二招商分局" in page and "乙县" not in page
    assert "33.33%" in page  # branch_a1: 1 of 3 办结
    sheet = load_workbook(io.BytesIO(client.get("/aftercare/requests/rates.xlsx").data)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["甲县第一招商分局"][1:4] == (3, 1, 1)


def test_the_list_and_export_keep_to_the_scope(client, login_as, world):
    login_as("staff_a2")
    sheet = load_workbook(io.BytesIO(client.get("/aftercare/requests/export.xlsx").data)).active
    units = [r[16] for r in sheet.iter_rows(values_only=True, min_row=2) if r and r[0]]
    assert units and set(units) == {"甲县第二招商分局"}


def test_the_protection_list(app, client, login_as, world, session, auth):
    login_as("reviewer")
    page = _text(client.get("/aftercare/protections/"))
    assert "荣格精工有限公司" in page and "leader_a姓名" in page
    data = {"company_name": "荣格精工有限公司", "listed_on": _today(app).isoformat(), "leader_id": str(world.users["leader"].id),
            "contact_unit_id": str(world.units["branch_a2"].id), "notes": "重点税源"}
    twice = client.post("/aftercare/protections/new", data=data)
    assert twice.status_code == 400 and "该企业已在挂牌保护名单中" in _text(twice) and "重点税源" in _text(twice)
    not_a_leader = client.post("/aftercare/protections/new", data={**data, "company_name": "深圳市荣格精工有限公司",
                                                                   "leader_id": str(world.users["staff"].id)})
    assert not_a_leader.status_code == 400
    future = client.post("/aftercare/protections/new", data={**data, "company_name": "深圳市荣格精工有限公司",
                                                             "listed_on": (_today(app) + timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "挂牌日期不能晚于今天" in _text(future)
    assert client.post("/aftercare/protections/new", data={**data, "company_name": "深圳市荣格精工有限公司"}).status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(CompanyProtection).where(
        CompanyProtection.unit_id == world.units["county_a"].id)) == 2
    sheet = load_workbook(io.BytesIO(client.get("/aftercare/protections/export.xlsx").data)).active
    assert {r[0] for r in sheet.iter_rows(values_only=True, min_row=2) if r and r[0]} >= {"荣格精工有限公司", "深圳市荣格精工有限公司"}
    auth.logout()
    login_as("staff")  # reads the county's list, keeps none of it
    assert "深圳市荣格精工有限公司" in _text(client.get("/aftercare/protections/"))
    assert client.post("/aftercare/protections/new", data=data).status_code == 403


def test_quiet_days_warn_a_service_visit(app, client, login_as, world, session, auth):
    login_as("reviewer")
    bad = client.post("/aftercare/quiet-days", data={"days": "1-40"})
    assert bad.status_code == 400 and "无法识别“1-40”" in _text(bad) and 'value="1-40"' in _text(bad)
    markup = client.post("/aftercare/quiet-days", data={"days": "<b>1</b>"})  # quoted back escaped (the fuzz test found it)
    assert markup.status_code == 400 and "<b>1</b>" not in _text(markup) and "&lt;b&gt;1&lt;/b&gt;" in _text(markup)
    assert client.post("/aftercare/quiet-days", data={"days": "1－20"}).status_code == 302
    row = session.scalars(sa.select(ReportSettings).where(ReportSettings.key == "quiet_days")).one()
    assert row.value == {"days": list(range(1, 21))} and row.unit_id == world.units["county_a"].id
    assert "每月 1-20 日" in _text(client.get("/aftercare/quiet-days"))
    auth.logout()
    login_as("staff")
    quiet = date(2025, 5, 12)
    visit = {"type": "service", "start_on": quiet.isoformat(), "outcome": "none", "stops-0-company_name": "荣格精工有限公司"}
    saved = client.post("/visits/new", data=visit, follow_redirects=True)
    assert saved.status_code == 200 and "是本县的企业宁静日" in _text(saved)  # warned, and saved all the same
    calm = client.post("/visits/new", data={**visit, "start_on": "2025-05-25"}, follow_redirects=True)
    assert "企业宁静日" not in _text(calm).replace('data-quiet-text="', "")
    other_kind = client.post("/visits/new", data={**visit, "type": "outbound"}, follow_redirects=True)
    assert "是本县的企业宁静日" not in _text(other_kind)
    refused = client.post("/visits/new", data={**visit, "end_on": "2025-05-01"})  # refused for its dates: the warning is on the form
    assert refused.status_code == 400 and "2025-05-12 是本县的企业宁静日" in _text(refused)


def test_a_new_protection_is_active_and_delisting_keeps_the_row(app, client, login_as, world, session):
    login_as("admin")
    data = {"company_name": "深圳市荣格精工有限公司", "listed_on": _today(app).isoformat(), "leader_id": str(world.users["leader"].id),
            "contact_unit_id": str(world.units["branch_a2"].id)}
    assert client.post("/aftercare/protections/new", data=data).status_code == 302  # no is_active posted: 保护中
    row = session.scalars(sa.select(CompanyProtection).where(CompanyProtection.contact_unit_id == world.units["branch_a2"].id)).one()
    assert row.is_active
    assert client.post(f"/aftercare/protections/{row.id}", data={**data, "version": "1"}).status_code == 302  # unticked: 摘牌
    session.expire_all()
    assert not session.get(CompanyProtection, row.id).is_active
    assert "已摘牌" in _text(client.get("/aftercare/protections/"))


def test_the_chiefs_digest_counts_the_units_overdue_requests(app, world, isolated):
    from crm.access.scoping import SYSTEM, scoped_as
    from crm.digests.send import preview
    from crm.domain.issues import IssueCategory
    from crm.extensions import db
    from crm.users.models import User
    from tests.helpers import in_app

    with in_app(app) as session, scoped_as(db.session, SYSTEM):
        session.add(CompanyRequest(unit_id=world.units["branch_a1"].id, company_id=world.records["company"], category=IssueCategory.HIRING,
                                   subject="招工", received_on=date(2026, 11, 2), responsible_unit_id=world.units["branch_a1"].id,
                                   responsible_person="局长", deadline=date(2026, 11, 20)))
        session.commit()
    with in_app(app) as session:
        digest = preview(session.get(User, world.users["chief"].id), "2026-W48")  # sent Monday 2026-11-30
        texts = [item.text for item in digest.section("unit_overdue").items]
        assert "超过办理时限的企业诉求 1 件" in texts
        other = preview(session.get(User, world.users["staff_a2"].id), "2026-W48")
        assert other.section("unit_overdue") is None or "超过办理时限的企业诉求 1 件" not in [i.text for i in other.section("unit_overdue").items]


def test_a_requests_history_is_kept(app, client, login_as, world):
    login_as("staff")
    rid = world.records["request"]
    assert client.post(f"/aftercare/requests/{rid}/move/handle", data={"version": "1"}).status_code == 302
    history = client.get(f"/history/company_requests/{rid}")
    assert history.status_code == 200 and "accepted" in _text(history) and "handling" in _text(history)  # the audit log keeps codes
