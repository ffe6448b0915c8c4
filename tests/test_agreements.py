"""协议: rules, services, pages for every role, bad input, list/export, audit, merge, demo."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.agreements.models import Agreement
from crm.audit.models import AuditLog
from crm.companies.models import Company, CompanyName
from crm.domain.agreements import (
    AgreementStatus,
    AgreementType,
    Problem,
    amount_problem,
    amounts_problem,
    date_problem,
    schedule_problem,
    termination_problem,
)
from crm.domain.companies import OtherNameKind
from tests.factories import new_company
from tests.helpers import in_app

WORLD_COMPANY = "星河协议测试实业有限公司"  # tests/world.py: the 乙方 of the world's agreements


def form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "type": "investment_contract",
        "name": "海威特种布项目投资协议书",
        "number": "LSTZ-2025-011",
        "signed_on": "2025-04-16",
        "signing_event": "三个一批第二期",
        "party_a": "甲县人民政府",
        "company_name": WORLD_COMPANY,
        "lead_id": "",
        "investment_amount": "30,000",
        "attracted_amount": "25000.50",
        "planned_start_on": "2025-07-01",
        "planned_production_on": "2026-06-30",
        "investment_intensity": "300",
        "tax_per_mu": "15",
        "jobs": "300",
        "notes": "县长带队签约",
    }
    data.update(overrides)
    return data


def count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(sa.select(sa.func.count()).select_from(Agreement))


def create(client, **overrides) -> int:  # type: ignore[no-untyped-def]
    response = client.post("/agreements/new", data=form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


# --- pure rules -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,problem",
    [
        (None, None),
        (Decimal("0"), None),
        (Decimal("30000.5"), None),
        (Decimal("100000000"), None),
        (Decimal("100000000.01"), Problem.TOO_LARGE),
        (Decimal("-0.01"), Problem.NEGATIVE),
        (Decimal("1.001"), Problem.TOO_PRECISE),
        (Decimal("1.100"), None),  # trailing zeros are not precision
        (Decimal("NaN"), Problem.TOO_LARGE),
        (Decimal("Infinity"), Problem.TOO_LARGE),
    ],
)
def test_amount_rule(value, problem):
    assert amount_problem(value) == problem


def test_other_rules():
    assert amounts_problem(Decimal(100), Decimal(101)) is Problem.ATTRACTED_ABOVE_INVESTMENT
    assert amounts_problem(Decimal(100), Decimal(100)) is None
    assert amounts_problem(None, Decimal(100)) is None
    assert schedule_problem(date(2025, 7, 1), date(2025, 6, 30)) is Problem.PRODUCTION_BEFORE_START
    assert schedule_problem(date(2025, 7, 1), date(2025, 7, 1)) is None
    assert schedule_problem(None, date(2025, 7, 1)) is None
    assert date_problem(date(1900, 1, 1)) is Problem.DATE_OUT_OF_RANGE
    signed = date(2025, 4, 16)
    assert termination_problem(AgreementStatus.ACTIVE, " ", signed, signed) is Problem.REASON_REQUIRED
    assert termination_problem(AgreementStatus.ACTIVE, "投资方撤资", signed, signed - timedelta(days=1)) is Problem.TERMINATED_BEFORE_SIGNING
    assert termination_problem(AgreementStatus.TERMINATED, "再次", signed, signed) is Problem.ALREADY_TERMINATED
    assert termination_problem(AgreementStatus.ACTIVE, "投资方撤资", signed, signed) is None


# --- create -----------------------------------------------------------------------------------
def test_staff_creates_an_agreement_owned_by_their_unit(auth, client, session, world):
    auth.login_as("staff")
    other_unit = world.units["branch_b1"].id
    agreement_id = create(client, unit_id=str(other_unit), created_by_id=str(world.users["admin"].id), status="rescinded")
    agreement = session.get(Agreement, agreement_id)
    # Unit, creator and status come from the server, whatever the form says.
    assert agreement.unit_id == world.units["branch_a1"].id
    assert agreement.created_by_id == world.users["staff"].id
    assert agreement.status is AgreementStatus.ACTIVE
    assert agreement.company_id == world.records["agreement_company"]
    assert agreement.type is AgreementType.CONTRACT
    assert agreement.investment_amount == Decimal("30000") and agreement.attracted_amount == Decimal("25000.50")
    assert agreement.planned_production_on == date(2026, 6, 30) and agreement.jobs == 300
    page = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "海威特种布项目投资协议书" in page and "30,000.00 万元" in page and "3.00 亿元" in page
    assert "正式投资合同/投资协议书" in page and "有效" in page
    created = session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "agreements", AuditLog.record_id == agreement_id, AuditLog.action == "create")
    ).all()
    assert {row.field for row in created} >= {"type", "signed_on", "company_id", "investment_amount", "unit_id", "status"}
    assert all(row.actor_id == world.users["staff"].id and row.unit_id == agreement.unit_id for row in created)


def test_chief_creates_and_the_new_form_defaults(auth, client, session, world):
    auth.login_as("chief")
    page = client.get(f"/agreements/new?company_id={world.records['agreement_company']}").get_data(as_text=True)
    assert WORLD_COMPANY in page and 'hx-get="/companies/pick"' in page and "company-options" in page
    assert create(client, type="letter_of_intent", investment_amount="", attracted_amount="", planned_start_on="", planned_production_on="",
                  investment_intensity="", tax_per_mu="", jobs="", name="", number="")


@pytest.mark.parametrize(
    "overrides,field_message",
    [
        ({"type": ""}, "请从列表中选择"),
        ({"type": "mou"}, "请从列表中选择"),
        ({"signed_on": ""}, "请填写日期"),
        ({"signed_on": "2025-02-30"}, "请输入日期"),
        ({"signed_on": "1900-01-01"}, "日期超出合理范围"),
        ({"party_a": ""}, "必填项"),
        ({"party_a": "县" * 121}, "不能超过 120 个字符"),
        ({"name": "协" * 5000}, "不能超过 200 个字符"),
        ({"notes": "很" * 5000}, "不能超过 4000 个字符"),
        ({"signing_event": "投洽会\x00"}, "控制字符"),
        ({"company_name": ""}, "必填项"),
        ({"company_name": "不存在的某某公司"}, "未找到该企业，请先在企业库中新建"),
        ({"company_id": "999999"}, "所选企业不存在"),
        ({"company_id": "abc"}, "所选企业不存在"),
        ({"investment_amount": "-1"}, "金额不能为负数"),
        ({"investment_amount": "100000000.01"}, "金额不能超过 1 亿万元"),
        ({"investment_amount": "1e20"}, "金额不能超过 1 亿万元"),
        ({"investment_amount": "NaN"}, "请输入数字"),
        ({"investment_amount": "三万"}, "请输入数字"),
        ({"investment_amount": "1.234"}, "最多保留两位小数"),
        ({"attracted_amount": "-5"}, "金额不能为负数"),
        ({"attracted_amount": "30001"}, "合同引资额不能大于协议投资额"),
        ({"planned_production_on": "2025-06-30"}, "约定投产日期不能早于约定开工日期"),
        ({"investment_intensity": "-3"}, "不能为负数"),
        ({"tax_per_mu": "99999999"}, "数值过大"),
        ({"jobs": "-1"}, "请输入 0 到 1000000 之间的人数"),
        ({"jobs": "3.5"}, "请输入整数"),
        ({"lead_id": "999999"}, "请从列表中选择"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(auth, client, session, world, overrides, field_message):
    auth.login_as("staff")
    before = count(session)
    response = client.post("/agreements/new", data=form(**{"signing_event": "保留的签约活动", **overrides}))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert field_message in text
    assert "invalid-feedback" in text or "alert-danger" in text
    if "signing_event" not in overrides:
        assert "保留的签约活动" in text  # what was typed is still there
    assert count(session) == before


def test_unknown_company_offers_to_create_it(auth, client, world):
    auth.login_as("staff")
    text = client.post("/agreements/new", data=form(company_name="新来的投资方有限公司")).get_data(as_text=True)
    assert "未找到该企业，请先在企业库中新建" in text
    assert 'href="/companies/new?name=%E6%96%B0' in text  # a link that opens the company form with the name filled
    # With another field refused too, both are said at once.
    text = client.post("/agreements/new", data=form(company_name="新来的投资方有限公司", investment_amount="-1")).get_data(as_text=True)
    assert "未找到该企业，请先在企业库中新建" in text and "金额不能为负数" in text


def test_company_is_found_by_other_name_similar_name_or_survivor(app, auth, client, session, world):
    with in_app(app) as app_db_session:
        former = CompanyName(name="东莞海威织造厂", kind=OtherNameKind.FORMER)
        haiwei = new_company(app_db_session, "海威纺织有限公司", other_names=[former]).id
        merged = new_company(app_db_session, "海威香港实业有限公司", merged_into_id=haiwei).id
        app_db_session.commit()
    auth.login_as("staff")
    for typed in ("海威纺织有限公司", "东莞海威织造厂", "东莞市海威纺织有限公司", "海威香港实业有限公司"):
        agreement_id = create(client, company_name=typed)
        assert session.get(Agreement, agreement_id).company_id == haiwei, typed
    # A merged company picked on its old page stands for its survivor.
    agreement_id = create(client, company_name="海威香港实业有限公司", company_id=str(merged))
    assert session.get(Agreement, agreement_id).company_id == haiwei
    # A similar but different company is not taken for it.
    before = count(session)
    assert client.post("/agreements/new", data=form(company_name="海威电子科技有限公司")).status_code == 400
    assert count(session) == before


def test_lead_select_offers_only_the_units_leads(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]

    def offered(q: str) -> list[str]:
        return [o["text"] for o in client.get(f"/leads/candidates?q={q}").get_json()["options"]]

    page = client.get("/agreements/new").get_data(as_text=True)
    assert 'data-picker-url="/leads/candidates"' in page and "荣格精工扩产线索" not in page  # asked for as one types
    assert offered("荣格") == offered("rongge") == ["荣格精工扩产线索（荣格精工有限公司）"]  # by its name or its company's
    assert "荣格精工扩产线索" in client.get(f"/agreements/new?lead_id={lead_id}").get_data(as_text=True)
    agreement_id = create(client, lead_id=str(lead_id))
    assert session.get(Agreement, agreement_id).lead_id == lead_id
    assert "荣格精工扩产线索" in client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    auth.login_as("staff_a2")
    assert offered("荣格") == []
    assert "荣格精工扩产线索" not in client.get(f"/agreements/new?lead_id={lead_id}").get_data(as_text=True)
    before = count(session)
    response = client.post("/agreements/new", data=form(lead_id=str(lead_id)))
    assert response.status_code == 400 and "请从列表中选择" in response.get_data(as_text=True)
    assert count(session) == before


def test_county_roles_read_but_do_not_create_or_edit(auth, client, world):
    agreement_id = world.records["agreement"]
    for role in ("reviewer", "leader", "admin"):
        auth.login_as(role)
        listing = client.get("/agreements/").get_data(as_text=True)
        assert WORLD_COMPANY in listing and "新建协议" not in listing
        page = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
        assert "协议扫描件.png" in page and "终止协议" not in page and 'name="file"' not in page
        assert client.get("/agreements/new").status_code == 403
        assert client.post("/agreements/new", data=form()).status_code == 403
        assert client.post(f"/agreements/{agreement_id}/edit", data=form(version="1")).status_code == 403
        assert client.post(f"/agreements/{agreement_id}/terminate", data={"reason": "x", "terminated_on": "2025-05-01"}).status_code == 403


def test_another_units_staff_sees_nothing(auth, client, world):
    auth.login_as("staff_a2")
    agreement_id = world.records["agreement"]
    for path in (f"/agreements/{agreement_id}", f"/agreements/{agreement_id}/edit", f"/agreements/{agreement_id}/terminate",
                 f"/history/agreements/{agreement_id}"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/agreements/{agreement_id}/edit", data=form(version="1")).status_code == 404
    listing = client.get("/agreements/").get_data(as_text=True)
    assert f"/agreements/{agreement_id}\"" not in listing and f"/agreements/{world.records['agreement_a2']}\"" in listing
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/agreements/export.xlsx").data)).active
    units = {row[16] for row in list(sheet.iter_rows(values_only=True))[1:-1]}
    assert units == {"甲县第二招商分局"}


# --- edit, terminate, audit -------------------------------------------------------------------
def test_edit_is_version_checked_and_audited(auth, client, session, world):
    auth.login_as("staff")
    agreement_id = create(client)
    agreement = session.get(Agreement, agreement_id)
    version = agreement.version
    assert client.get(f"/agreements/{agreement_id}/edit").status_code == 200
    ok = client.post(f"/agreements/{agreement_id}/edit", data=form(investment_amount="32000", notes="第一次修改", version=str(version)))
    assert ok.status_code == 302
    session.expire_all()
    assert session.get(Agreement, agreement_id).investment_amount == Decimal("32000")
    stale = client.post(f"/agreements/{agreement_id}/edit", data=form(investment_amount="33000", notes="第二次修改", version=str(version)))
    assert stale.status_code == 400
    text = stale.get_data(as_text=True)
    assert "已被他人修改" in text and "第一次修改" in text and "第二次修改" in text
    session.expire_all()
    assert session.get(Agreement, agreement_id).investment_amount == Decimal("32000")
    change = session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == "agreements", AuditLog.record_id == agreement_id, AuditLog.action == "update",
                                  AuditLog.field == "investment_amount")
    ).one()
    assert (Decimal(change.old_value), Decimal(change.new_value)) == (Decimal("30000"), Decimal("32000"))
    assert change.actor_id == world.users["staff"].id
    # The unit stays the unit's, whatever the edit form says.
    client.post(f"/agreements/{agreement_id}/edit", data=form(unit_id=str(world.units["branch_b1"].id), version=str(version + 1)))
    session.expire_all()
    assert session.get(Agreement, agreement_id).unit_id == world.units["branch_a1"].id
    history = client.get(f"/history/agreements/{agreement_id}").get_data(as_text=True)
    assert "investment_amount" in history or "32000" in history


def test_edit_refuses_bad_input(auth, client, session, world):
    auth.login_as("staff")
    agreement_id = world.records["agreement"]
    version = session.get(Agreement, agreement_id).version
    response = client.post(f"/agreements/{agreement_id}/edit",
                           data=form(planned_start_on="2026-01-01", planned_production_on="2025-01-01", version=str(version)))
    assert response.status_code == 400 and "约定投产日期不能早于约定开工日期" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Agreement, agreement_id).version == version


def test_terminate_needs_a_reason_and_is_audited(auth, client, session, world):
    auth.login_as("staff")
    agreement_id = world.records["agreement"]  # signed 2025-04-18
    version = session.get(Agreement, agreement_id).version
    page = client.get(f"/agreements/{agreement_id}/terminate")
    assert page.status_code == 200 and "终止原因" in page.get_data(as_text=True)
    empty = client.post(f"/agreements/{agreement_id}/terminate", data={"reason": "  ", "terminated_on": "2025-05-01", "version": str(version)})
    assert empty.status_code == 400 and "终止协议须填写原因" in empty.get_data(as_text=True)
    early = client.post(f"/agreements/{agreement_id}/terminate", data={"reason": "投资方撤资", "terminated_on": "2025-04-01", "version": str(version)})
    assert early.status_code == 400 and "终止日期不能早于签约日期" in early.get_data(as_text=True)
    session.expire_all()
    assert session.get(Agreement, agreement_id).status is AgreementStatus.ACTIVE
    done = client.post(f"/agreements/{agreement_id}/terminate", data={"reason": "投资方撤资", "terminated_on": "2025-05-01", "version": str(version)})
    assert done.status_code == 302
    session.expire_all()
    agreement = session.get(Agreement, agreement_id)
    assert agreement.status is AgreementStatus.TERMINATED and agreement.termination_reason == "投资方撤资"
    assert agreement.terminated_on == date(2025, 5, 1)
    rows = {
        row.field: (row.old_value, row.new_value)
        for row in session.scalars(sa.select(AuditLog).where(AuditLog.record_type == "agreements", AuditLog.record_id == agreement_id))
        if row.action == "update"
    }
    assert rows["status"] == ("in_force", "rescinded") and rows["termination_reason"] == (None, "投资方撤资")
    detail = client.get(f"/agreements/{agreement_id}").get_data(as_text=True)
    assert "该协议已于 2025-05-01 终止" in detail and "投资方撤资" in detail
    again = client.get(f"/agreements/{agreement_id}/terminate")
    assert again.status_code == 302


def test_stale_terminate_is_refused(auth, client, session, world):
    auth.login_as("chief")
    agreement_id = world.records["agreement"]
    version = session.get(Agreement, agreement_id).version
    response = client.post(f"/agreements/{agreement_id}/terminate", data={"reason": "撤资", "terminated_on": "2025-05-01", "version": str(version - 1)})
    assert response.status_code == 400 and "已被他人修改" in response.get_data(as_text=True)


# --- list and export ------------------------------------------------------------------------
def test_list_filters_sort_and_totals(auth, client, world):
    auth.login_as("staff")
    create(client, type="letter_of_intent", signed_on="2025-02-18", investment_amount="30000", attracted_amount="30000", name="意向书甲")
    create(client, type="framework_agreement", signed_on="2025-03-20", investment_amount="", attracted_amount="", name="框架协议乙")
    text = client.get("/agreements/").get_data(as_text=True)
    assert "意向书甲" in text and "框架协议乙" in text and "branch_a1投资协议书" in text
    # plus the world's two contracts of the projects feature (50 000 and 20 000 万元)
    assert "共 5 份协议" in text and "130,000.00 万元" in text
    text = client.get("/agreements/?type=letter_of_intent").get_data(as_text=True)
    assert "意向书甲" in text and "框架协议乙" not in text and "共 1 份协议" in text
    text = client.get("/agreements/?date_from=2025-03-01&date_to=2025-03-31").get_data(as_text=True)
    assert "框架协议乙" in text and "意向书甲" not in text
    text = client.get("/agreements/?q=xhxy").get_data(as_text=True)  # 星河协议…: pinyin initials
    assert "共 3 份协议" in text
    assert "共 0 份协议" in client.get("/agreements/?q=不存在").get_data(as_text=True)
    text = client.get("/agreements/?sort=signed").get_data(as_text=True)
    assert text.index("意向书甲") < text.index("框架协议乙")
    assert client.get("/agreements/?status=rescinded").get_data(as_text=True).count("共 0 份协议") == 1


def test_list_does_not_crash_on_nonsense(auth, client, world):
    auth.login_as("leader")
    response = client.get("/agreements/?type=x&status=y&date_from=2025-13-01&date_to=abc&sort=DROP&company_id=zz&page=-1&per_page=99999")
    assert response.status_code == 200


def test_export_xlsx_has_units_and_a_totals_row(auth, client, world):
    from openpyxl import load_workbook

    auth.login_as("staff")
    create(client, name="=HYPERLINK(\"http://x\")", investment_amount="1000.25", attracted_amount="1000")
    auth.login_as("leader")  # sees all three units' agreements of county A
    sheet = load_workbook(io.BytesIO(client.get("/agreements/export.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][7] == "协议投资额（万元）" and rows[0][8] == "合同引资额（万元）" and rows[0][11] == "投资强度（万元/亩）"
    assert "'=HYPERLINK(\"http://x\")" in [r[2] for r in rows[1:-1]]
    # header, county A's four world agreements (two of them the projects feature's contracts), the new one, totals
    assert len(rows) == 2 + 5
    assert rows[-1][0] == "合计" and rows[-1][7] == pytest.approx(131000.25) and rows[-1][8] == pytest.approx(121000)


# --- merge and company page ----------------------------------------------------------------
def test_company_merge_moves_agreements_and_undo_moves_them_back(app, app_session, world):
    from crm.companies.merging import SURVIVOR, merge_companies, undo_merge
    from crm.companies.models import CompanyMerge
    from crm.domain.access import Actor, Role

    survivor = app_session.get(Company, world.records["company"])
    merged = app_session.get(Company, world.records["agreement_company"])
    actor = Actor(user_id=world.users["reviewer"].id, role=Role.REVIEWER, unit_id=world.units["bureau_a"].id,
                  subtree=frozenset({world.units["bureau_a"].id}))
    merge_companies(actor, survivor, merged, {"name": SURVIVOR})
    app_session.commit()
    agreement = app_session.get(Agreement, world.records["agreement"])
    app_session.refresh(agreement)
    assert agreement.company_id == survivor.id
    undo_merge(actor, app_session.scalars(sa.select(CompanyMerge)).one())
    app_session.commit()
    app_session.refresh(agreement)
    assert agreement.company_id == merged.id


def test_company_page_names_the_units_with_agreements_only(auth, client, world):
    auth.login_as("staff_a2")
    page = client.get(f"/companies/{world.records['agreement_company']}").get_data(as_text=True)
    assert "甲县第一招商分局" in page and "2025-04-18" in page
    assert "branch_a1投资协议书" not in page


# --- demo --------------------------------------------------------------------------------
def test_demo_agreements_are_anchored_and_loaded_once(app, session):
    from crm.access.scoping import SYSTEM, set_scope
    from crm.demo.services import load_demo
    from crm.extensions import db

    today = date(2026, 3, 2)
    with app.app_context():
        set_scope(db.session, SYSTEM)
        report = load_demo(today)
        db.session.commit()
        assert report.created["agreements"] == 4
        assert "agreements" not in load_demo(today).created
        assert "agreements" not in load_demo(today + timedelta(days=40)).created  # another day adds nothing either
        db.session.commit()
    rows = session.scalars(sa.select(Agreement).join(Company).order_by(Agreement.signed_on)).all()
    by_name = {(a.company.name, a.type): a for a in rows}
    contract = by_name[("海威纺织有限公司", AgreementType.CONTRACT)]
    intent = by_name[("海威纺织有限公司", AgreementType.INTENT)]
    assert intent.investment_amount == Decimal("30000") and intent.signed_on < contract.signed_on
    # The seed's distances are kept: the 投资协议书 came 57 days after the 意向书, both before the report day.
    assert (contract.signed_on - intent.signed_on).days == 57 and contract.signed_on < today
    assert by_name[("海亮集团有限公司", AgreementType.CONTRACT)].investment_amount == Decimal("500000")
    assert by_name[("深圳荣格集团有限公司", AgreementType.FRAMEWORK)].investment_amount is None
    assert {a.unit.name for a in rows} == {"第一招商分局", "第二招商分局"}


def test_pages_speak_english(app, auth, client, world):
    from tests.test_translations import ensure_compiled_en

    ensure_compiled_en(app)
    auth.login_as("staff")
    assert client.post("/account/preferences", data={"prefs-locale": "en"}).status_code == 302
    page = client.get(f"/agreements/{world.records['agreement']}").get_data(as_text=True)
    assert "Investment contract" in page and "In force" in page and "Agreements" in page and "CNY 300 million" in page
    assert "有效" not in page and "附件" not in page
    refused = client.post("/agreements/new", data=form(investment_amount="-1")).get_data(as_text=True)
    assert "The amount cannot be negative" in refused
