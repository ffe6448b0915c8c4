"""Name search through the search index (migration 0010): two-character 字号, pinyin and initials are found
through the index on both databases, the index follows every change, and the exact match still decides."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.companies.models import Company
from crm.companies.services import refresh_derived
from crm.web.search import company_text_contains, grams, name_contains
from tests.factories import new_company


def _found(session, q: str) -> set[str]:  # type: ignore[no-untyped-def]
    return set(session.scalars(sa.select(Company.name).where(company_text_contains(q))))


def test_grams_double_every_character() -> None:
    assert grams("海威 hw") == "海海威威  hhww"


def test_two_characters_pinyin_and_initials_are_found(app_session, world):
    new_company(app_session, "东莞海威纺织有限公司")
    new_company(app_session, "鲁山县尧盛针织有限公司")
    assert _found(app_session, "海威") == {"东莞海威纺织有限公司"}
    assert _found(app_session, "haiwei") == {"东莞海威纺织有限公司"}
    assert _found(app_session, "HWFZ") == {"东莞海威纺织有限公司"}
    assert _found(app_session, "织有限") == {"东莞海威纺织有限公司", "鲁山县尧盛针织有限公司"}
    assert _found(app_session, "威") == {"东莞海威纺织有限公司"}  # one character: no index, still found
    assert _found(app_session, "海盛") == set()


def test_the_index_follows_renames_and_deletes(app_session, world):
    company = new_company(app_session, "许昌瑞贝卡发制品有限公司")
    assert _found(app_session, "瑞贝卡") == {"许昌瑞贝卡发制品有限公司"}
    company.name = "许昌瑞祥发制品有限公司"
    refresh_derived(company)
    app_session.flush()
    assert _found(app_session, "瑞贝卡") == set()
    assert _found(app_session, "瑞祥") == {"许昌瑞祥发制品有限公司"}
    app_session.delete(company)
    app_session.flush()
    assert _found(app_session, "瑞祥") == set()


def test_wildcards_typed_by_the_user_mean_themselves(app_session, world):
    new_company(app_session, "百分百_实业有限公司")
    new_company(app_session, "百分之百实业有限公司")
    assert _found(app_session, "百_实") == {"百分百_实业有限公司"}
    assert _found(app_session, "百%实") == set()


def test_the_search_goes_through_the_index(app_session, world):
    """The statement asks the index: the FTS5 table on SQLite; on PostgreSQL the plan uses the GIN index."""
    stmt = sa.select(Company.id).where(company_text_contains("海威"))
    dialect = app_session.get_bind().dialect.name
    if dialect == "sqlite":
        plan = " ".join(str(row) for row in app_session.execute(sa.text("EXPLAIN QUERY PLAN " + _sql(stmt, app_session))))
        assert "company_search VIRTUAL TABLE INDEX" in plan, plan
        return
    app_session.execute(sa.text("SET LOCAL enable_seqscan = off"))  # the test tables are tiny: make the choice visible
    plan = "\n".join(app_session.scalars(sa.text("EXPLAIN " + _sql(stmt, app_session))))
    assert "ix_companies_search_grams" in plan, plan


@pytest.mark.parametrize("column", ["leads.name", "projects.name"])
def test_lead_and_project_names_use_their_index_on_postgresql(app_session, world, column):
    """PostgreSQL answers from the name's trigram index; SQLite scans the names within the user's scope."""
    table, name = column.split(".")
    target = sa.table(table, sa.column(name))
    stmt = sa.select(sa.literal(1)).select_from(target).where(name_contains(target.c[name], "海威"))
    if app_session.get_bind().dialect.name == "sqlite":
        assert "crm_grams" not in _sql(stmt, app_session)
        return
    _many_named_rows(app_session, world, table)
    app_session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    # The list's sort index on the name is a cheaper full scan for the planner on a test table: out of the way
    # (the DROP is rolled back with the test's transaction).
    app_session.execute(sa.text(f"DROP INDEX IF EXISTS ix_{table}_name"))
    plan = "\n".join(app_session.scalars(sa.text("EXPLAIN " + _sql(stmt, app_session))))
    assert f"ix_{table}_name_grams" in plan, plan


def _many_named_rows(session, world, table: str) -> None:  # type: ignore[no-untyped-def]
    """Enough rows that the planner weighs its indexes as it would on real data."""
    from datetime import date

    common = {"company_id": world.records["company"], "unit_id": world.units["branch_a1"].id, "owner_id": world.users["staff"].id}
    if table == "leads":
        rows = [{**common, "name": f"测试线索{n}", "source": "business_referral", "received_on": date(2026, 1, 1), "status": "new",
                 "version": 1} for n in range(3000)]
    else:
        rows = [{**common, "name": f"测试项目{n}", "stage": "talks", "nature": "new", "tracked_since": date(2026, 1, 1),
                 "is_key": False, "version": 1} for n in range(3000)]
    from crm.db import utcnow

    now = utcnow()
    session.execute(sa.table(table, *(sa.column(k) for k in [*rows[0], "created_at", "updated_at"])).insert(),
                    [{**r, "created_at": now, "updated_at": now} for r in rows])
    session.execute(sa.text(f"ANALYZE {table}"))


def _sql(stmt, session) -> str:  # type: ignore[no-untyped-def]
    return str(stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
