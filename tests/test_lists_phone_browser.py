"""Every list page read on a phone (issue 14): at 375×812 no page scrolls sideways, no table cell with text is
narrower than 40 px (Chinese text in a squeezed column breaks a character a line), and a list table
(`table-list`, templates/_macros/lists.html) fits its box without scrolling inside it either.

Each role visits the pages that differ for it (its scope, its own menus), all in one browser context; a chief and an
admin do it again in English, whose words are longer and break only at spaces.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_browser import assert_no_sideways_scrolling, log_in_from_home, serve_demo
from tests.test_browser import browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

PHONE_812 = {"width": 375, "height": 812}
NARROWEST = 40  # px

PAGES: dict[str, list[str]] = {
    "admin": ["/admin/users/", "/admin/units/", "/admin/audit", "/admin/chains/",
              "/admin/mail", "/companies/duplicates", "/reports/ranking/quarter", "/"],
    "reviewer": ["/reviews/", "/funds/reviews", "/submissions/", "/targets/zone",
                 "/reports/monthly", "/reports/cohorts"],
    "leader": ["/my-projects", "/projects/?key=1", "/", "/reports/ranking",
               "/reports/funds", "/reports/milestones", "/issues/report"],
    "leader2": ["/my-projects", "/projects/?key=1"],
    "chief1": ["/leads/", "/projects/", "/companies/", "/agreements/", "/issues/",
               "/todo", "/targets/", "/submissions/", "/reports/monthly"],
    "staff1": ["/leads/", "/projects/", "/companies/", "/visits/", "/todo",
               "/notifications", "/issues/"],
    "staff2": ["/leads/", "/projects/", "/agreements/", "/reports/milestones",
               "/reports/funds", "/reports/cohorts"],
}

MEASURE = """(narrowest) => {
  const visible = (el) => el.offsetWidth > 0 && el.offsetHeight > 0 && getComputedStyle(el).visibility !== 'hidden';
  const cells = [...document.querySelectorAll('td, th')].filter(c => visible(c) && c.innerText.trim());
  const narrow = cells.filter(c => c.offsetWidth < narrowest).map(c => `${c.innerText.trim().slice(0, 16)} (${c.offsetWidth}px)`);
  const squeezed = [...document.querySelectorAll('table.table-list')].filter(visible)
    .filter(t => t.offsetWidth > t.parentElement.clientWidth + 1)
    .map(t => `${t.querySelector('th') ? t.querySelector('th').innerText.trim() : '?'} (${t.offsetWidth}px)`);
  const cards = [...document.querySelectorAll('main .list-group-item, main .card')].filter(visible).length;
  return {cells: cells.length, cards, narrow, squeezed};
}"""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_demo(tmp_path_factory, "lists")


def _first_project(page: Any, origin: str) -> str:
    page.goto(origin + "/projects/")
    return page.locator("[data-testid=project-row] a").first.get_attribute("href")


def _choose_language(page: Any, origin: str, locale: str) -> None:
    page.goto(origin + "/account")
    page.select_option("select[name=prefs-locale]", locale)
    page.click("form:has(select[name=prefs-locale]) button[type=submit]")
    page.wait_for_load_state("load")


@pytest.mark.parametrize(("role", "locale"), [(role, "zh") for role in PAGES] + [("chief1", "en"), ("admin", "en")])
def test_every_list_reads_on_a_phone(browser: Any, live_server: str, role: str, locale: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE_812)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        log_in_from_home(page, live_server, role)
        if locale != "zh":
            _choose_language(page, live_server, locale)
        pages = list(PAGES[role])
        if role in ("chief1", "staff1"):  # a project's page: its 阶段记录, milestones and funds tables
            pages.append(_first_project(page, live_server))
        if role == "admin":  # a record's 修改记录
            pages.append("/history/projects/" + _first_project(page, live_server).rstrip("/").rsplit("/", 1)[-1])
        problems = {}
        for path in pages:
            response = page.goto(live_server + path)
            assert response is not None and response.status == 200, (role, path, response and response.status)
            assert_no_sideways_scrolling(page, f"{path} as {role}")
            found = page.evaluate(MEASURE, NARROWEST)
            # Rows or cards, if only the "none yet" line: else the check below would prove nothing.
            assert found["cells"] + found["cards"] > 0, f"{path} as {role} lists nothing"
            if found["narrow"] or found["squeezed"]:
                problems[path] = {"narrow": found["narrow"][:5], "squeezed": found["squeezed"]}
        assert problems == {}, f"lists that do not read on a phone as {role} ({locale}): {problems}"
    finally:
        if locale != "zh":  # the preference is the user's, kept on the shared demo server
            _choose_language(page, live_server, "zh")
        context.close()
