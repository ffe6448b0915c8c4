"""The leader's dashboard in a real browser, phone-sized, on the demo: the funnel leads to the project list,
the 月报 downloads as .xlsx, and nothing is fetched from outside the app."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest

from tests.test_browser import PHONE, browser, live_server, log_in_from_home, phone  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_leader_clicks_a_funnel_stage_and_lands_on_its_projects(phone: Any, live_server: str) -> None:  # noqa: F811
    page = phone
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    log_in_from_home(page, live_server, "leader")
    funnel = page.get_by_test_id("funnel")
    funnel.scroll_into_view_if_needed()
    assert funnel.locator("svg").is_visible()
    bar = funnel.locator("a[data-key=signed]")
    assert "签约" in bar.text_content()
    assert page.get_by_test_id("targets-table").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"the dashboard scrolls sideways: {scroll_width}px wide"

    bar.click()
    page.wait_for_url("**/projects/?stage=signed")
    listing = page.content()
    assert "鲁山县石材建材工业城" in listing and "海亮(兴发)工业园" in listing  # the demo's 签约 projects
    assert "中德纺织科技园" not in listing  # 开工
    assert page.locator("select[name=stage]").input_value() == "signed"
    external = [url for url in requested if not url.startswith(live_server + "/")]
    assert external == [], external


def test_leader_downloads_the_months_report(phone: Any, live_server: str) -> None:  # noqa: F811
    from openpyxl import load_workbook

    page = phone
    log_in_from_home(page, live_server, "leader")
    page.goto(live_server + "/reports/monthly")
    assert "招商引资月报" in page.content()
    with page.expect_download() as info:
        page.get_by_test_id("xlsx-link").click()
    download = info.value
    assert download.suggested_filename.startswith("招商引资月报-") and download.suggested_filename.endswith(".xlsx")
    book = load_workbook(BytesIO(open(download.path(), "rb").read()))
    assert book.sheetnames == ["项目推进", "到位资金", "年度目标", "分单位"]
