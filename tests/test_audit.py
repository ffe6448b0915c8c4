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
