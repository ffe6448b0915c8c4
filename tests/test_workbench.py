"""The 工作台 (the home page of staff and chiefs), 新增跟进 from anywhere, and a chief's 团队待办 with bulk 改派
(issue 14)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from crm.followups.models import FollowUp
from crm.notifications.models import Notification

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):  # type: ignore[no-untyped-def]
    import crm.clock

    monkeypatch.setattr(crm.clock, "local_today", lambda: TODAY)
    for module in ("crm.leads.views", "crm.followups.views", "crm.web.navigation", "crm.web.views"):
        monkeypatch.setattr(f"{module}.local_today", lambda: TODAY, raising=False)


def _task(session, world, note: str, due: date, unit: str = "branch_a1", assignee: str = "staff") -> FollowUp:  # type: ignore[no-untyped-def]
    task = FollowUp(unit_id=world.units[unit].id, assignee_id=world.users[assignee].id, company_id=world.records["company"],
                    due_on=due, note=note)
    session.add(task)
    session.commit()
    return task


def test_staff_start_the_day_on_the_workbench_and_leaders_on_the_dashboard(auth, client, session, world):
    _task(session, world, "今天电话约见", TODAY)
    _task(session, world, "下月再访", TODAY + timedelta(days=40))
    auth.login_as("staff")
    page = client.get("/").get_data(as_text=True)
    actions = page[page.index('data-testid="quick-actions"'):page.index('data-testid="urgent-tasks"')]
    assert all(words in actions for words in ("记录走访", "新建线索", "新增跟进"))
    urgent = page[page.index('data-testid="urgent-tasks"'):page.index('data-testid="recent-records"')]
    assert "电话回访" in urgent and "今天电话约见" in urgent  # overdue (the world's) and today's
    assert "下月再访" not in urgent
    assert 'data-testid="dashboard-unit"' not in page  # the figures are one tap away
    assert 'href="/dashboard"' in page
    assert 'data-testid="dashboard-unit"' in client.get("/dashboard").get_data(as_text=True)
    auth.login_as("leader")
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="dashboard-unit"' in page and 'data-testid="quick-actions"' not in page


def test_a_task_is_done_or_put_off_in_one_tap(auth, client, session, world):
    auth.login_as("staff")
    task_id = world.records["follow_up"]
    page = client.get("/").get_data(as_text=True)
    # Friday: the next working day is Monday, and a week on is the Friday after
    assert 'value="2026-11-30"' in page and "下个工作日" in page and 'value="2026-12-04"' in page
    client.post(f"/follow-ups/{task_id}/snooze", data={"due_on": "2026-11-30", "back": "/"})
    session.expire_all()
    assert session.get(FollowUp, task_id).due_on == date(2026, 11, 30)
    response = client.post(f"/follow-ups/{task_id}/done", data={"back": "/"})
    assert response.headers["Location"] == "/"
    session.expire_all()
    assert session.get(FollowUp, task_id).is_done


def test_recent_records_are_the_ones_the_user_changed(auth, client, session, world):
    auth.login_as("staff")
    from crm.leads.models import Lead

    version = session.get(Lead, world.records["lead"]).version
    client.post(f"/leads/{world.records['lead']}/status", data={"status": "abandoned", "reason": "企业无意向", "version": version})
    recent = client.get("/").get_data(as_text=True).split('data-testid="recent-records"')[1]
    assert f'href="/leads/{world.records["lead"]}"' in recent and "荣格精工扩产线索" in recent


def test_a_follow_up_is_scheduled_from_the_workbench(auth, client, session, world):
    auth.login_as("staff")
    refused = client.post("/follow-ups/new", data={"due_on": "2026-12-01", "note": "带资料再访"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "请选择线索" in text and "带资料再访" in text  # what was typed stays
    client.post("/follow-ups/new", data={"lead_id": world.records["lead"], "due_on": "2026-12-01", "note": "带资料再访"})
    task = session.scalars(sa.select(FollowUp).where(FollowUp.note == "带资料再访")).one()
    assert task.lead_id == world.records["lead"] and task.assignee_id == world.users["staff"].id


def test_another_units_lead_cannot_be_followed_up(auth, client, session, world):
    from tests.factories import new_lead

    other = new_lead(session, world, unit="branch_a2", owner="staff_a2", name="乙分局的线索")
    auth.login_as("staff")
    response = client.post("/follow-ups/new", data={"lead_id": other.id, "due_on": "2026-12-01", "note": "越权"})
    assert response.status_code == 200 and "请从列表中选择" in response.get_data(as_text=True)
    assert session.scalars(sa.select(FollowUp).where(FollowUp.note == "越权")).first() is None


def test_a_chief_sees_the_teams_tasks_by_person_and_state(auth, client, session, world):
    _task(session, world, "分局长自己的事", TODAY, assignee="chief")
    _task(session, world, "已经办完", TODAY - timedelta(days=3)).done_at = sa.func.now()
    session.commit()
    _task(session, world, "乙分局的任务", TODAY, unit="branch_a2", assignee="staff_a2")
    auth.login_as("chief")
    page = client.get("/team-todo").get_data(as_text=True)
    tasks = page.split('data-testid="team-tasks"')[1]
    assert "电话回访" in tasks and "分局长自己的事" in tasks
    assert "已经办完" not in tasks and "乙分局的任务" not in tasks
    staff_only = client.get(f"/team-todo?assignee={world.users['staff'].id}&state=overdue").get_data(as_text=True)
    assert "电话回访" in staff_only.split('data-testid="team-tasks"')[1]
    assert "分局长自己的事" not in staff_only.split('data-testid="team-tasks"')[1]
    done = client.get("/team-todo?state=done").get_data(as_text=True).split('data-testid="team-tasks"')[1]
    assert "已经办完" in done and "电话回访" not in done
    bad = client.get("/team-todo?due_from=2026-12-10&due_to=2026-12-01")
    assert bad.status_code == 200 and "结束日期不能早于开始日期" in bad.get_data(as_text=True)
    assert 'value="2026-12-10"' in bad.get_data(as_text=True)


def test_bulk_reassignment_moves_the_ticked_tasks_and_tells_the_new_assignee(auth, client, session, world):
    first = _task(session, world, "甲事", TODAY, assignee="chief")
    second = _task(session, world, "乙事", TODAY + timedelta(days=1), assignee="chief")
    auth.login_as("chief")
    response = client.post("/team-todo/reassign", data={"task_ids": [first.id, second.id], "assignee_id": world.users["staff"].id,
                                                        "back": "/team-todo?state=open"})
    assert response.headers["Location"] == "/team-todo?state=open"
    session.expire_all()
    assert {session.get(FollowUp, t.id).assignee_id for t in (first, second)} == {world.users["staff"].id}
    told = session.scalars(sa.select(Notification).where(Notification.user_id == world.users["staff"].id,
                                                          Notification.kind == "follow_up_assigned")).all()
    assert len(told) == 2


def test_bulk_reassignment_refuses_another_units_task_and_changes_nothing(auth, client, session, world):
    own = _task(session, world, "本分局的", TODAY, assignee="chief")
    foreign = _task(session, world, "乙分局的", TODAY, unit="branch_a2", assignee="staff_a2")
    auth.login_as("chief")
    response = client.post("/team-todo/reassign", data={"task_ids": [own.id, foreign.id], "assignee_id": world.users["staff"].id})
    assert response.status_code == 404
    session.expire_all()
    assert session.get(FollowUp, own.id).assignee_id == world.users["chief"].id
    assert session.get(FollowUp, foreign.id).assignee_id == world.users["staff_a2"].id
    # nothing ticked: said so, nothing moves
    client.post("/team-todo/reassign", data={"assignee_id": world.users["staff"].id})
    assert "请先勾选要改派的任务" in client.get("/team-todo").get_data(as_text=True)
