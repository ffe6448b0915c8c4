"""The main lists sort and filter on indexed columns, so that a page of a city's rows is read from an index.

``LISTS`` names, for each list, the columns its filters and sorts use (the list's queries.py); each must lead
some index of the database the migrations built (both databases). On PostgreSQL the plan of the default page
of the project and lead lists is read too: in the list's order from the index, not sorted whole.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.helpers import count_statements

LISTS = {
    "projects": ("projects", ["updated_at", "total_investment", "contracted_amount", "name", "stage_since", "stage", "unit_id",
                              "chain_id", "industry_category", "funding_source", "is_key"]),
    "project tags": ("company_tags", ["tag"]),
    "project leaders": ("project_leaders", ["leader_id"]),
    "leads": ("leads", ["received_on", "updated_at", "amount_high", "next_follow_up_on", "unit_id", "owner_id", "status", "chain_id",
                        "grade", "source", "last_activity_on"]),
    "companies": ("companies", ["name", "created_at", "updated_at", "registered_capital", "ownership", "funding_source",
                                "industry_category", "chain_id", "credit_code", "merged_into_id"]),
    "visits": ("visits", ["start_on", "type", "outcome", "leader_id", "unit_id"]),
    "agreements": ("agreements", ["signed_on", "investment_amount", "attracted_amount", "updated_at", "type", "status", "company_id",
                                  "unit_id"]),
    "issues": ("issues", ["raised_on", "deadline", "updated_at", "number", "status", "category", "level", "responsible_unit_id",
                          "project_id", "unit_id"]),
    "我的待办": ("follow_ups", ["assignee_id", "due_on"]),
    "record history": ("audit_log", ["record_type", "unit_id", "at"]),
    "notifications": ("notifications", ["user_id"]),
}


def _leading_columns(inspector, table: str) -> set[str]:  # type: ignore[no-untyped-def]
    leading = {index["column_names"][0] for index in inspector.get_indexes(table) if index["column_names"] and index["column_names"][0]}
    leading |= {u["column_names"][0] for u in inspector.get_unique_constraints(table)}
    primary = inspector.get_pk_constraint(table)["constrained_columns"]
    return leading | ({primary[0]} if primary else set())


@pytest.mark.parametrize("name", list(LISTS))
def test_every_sort_and_filter_of_a_list_has_an_index(app_session, name) -> None:
    table, columns = LISTS[name]
    leading = _leading_columns(sa.inspect(app_session.connection()), table)
    assert set(columns) - leading == set(), f"{name}: no index leads with these columns"


@pytest.mark.parametrize("url,index", [("/projects/", "ix_projects_updated_at"), ("/leads/", "ix_leads_received_on")])
def test_the_default_page_of_a_list_is_read_from_its_index_on_postgresql(app, auth, client, world, url, index) -> None:
    """The statement the list runs for its page, explained: PostgreSQL walks the sort's index (SQLite plans
    with its own statistics and is not asked)."""
    from crm.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    auth.login_as("leader")
    with count_statements(engine) as sent:
        assert client.get(url).status_code == 200
    statement, parameters = next(s for s in sent if "LIMIT" in s.sql and "count(" not in s.sql)
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")  # the test tables are tiny: make the planner show its choice
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


def test_a_batch_of_ids_is_one_parameter_on_postgresql(app_session, world) -> None:
    """``one_of``: an export's thousand project ids are one array on PostgreSQL (an IN list elsewhere), and
    both read the same rows."""
    from crm.db import one_of
    from crm.projects.models import Project

    ids = [world.records["project"], world.records["assignments_project"], 10**9]
    condition = one_of(Project.id, ids)
    compiled = condition.compile(dialect=app_session.get_bind().dialect)
    if app_session.get_bind().dialect.name == "postgresql":
        assert "ANY" in str(compiled) and len(compiled.params) == 1
    else:
        assert " IN " in str(compiled)
    found = set(app_session.scalars(sa.select(Project.id).where(condition)))
    assert found == set(ids[:2])
