"""Converting a lead into a 在谈 project keeps the link; another unit sees none of it."""

from __future__ import annotations

import sqlalchemy as sa

from crm.domain.leads import LeadStatus
from crm.domain.pipeline import Stage
from crm.leads.models import Lead
from crm.projects.models import Project


def test_a_new_lead_must_be_judged_worth_following_first(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    response = client.post(f"/leads/{lead_id}/convert", follow_redirects=True)
    assert "研判结论须为“跟进”" in response.get_data(as_text=True)
    assert session.scalars(sa.select(Project).where(Project.lead_id == lead_id)).first() is None


def test_convert_keeps_the_link_and_the_history(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    lead = session.get(Lead, lead_id)
    client.post(f"/leads/{lead_id}/status", data={"status": "following", "reason": "", "version": str(lead.version)})
    response = client.post(f"/leads/{lead_id}/convert")
    assert response.status_code == 302
    project = session.scalars(sa.select(Project).where(Project.lead_id == lead_id)).one()
    assert project.stage is Stage.TALKS and project.unit_id == world.units["branch_a1"].id
    assert project.company_id == lead.company_id and project.owner_id == lead.owner_id
    session.expire_all()
    assert session.get(Lead, lead_id).status is LeadStatus.CONVERTED
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "荣格精工扩产线索" in page and "在谈" in page
    lead_page = client.get(f"/leads/{lead_id}").get_data(as_text=True)
    assert f"/projects/{project.id}" in lead_page
    again = client.post(f"/leads/{lead_id}/convert", follow_redirects=True)
    assert "已转为项目" in again.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Project).where(Project.lead_id == lead_id)) == 1


def test_another_unit_sees_no_project(auth, client, world):
    auth.login_as("staff_a2")
    assert client.get(f"/projects/{world.records['project']}").status_code == 404
    assert "荣格精工扩产项目" not in client.get("/projects/").get_data(as_text=True)
    auth.login_as("leader")
    assert "荣格精工扩产项目" in client.get("/projects/").get_data(as_text=True)
