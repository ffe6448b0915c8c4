"""End-to-end checks in a real browser (Chromium driven by Playwright).

The app under test is a separate instance on its own temporary SQLite file,
migrated and loaded with the demo scenario, served by a real Werkzeug server in
a background thread, with CSRF protection on as in production.

Chromium is Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium
fonts-noto-cjk``); Playwright's own browser downloads are never used. Without
Chromium the tests are skipped, unless ``CRM_REQUIRE_BROWSER=1`` (as in CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from crm import create_app
from crm.cli import system_session
from crm.demo.scenario import DEMO_PASSWORD
from crm.demo.services import load_demo
from crm.extensions import db
from crm.migrate import run as run_alembic
from tests.conftest import app_config

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "install it with: apt-get install -y chromium fonts-noto-cjk"
PHONE = {"width": 375, "height": 740}


def _browser_unavailable(reason: str) -> None:
    if os.environ.get("CRM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CRM_REQUIRE_BROWSER=1 but {reason}; {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"{reason}; {INSTALL_HINT}")


# --- the live server ----------------------------------------------------------
def serve_demo(
    tmp_path_factory: pytest.TempPathFactory, name: str, after_demo: Callable[[], None] = lambda: None
) -> Iterator[str]:
    """A demo-loaded app on its own SQLite file, CSRF on, served over HTTP; yields its origin.

    ``after_demo`` runs right after ``load_demo`` in the same system session (more demo data, ids to remember).
    The body of every browser test module's ``live_server`` fixture: ``yield from serve_demo(...)``.
    """
    base = tmp_path_factory.mktemp(name)
    instance = base / "instance"
    url = "sqlite:///" + str(base / "browser.db")
    config = app_config(url, instance)
    config["WTF_CSRF_ENABLED"] = True

    saved_instance = os.environ.get("CRM_INSTANCE_PATH")
    os.environ["CRM_INSTANCE_PATH"] = str(instance)
    try:
        application = create_app(config)
    finally:
        if saved_instance is None:
            os.environ.pop("CRM_INSTANCE_PATH", None)
        else:
            os.environ["CRM_INSTANCE_PATH"] = saved_instance

    with application.app_context():
        run_alembic(db.engine, "upgrade", "head")
        with system_session("浏览器测试"):
            load_demo()
            after_demo()

    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=f"crm-{name}-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo-loaded app on its own SQLite file, served over HTTP; yields its origin."""
    yield from serve_demo(tmp_path_factory, "browser")


# --- the browser --------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Headless Chromium, started after (and closed before) the live server.

    While Playwright's sync API is active the main thread has a running asyncio
    loop, and Flask's ``ensure_sync`` (used for Flask-SQLAlchemy-Lite's async
    teardown) refuses to run there; so no app context may be pushed in this
    thread between launch and close. The live server is therefore built first
    (once Chromium is known to be there) and torn down last.
    """
    if not Path(CHROMIUM).exists():
        _browser_unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_unavailable("the playwright Python package is missing (make install)")
    request.getfixturevalue("live_server")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh page (own cookies) at a phone-sized viewport."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def log_in_from_home(page: Any, origin: str, username: str = "leader") -> None:
    """Open /, get sent to the login page, sign in, land on the home page."""
    page.goto(origin + "/")
    page.wait_for_url(origin + "/login**")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(origin + "/")
    page.wait_for_load_state("load")


def switch_user(page: Any, origin: str, username: str) -> None:
    """Sign out (the session cookie dropped) and sign in again as ``username``."""
    page.context.clear_cookies()
    log_in_from_home(page, origin, username)


def open_phone_menu(page: Any) -> None:
    """Unfold the navigation, collapsed behind its toggler on a phone."""
    page.click(".navbar-toggler")


def open_project(page: Any, origin: str, name: str) -> None:
    """Find the project by name on the project list and open its page."""
    page.goto(origin + "/projects/?q=" + name)
    page.get_by_role("link", name=name).first.click()
    page.wait_for_url("**/projects/*")
    page.wait_for_load_state("load")


def submit_refused(page: Any, form: str, *messages: str) -> None:
    """Submit ``form`` (a selector) expecting a refusal: the same page comes back saying each of ``messages``."""
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state("load")
    content = page.content()
    for message in messages:
        assert message in content


def assert_no_sideways_scrolling(page: Any, what: str) -> None:
    """The page fits the phone's width (a pixel of rounding allowed)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{what} scrolls sideways: {width}px wide"


