"""World records of the outbox (see tests/world_parts/__init__.py).

- ``outbox_failed``: a refused digest to staff (county A): county A's admin sees and retries it;
- ``outbox_failed_b``: one to staff_b (county B): 404 for county A's admin.
"""

from __future__ import annotations

from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db
    from crm.mail.models import OutboxMessage, OutboxStatus

    with app.app_context():
        set_scope(db.session, SYSTEM)
        rows = {}
        for key, user in (("outbox_failed", "staff"), ("outbox_failed_b", "staff_b")):
            rows[key] = OutboxMessage(
                kind="weekly_digest", recipient_id=w.users[user].id, period="2026-W47", to_address=f"{user}@example.org",
                subject="【招商引资】每周摘要", body_text="…", message_id=f"<world.{key}@example.org>",
                status=OutboxStatus.FAILED, attempts=1, last_error="550 mailbox unavailable",
            )
        db.session.add_all(rows.values())
        db.session.commit()
        w.records.update({key: row.id for key, row in rows.items()})
