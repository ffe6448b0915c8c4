"""Ids past what the database holds, in a URL, a query string or a form: a 404, an unapplied filter or a
field error — never a 500 (an id of 10^20 reached the database: OverflowError, or "integer out of range")."""

from __future__ import annotations

import pytest

from tests.test_agreements import form as agreement_form
from tests.test_leads import lead_form
from tests.test_visits import visit_form

HUGE = str(10**20)
PAST_INT32 = str(2**31)


@pytest.mark.parametrize("path", [f"/projects/{HUGE}", f"/projects/{PAST_INT32}", f"/leads/{HUGE}", f"/companies/{HUGE}",
                                  f"/projects/{HUGE}/edit", f"/issues/{PAST_INT32}", f"/history/projects/{HUGE}"])
def test_an_id_past_the_database_in_a_url_is_not_found(auth, client, path) -> None:
    auth.login_as("chief")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [f"/projects/?unit={HUGE}", f"/leads/?owner_id={HUGE}&chain_id={HUGE}&unit_id={HUGE}",
                                  f"/companies/?chain_id={HUGE}", f"/agreements/new?company_id={HUGE}&lead_id={HUGE}",
                                  f"/projects/new?company_id={HUGE}", f"/visits/new?lead_id={HUGE}",
                                  f"/reports/funds?unit={HUGE}", f"/projects/?page={HUGE}&per_page={HUGE}",
                                  f"/issues/?unit={HUGE}&project={HUGE}"])
def test_an_id_past_the_database_in_a_query_string_is_ignored(auth, client, path) -> None:
    auth.login_as("chief")
    assert client.get(path).status_code == 200, path


def test_an_id_past_the_database_in_a_form_is_a_field_error(auth, client, world) -> None:
    auth.login_as("chief")
    lead = client.post("/leads/new", data=lead_form(chain_id=HUGE, owner_id=HUGE))
    assert lead.status_code == 400 and "请从列表中选择" in lead.get_data(as_text=True)
    visit = client.post("/visits/new", data=visit_form(world, lead_ids=[HUGE], leader_id=HUGE))
    assert visit.status_code == 400 and "请从列表中选择" in visit.get_data(as_text=True)
    agreement = client.post("/agreements/new", data=agreement_form(company_id=HUGE))
    assert agreement.status_code == 400 and "所选企业不存在" in agreement.get_data(as_text=True)


def test_the_audit_search_ignores_an_actor_past_the_database(auth, client) -> None:
    auth.login_as("admin")
    assert client.get(f"/admin/audit?actor_id={HUGE}").status_code == 200
