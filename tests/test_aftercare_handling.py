"""安商 gaps (issue 17): a 回访 with 不满意 sends the 诉求 back to 办理; the 诉求's 责任单位 reads it and 办理s/办结s it
(other units still cannot); the company page shows a 挂牌保护 badge with its 分包县级领导."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crm.aftercare.models import CompanyProtection, CompanyRequest
from crm.clock import local_today
from crm.domain.aftercare import RequestStatus, Satisfaction
from crm.domain.issues import IssueCategory


def _text(response) -> str:
    return response.get_data(as_text=True)


def _assigned(app, session, world, owner: str = "branch_a2", responsible: str = "branch_a1",
              status: RequestStatus = RequestStatus.ACCEPTED) -> CompanyRequest:
    with app.app_context():
        today = local_today()
    row = CompanyRequest(unit_id=world.units[owner].id, company_id=world.records["company"], category=IssueCategory.UTILITIES,
                         subject="蒸汽管网接入", received_on=today - timedelta(days=3), responsible_unit_id=world.units[responsible].id,
                         responsible_person="局长", deadline=today + timedelta(days=10), status=status)
    session.add(row)
    session.commit()
    return row


def test_an_unsatisfied_revisit_sends_the_request_back_to_handling(app, client, login_as, world, session):
    rid = world.records["request_done"]
    login_as("staff")
    response = client.post(f"/aftercare/requests/{rid}/move/revisit",
                           data={"version": "1", "satisfaction": "unsatisfied", "revisit_note": "供电仍不稳定"}, follow_redirects=True)
    assert response.status_code == 200 and "退回办理" in _text(response)
    session.expire_all()
    row = session.get(CompanyRequest, rid)
    assert row.status is RequestStatus.HANDLING and row.done_on is None
    assert row.satisfaction is Satisfaction.UNSATISFIED and row.revisited_on is not None and row.revisit_note == "供电仍不稳定"
    # it is open again: 办结 once more, then a satisfied 回访 closes it
    assert client.post(f"/aftercare/requests/{rid}/move/finish", data={"version": str(row.version), "result": "已更换专线"}).status_code == 302
    session.expire_all()
    row = session.get(CompanyRequest, rid)
    assert row.status is RequestStatus.DONE and row.done_on is not None
    assert client.post(f"/aftercare/requests/{rid}/move/revisit", data={"version": str(row.version), "satisfaction": "satisfied"}).status_code == 302
    session.expire_all()
    assert session.get(CompanyRequest, rid).status is RequestStatus.REVISITED


def test_the_responsible_unit_sees_and_handles_the_request_assigned_to_it(app, client, login_as, world, session):
    row = _assigned(app, session, world)  # 受理 by branch_a2, 责任单位 branch_a1
    url = f"/aftercare/requests/{row.id}"
    login_as("staff")  # branch_a1: the 责任单位
    assert "蒸汽管网接入" in _text(client.get("/aftercare/requests/"))
    page = _text(client.get(url))
    assert "蒸汽管网接入" in page and "/move/handle" in page
    assert f'href="{url}/edit"' not in page and f"{url}/escalate" not in page
    # not theirs: editing, 上报, 回访
    assert client.get(f"{url}/edit").status_code == 404
    assert client.post(f"{url}/escalate", data={"version": "1"}).status_code == 404
    assert client.post(f"{url}/move/handle", data={"version": "1"}).status_code == 302
    assert client.post(f"{url}/move/finish", data={"version": "2", "result": "已协调热力公司接入"}).status_code == 302
    session.expire_all()
    done = session.get(CompanyRequest, row.id)
    assert done.status is RequestStatus.DONE and done.result == "已协调热力公司接入"
    assert client.post(f"{url}/move/revisit", data={"version": "3", "satisfaction": "satisfied"}).status_code == 403
    # the unit that 受理d it does the 回访
    login_as("staff_a2")
    assert client.post(f"{url}/move/revisit", data={"version": "3", "satisfaction": "satisfied"}).status_code == 302


def test_other_units_still_cannot_see_or_handle_it(app, client, login_as, world, session):
    row = _assigned(app, session, world, owner="branch_a1", responsible="branch_a2")
    other = _assigned(app, session, world, owner="branch_b1", responsible="branch_b1")
    login_as("staff_squad")  # squad_a1, below branch_a1: neither the 受理 unit nor the 责任单位
    assert client.get(f"/aftercare/requests/{row.id}").status_code == 404
    assert client.post(f"/aftercare/requests/{row.id}/move/handle", data={"version": "1"}).status_code == 404
    assert "蒸汽管网接入" not in _text(client.get("/aftercare/requests/"))
    login_as("staff")  # branch_a1 受理d it: still theirs
    assert client.get(f"/aftercare/requests/{row.id}").status_code == 200
    assert client.get(f"/aftercare/requests/{other.id}").status_code == 404
    login_as("staff_b")  # county B sees nothing of county A
    assert client.get(f"/aftercare/requests/{row.id}").status_code == 404
    login_as("leader")  # county roles read, do not handle
    assert client.get(f"/aftercare/requests/{row.id}").status_code == 200
    assert client.post(f"/aftercare/requests/{row.id}/move/handle", data={"version": "1"}).status_code == 403


def test_the_company_page_shows_the_protection_badge(app, client, login_as, world, session):
    login_as("staff")
    page = _text(client.get(f"/companies/{world.records['company']}"))
    badge = page[page.index('data-testid="protection-badge"'):]
    assert "挂牌保护" in badge[:400] and world.users["leader"].display_name in badge[:400]
    # county B's row for the same company is not shown to county A; a 摘牌 row shows nothing
    row = session.get(CompanyProtection, world.records["protection"])
    row.is_active = False
    session.commit()
    assert 'data-testid="protection-badge"' not in _text(client.get(f"/companies/{world.records['company']}"))
