"""三个一 in a real browser at phone width, CSRF on: 我分包的项目 for a leader; a reviewer staffs 荣格集团项目."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_browser import (  # noqa: F401  (fixtures)
    assert_no_sideways_scrolling,
    browser,
    log_in_from_home,
    phone,
    serve_demo,
    submit_refused,
)

pytestmark = pytest.mark.browser
PROJECT_IDS: dict[str, int] = {}  # filled by the live server, before the browser starts


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo with its 三个一 loaded (load_assignments is idempotent, wired into load_demo or not)."""
    import sqlalchemy as sa

    from crm.clock import local_today
    from crm.demo.assignments import load_assignments
    from crm.demo.services import LoadReport
    from crm.extensions import db
    from crm.projects.models import Project

    def load_assignments_and_remember_ids() -> None:
        load_assignments(LoadReport(), local_today())
        PROJECT_IDS.update({name: pid for pid, name in db.session.execute(sa.select(Project.id, Project.name))})

    yield from serve_demo(tmp_path_factory, "assignments-browser", load_assignments_and_remember_ids)


def test_leader_sees_their_projects_on_a_phone(phone: Any, live_server: str) -> None:  # noqa: F811
    page = phone
    log_in_from_home(page, live_server, "leader")
    page.goto(live_server + "/my-projects")
    content = page.content()
    assert "鲁山县石材建材工业城" in content and "海威特种布项目" in content and "荣格集团项目" not in content
    assert page.locator("[data-rag=red]").count() >= 1  # 石材建材工业城: planned start passed
    assert_no_sideways_scrolling(page, "我分包的项目")
    page.click("text=鲁山县石材建材工业城")
    page.wait_for_url("**/projects/*")
    section = page.locator("#assignments").inner_text()
    assert "分包县级领导" in section and "县长" in section and "首席服务员" in section and "鲁山县产业集聚区管委会" in section
    assert_no_sideways_scrolling(page, "the project page")
    page.click("text=编辑推进方案")
    page.fill("textarea[name=plan]", "县长现场办公：6月底前完成供地摘牌。")
    page.click("#assignment-form button[type=submit]")
    page.wait_for_url("**#assignments")
    assert "县长现场办公：6月底前完成供地摘牌。" in page.locator("[data-testid=plan]").inner_text()


def test_reviewer_staffs_a_flagged_project(phone: Any, live_server: str) -> None:  # noqa: F811
    page = phone
    log_in_from_home(page, live_server, "reviewer")
    page.goto(live_server + f"/projects/{PROJECT_IDS['荣格集团项目']}")
    assert "未组建服务专班" in page.locator("[data-testid=staffing-gaps]").inner_text()
    assert_no_sideways_scrolling(page, "the project page")
    # A second leader is refused, with the choice kept.
    assert page.locator("form[action$='/leaders/new']").count() == 0  # the one slot is taken
    page.goto(live_server + f"/projects/{PROJECT_IDS['荣格集团项目']}/leaders/new")
    option = page.locator("select[name='leader-leader_id'] option:text('常务副县长')").first.get_attribute("value")
    page.select_option("select[name='leader-leader_id']", option)
    submit_refused(page, "#assignment-form", "一个项目只能明确一名分包县级领导")
    assert page.input_value("select[name='leader-leader_id']") == option
    page.goto(live_server + f"/projects/{PROJECT_IDS['荣格集团项目']}")
    # The member picker asks the server as one types (Tom Select): each search lists only its own matches, one
    # that finds nobody says so, and Enter takes the first match, which lands in the form's select.
    picker = page.locator("#member-user_id-ts-control")
    picker.fill("第二招商分局")
    page.wait_for_selector(".ts-dropdown .option:has-text('第二招商分局专员')")
    picker.fill("没有这个人")
    page.wait_for_selector(".ts-dropdown .no-results")
    picker.fill("第一招商分局专员")
    page.wait_for_selector(".ts-dropdown .option:has-text('第一招商分局专员（第一招商分局）')")
    assert "第二招商分局" not in page.locator(".ts-dropdown").inner_text()
    page.keyboard.press("Enter")
    assert page.locator("select[name='member-user_id'] option:checked").inner_text() == "第一招商分局专员（第一招商分局）"
    page.fill("input[name='member-duty']", "对接深圳总部")
    page.click("form[action$='/team/new'] button[type=submit]")
    page.wait_for_url("**#assignments")
    assert page.locator("[data-testid=staffing-gaps]").count() == 0
    team = page.locator("[data-testid=team]").inner_text()
    assert "第一招商分局专员" in team and "首席服务员" in team and "对接深圳总部" in team