# --- tests --------------------------------------------------------------------
def test_phone_login_lands_on_home_without_sideways_scrolling(phone: Any, live_server: str) -> None:
    page = phone
    page.goto(live_server + "/")
    page.wait_for_url(live_server + "/login**")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", name="登录").is_visible()
    assert page.get_by_role("button", name="登录").is_visible()

    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server + "/")
    page.wait_for_load_state("load")

    assert page.get_by_role("heading", name="您好，县长").is_visible()
    assert page.locator("nav.navbar").is_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"home page scrolls sideways: {scroll_width}px wide"


def test_login_and_home_make_no_external_requests(phone: Any, live_server: str) -> None:
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))

    log_in_from_home(phone, live_server)
    phone.wait_for_load_state("networkidle")

    assert phone.get_by_role("heading", name="您好，县长").is_visible()
    assert requested, "no requests were recorded"
    external = [url for url in requested if not url.startswith(live_server + "/")]
    assert external == [], f"requests left the app's origin {live_server}: {external}"


def test_home_page_screenshot(phone: Any, live_server: str, tmp_path: Path) -> None:
    log_in_from_home(phone, live_server)
    shot = tmp_path / "home.png"
    phone.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_typing_a_company_name_shows_the_existing_duplicate(phone: Any, live_server: str, tmp_path: Path) -> None:
    """Issue 3: typing 东莞海威纺织 on the new-company form lists 海威纺织有限公司 (debounced check)."""
    log_in_from_home(phone, live_server, username="staff1")
    phone.goto(live_server + "/companies/new")
    phone.locator("input[name=name]").press_sequentially("东莞海威纺织", delay=40)
    matches = phone.get_by_test_id("typeahead-matches")
    link = matches.get_by_role("link", name="海威纺织有限公司")
    link.wait_for(state="visible")
    assert "相似度" in matches.inner_text()
    phone.screenshot(path=str(tmp_path / "typeahead.png"), full_page=True)
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"company form scrolls sideways: {scroll_width}px wide"


def test_phone_lead_with_follow_up_lands_in_my_todo(phone: Any, live_server: str) -> None:
    """At phone size: a new lead with a next follow-up date shows up in 我的待办 (issue 4)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    log_in_from_home(phone, live_server, username="staff1")
    phone.goto(live_server + "/leads/new")
    phone.fill("input[name=name]", "浏览器测试线索")
    phone.fill("input[name=company_name]", "鲁山县星河智能装备有限公司")  # not in the company list yet
    phone.get_by_label("企业库中没有时新建该企业").check()
    phone.fill("input[name=amount_low]", "20000")
    phone.fill("input[name=received_on]", today)
    phone.fill("input[name=next_follow_up_on]", today)
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(live_server + "/leads/*")
    assert phone.get_by_role("heading", name="浏览器测试线索").is_visible()
    phone.goto(live_server + "/todo")
    today_list = phone.get_by_test_id("todo-2")
    assert "跟进线索：浏览器测试线索" in today_list.inner_text()
    # On the phone the count is the 待办 button beside the menu (the bar's own badge waits inside the menu).
    assert int(phone.get_by_test_id("todo-button").inner_text().split()[-1]) >= 1
    assert int(phone.get_by_test_id("todo-count").first.text_content()) >= 1
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"我的待办 scrolls sideways: {scroll_width}px wide"
    phone.goto(live_server + "/leads/?q=浏览器测试线索")
    lead_url = phone.get_by_role("link", name="浏览器测试线索").get_attribute("href")

    # Someone of another unit sees the new company (shared master data) but none of the lead.
    phone.context.clear_cookies()
    log_in_from_home(phone, live_server, username="staff2")
    phone.goto(live_server + "/leads/?q=浏览器测试线索")
    assert phone.get_by_role("link", name="浏览器测试线索").count() == 0
    response = phone.goto(live_server + lead_url)
    assert response is not None and response.status == 404
    phone.goto(live_server + "/todo")
    assert "浏览器测试线索" not in phone.content()


def test_phone_visit_with_follow_up_lands_in_my_todo(phone: Any, live_server: str) -> None:
    """Issue 4: at phone size, log a visit led by a leader with two colleagues; its follow-up is in 我的待办."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    log_in_from_home(phone, live_server, username="staff1")
    phone.goto(live_server + "/visits/new")
    phone.select_option("select[name=type]", "outbound")
    phone.fill("input[name=destination]", "郑州")
    phone.locator("input[name='stops-0-company_name']").fill("海亮集团有限公司")
    phone.locator("input[name='stops-0-contact_name']").fill("周经理")
    phone.locator("input[name='stops-0-contact_title']").fill("投资发展部经理")
    phone.select_option("select[name=leader_id]", label="副县长（分管招商）")
    phone.get_by_label("第一招商分局专员").check()
    phone.get_by_label("第一招商分局局长").check()
    phone.select_option("select[name=outcome]", "intent")
    phone.fill("textarea[name=notes]", "浏览器测试走访")
    phone.fill("input[name=next_follow_up_on]", today)
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"visit form scrolls sideways: {scroll_width}px wide"
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(live_server + "/visits/*")
    assert "周经理" in phone.content()
    phone.goto(live_server + "/todo")
    assert "走访后跟进：海亮集团有限公司" in phone.get_by_test_id("todo-2").inner_text()


