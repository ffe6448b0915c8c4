"""提醒函 (issue 16): when a key project turns red, its 分包县级领导 is told in the bell, the letter is logged on the
project, and it can be printed or downloaded as .docx — stating what slipped and since when, and the open issues."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from docx import Document

from crm.assignments.models import ReminderLetter
from tests.helpers import in_app
from tests.test_notifications import NOW, TODAY, _run, _scenario


def _letters(app) -> list[tuple[int, int, date, str]]:
    with in_app(app) as session:
        return [(r.project_id, r.leader_id, r.issued_on, r.cause_key) for r in session.scalars(sa.select(ReminderLetter).order_by(ReminderLetter.id))]


def test_the_daily_job_logs_one_letter_per_cause_on_the_project(app, world, isolated):
    from crm.progress.models import Milestone
    from crm.domain.projects import MilestoneKind

    _scenario(app, world)
    _run(app)
    project, leader = world.records["project"], world.users["leader"].id
    (letter,) = _letters(app)
    assert letter[:3] == (project, leader, TODAY)
    _run(app)  # the next run: red for the same causes, no second letter
    assert len(_letters(app)) == 1
    with in_app(app) as session:  # a milestone missed earlier than the others is a new cause
        session.add(Milestone(project_id=project, kind=MilestoneKind.REGISTRATION, planned_on=date(2026, 9, 1)))
        session.commit()
    _run(app, NOW.date(), NOW)
    assert len(_letters(app)) == 2


def test_the_letter_states_what_slipped_since_when_and_the_open_issues(app, client, login_as, world, isolated):
    _scenario(app, world)
    _run(app)
    project = world.records["project"]
    login_as("leader")
    page = client.get(f"/projects/{project}/reminder").get_data(as_text=True)
    assert page.count('data-testid="reminder-letter"') == 1
    assert "荣格精工扩产项目" in page and "目前为红灯" in page and "计划开工日期 2026-10-01 已过，项目仍未开工" in page
    assert "规划许可" in page and "荣格扩产用电增容未批" in page and "已逾期" in page
    section = client.get(f"/projects/{project}").get_data(as_text=True)
    assert 'data-testid="reminder-letters"' in section and "查看或打印提醒函" in section
    docx = client.get(f"/projects/{project}/reminder.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "提醒函" in text and "荣格精工扩产项目" in text and "荣格扩产用电增容未批" in text and "年" in text.splitlines()[-1]


def test_no_letter_for_a_project_that_is_not_key_nor_for_another_county(app, client, login_as, world, auth, isolated):
    _scenario(app, world)
    login_as("staff_b")
    assert client.get(f"/projects/{world.records['project']}/reminder").status_code == 404
    auth.logout()
    login_as("leader")
    assert client.get(f"/projects/{world.records['project']}/reminder?leader={world.users['staff'].id}").status_code == 404
    assert client.get(f"/projects/{world.records['assignments_project_b']}/reminder").status_code == 404
