"""Writes the audit log from the ORM, in the same transaction as the change.

An ``after_flush`` hook walks the objects the flush just wrote and inserts one
row per changed column with a Core INSERT on the flush's own connection, so a
change and its audit rows commit or roll back together.

Who did it comes from ``session.info``: the signed-in actor, or a label such as
"系统" or "命令行" that jobs and CLI commands set.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crm.audit.mixins import Audited
from crm.audit.models import AuditLog
from crm.db import utcnow

ACTOR_ID_KEY = "audit_actor_id"
ACTOR_LABEL_KEY = "audit_actor_label"
REMOTE_ADDR_KEY = "audit_remote_addr"
REDACTED = "（已修改，内容不记录）"


def set_audit_actor(session: Session, actor_id: int | None, label: str, remote_addr: str | None = None) -> None:
    session.info[ACTOR_ID_KEY] = actor_id
    session.info[ACTOR_LABEL_KEY] = label
    session.info[REMOTE_ADDR_KEY] = remote_addr


def to_text(value: Any) -> str | None:
    """A stable text form of a column value for the log."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dt.date, decimal.Decimal)):
        return str(value)
    return str(value)


def _columns(obj: Audited) -> list[Any]:
    mapper = inspect(obj).mapper
    skip = obj.__audit_exclude__
    return [attr for attr in mapper.column_attrs if attr.key not in skip]


class _Rows:
    """The audit rows of one object: what every row of it shares (who, when, which record) is worked out once, not
    once per column (an imported project writes some thirty create rows; docs/PERFORMANCE.md, "Import").
    ``unit_id`` is ``obj.audit_unit_id()``, asked once per object by the caller (it may run a query)."""

    def __init__(self, session: Session, obj: Audited, action: str, unit_id: Any = None) -> None:
        self.obj = obj
        self.base = {
            "at": utcnow(),
            "actor_id": session.info.get(ACTOR_ID_KEY),
            "actor_label": session.info.get(ACTOR_LABEL_KEY) or "未知",
            "action": action,
            "record_type": obj.__tablename__,  # type: ignore[attr-defined]
            "record_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
            "record_label": obj.audit_label()[:200],
            "unit_id": unit_id,
            "remote_addr": session.info.get(REMOTE_ADDR_KEY),
        }

    def row(self, field: str | None, old: Any, new: Any) -> dict[str, Any]:
        redact = field in self.obj.__audit_redact__
        return {
            **self.base,
            "field": field,
            "old_value": REDACTED if redact and old is not None else to_text(old),
            "new_value": REDACTED if redact and new is not None else to_text(new),
        }


def _changes(session: Session, obj: Audited) -> list[dict[str, Any]]:
    rows = []
    state = inspect(obj)
    rows_of: _Rows | None = None
    for attr in _columns(obj):
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if to_text(old) == to_text(new):
            continue
        rows_of = rows_of or _Rows(session, obj, "update", obj.audit_unit_id())
        rows.append(rows_of.row(attr.key, old, new))
    return rows


def log_bulk_change(
    session: Session, record_type: str, record_ids: list[int], field: str, old: Any, new: Any, unit_id: int | None = None
) -> None:
    """Audit rows for a change made with a Core UPDATE (which the ORM hook cannot see), e.g. references moved by a merge."""
    if not record_ids:
        return
    rows = [
        {
            "at": utcnow(),
            "actor_id": session.info.get(ACTOR_ID_KEY),
            "actor_label": session.info.get(ACTOR_LABEL_KEY) or "未知",
            "action": "update",
            "record_type": record_type,
            "record_id": record_id,
            "record_label": None,
            "field": field,
            "old_value": to_text(old),
            "new_value": to_text(new),
            "unit_id": unit_id,
            "remote_addr": session.info.get(REMOTE_ADDR_KEY),
        }
        for record_id in record_ids
    ]
    session.connection().execute(sa.insert(AuditLog.__table__), rows)


def _after_flush(session: Session, flush_context: Any) -> None:
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Audited):
            loaded = inspect(obj).dict  # never trigger a load in the middle of a flush
            created = _Rows(session, obj, "create", obj.audit_unit_id())
            rows.extend(created.row(attr.key, None, value) for attr in _columns(obj) if (value := loaded.get(attr.key)) is not None)
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            rows.extend(_changes(session, obj))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            rows.append(_Rows(session, obj, "delete", obj.audit_unit_id()).row(None, obj.audit_label(), None))
    if rows:
        _insert(session, rows)


COPY_FROM = 100  # rows: on PostgreSQL a flush writing more (an imported 台账, a merge) sends them by COPY


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """The rows into the log on the flush's own connection. PostgreSQL runs an executemany row by row; half a million
    rows of an imported 台账 go by COPY instead (docs/PERFORMANCE.md, "Import")."""
    connection = session.connection()
    if len(rows) < COPY_FROM or connection.dialect.name != "postgresql":
        connection.execute(sa.insert(AuditLog.__table__), rows)
        return
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {AuditLog.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def install(session_factory: Any) -> None:
    if not event.contains(session_factory, "after_flush", _after_flush):
        event.listen(session_factory, "after_flush", _after_flush)
