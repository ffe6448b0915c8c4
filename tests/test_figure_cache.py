"""The figure cache (crm/reports/cache.py): a figure is computed once per change of the data, and no change is
ever hidden by it: not a committed one, not one rolled back."""

from __future__ import annotations

import sqlalchemy as sa

from crm.domain.pipeline import Stage
from crm.reports.cache import STORE, bump, generation
from tests.helpers import count_statements
from tests.test_dashboard import dashboard, scene, stage_row
from tests.world_parts.reports import add_project


def test_a_second_view_reads_the_figures_from_the_cache(app, auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    STORE.clear()
    with count_statements(app) as cold:
        first = dashboard(client)
    with count_statements(app) as warm:
        second = dashboard(client)
    assert len(warm) < len(cold) - 5, (len(cold), len(warm))
    assert stage_row(second, "signed") == stage_row(first, "signed")


def test_a_change_shows_at_once(auth, client, session, world):
    scene(session, world)
    auth.login_as("leader")
    before = stage_row(dashboard(client), "signed")
    assert "3" in before
    add_project(session, world, "新签大项目", events=[(Stage.SIGNED, "2026-04")], total="70000")
    session.commit()
    after = stage_row(dashboard(client), "signed")
    assert after != before and "4" in after


def test_a_rolled_back_change_never_reaches_another_reader(app_session, world):
    """A figure computed inside a transaction that rolls back was keyed by that transaction's own token."""
    from crm.domain.reports import CountingRules, Window
    from crm.reports.figures import flow
    from crm.reports.scope import county_scope

    scope = county_scope(world.units["county_a"].id)
    counted = lambda: flow(scope, CountingRules(), Window("2026-04"))[Stage.SIGNED].month_count  # noqa: E731
    committed = generation(app_session)
    assert counted() == 0
    app_session.begin_nested()
    add_project(app_session, world, "回滚的项目", events=[(Stage.SIGNED, "2026-04")], total="70000")
    assert generation(app_session) != committed and counted() == 1  # the transaction sees its own change
    app_session.rollback()
    assert generation(app_session) == committed and counted() == 0


def test_a_write_outside_the_orm_bumps_by_hand(app_session, world):
    before = generation(app_session)
    assert bump(app_session) != before



def test_the_fund_list_total_is_cached_and_follows_a_new_entry(app, auth, client, session, world):
    """The 到位资金 list's 合计 and row count are one cached figure: a second view sums nothing, and a newly
    approved entry shows in both at once."""
    from crm.domain.companies import FundingSource
    from crm.domain.projects import FundPurpose, ReviewStatus
    from crm.progress.models import FundArrival
    from crm.projects.models import Project

    scene(session, world)
    auth.login_as("leader")  # (a leader reviews nothing: no 待审核 badge sums funds on the page)
    STORE.clear()
    url = "/reports/funds?start=2026-01&end=2026-04"
    first = client.get(url).get_data(as_text=True)
    assert "合计 12,000.00 万元" in first
    with count_statements(app) as sent:
        again = client.get(url).get_data(as_text=True)
    sums = [s.sql for s in sent if "sum(" in s.sql and "fund_arrivals" in s.sql]
    assert sums == [] and again.count("<tr>") == first.count("<tr>") and "合计 12,000.00 万元" in again
    project = session.scalar(sa.select(Project).where(Project.name == "甲县纺织城"))
    session.add(FundArrival(project_id=project.id, period="2026-03", amount=500, source=FundingSource.OTHER_PROVINCE,
                            purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.APPROVED))
    session.commit()
    after = client.get(url).get_data(as_text=True)
    assert "合计 12,500.00 万元" in after and after.count("<tr>") == first.count("<tr>") + 1


def test_a_transaction_writes_one_generation_and_still_sees_each_of_its_changes(app_session, world):
    """One UPDATE of the generation row per transaction (PostgreSQL walks every version a transaction left of a
    row it updates again: a long import slowed to a crawl), while the writer computes its own figures live."""
    from crm.domain.reports import CountingRules, Window
    from crm.reports.figures import flow
    from crm.reports.scope import county_scope

    scope = county_scope(world.units["county_a"].id)
    counted = lambda: flow(scope, CountingRules(), Window("2026-04"))[Stage.SIGNED].month_count  # noqa: E731
    assert counted() == 0
    with count_statements(app_session.get_bind().engine) as statements:
        add_project(app_session, world, "第一个项目", events=[(Stage.SIGNED, "2026-04")], total="70000")
        first = generation(app_session)
        assert counted() == 1
        add_project(app_session, world, "第二个项目", events=[(Stage.SIGNED, "2026-04")], total="70000")
        assert generation(app_session) == first and counted() == 2  # the same token, and no stale figure
    assert len([s for s in statements if s.sql.lstrip().upper().startswith("UPDATE FIGURE_GENERATIONS")]) == 1
