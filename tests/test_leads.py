"""Leads and follow-ups: create (with an inline company), rules, status, 我的待办."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from crm.audit.models import AuditLog
from crm.companies.models import Company
from crm.followups.models import FollowUp
from crm.leads.models import Lead

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):  # type: ignore[no-untyped-def]
    import crm.clock

    monkeypatch.setattr(crm.clock, "local_today", lambda: TODAY)
    for module in ("crm.leads.views", "crm.followups.views", "crm.web.navigation"):
        monkeypatch.setattr(f"{module}.local_today", lambda: TODAY, raising=False)


def lead_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "台威运动用品扩产",
        "company_name": "荣格精工有限公司",
        "source": "business_referral",
        "referrer": "东莞市台商商会",
        "amount_low": "10000",
        "amount_high": "",
        "received_on": "2026-11-20",
        "next_follow_up_on": "2026-12-01",
        "grade": "A",
        "owner_id": "",
    }
    data.update(overrides)
    return data


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_staff_creates_a_lead_with_a_follow_up(auth, client, session, world):
    auth.login_as("staff")
    response = client.post("/leads/new", data=lead_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    lead = session.scalars(sa.select(Lead).where(Lead.name == "台威运动用品扩产")).one()
    assert lead.unit_id == world.units["branch_a1"].id and lead.owner_id == world.users["staff"].id
    assert lead.amount_low == lead.amount_high == 10000
    task = session.scalars(sa.select(FollowUp).where(FollowUp.lead_id == lead.id)).one()
    assert task.due_on == date(2026, 12, 1) and task.assignee_id == world.users["staff"].id
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "荣格精工有限公司" in page and "2026-12-01" in page


def test_company_created_inline(auth, client, session, world):
    auth.login_as("staff")
    before = count(session, Company)
    response = client.post("/leads/new", data=lead_form(company_name="台威运动用品有限公司"))
    assert response.status_code == 400
    assert "企业库中没有「台威运动用品有限公司」" in response.get_data(as_text=True)
    assert count(session, Company) == before
    response = client.post("/leads/new", data=lead_form(company_name="台威运动用品有限公司", create_company="y"))
    assert response.status_code == 302
    assert session.scalars(sa.select(Company).where(Company.name == "台威运动用品有限公司")).one()


def test_inline_company_still_checks_duplicates(auth, client, world):
    auth.login_as("staff")
    response = client.post("/leads/new", data=lead_form(company_name="深圳荣格精工公司", create_company="y"))
    assert response.status_code == 400
    assert "可能与已有企业重复" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"name": ""}, "必填项"),
        ({"name": "线" * 500}, "不能超过 120 个字符"),
        ({"amount_low": "-1"}, "0 到 1 亿万元"),
        ({"amount_low": "1000000000000"}, "0 到 1 亿万元"),
        ({"amount_low": "5000", "amount_high": "100"}, "区间上限不能小于下限"),
        ({"amount_low": "NaN"}, "请输入数字"),  # (a 500 before: Decimal("NaN") passed the range check)
        ({"amount_high": "Infinity"}, "请输入数字"),
        ({"expected_tax": "sNaN"}, "请输入数字"),
        ({"land_mu": "-Infinity"}, "请输入数字"),
        ({"expected_output": "1e999"}, "0 到 1 亿万元"),
        ({"received_on": "2026-13-45"}, ""),
        ({"source": "bribery"}, "请从列表中选择"),
        ({"company_name": ""}, "必填项"),
        ({"grade": "Z"}, "请从列表中选择"),
        ({"chain_id": "abc"}, "请从列表中选择"),
    ],
)
def test_bad_input_stores_nothing(auth, client, session, world, overrides, message):
    auth.login_as("staff")
    before = count(session, Lead)
    response = client.post("/leads/new", data=lead_form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(session, Lead) == before


def test_forged_unit_and_owner_are_ignored_or_refused(auth, client, session, world):
    auth.login_as("staff")
    other_unit = world.units["branch_b1"].id
    response = client.post("/leads/new", data=lead_form(unit_id=str(other_unit), owner_id=str(world.users["staff_b"].id)))
    # staff may not choose the owner: the only choice offered is themself.
    assert response.status_code == 400
    response = client.post("/leads/new", data=lead_form(unit_id=str(other_unit), owner_id=str(world.users["staff"].id)))
    assert response.status_code == 302
    lead = session.scalars(sa.select(Lead).where(Lead.name == "台威运动用品扩产")).one()
    assert lead.unit_id == world.units["branch_a1"].id


def test_chief_assigns_within_the_unit_only(auth, client, session, world):
    auth.login_as("chief")
    response = client.post("/leads/new", data=lead_form(owner_id=str(world.users["staff_a2"].id)))
    assert response.status_code == 400 and "请从列表中选择" in response.get_data(as_text=True)
    response = client.post("/leads/new", data=lead_form(owner_id=str(world.users["staff"].id)))
    assert response.status_code == 302
    lead = session.scalars(sa.select(Lead).where(Lead.name == "台威运动用品扩产")).one()
    assert lead.owner_id == world.users["staff"].id
    assert session.scalars(sa.select(FollowUp).where(FollowUp.lead_id == lead.id)).one().assignee_id == world.users["staff"].id


def test_status_rules_and_audit(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    lead = session.get(Lead, lead_id)
    response = client.post(f"/leads/{lead_id}/status", data={"status": "abandoned", "reason": "", "version": str(lead.version)}, follow_redirects=True)
    assert "放弃线索须填写原因" in response.get_data(as_text=True)
    client.post(f"/leads/{lead_id}/status", data={"status": "abandoned", "reason": "企业资金链断裂", "version": str(lead.version)})
    session.expire_all()
    assert session.get(Lead, lead_id).status.value == "abandoned"
    row = session.scalars(sa.select(AuditLog).where(AuditLog.record_type == "leads", AuditLog.record_id == lead_id, AuditLog.field == "status", AuditLog.action == "update")).one()
    assert (row.old_value, row.new_value) == ("new", "abandoned")
    assert "已放弃" in client.get(f"/leads/{lead_id}").get_data(as_text=True)
    response = client.post(f"/leads/{lead_id}/status", data={"status": "converted", "reason": "", "version": str(session.get(Lead, lead_id).version)}, follow_redirects=True)
    assert "不能直接改为" in response.get_data(as_text=True)


def test_stale_edit_is_refused(auth, client, session, world):
    auth.login_as("staff")
    lead = session.get(Lead, world.records["lead"])
    form = lead_form(name="改名一", version=str(lead.version))
    assert client.post(f"/leads/{lead.id}/edit", data=form).status_code == 302
    response = client.post(f"/leads/{lead.id}/edit", data={**form, "name": "改名二"})
    assert response.status_code == 400
    assert "已被他人修改" in response.get_data(as_text=True)


def test_filters_and_stale(auth, client, world):
    auth.login_as("staff")
    text = client.get("/leads/?stale_days=14").get_data(as_text=True)
    assert "荣格精工扩产线索" in text  # received 2026-11-01, no activity since
    assert "荣格精工扩产线索" not in client.get("/leads/?status=abandoned").get_data(as_text=True)
    assert "荣格精工扩产线索" in client.get("/leads/?q=rgjg").get_data(as_text=True)  # company initials


def test_todo_buckets_done_and_nav_count(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    for days, note in ((0, "今天打电话"), (2, "本周拜访"), (30, "下月回访")):
        client.post(f"/leads/{lead_id}/follow-ups", data={"due_on": (TODAY + timedelta(days=days)).isoformat(), "note": note})
    page = client.get("/todo").get_data(as_text=True)
    overdue, today, week, later = (page.index(f'data-testid="todo-{i}"') for i in range(1, 5))
    assert overdue < page.index("电话回访") < today < page.index("今天打电话") < week < page.index("本周拜访") < later < page.index("下月回访")
    assert 'data-testid="todo-count">2<' in page  # overdue + today
    task = session.scalars(sa.select(FollowUp).where(FollowUp.note == "电话回访")).one()
    client.post(f"/follow-ups/{task.id}/done", data={"note": "已回访，企业有意向"})
    session.expire_all()
    assert session.get(FollowUp, task.id).is_done
    lead = session.get(Lead, lead_id)
    assert lead.last_activity_on == TODAY and lead.status.value == "following"
    assert 'data-testid="todo-count">1<' in client.get("/todo").get_data(as_text=True)


def test_todo_shows_the_first_tasks_of_each_group_and_pages_through_the_rest(auth, client, session, world):
    """Hundreds of open tasks: each group shows its first 20 and its count; "查看全部" pages through one group."""
    from crm.followups.queries import PER_GROUP

    staff = world.users["staff"]
    for n in range(PER_GROUP + 5):
        session.add(FollowUp(unit_id=staff.unit_id, assignee_id=staff.id, company_id=world.records["company"],
                             due_on=TODAY + timedelta(days=40 + n), note=f"远期回访{n:02d}"))
    session.commit()
    auth.login_as("staff")
    page = client.get("/todo").get_data(as_text=True)
    later = page[page.index('data-testid="todo-4"'):]
    assert later.count('data-testid="task"') == PER_GROUP
    assert "远期回访00" in later and f"远期回访{PER_GROUP - 1:02d}" in later and f"远期回访{PER_GROUP:02d}" not in later
    assert f"查看全部 {PER_GROUP + 5} 项" in later
    assert page.count('data-testid="task"') == PER_GROUP + 1  # and the world's one overdue task
    first = client.get("/todo?group=later&per_page=10").get_data(as_text=True)
    assert first.count('data-testid="task"') == 10 and "远期回访00" in first and "下一页" in first
    last = client.get("/todo?group=later&per_page=10&page=3").get_data(as_text=True)
    assert last.count('data-testid="task"') == 5 and f"远期回访{PER_GROUP + 4:02d}" in last
    assert "电话回访" not in last  # another group's task


def test_snooze_and_reassign(auth, client, session, world):
    task_id = world.records["follow_up"]
    auth.login_as("staff")
    response = client.post(f"/follow-ups/{task_id}/snooze", data={"due_on": "2020-01-01"}, follow_redirects=True)
    assert "不能早于今天" in response.get_data(as_text=True)
    client.post(f"/follow-ups/{task_id}/snooze", data={"due_on": "2026-12-03"})
    session.expire_all()
    assert session.get(FollowUp, task_id).due_on == date(2026, 12, 3)
    assert client.post(f"/follow-ups/{task_id}/reassign", data={"assignee_id": str(world.users["chief"].id)}).status_code == 403
    auth.login_as("chief")
    client.post(f"/follow-ups/{task_id}/reassign", data={"assignee_id": str(world.users["staff_a2"].id)})
    session.expire_all()
    assert session.get(FollowUp, task_id).assignee_id == world.users["staff"].id  # another unit's person: refused
    client.post(f"/follow-ups/{task_id}/reassign", data={"assignee_id": str(world.users["chief"].id)})
    session.expire_all()
    assert session.get(FollowUp, task_id).assignee_id == world.users["chief"].id


def test_due_date_on_a_holiday_moves_to_the_next_working_day(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    # 2026-10-03 falls in the 国庆节 holiday (10-01 to 10-07); 10-08 is the next working day.
    response = client.post(f"/leads/{lead_id}/follow-ups", data={"due_on": "2026-10-03", "note": "节后回访", "move_off_holiday": "y"}, follow_redirects=True)
    task = session.scalars(sa.select(FollowUp).where(FollowUp.note == "节后回访")).one()
    assert task.due_on.isoformat() == "2026-10-08"
    assert "国庆节" in response.get_data(as_text=True)
    client.post(f"/leads/{lead_id}/follow-ups", data={"due_on": "2026-10-03", "note": "假期也联系"})
    assert session.scalars(sa.select(FollowUp).where(FollowUp.note == "假期也联系")).one().due_on.isoformat() == "2026-10-03"


def test_company_page_names_the_following_unit(auth, client, world):
    auth.login_as("staff_a2")  # another unit sees who follows, not what
    page = client.get(f"/companies/{world.records['company']}").get_data(as_text=True)
    # since the earliest record of any kind (the world's projects entered the books before the lead came in)
    assert "甲县第一招商分局" in page and "自 2026-11-01 起" not in page and "自 2024-01-01 起" in page
    assert "荣格精工扩产线索" not in page and "荣格精工扩产项目" not in page


def test_search_finds_companies_and_only_visible_leads(auth, client, world):
    auth.login_as("staff")
    page = client.get("/search?q=rgjg").get_data(as_text=True)  # 荣格精工 by initials
    assert "荣格精工有限公司</a>" in page and "荣格精工扩产线索</a>" in page
    auth.login_as("staff_a2")
    page = client.get("/search?q=荣格").get_data(as_text=True)
    assert "荣格精工有限公司</a>" in page and "荣格精工扩产线索" not in page


def test_follow_up_on_a_company_without_a_lead(auth, client, session, world):
    auth.login_as("staff")
    company_id = world.records["other_company"]
    response = client.post(f"/companies/{company_id}/follow-ups", data={"due_on": "2026-11-27", "note": "先电话了解投资意向", "back": f"/companies/{company_id}"})
    assert response.headers["Location"] == f"/companies/{company_id}"
    task = session.scalars(sa.select(FollowUp).where(FollowUp.note == "先电话了解投资意向")).one()
    assert task.company_id == company_id and task.lead_id is None and task.unit_id == world.units["branch_a1"].id
    assert "先电话了解投资意向" in client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "先电话了解投资意向" in client.get("/todo").get_data(as_text=True)
    auth.login_as("staff_a2")  # another unit sees the company, not our task
    assert "先电话了解投资意向" not in client.get(f"/companies/{company_id}").get_data(as_text=True)


def test_the_streamed_export_reads_under_the_signed_in_users_scope(auth, client, world):
    """The rows of an export are read after the view returns, while the file streams: still as the user."""
    from io import BytesIO

    from openpyxl import load_workbook

    def names(who: str) -> list[str]:
        auth.login_as(who)
        response = client.get("/leads/export.xlsx")
        assert response.is_streamed
        rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
        return [r[0] for r in rows[1:] if r[0] != "合计"]

    assert "荣格精工扩产线索" in names("staff")
    assert "荣格精工扩产线索" in names("leader")
    assert "荣格精工扩产线索" not in names("staff_a2")
    assert names("staff_b") == []


def test_a_companys_follow_ups_come_a_page_at_a_time(auth, client, session, world):
    from crm.companies.views import TASKS_PER_PAGE

    staff = world.users["staff"]
    for n in range(TASKS_PER_PAGE + 3):
        session.add(FollowUp(unit_id=staff.unit_id, assignee_id=staff.id, company_id=world.records["company"],
                             due_on=TODAY + timedelta(days=n), note=f"企业回访{n:02d}"))
    session.commit()
    auth.login_as("staff")
    first = client.get(f"/companies/{world.records['company']}").get_data(as_text=True)
    assert first.count('data-testid="task"') == TASKS_PER_PAGE and f"企业回访{TASKS_PER_PAGE + 2:02d}" in first  # newest first
    assert "下一页" in first and "企业回访00" not in first
    second = client.get(f"/companies/{world.records['company']}?page=2").get_data(as_text=True)
    assert second.count('data-testid="task"') == 3 and "企业回访00" in second


def test_the_lists_next_follow_up_is_read_from_the_leads_open_tasks(app, auth, client, world):
    """下次跟进 follows the tasks (issue 14): the form's date becomes a task, doing it moves the column on to the next
    open task, and snoozing moves it with the task."""
    from datetime import date

    from crm.followups.models import FollowUp
    from crm.leads.models import Lead
    from tests.helpers import in_app

    auth.login_as("staff")
    response = client.post(f"/leads/{world.records['lead']}/follow-ups", data={"due_on": "2027-01-10", "note": "电话回访"})
    assert response.status_code == 302
    with in_app(app) as session:
        lead = session.get(Lead, world.records["lead"])
        tasks = session.scalars(sa.select(FollowUp).where(FollowUp.lead_id == lead.id, FollowUp.done_at.is_(None))
                                .order_by(FollowUp.due_on)).all()
        assert lead.next_follow_up_on == tasks[0].due_on
        first, version = tasks[0].id, tasks[0].version
    assert client.post(f"/follow-ups/{first}/done", data={"note": "已联系", "version": version}).status_code == 302
    with in_app(app) as session:
        lead = session.get(Lead, world.records["lead"])
        left = session.scalars(sa.select(FollowUp.due_on).where(FollowUp.lead_id == lead.id, FollowUp.done_at.is_(None))).all()
        assert lead.next_follow_up_on == min(left) and date(2027, 1, 10) in left
    page = client.get("/leads/").get_data(as_text=True)
    assert min(left).isoformat() in page


def _options(page: str, name: str) -> list[str]:
    import re

    select = page[page.index(f'name="{name}"'):]
    select = select[: select.index("</select>")]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def test_nobody_is_offered_twice_as_the_owner(auth, client, world):
    """A chief's owner list once showed both 本人 and the chief's own name (issue 14)."""
    chief, staff = world.users["chief"].display_name, world.users["staff"].display_name
    auth.login_as("chief")
    new = _options(client.get("/leads/new").get_data(as_text=True), "owner_id")
    assert new[0] == "本人" and chief not in new and staff in new
    edit = _options(client.get(f"/leads/{world.records['lead']}/edit").get_data(as_text=True), "owner_id")
    assert edit[0] == f"不变（{staff}）" and chief in edit and staff not in edit[1:]
    project = _options(client.get(f"/projects/{world.records['project']}/edit").get_data(as_text=True), "owner_id")
    assert project[0].startswith("不变（") and len(project) == len(set(project))
    auth.login_as("staff")
    assert 'name="owner_id"' not in client.get("/leads/new").get_data(as_text=True)  # staff follow their own leads


def test_a_refused_long_form_says_at_the_top_what_to_mend(auth, client, world):
    """Refusals below the fold are listed at the top, each a link to its field (issue 14)."""
    auth.login_as("staff")
    response = client.post("/leads/new", data={"name": "", "company_name": "", "source": "", "received_on": "2026-13-40"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = page[page.index('data-testid="error-summary"'):]
    summary = summary[: summary.index("</div>\n", summary.index("<ul"))]
    assert "处需要修改" in summary and 'href="#name"' in summary and 'href="#received_on"' in summary


def test_the_new_assignee_is_told_in_the_bell(auth, client, session, world):
    """A task handed over by the chief reaches its new assignee's bell (issue 14: the assignee was not told); taking
    it oneself tells nobody."""
    from crm.notifications.models import Notification

    def bell(who: str) -> list[str]:
        session.expire_all()
        rows = session.scalars(sa.select(Notification).where(Notification.user_id == world.users[who].id,
                                                             Notification.kind == "follow_up_assigned"))
        return [n.title for n in rows]

    task_id = world.records["follow_up"]  # staff's
    auth.login_as("chief")
    client.post(f"/follow-ups/{task_id}/reassign", data={"assignee_id": str(world.users["chief"].id)})
    assert bell("chief") == []  # took it themself
    client.post(f"/follow-ups/{task_id}/reassign", data={"assignee_id": str(world.users["staff"].id)})
    note = session.get(FollowUp, task_id).note
    assert bell("staff") == [f"您有一项新的跟进任务：{note}"]
    client.post(f"/follow-ups/{task_id}/reassign", data={"assignee_id": str(world.users["staff"].id)})
    assert len(bell("staff")) == 1  # no hand-over, no second notice
    client.post(f"/leads/{world.records['lead']}/follow-ups", data={"due_on": "2026-12-20", "note": "请回访报价", "assignee_id": str(world.users["staff"].id)})
    assert "您有一项新的跟进任务：请回访报价" in bell("staff")
