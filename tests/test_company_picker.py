"""The one company picker (crm.companies.picker): what it offers for what is typed — names, pinyin and initials
that contain it, then the duplicate matcher's likely ones, then 新建企业「…」 — and that every form that names a
company uses it (issue 14)."""

from __future__ import annotations

import pytest

from tests.factories import new_company


@pytest.fixture
def haiwei(app_session):  # type: ignore[no-untyped-def]
    company = new_company(app_session, "海威纺织有限公司")
    app_session.commit()
    return company


def _options(client, **args) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/companies/pick", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_variant_of_the_name_finds_the_company_through_the_matcher(auth, client, haiwei):
    auth.login_as("staff")
    page = _options(client, company_name="东莞海威纺织")  # the place and no legal form: contained in no name
    assert 'data-pick="海威纺织有限公司"' in page and "名称相近 100%" in page
    assert "新建企业「东莞海威纺织」" in page


def test_pinyin_initials_and_the_input_name_of_a_visit_stop(auth, client, haiwei):
    auth.login_as("staff")
    assert 'data-pick="海威纺织有限公司"' in _options(client, **{"stops-0-company_name": "hwfz"})
    assert 'data-pick="海威纺织有限公司"' in _options(client, company_name="haiwei")


def test_nothing_typed_offers_nothing(auth, client, haiwei):
    auth.login_as("staff")
    assert "role=\"option\"" not in _options(client, company_name="  ")


def test_only_those_who_may_create_companies_are_sent_to_the_new_company_page(auth, client, haiwei):
    auth.login_as("leader")
    page = _options(client, company_name="东莞海威纺织")
    assert 'data-pick="海威纺织有限公司"' in page and "data-create-url" not in page


@pytest.mark.parametrize("path", ["/leads/new", "/visits/new", "/agreements/new", "/projects/new"])
def test_every_company_input_is_the_picker(auth, client, path):
    auth.login_as("staff")
    page = client.get(path).get_data(as_text=True)
    assert 'hx-get="/companies/pick"' in page and 'class="company-options"' in page
    assert "datalist id=\"company-suggestions\"" not in page