def test_staff_start_the_day_on_the_workbench_with_todays_tasks_on_the_first_screen(browser: Any, live_server: str) -> None:
    """Issue 14: staff1's home at 375×812 offers 记录走访 and 新建线索 and shows today's tasks before any scrolling."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    log_in_from_home(page, live_server, username="staff1")
    page.goto(live_server + "/leads/new")
    page.fill("input[name=name]", "工作台今天的线索")
    page.fill("input[name=company_name]", "鲁山县工作台测试有限公司")
    page.get_by_label("企业库中没有时新建该企业").check()
    page.fill("input[name=received_on]", today)
    page.fill("input[name=next_follow_up_on]", today)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(live_server + "/leads/*")
    page.goto(live_server + "/")
    first_screen = 812

    def bottom(locator: Any) -> float:
        box = locator.bounding_box()
        return box["y"] + box["height"]

    for action in ("记录走访", "新建线索", "新增跟进"):
        assert bottom(page.get_by_test_id("quick-actions").get_by_role("link", name=action)) <= first_screen, action
    urgent = page.get_by_test_id("urgent-tasks").get_by_test_id("task")
    assert bottom(urgent.first.get_by_test_id("task-done")) <= first_screen  # the first task one tap away, no scrolling
    task = urgent.filter(has_text="跟进线索：工作台今天的线索")
    assert_no_sideways_scrolling(page, "工作台")
    task.get_by_test_id("task-done").click()
    page.wait_for_url(live_server + "/")
    assert page.get_by_test_id("urgent-tasks").get_by_text("跟进线索：工作台今天的线索").count() == 0
    context.close()


@pytest.mark.parametrize("path,selector", [("/leads/new", "input[name=company_name]"),
                                           ("/visits/new", "input[name='stops-0-company_name']")])
def test_the_company_picker_finds_a_variant_of_the_name_while_it_is_typed(phone: Any, live_server: str, path: str,
                                                                        selector: str) -> None:
    """Issue 14: typing 东莞海威纺织 offers 海威纺织有限公司 (the matcher, not only the text), picked by the keyboard."""
    log_in_from_home(phone, live_server, username="staff1")
    phone.goto(live_server + path)
    field = phone.locator(selector)
    field.press_sequentially("东莞海威纺织", delay=40)
    option = phone.locator("[data-testid=company-options] [data-pick='海威纺织有限公司']")
    option.wait_for(state="visible")
    assert phone.get_by_test_id("company-option-new").inner_text().strip() == "新建企业「东莞海威纺织」"
    field.press("ArrowDown")
    phone.keyboard.press("Enter")
    assert field.input_value() == "海威纺织有限公司"
    assert phone.locator("[data-testid=company-options]").count() == 0  # the list closes on the pick
    assert_no_sideways_scrolling(phone, path)


def test_an_import_is_planned_with_its_progress_and_confirmed_in_the_browser(phone: Any, live_server: str, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13: upload → columns → a preview planned part by part by htmx (a progress bar, then the whole plan on a
    page of its own) → confirm → the import's page; on a phone."""
    from crm.imports import views
    from tests.test_imports_commit import N, xlsx

    monkeypatch.setattr(views, "PART_ROWS", 2)  # the live server runs in this process
    rows = [["项目名称", "投资方", "总投资（亿元）", "项目阶段"]] + [[f"浏览器导入项目{i}", f"浏览器导入企业{i}有限公司", 1 + i, "洽谈中"] for i in range(5)]
    rows.append(["合计", N, 15, N])
    sheet = tmp_path / "台账.xlsx"
    sheet.write_bytes(xlsx(rows))
    log_in_from_home(phone, live_server, username="staff1")
    phone.goto(live_server + "/imports/new")
    phone.select_option("select[name=kind]", "projects")
    phone.set_input_files("input[name=file]", str(sheet))
    phone.click("[data-testid=upload-form] button[type=submit]")
    phone.get_by_test_id("to-preview").click()
    phone.get_by_test_id("group-new").wait_for(state="visible")  # the parts were planned, then the page reloaded
    assert "将新建（5）" in phone.get_by_test_id("group-new").inner_text()
    assert_no_sideways_scrolling(phone, "/imports preview")
    phone.get_by_test_id("confirm-import").click()
    phone.get_by_test_id("import-items").wait_for(state="visible")
    assert "导入完成：新建 5 条" in phone.content()
