"""Logging visits: companies and contacts, leader and colleagues, follow-up, cross-unit hints, bad input."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from crm.followups.models import FollowUp
from crm.visits.models import Visit

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):  # type: ignore[no-untyped-def]
    for module in ("crm.visits.views", "crm.leads.views", "crm.followups.views", "crm.web.navigation", "crm.clock"):
        monkeypatch.setattr(f"{module}.local_today", lambda: TODAY, raising=False)


def visit_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "type": "leader_led",
        "start_on": "2026-11-25",
        "end_on": "2026-11-26",
        "destination": "东莞",
        "leader_id": str(world.users["leader"].id),
        "leader_kind": "head",
        "participant_ids": [str(world.users["staff"].id), str(world.users["chief"].id)],
        "stops-0-company_name": "荣格精工有限公司",
        "stops-0-contact_name": "林董事长",
        "stops-0-contact_title": "董事长",
        "stops-1-company_name": "",
        "stops-2-company_name": "",
        "lead_ids": [str(world.records["lead"])],
        "outcome": "intent",
        "notes": "达成初步意向",
        "next_follow_up_on": "2026-12-02",
    }
    data.update(overrides)
    return data


def test_log_a_visit_with_a_leader_two_colleagues_and_a_follow_up(auth, client, session, world):
    auth.login_as("staff")
    response = client.post("/visits/new", data=visit_form(world))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    visit = session.scalars(sa.select(Visit).where(Visit.notes == "达成初步意向")).one()
    assert visit.unit_id == world.units["branch_a1"].id and visit.leader_id == world.users["leader"].id
    assert {u.username for u in visit.participants} == {"staff_a1", "chief_a1"}
    assert [(s.company.name, s.contact_name, s.contact_title) for s in visit.stops] == [("荣格精工有限公司", "林董事长", "董事长")]
    task = session.scalars(sa.select(FollowUp).where(FollowUp.lead_id == world.records["lead"], FollowUp.due_on == date(2026, 12, 2))).one()
    assert task.assignee_id == world.users["staff"].id
    todo = client.get("/todo").get_data(as_text=True)
    assert "走访后跟进：荣格精工有限公司" in todo
    lead_page = client.get(f"/leads/{world.records['lead']}").get_data(as_text=True)
    assert "领导带队招商" in lead_page  # on the lead's timeline


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"end_on": "2026-11-01"}, "结束日期不能早于开始日期"),
        ({"end_on": "2027-06-01"}, "不应超过 60 天"),
        ({"stops-0-company_name": ""}, "至少填写一家拜访企业"),
        ({"stops-0-company_name": "不存在的企业"}, "企业库中没有"),
        ({"leader_id": "999999"}, "请从列表中选择"),
        ({"participant_ids": ["999999"]}, "请从列表中选择"),
        ({"lead_ids": ["999999"]}, "请从列表中选择"),
        ({"type": "holiday"}, "请从列表中选择"),
        ({"notes": "纪" * 5000}, "不能超过 4000 个字符"),
        ({"stops-1-contact_name": "李四"}, "同时填写企业"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_stores_nothing(auth, client, session, world, overrides, message):
    auth.login_as("staff")
    before = session.scalar(sa.select(sa.func.count()).select_from(Visit))
    response = client.post("/visits/new", data=visit_form(world, **overrides))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert 'value="东莞"' in text  # what was typed is still there
    assert session.scalar(sa.select(sa.func.count()).select_from(Visit)) == before


def test_a_colleague_from_another_unit_cannot_be_a_participant(auth, client, world):
    auth.login_as("staff")
    response = client.post("/visits/new", data=visit_form(world, participant_ids=[str(world.users["staff_a2"].id)]))
    assert response.status_code == 400


def test_the_leader_comes_from_the_county_or_above_it_never_another_county(auth, client, session, world):
    from crm.domain.access import Role
    from crm.domain.units import LeaderTitle, UnitType
    from tests.factories import UnitFactory, UserFactory

    city = UnitFactory(name="平顶山市", type=UnitType.CITY)
    for key in ("county_a", "county_b"):
        world.units[key].parent = city
    other = UserFactory(display_name="乙县县长", role=Role.LEADER, unit=world.units["county_b"], title=LeaderTitle.COUNTY_HEAD,
                        title_note="乙县")
    mayor = UserFactory(display_name="市长", role=Role.LEADER, unit=city, title=LeaderTitle.COUNTY_HEAD, title_note="市长")
    session.commit()
    auth.login_as("staff")
    form = client.get("/visits/new").get_data(as_text=True)
    assert f'value="{world.users["leader"].id}"' in form and f'value="{mayor.id}"' in form
    assert f'value="{other.id}"' not in form
    refused = client.post("/visits/new", data=visit_form(world, leader_id=str(other.id)))
    assert refused.status_code == 400 and "请从列表中选择" in refused.get_data(as_text=True)
    assert client.post("/visits/new", data=visit_form(world, leader_id=str(mayor.id))).status_code == 302


def test_another_unit_is_told_who_visited_and_when_only(auth, client, world):
    auth.login_as("staff_a2")
    hints = client.get("/visits/hints?company=荣格精工有限公司").get_json()["hints"]
    assert hints == [{"unit": "甲县第一招商分局", "date": "2026-11-18"}]
    page = client.get(f"/companies/{world.records['company']}").get_data(as_text=True)
    assert "甲县第一招商分局 于 2026-11-18 走访过该企业" in page
    assert "王总" not in page  # nothing of the visit itself
    auth.login_as("staff")  # the unit's own visits are no "other unit" hint
    assert client.get("/visits/hints?company=荣格精工有限公司").get_json()["hints"] == []


def test_edit_is_version_checked(auth, client, session, world):
    auth.login_as("staff")
    visit = session.get(Visit, world.records["visit"])
    form = visit_form(world, notes="第一次", version=str(visit.version), next_follow_up_on="")
    assert client.post(f"/visits/{visit.id}/edit", data=form).status_code == 302
    response = client.post(f"/visits/{visit.id}/edit", data={**form, "notes": "第二次"})
    assert response.status_code == 400 and "已被他人修改" in response.get_data(as_text=True)


def test_the_visit_form_fits_a_phone(auth, client, world):
    auth.login_as("staff")
    page = client.get("/visits/new").get_data(as_text=True)
    assert 'name="viewport"' in page and "form-control-lg" in page and "w-100" in page
