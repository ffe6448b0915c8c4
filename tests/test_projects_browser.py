"""The stage workflow in a real browser on the demo data: staff report 在谈 → 签约 with a contract,
the reviewer approves, and the 分包 leader sees the signed project on “我分包的项目”."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_agreements_browser import fill_agreement_form
from tests.test_browser import (  # noqa: F401  (fixtures)
    assert_no_sideways_scrolling,
    browser,
    live_server,
    log_in_from_home,
    open_phone_menu,
    open_project,
    phone,
    switch_user,
)

pytestmark = pytest.mark.browser


def test_stage_report_review_and_the_leaders_page(phone: Any, live_server: str) -> None:  # noqa: F811
    page = phone
    log_in_from_home(page, live_server, "staff1")
    # 荣格集团 has only a 框架协议: record the 投资协议书 it has now signed.
    page.goto(live_server + "/agreements/new")
    fill_agreement_form(
        page, "investment_contract", company_name="深圳荣格集团有限公司", party_a="鲁山县人民政府", name="荣格集团项目投资协议书",
        investment_amount="80000", attracted_amount="80000",
    )
    page.click("#agreement-form button[type=submit]")
    page.wait_for_url("**/agreements/*")

    open_project(page, live_server, "荣格集团项目")
    project_url = page.url
    assert "在谈" in page.inner_text("[data-testid=project-stage]")
    page.click("text=申报：签约")
    page.wait_for_load_state("load")
    page.fill("input[name=total_investment]", "80000")
    page.fill("input[name=contracted_amount]", "80000")
    page.click("button[value=submit]")  # no contract chosen, no 一期投资: refused, nothing lost
    page.wait_for_load_state("load")
    content = page.content()
    assert "须有有效的正式投资合同" in content and page.input_value("input[name=total_investment]") == "80000"
    page.select_option("select[name=agreement_id]", label=page.locator("select[name=agreement_id] option", has_text="荣格集团项目投资协议书").inner_text())
    page.fill("input[name=first_phase_investment]", "30000")
    page.click("button[value=submit]")
    page.wait_for_url(project_url)
    assert "已提交审核" in page.content()
    assert "审核中" in page.inner_text("[data-testid=open-report]")

    switch_user(page, live_server, "reviewer")
    page.goto(live_server + "/reviews/")
    row = page.locator("[data-testid=review-row]", has_text="荣格集团项目")
    row.locator("input[name=comment]").first.fill("合同已核验")
    row.locator("button:text('审核通过')").click()
    page.wait_for_url("**/reviews/")
    assert "审核通过" in page.content()

    switch_user(page, live_server, "leader2")
    open_phone_menu(page)
    page.click("#mainnav >> text=我分包的项目")
    page.wait_for_load_state("load")
    row = page.locator("[data-testid=my-projects] tbody tr", has_text="荣格集团项目")
    assert "签约" in row.inner_text()
    assert_no_sideways_scrolling(page, "我分包的项目")
