"""倒排工期, progress and 到位资金 in a real browser, phone-sized, CSRF on: the demo's project page with its
thumbnails, a month's report with a photo, a fund entry refused then submitted, the reviewer's queue."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from crm import create_app
from crm.cli import system_session
from crm.clock import local_today
from crm.demo.progress import load_progress, site_photo
from crm.demo.services import LoadReport, load_demo
from crm.extensions import db
from crm.migrate import run as run_alembic
from tests.conftest import app_config
from tests.test_browser import PHONE, browser, log_in_from_home, phone  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with its projects' milestones, monthly reports and fund entries.

    Named as tests/test_browser.py's server, which the ``browser`` fixture starts before Chromium."""
    base = tmp_path_factory.mktemp("progress-browser")
    config = app_config("sqlite:///" + str(base / "browser.db"), base / "instance")
    config["WTF_CSRF_ENABLED"] = True
    saved = os.environ.get("CRM_INSTANCE_PATH")
    os.environ["CRM_INSTANCE_PATH"] = str(base / "instance")
    try:
        application = create_app(config)
    finally:
        if saved is None:
            os.environ.pop("CRM_INSTANCE_PATH", None)
        else:
            os.environ["CRM_INSTANCE_PATH"] = saved
    with application.app_context():
        run_alembic(db.engine, "upgrade", "head")
        with system_session("浏览器测试"):
            today = local_today()
            load_demo(today)
            load_progress(LoadReport(), today)  # a no-op once load_demo loads progress itself
            db.session.commit()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="crm-progress-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with application.app_context():
            db.engine.dispose()


def no_sideways_scrolling(page: Any, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{what} scrolls sideways: {width}px wide"


def open_project(page: Any, origin: str, name: str) -> None:
    page.goto(origin + "/projects/?q=" + name)
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url("**/projects/*")
    page.wait_for_load_state("load")


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
    no_sideways_scrolling(page, "project page")

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
    page.click("#fund-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "到位金额必须大于 0" in page.content()
    assert page.input_value("input[name=note]") == "设备预付款"  # nothing typed is lost
    no_sideways_scrolling(page, "fund form")
    page.fill("input[name=amount]", "2500")
    page.click("#fund-form button[type=submit]")
    page.wait_for_url("**/projects/*#funds")
    assert "2,500.00 万元" in page.get_by_test_id("funds").inner_text()
    assert "审核中（未计入）" in page.get_by_test_id("fund-totals").inner_text()

    page.context.clear_cookies()
    log_in_from_home(page, origin, "reviewer")
    page.goto(origin + "/funds/reviews")
    queue = page.get_by_test_id("fund-review-queue")
    assert "海威特种布项目" in queue.inner_text() and "中德纺织科技园" in queue.inner_text()
    no_sideways_scrolling(page, "review queue")
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

    page.context.clear_cookies()
    log_in_from_home(page, origin, "staff1")
    open_project(page, origin, "海威特种布项目")
    assert "请补充银行进账单" in page.get_by_test_id("funds").inner_text()
