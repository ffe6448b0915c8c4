"""问题台账 in a real browser on a phone-sized screen, with CSRF on: raise an issue (the three musts said
next to their fields, nothing typed lost), 交办, 催办, 办结; the reviewer's 销号; no sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_browser import (  # noqa: F401  (fixtures)
    PHONE,
    assert_no_sideways_scrolling,
    browser,
    live_server,
    log_in_from_home,
    phone,
    submit_refused,
)

pytestmark = pytest.mark.browser


def test_issue_from_raising_to_closing(phone: Any, browser: Any, live_server: str) -> None:  # noqa: F811
    page = phone
    log_in_from_home(page, live_server, "staff1")
    page.goto(live_server + "/issues/")
    assert_no_sideways_scrolling(page, "the issue list")
    page.click("text=登记问题")
    page.fill("textarea[name=description]", "园区污水管网未接通，企业环评验收受阻")
    page.select_option("select[name=category]", "environment")
    page.select_option("select[name=source]", "company")
    submit_refused(page, "#issue-form", "须明确责任单位", "须明确负责人", "须明确办理期限")
    assert page.input_value("textarea[name=description]") == "园区污水管网未接通，企业环评验收受阻"
    assert_no_sideways_scrolling(page, "the refused form")
    page.select_option("select[name=responsible_unit_id]", label="规划建设管理指挥部")
    page.fill("input[name=responsible_person]", "指挥长")
    page.fill("input[name=deadline]", "2099-06-30")
    page.click("#issue-form button[type=submit]")
    page.wait_for_url("**/issues/*")
    assert "已登记问题 WT" in page.content() and "待交办" in page.content()
    assert_no_sideways_scrolling(page, "the issue page")

    page.click("#assign-form button[type=submit]")
    page.wait_for_url("**#log")
    assert "办理中" in page.content()
    page.select_option("select[name=kind]", "urge")
    page.fill("#action-form textarea[name=note]", "电话催办，要求本月底前接通")
    page.click("#action-form button[type=submit]")
    page.wait_for_url("**#log")
    page.fill("#resolve-form textarea[name=note]", "管网已接通并通水")
    page.click("#resolve-form button[type=submit]")
    page.wait_for_url("**#log")
    assert "已办结（待销号）" in page.content() and page.locator("#close-form").count() == 0
    issue_url = page.url.split("#")[0]

    reviewer = browser.new_context(viewport=PHONE).new_page()
    try:
        log_in_from_home(reviewer, live_server, "reviewer")
        reviewer.goto(issue_url)
        reviewer.click("#close-form button[type=submit]")
        reviewer.wait_for_url("**#log")
        content = reviewer.content()
        assert "已销号" in content and "核验属实，予以销号" in content and "县招商局审核员" in content
        reviewer.goto(live_server + "/issues/report")
        assert "园区污水管网未接通" in reviewer.content()
        assert_no_sideways_scrolling(reviewer, "the report")
    finally:
        reviewer.context.close()
