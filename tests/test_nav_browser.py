"""The navigation bar in a real browser (issue 14): one row at an office screen's 1280 and 1366 px for every demo
role, in Chinese and in English, its menus opening on a click; an off-canvas menu on a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_browser import PHONE, assert_no_sideways_scrolling, log_in_from_home, open_phone_menu, serve_demo
from tests.test_browser import browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

ROLES = ["admin", "reviewer", "leader", "leader2", "chief1", "staff1", "staff2"]
ONE_ROW = 64  # px: Bootstrap's bar is 56 px high with one row of links; a second row makes it 90 px or more


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_demo(tmp_path_factory, "nav")


def _choose_language(page: Any, origin: str, locale: str) -> None:
    page.goto(origin + "/account")
    page.select_option("select[name=prefs-locale]", locale)
    page.click("form:has(select[name=prefs-locale]) button[type=submit]")
    page.wait_for_load_state("load")


def test_the_bar_is_one_row_at_office_widths_for_every_role_in_both_languages(browser: Any, live_server: str) -> None:  # noqa: F811
    heights = {}
    for role in ROLES:
        context = browser.new_context(viewport={"width": 1280, "height": 768})
        page = context.new_page()
        log_in_from_home(page, live_server, role)
        for locale in ("zh", "en"):
            _choose_language(page, live_server, locale)
            for width in (1280, 1366):
                page.set_viewport_size({"width": width, "height": 768})
                heights[(role, locale, width)] = page.evaluate("document.querySelector('nav.navbar').offsetHeight")
                search = page.evaluate("document.querySelector('.nav-search input').offsetWidth")
                assert search >= 120, (role, locale, width, search)  # the search box keeps room to type
        _choose_language(page, live_server, "zh")
        context.close()
    assert {key: h for key, h in heights.items() if h > ONE_ROW} == {}


def test_a_menu_opens_on_a_click_and_marks_its_section(browser: Any, live_server: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in_from_home(page, live_server, "reviewer")
    page.click("[data-nav-group=supervision]")
    page.click("#mainnav .dropdown-menu.show >> text=待审核")
    page.wait_for_url("**/reviews/")
    assert "active" in page.get_attribute("[data-nav-group=supervision]", "class")
    context.close()


def test_the_phone_menu_slides_in_with_every_page_of_the_role(browser: Any, live_server: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in_from_home(page, live_server, "reviewer")
    assert page.evaluate("document.querySelector('nav.navbar').offsetHeight") <= ONE_ROW
    open_phone_menu(page)
    page.wait_for_selector("#mainnav.show")
    for text in ("走访", "线索", "项目", "问题台账", "待审核", "统计报表"):
        assert page.locator(f"#mainnav >> text={text}").first.is_visible(), text
    assert_no_sideways_scrolling(page, "the phone menu")
    page.click("#mainnav >> text=问题台账")
    page.wait_for_url("**/issues/**")
    context.close()


def test_dates_in_two_columns_keep_their_year_on_a_phone(browser: Any, live_server: str) -> None:  # noqa: F811
    """走访's 开始/结束日期 sit side by side at 375 px: the date and the picker's icon must fit (it read 12/03/202)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    log_in_from_home(page, live_server, "staff1")
    page.goto(live_server + "/visits/new")
    page.fill("input[name=start_on]", "2026-12-03")
    fits = page.evaluate("""() => [...document.querySelectorAll('input[type=date]')].map(input => {
        const style = getComputedStyle(input);
        const probe = document.createElement('span');
        probe.style.font = style.font;
        probe.textContent = '2026/12/03';
        document.body.appendChild(probe);
        const text = probe.getBoundingClientRect().width;
        probe.remove();
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;  // the icon
        return [input.name, text <= room];
    })""")
    assert [name for name, ok in fits if not ok] == []
    context.close()
