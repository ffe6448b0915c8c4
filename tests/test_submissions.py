"""半月报: a unit writes its report on a page; after the due day it is 逾期; reviewers see who has and
hasn't reported; reminders on the 2nd and 17th to the units that still owe it; the demo's reports."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from crm.submissions.models import Submission
from tests.helpers import in_app


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the county's "today" and the clock of the 半月报 pages."""

    def set_day(day: date) -> None:
        monkeypatch.setattr("crm.submissions.views.local_today", lambda: day)
        # Noon in Asia/Shanghai of that day: the moment a report is submitted.
        monkeypatch.setattr("crm.submissions.views.utcnow", lambda: datetime(day.year, day.month, day.day, 4, 0, tzinfo=timezone.utc))

    return set_day


REPORT = {"infrastructure": "纬三路完成路基 1.2 公里", "new_projects": "海威特种布项目完成外资登记", "funding": "申报专项资金 1200 万元"}


def _submission(app: Any, unit_id: int, period: str) -> Submission | None:
    with in_app(app) as session:
        return session.scalar(sa.select(Submission).where(Submission.unit_id == unit_id, Submission.period == period))


def test_a_unit_reports_on_time(app, client, auth, world, on_day) -> None:
    on_day(date(2026, 11, 17))
    auth.login_as("staff")
    form = client.get("/submissions/periods/2026-11-1").get_data(as_text=True)
    assert "2026年11月上半月（1–15日）" in form and "截止日 2026-11-17" in form
    response = client.post("/submissions/periods/2026-11-1", data=REPORT)
    assert response.status_code == 302
    saved = _submission(app, world.units["branch_a1"].id, "2026-11-1")
    assert saved.due_on == date(2026, 11, 17) and saved.submitted_by_id == world.users["staff"].id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已报送 2026年11月上半月（1–15日） 半月报。" in page and 'data-state="on_time"' in page and "纬三路" in page


def test_a_report_after_the_due_day_is_marked_late_and_stays_late(app, client, auth, world, on_day) -> None:
    on_day(date(2026, 11, 18))
    auth.login_as("chief")
    response = client.post("/submissions/periods/2026-11-1", data=REPORT)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "逾期报送：截止日为 2026-11-17" in page and 'data-state="late"' in page
    first = _submission(app, world.units["branch_a1"].id, "2026-11-1").submitted_at
    # Correcting the report later keeps the first submission time (and its lateness).
    on_day(date(2026, 11, 19))
    assert client.post("/submissions/periods/2026-11-1", data={**REPORT, "funding": "更正", "version": "1"}).status_code == 302
    again = _submission(app, world.units["branch_a1"].id, "2026-11-1")
    assert again.submitted_at == first and again.funding == "更正" and again.version == 2


def test_bad_input_is_refused_next_to_the_field_and_a_stale_edit_is_refused(app, client, auth, world, on_day) -> None:
    on_day(date(2026, 11, 17))
    auth.login_as("staff")
    empty = client.post("/submissions/periods/2026-11-1", data={"infrastructure": "", "new_projects": "  ", "funding": ""})
    assert empty.status_code == 400 and "请至少填写一项内容" in empty.get_data(as_text=True)
    long = client.post("/submissions/periods/2026-11-1", data={**REPORT, "funding": "长" * 4001})
    text = long.get_data(as_text=True)
    assert long.status_code == 400 and "不能超过 4000 个字符" in text and "纬三路完成路基" in text  # what was typed stays
    client.post("/submissions/periods/2026-11-1", data=REPORT)
    stale = client.post("/submissions/periods/2026-11-1", data={**REPORT, "version": "0"})
    assert stale.status_code == 400 and "已被他人修改" in stale.get_data(as_text=True)


def test_future_periods_cannot_be_reported(client, auth, world, on_day) -> None:
    on_day(date(2026, 11, 10))
    auth.login_as("staff")
    assert client.get("/submissions/periods/2026-11-1").status_code == 200  # begun: may be written early
    assert client.get("/submissions/periods/2026-11-2").status_code == 404


