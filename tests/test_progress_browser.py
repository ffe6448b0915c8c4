"""倒排工期, progress and 到位资金 in a real browser, phone-sized, CSRF on: the demo's project page with its
thumbnails, a month's report with a photo, a fund entry refused then submitted, the reviewer's queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crm.clock import local_today
from crm.demo.progress import load_progress, site_photo
from crm.demo.services import LoadReport
from tests.test_browser import (  # noqa: F401  (fixtures)
    assert_no_sideways_scrolling,
    browser,
    log_in_from_home,
    open_project,
    phone,
    serve_demo,
    submit_refused,
    switch_user,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with its projects' milestones, monthly reports and fund entries.

    Named as tests/test_browser.py's server, which the ``browser`` fixture starts before Chromium."""
    yield from serve_demo(
        tmp_path_factory, "progress-browser",
        lambda: load_progress(LoadReport(), local_today()),  # a no-op once load_demo loads progress itself
    )


def test_staff_reports_progress_and_funds_and_the_reviewer_decides(live_server: str, phone: Any) -> None:  # noqa: F811
    origin, page = live_server, phone
    log_in_from_home(page, origin, "staff1")
    open_project(page, origin, "中德纺织科技园")
    milestones = page.get_by_test_id("milestones")
    assert "开工" in milestones.inner_text() and "已完成" in milestones.inner_text()
    thumbnail = page.get_by_test_id("progress-reports").locator("img").first
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 160", arg=thumbnail.element_handle())
    assert "审核中" in page.get_by_test_id("funds").inner_text()
    assert_no_sideways_scrolling(page, "project page")

    open_project(page, origin, "海威特种布项目")
    assert "7 天内到期" in page.get_by_test_id("milestones").inner_text()
    page.get_by_role("link", name="填报本月进展").click()
    page.fill("input[name=cumulative_investment]", "1200")
    page.fill("textarea[name=description]", "完成场地平整，临时设施搭建")
    page.set_input_files("input[name=files]", files=[{"name": "场地.png", "mimeType": "image/png", "buffer": site_photo(3)}])
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/projects/*#progress")
    assert "完成场地平整" in page.get_by_test_id("progress-reports").inner_text()

    page.get_by_role("link", name="填报到位资金").click()
    page.fill("input[name=amount]", "0")
    page.fill("input[name=note]", "设备预付款")
    submit_refused(page, "#fund-form", "到位金额必须大于 0")
    assert page.input_value("input[name=note]") == "设备预付款"  # nothing typed is lost
    assert_no_sideways_scrolling(page, "fund form")
    page.fill("input[name=amount]", "2500")
    page.click("#fund-form button[type=submit]")
    page.wait_for_url("**/projects/*#funds")
    assert "2,500.00 万元" in page.get_by_test_id("funds").inner_text()
    assert "审核中（未计入）" in page.get_by_test_id("fund-totals").inner_text()

    switch_user(page, origin, "reviewer")
    page.goto(origin + "/funds/reviews")
    queue = page.get_by_test_id("fund-review-queue")
    assert "海威特种布项目" in queue.inner_text() and "中德纺织科技园" in queue.inner_text()
    assert_no_sideways_scrolling(page, "review queue")
    item = queue.locator("li", has_text="海威特种布项目")
    item.get_by_role("button", name="退回").click()
    page.wait_for_load_state("load")
    assert "必填项" in page.content()
    page.fill("input[name=comment]", "请补充银行进账单")
    page.click("#reject-form button[type=submit]")
    page.wait_for_url("**/funds/reviews")
    assert "已退回" in page.content()
    queue = page.get_by_test_id("fund-review-queue")
    assert "海威特种布项目" not in queue.inner_text()
    queue.locator("li", has_text="中德纺织科技园").get_by_role("button", name="审核通过").click()
    page.wait_for_url("**/funds/reviews")
    assert "已审核通过" in page.content() and "没有待审核的到位资金" in page.content()

    switch_user(page, origin, "staff1")
    open_project(page, origin, "海威特种布项目")
    assert "请补充银行进账单" in page.get_by_test_id("funds").inner_text()
