"""Duplicate review, merge by signal, undo."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crm.companies.duplicates import find_duplicate_groups
from crm.companies.models import Company, CompanyMerge, CompanyName, Contact, DuplicateGroup
from crm.companies.signals import REFERENCES
from crm.db import Base
from crm.domain.companies import OtherNameKind
from tests.factories import new_company


def test_every_foreign_key_to_companies_has_a_merge_handler(app):
    found = {
        f"{table.name}.{fk.parent.name}"
        for table in Base.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "companies"
    }
    assert found - set(REFERENCES) == set(), "a new foreign key to companies needs a merge handler (crm.companies.signals)"


def test_queue_merge_and_undo(app, auth, client, app_session, world):
    survivor = new_company(app_session, "海威纺织有限公司", hq_city="东莞市")
    duplicate = new_company(app_session, "东莞市海伟纺织有限公司", website="http://haiwei.example", notes="来自二分局")
    app_session.add(Contact(company_id=duplicate.id, name="陈总"))
    app_session.add(CompanyName(company_id=duplicate.id, name="海伟布业", kind=OtherNameKind.FORMER))
    app_session.commit()
    assert find_duplicate_groups() == 1
    app_session.commit()
    assert find_duplicate_groups() == 0  # already queued
    app_session.commit()
    group = app_session.scalars(sa.select(DuplicateGroup).where(DuplicateGroup.id != world.records["group"])).one()
    assert {m.company_id for m in group.members} == {survivor.id, duplicate.id}

    auth.login_as("reviewer")
    assert "海伟纺织" in client.get("/companies/duplicates").get_data(as_text=True)
    page = client.get(f"/companies/duplicates/{group.id}?survivor_id={survivor.id}")
    assert page.status_code == 200
    response = client.post(
        f"/companies/duplicates/{group.id}",
        data={"survivor_id": str(survivor.id), "field_website": str(duplicate.id), "field_notes": str(duplicate.id), "confirm": "1"},
    )
    assert response.status_code == 302
    app_session.expire_all()
    kept = app_session.get(Company, survivor.id)
    gone = app_session.get(Company, duplicate.id)
    assert gone.merged_into_id == survivor.id
    assert kept.website == "http://haiwei.example" and kept.hq_city == "东莞市"
    assert {n.name for n in kept.other_names} >= {"东莞市海伟纺织有限公司", "海伟布业"}
    assert [c.name for c in kept.contacts] == ["陈总"]
    assert app_session.get(DuplicateGroup, group.id).status == "merged"
    # The merged company's page leads to the survivor; search finds the survivor by the old name.
    assert client.get(f"/companies/{duplicate.id}").headers["Location"] == f"/companies/{survivor.id}"
    assert "海威纺织有限公司</a>" in client.get("/companies/?q=海伟布业").get_data(as_text=True)

    merge = app_session.scalars(sa.select(CompanyMerge)).one()
    assert client.post(f"/companies/merges/{merge.id}/undo").status_code == 302
    app_session.expire_all()
    kept, back = app_session.get(Company, survivor.id), app_session.get(Company, duplicate.id)
    assert back.merged_into_id is None and kept.website is None and kept.notes is None
    assert [c.name for c in back.contacts] == ["陈总"]
    assert [n.name for n in back.other_names] == ["海伟布业"]
    assert [n.name for n in kept.other_names] == []
    # … and the pair is back in the review queue (issue 14: it was lost after an undo).
    open_pairs = [{m.company_id for m in g.members} for g in app_session.scalars(
        sa.select(DuplicateGroup).where(DuplicateGroup.status == "open", DuplicateGroup.id != world.records["group"]))]
    assert open_pairs == [{survivor.id, duplicate.id}]
    assert "海伟纺织" in client.get("/companies/duplicates").get_data(as_text=True)


def test_undo_after_30_days_is_refused(app, auth, client, app_session, world):
    survivor = new_company(app_session, "海威纺织有限公司")
    duplicate = new_company(app_session, "海伟纺织有限公司")
    app_session.commit()
    auth.login_as("reviewer")
    group_page = client.post(f"/companies/{survivor.id}/compare/{duplicate.id}")
    group_id = int(group_page.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/companies/duplicates/{group_id}", data={"survivor_id": str(survivor.id), "confirm": "1"})
    merge = app_session.scalars(sa.select(CompanyMerge)).one()
    merge.merged_at = merge.merged_at - timedelta(days=31)
    app_session.commit()
    response = client.post(f"/companies/merges/{merge.id}/undo", follow_redirects=True)
    assert "超过 30 天" in response.get_data(as_text=True)
    app_session.expire_all()
    assert app_session.get(Company, duplicate.id).merged_into_id == survivor.id


def test_different_valid_codes_cannot_be_merged(auth, client, app_session, world):
    from crm.domain.dedup.credit_code import check_character

    a = new_company(app_session, "海威纺织有限公司", credit_code="91441900MA4UH1K2X" + check_character("91441900MA4UH1K2X"))
    b = new_company(app_session, "海威纺织股份有限公司", credit_code="91410400MA3X2F1C5" + check_character("91410400MA3X2F1C5"))
    app_session.commit()
    auth.login_as("reviewer")
    location = client.post(f"/companies/{a.id}/compare/{b.id}").headers["Location"]
    response = client.post(location, data={"survivor_id": str(a.id), "confirm": "1"})
    assert response.status_code == 400
    assert "不能合并" in response.get_data(as_text=True)
    app_session.expire_all()
    assert app_session.get(Company, b.id).merged_into_id is None


def test_credit_code_can_move_to_the_survivor(auth, client, app_session, world):
    from crm.domain.dedup.credit_code import check_character

    code = "91441900MA4UH1K2X" + check_character("91441900MA4UH1K2X")
    a = new_company(app_session, "海威纺织有限公司")
    b = new_company(app_session, "东莞海威纺织", credit_code=code)
    app_session.commit()
    auth.login_as("reviewer")
    location = client.post(f"/companies/{a.id}/compare/{b.id}").headers["Location"]
    assert client.post(location, data={"survivor_id": str(a.id), "field_credit_code": str(b.id), "confirm": "1"}).status_code == 302
    app_session.expire_all()
    assert app_session.get(Company, a.id).credit_code == code and app_session.get(Company, b.id).credit_code is None
    merge = app_session.scalars(sa.select(CompanyMerge)).one()
    client.post(f"/companies/merges/{merge.id}/undo")
    app_session.expire_all()
    assert app_session.get(Company, a.id).credit_code is None and app_session.get(Company, b.id).credit_code == code


def test_dismiss_is_remembered(app, auth, client, app_session, world):
    new_company(app_session, "海威纺织有限公司")
    new_company(app_session, "海威纺织股份有限公司")
    app_session.commit()
    assert find_duplicate_groups() == 1
    app_session.commit()
    group = app_session.scalars(sa.select(DuplicateGroup).where(DuplicateGroup.id != world.records["group"])).one()
    auth.login_as("reviewer")
    assert client.post(f"/companies/duplicates/{group.id}/dismiss").status_code == 302
    assert find_duplicate_groups() == 0


def test_staff_cannot_review_or_merge(auth, client, app_session, world):
    a = new_company(app_session, "海威纺织有限公司")
    b = new_company(app_session, "海伟纺织有限公司")
    app_session.commit()
    auth.login_as("staff")
    assert client.get("/companies/duplicates").status_code == 403
    assert client.post(f"/companies/{a.id}/compare/{b.id}").status_code == 403


def test_moved_references_are_audited(auth, client, app_session, world):
    from crm.audit.models import AuditLog

    survivor = new_company(app_session, "海威纺织有限公司")
    duplicate = new_company(app_session, "海伟纺织有限公司")
    app_session.commit()
    app_session.add(Contact(company_id=duplicate.id, name="王经理"))
    app_session.commit()
    contact_id = app_session.scalars(sa.select(Contact.id).where(Contact.name == "王经理")).one()
    auth.login_as("reviewer")
    location = client.post(f"/companies/{survivor.id}/compare/{duplicate.id}").headers["Location"]
    client.post(location, data={"survivor_id": str(survivor.id), "confirm": "1"})
    row = app_session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "contacts", AuditLog.record_id == contact_id, AuditLog.field == "company_id", AuditLog.action == "update")
    ).one()
    assert (row.old_value, row.new_value) == (str(duplicate.id), str(survivor.id))
    assert row.actor_id == world.users["reviewer"].id


def test_a_merge_asks_for_confirmation_and_keeps_the_choices(auth, client, app_session, world):
    """Merging moves every record of the other company: it happens only once the reviewer ticks 确认 (issue 14)."""
    survivor = new_company(app_session, "海威纺织有限公司", hq_city="东莞市")
    duplicate = new_company(app_session, "东莞市海伟纺织有限公司", website="http://haiwei.example")
    app_session.commit()
    auth.login_as("reviewer")
    location = client.post(f"/companies/{survivor.id}/compare/{duplicate.id}").headers["Location"]
    response = client.post(location, data={"survivor_id": str(survivor.id), "field_website": str(duplicate.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "请先勾选“我已核对，确认合并”" in page
    assert f'value="{duplicate.id}" checked' in page  # the website chosen from the other company is still chosen
    app_session.expire_all()
    assert app_session.get(Company, duplicate.id).merged_into_id is None