def test_reviewers_see_who_has_and_hasnt_reported(app, client, auth, world, on_day) -> None:
    """Period 2026-10-2 (due 2026-11-02): branch_a1 and branch_a2 reported (world); squad_a1 did not."""
    on_day(date(2026, 11, 20))
    auth.login_as("reviewer")
    page = client.get("/submissions/?period=2026-10-2").get_data(as_text=True)
    assert "2026年10月下半月（16–31日）" in page and "截止日 2026-11-02" in page
    rows = {unit: state for unit, state in _overview_states(page)}
    assert rows[world.units["branch_a1"].id] == "on_time" and rows[world.units["branch_a2"].id] == "on_time"
    assert rows[world.units["squad_a1"].id] == "missing"  # staff_squad works there and has not reported
    assert world.units["branch_b1"].id not in rows and world.units["bureau_a"].id not in rows  # no staff/chief there
    assert "已报 2" in page and "逾期未报 1" in page
    # The default period is the latest one that has ended.
    assert "2026年11月上半月（1–15日）" in client.get("/submissions/").get_data(as_text=True)


def _overview_states(page: str) -> list[tuple[int, str]]:
    import re

    return [(int(unit), state) for unit, state in re.findall(r'<tr data-unit="(\d+)">.*?data-state="(\w+)"', page, re.S)]


def test_a_unit_sees_its_own_periods(client, auth, world, on_day) -> None:
    on_day(date(2026, 11, 20))
    auth.login_as("staff")
    page = client.get("/submissions/").get_data(as_text=True)
    assert "2026年11月下半月（16–30日）" in page and "2026年10月下半月（16–31日）" in page
    assert page.count('data-state="missing"') >= 1 and 'data-state="on_time"' in page
    assert "branch_a2 道路施工" not in page


def test_reminders_on_the_report_days_go_to_units_that_still_owe_the_report(app, world, isolated) -> None:
    from crm.mail.models import OutboxMessage
    from crm.notifications.models import Notification
    from crm.submissions.jobs import report_reminders
    from crm.users.models import User

    now = datetime(2026, 11, 2, 0, 5, tzinfo=timezone.utc)
    with in_app(app) as session:
        assert str(report_reminders(date(2026, 11, 3), now)) == "not a report day"
        squad_staff = session.get(User, world.users["staff_squad"].id)
        squad_staff.email, squad_staff.alert_email = "squad@lushan.example", True
        run = report_reminders(date(2026, 11, 2), now)  # 2026-10-2 is due: branch_a1/a2 reported (world), squad_a1 not
        session.commit()
        assert run.period == "2026-10-2" and run.units >= 1
        assert world.units["branch_a1"].id in run.skipped_units
        notes = session.scalars(sa.select(Notification).where(Notification.kind == "report_due")).all()
        told = {n.user_id for n in notes}
        assert world.users["staff_squad"].id in told and world.users["staff"].id not in told and world.users["staff_b"].id not in told
        note = next(n for n in notes if n.user_id == world.users["staff_squad"].id)
        assert note.title == "半月报今日截止：2026年10月下半月（16–31日）" and note.link == "/submissions/periods/2026-10-2"
        (mail,) = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "report_reminder")).all()
        assert mail.to_address == "squad@lushan.example" and "基础设施建设情况" in mail.body_text and mail.period == "2026-10-2"
        assert report_reminders(date(2026, 11, 2), now).notified == 0  # a rerun reminds nobody twice
        session.commit()


def test_demo_reports_one_on_time_one_late(app, app_session) -> None:
    from crm.demo.services import LoadReport, load_demo
    from crm.demo.submissions import load_submissions
    from crm.domain.schedule import SubmissionState
    from crm.submissions.queries import state_of

    today = date(2026, 11, 27)
    report = load_demo(today)
    load_submissions(report, today)
    rows = app_session.scalars(sa.select(Submission).order_by(Submission.period)).all()
    demo = [s for s in rows if s.unit.name == "第一招商分局"]
    assert [s.period for s in demo] == ["2026-10-1", "2026-10-2"]
    assert [state_of(s, s.period, today) for s in demo] == [SubmissionState.ON_TIME, SubmissionState.LATE]
    again = LoadReport()
    load_submissions(again, today)
    assert "submissions" not in again.created
