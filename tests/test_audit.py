"""The audit log: written in the change's transaction, append-only, searchable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from crm.audit.models import AuditLog
from crm.units.models import Unit
from tests.factories import UnitFactory


def rows_for(session, record_type, record_id):  # type: ignore[no-untyped-def]
    return session.scalars(
        sa.select(AuditLog).where(AuditLog.record_type == record_type, AuditLog.record_id == record_id).order_by(AuditLog.id)
    ).all()


def test_create_writes_one_row_per_field(session):
    unit = UnitFactory(name="审计测试单位")
    session.commit()
    rows = rows_for(session, "units", unit.id)
    assert {row.action for row in rows} == {"create"}
    fields = {row.field: row.new_value for row in rows}
    assert fields["name"] == "审计测试单位"
    assert fields["type"] == "branch"
    assert "version" not in fields and "created_at" not in fields
    assert all(row.actor_label == "测试" for row in rows)


def test_a_large_flush_writes_the_same_rows_as_a_small_one(session, monkeypatch):
    """A flush of many rows goes by COPY on PostgreSQL (``COPY_FROM``): the rows are those the INSERT writes."""
    from crm.audit import services

    def written(names):  # type: ignore[no-untyped-def]
        units = [UnitFactory(name=name) for name in names]
        session.flush()
        return [[(r.action, r.field, r.new_value if r.field not in ("id", "name") else None, r.actor_label, r.unit_id == u.id,
                  r.at is not None) for r in rows_for(session, "units", u.id)] for u in units]

    small = written([f"审计逐行{i}" for i in range(3)])
    monkeypatch.setattr(services, "COPY_FROM", 2)
    large = written([f"审计逐行{i}" for i in range(3, 6)])
    assert len(small[0]) > 3 and small == large
    assert [r.new_value for r in session.scalars(sa.select(AuditLog).where(AuditLog.field == "name", AuditLog.new_value.like("审计逐行%"))
                                                 .order_by(AuditLog.id))] == [f"审计逐行{i}" for i in range(6)]
    session.commit()  # the COPY's rows are in the transaction like the others
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.record_label.like("审计逐行%"))) > 0


def test_rolled_back_change_leaves_no_audit_rows(session):
    unit = UnitFactory(name="回滚前")
    session.commit()
    before = len(rows_for(session, "units", unit.id))
    unit.name = "回滚后"
    session.flush()
    assert len(rows_for(session, "units", unit.id)) == before + 1
    session.rollback()
    assert len(rows_for(session, "units", unit.id)) == before


def test_unchanged_assignment_writes_nothing(session):
    unit = UnitFactory(name="不变")
    session.commit()
    before = len(rows_for(session, "units", unit.id))
    unit.name = "不变"
    session.commit()
    assert len(rows_for(session, "units", unit.id)) == before


def test_delete_is_recorded(session):
    unit = UnitFactory(name="将删除")
    session.commit()
    unit_id = unit.id
    session.delete(unit)
    session.commit()
    assert rows_for(session, "units", unit_id)[-1].action == "delete"


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor_label = 'x'", "DELETE FROM audit_log"])
def test_audit_log_is_append_only_in_the_database(session, statement):
    UnitFactory(name="有日志")
    session.commit()
    with pytest.raises(DBAPIError):
        with session.begin_nested():
            session.execute(sa.text(statement))


def test_admin_search(auth, client, session, world):
    unit = session.get(Unit, world.units["branch_a2"].id)
    unit.name = "搜索用名称"
    session.commit()
    auth.login_as("admin")
    text = client.get("/admin/audit?q=搜索用名称").get_data(as_text=True)
    assert "搜索用名称" in text
    text = client.get("/admin/audit?q=搜索用名称&record_type=users").get_data(as_text=True)
    assert "暂无记录" in text


def test_admin_search_stays_in_the_subtree(auth, client, session, world):
    unit = session.get(Unit, world.units["branch_b1"].id)
    unit.name = "乙县改名"
    session.commit()
    auth.login_as("admin")
    assert "乙县改名</a>" not in client.get("/admin/audit?q=乙县改名").get_data(as_text=True)
    auth.login_as("admin_b")
    assert "乙县改名</a>" in client.get("/admin/audit?q=乙县改名").get_data(as_text=True)


def test_admin_search_bad_dates_do_not_crash(auth, client, world):
    auth.login_as("admin")
    response = client.get("/admin/audit?date_from=2026-13-45&record_type=nonsense")
    assert response.status_code == 200


def test_admin_search_includes_shared_master_data(auth, client, world):
    auth.login_as("admin")
    text = client.get("/admin/audit?q=荣格精工&record_type=companies").get_data(as_text=True)
    assert "荣格精工有限公司</a>" in text


def test_history_of_a_busy_record_comes_a_page_at_a_time(auth, client, session, world):
    """A record with thousands of changes: the page shows the newest 50, with a pager to the rest."""
    from crm.companies.models import Company

    company = session.get(Company, world.records["company"])
    for n in range(60):
        company.website = f"https://example.com/{n:04d}"
        session.flush()
    session.commit()
    auth.login_as("staff")
    first = client.get(f"/history/companies/{company.id}").get_data(as_text=True)
    assert "example.com/0059" in first and "example.com/0005<" not in first
    assert first.count("<tr>") == 51  # the header and 50 rows
    assert "下一页" in first
    second = client.get(f"/history/companies/{company.id}?page=2").get_data(as_text=True)
    assert "example.com/0005<" in second and "example.com/0059" not in second


def test_a_count_stops_at_its_cap(app_session, world):
    """Beyond the cap a list says "more than N" instead of counting every row."""
    from crm.web.pagination import bounded_count

    assert bounded_count(sa.select(Unit), cap=3) == (3, False)
    assert bounded_count(sa.select(Unit).where(Unit.id == world.units["county_a"].id), cap=3) == (1, True)
    assert bounded_count(sa.select(Unit).where(Unit.id < 0), cap=3) == (0, True)
