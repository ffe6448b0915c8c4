"""协议 in a real browser, on a phone-sized screen, with CSRF on: the demo's agreements, a new one, a scan uploaded."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_browser import browser, live_server, log_in_from_home, phone, submit_refused  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def fill_agreement_form(page: Any, agreement_type: str, **inputs: str) -> None:
    """On the agreement form: pick the type, then type each input (by its name) in the order given."""
    page.select_option("select[name=type]", agreement_type)
    for name, value in inputs.items():
        page.fill(f"input[name={name}]", value)


def test_staff_records_an_agreement_and_uploads_its_scan(phone: Any, live_server: str) -> None:  # noqa: F811
    page = phone
    log_in_from_home(page, live_server, "staff1")
    page.goto(live_server + "/agreements/")
    listing = page.content()
    assert "海威纺织有限公司" in listing and "深圳荣格集团有限公司" in listing
    assert "海亮集团有限公司" not in listing  # 第二招商分局's agreement

    page.click("text=新建协议")
    fill_agreement_form(
        page, "supplementary_agreement", company_name="海威纺织有限公司", party_a="鲁山县人民政府", investment_amount="5000",
        planned_start_on="2025-08-01", planned_production_on="2025-07-01",
    )
    submit_refused(page, "#agreement-form", "约定投产日期不能早于约定开工日期")
    assert page.input_value("input[name=investment_amount]") == "5000"  # nothing typed is lost
    page.fill("input[name=planned_production_on]", "2026-07-01")
    page.click("#agreement-form button[type=submit]")
    page.wait_for_url("**/agreements/*")
    assert "补充协议" in page.content() and "5,000.00 万元" in page.content()

    page.set_input_files("input[name=file]", files=[{"name": "补充协议扫描件.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#attachments button[type=submit]")
    page.wait_for_url("**#attachments")
    assert "已上传附件 补充协议扫描件.pdf" in page.content()
    href = page.get_attribute("a:text('补充协议扫描件.pdf')", "href")
    response = page.request.get(live_server + href)
    assert response.status == 200 and response.body() == PDF
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
