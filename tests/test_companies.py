"""Companies and contacts: create/edit with duplicate checks, search, export, access."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from crm.companies.models import Company, DistinctPair
from crm.domain.dedup.credit_code import check_character

VALID_CODE = "91441900MA4UH1K2X" + check_character("91441900MA4UH1K2X")
OTHER_CODE = "91410400MA3X2F1C5" + check_character("91410400MA3X2F1C5")


def company_form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "name": "海威纺织有限公司",
        "short_name": "海威纺织",
        "english_name": "",
        "former_names": "",
        "alias_names": "",
        "credit_code": "",
        "ownership": "private",
        "hq_province": "广东省",
        "hq_city": "东莞市",
        "funding_source": "other_province",
        "industry_category": "C",
        "chain_id": "",
        "registered_capital": "5000",
        "website": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def make_company(client, **overrides):  # type: ignore[no-untyped-def]
    response = client.post("/companies/new", data=company_form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_create_and_view(auth, client, session, world):
    auth.login_as("staff")
    company_id = make_company(
        client, credit_code=VALID_CODE, english_name="Haiwei Textile Co., Ltd.", tags=["listed", "specialised"], former_names="东莞海威织造厂\n海威布业"
    )
    company = session.get(Company, company_id)
    assert company.credit_code == VALID_CODE
    assert {t.value for t in company.tags} == {"listed", "specialised"}
    assert sorted(n.name for n in company.other_names) == ["东莞海威织造厂", "海威布业"]
    page = client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "海威纺织有限公司" in page and "上市公司" in page and "东莞海威织造厂" in page


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"name": ""}, "必填项"),
        ({"name": "名" * 5000}, "不能超过 200 个字符"),
        ({"name": "海威\x07纺织"}, "控制字符"),
        ({"credit_code": VALID_CODE[:17]}, "18"),
        ({"credit_code": VALID_CODE + "1"}, "18"),
        ({"credit_code": VALID_CODE[:17] + ("0" if VALID_CODE[17] != "0" else "1")}, "校验"),
        ({"credit_code": VALID_CODE.lower()}, "无效字符"),
        ({"ownership": "communist"}, "请从列表中选择"),
        ({"tags": ["global500", "fake"]}, "请从列表中选择"),
        ({"registered_capital": "-5"}, "0 以上"),
        ({"registered_capital": "很多"}, ""),
        ({"registered_capital": "NaN"}, "请输入数字"),  # (a 500 before)
        ({"registered_capital": "Infinity"}, "请输入数字"),
        ({"chain_id": "99999"}, "请从列表中选择"),
        ({"former_names": "名" * 300}, "不能超过 200 个字符"),
    ],
)
def test_bad_input_is_refused_and_kept(auth, client, session, world, overrides, message):
    auth.login_as("staff")
    before = session.scalar(sa.select(sa.func.count()).select_from(Company))
    data = company_form(name=overrides.pop("name", "完全不同的企业名称有限公司"), **overrides)
    response = client.post("/companies/new", data=data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text
    assert "广东省" in text  # what was typed is still there
    assert session.scalar(sa.select(sa.func.count()).select_from(Company)) == before


def test_emoji_and_html_in_names_are_stored_as_text(auth, client, session, world):
    auth.login_as("staff")
    company_id = make_company(client, name="<b>笑脸😀</b>科技有限公司")
    page = client.get(f"/companies/{company_id}").get_data(as_text=True)
    assert "&lt;b&gt;笑脸😀&lt;/b&gt;科技有限公司" in page


def test_exact_credit_code_duplicate_is_refused(auth, client, world):
    auth.login_as("staff")
    make_company(client, credit_code=VALID_CODE)
    response = client.post("/companies/new", data=company_form(name="完全不同的名字有限公司", credit_code=VALID_CODE))
    assert response.status_code == 400
    assert "该统一社会信用代码已登记为「海威纺织有限公司」" in response.get_data(as_text=True)


@pytest.mark.parametrize("variant", ["东莞市海威纺织有限公司", "海威纺织（东莞）有限公司", "海伟纺织"])
def test_likely_duplicate_needs_confirmation_which_is_remembered(auth, client, session, world, variant):
    auth.login_as("staff")
    original = make_company(client)
    response = client.post("/companies/new", data=company_form(name=variant, short_name=""))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "可能与已有企业重复" in text and f"/companies/{original}" in text
    confirmed = client.post(
        "/companies/new", data=company_form(name=variant, short_name="", confirm_distinct="y", distinct_from=str(original))
    )
    assert confirmed.status_code == 302
    new_id = int(confirmed.headers["Location"].rsplit("/", 1)[1])
    low, high = sorted((original, new_id))
    assert session.get(DistinctPair, (low, high)) is not None
    # Remembered: editing the new company no longer asks.
    company = session.get(Company, new_id)
    response = client.post(f"/companies/{new_id}/edit", data=company_form(name=variant, short_name="", notes="补充", version=str(company.version)))
    assert response.status_code == 302


def test_different_company_with_similar_brand_is_not_flagged(auth, client, world):
    auth.login_as("staff")
    make_company(client)
    response = client.post("/companies/new", data=company_form(name="海威电子科技有限公司", short_name="", industry_category="I"))
    assert response.status_code == 302


def test_typeahead_check(auth, client, world):
    auth.login_as("staff")
    original = make_company(client, credit_code=VALID_CODE)
    data = client.get("/companies/check?name=东莞海威纺织").get_json()
    assert [m["id"] for m in data["matches"]] == [original]
    assert data["matches"][0]["url"] == f"/companies/{original}"
    by_code = client.get(f"/companies/check?name=随便&credit_code={VALID_CODE}").get_json()
    assert by_code["matches"][0]["same_code"] is True
    assert client.get(f"/companies/check?name=东莞海威纺织&exclude={original}").get_json()["matches"] == []
    assert client.get("/companies/check?name=x").get_json()["matches"] == []


def test_search_by_chinese_pinyin_and_initials(auth, client, world):
    auth.login_as("staff")
    make_company(client)
    make_company(client, name="鲁山县尧盛针织有限公司", short_name="", hq_province="河南省")
    for q in ("海威", "haiwei", "hwfz", "HWFZ"):
        text = client.get(f"/companies/?q={q}").get_data(as_text=True)
        assert "海威纺织有限公司</a>" in text, q
        assert "尧盛针织有限公司</a>" not in text, q
    text = client.get("/companies/?province=河南").get_data(as_text=True)
    assert "尧盛针织有限公司</a>" in text and "海威纺织有限公司</a>" not in text


def test_filters_and_sort_do_not_crash_on_nonsense(auth, client, world):
    auth.login_as("staff")
    response = client.get("/companies/?ownership=x&tag=y&funding_source=z&industry_category=Q9&chain_id=abc&sort=DROP&page=-3&per_page=100000")
    assert response.status_code == 200


def test_export_xlsx(auth, client, world):
    from openpyxl import load_workbook

    auth.login_as("staff")
    make_company(client, name="=HYPERLINK(\"http://x\")有限公司", short_name="")
    make_company(client, name="鲁山县尧盛针织有限公司", short_name="", registered_capital="1000")
    auth.login_as("leader")
    response = client.get("/companies/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" and rows[0][10] == "注册资本（万元）"
    names = [r[0] for r in rows[1:-1]]
    assert "'=HYPERLINK(\"http://x\")有限公司" in names  # formula neutralised
    assert rows[-1][0] == "合计" and rows[-1][10] == 6000


def test_leader_reads_but_does_not_edit(auth, client, world):
    auth.login_as("staff")
    company_id = make_company(client)
    auth.login_as("leader")
    assert client.get(f"/companies/{company_id}").status_code == 200
    assert client.get(f"/companies/{company_id}/edit").status_code == 403
    assert client.get("/companies/new").status_code == 403


def test_stale_edit_is_refused(auth, client, session, world):
    auth.login_as("staff")
    company_id = make_company(client)
    version = session.get(Company, company_id).version
    assert client.post(f"/companies/{company_id}/edit", data=company_form(notes="第一次", version=str(version))).status_code == 302
    response = client.post(f"/companies/{company_id}/edit", data=company_form(notes="第二次", version=str(version)))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "已被他人修改" in text and "第一次" in text and "第二次" in text


def test_contacts(auth, client, session, world):
    auth.login_as("staff")
    company_id = make_company(client)
    response = client.post(
        f"/companies/{company_id}/contacts/new",
        data={"name": "陈总", "title": "总经理", "phones": "0769-22001234, 13800000000", "email": "chen@haiwei.cn", "wechat": "chen88"},
    )
    assert response.status_code == 302
    assert "陈总" in client.get(f"/companies/{company_id}").get_data(as_text=True)
    bad = client.post(f"/companies/{company_id}/contacts/new", data={"name": "李四", "phones": "打电话", "email": "no"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "电话只能包含" in text and "邮箱格式不正确" in text and "李四" in text


def test_company_changes_are_audited(auth, client, session, world):
    from crm.audit.models import AuditLog

    auth.login_as("staff")
    company_id = make_company(client)
    rows = session.scalars(sa.select(AuditLog).where(AuditLog.record_type == "companies", AuditLog.record_id == company_id)).all()
    assert any(r.field == "name" and r.new_value == "海威纺织有限公司" for r in rows)
    assert all(r.actor_id == world.users["staff"].id for r in rows)
    assert client.get(f"/history/companies/{company_id}").status_code == 200
