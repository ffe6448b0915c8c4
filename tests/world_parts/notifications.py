"""World records of the bell (see tests/world_parts/__init__.py).

- ``notification``: an unread notification of staff (staff_a1); everyone else must get 404 on it.
- ``notification_b``: one of county B's staff_b.
"""

from __future__ import annotations

from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db
    from crm.notifications.models import Notification

    with app.app_context():
        set_scope(db.session, SYSTEM)
        own = Notification(user_id=w.users["staff"].id, kind="follow_up_due", key=f"{w.records['follow_up']}:2026-11-20",
                           title="跟进已逾期：电话回访", body="荣格精工扩产线索 · 截止 2026-11-20", link="/todo")
        other = Notification(user_id=w.users["staff_b"].id, kind="issue_overdue", key="0:2026-01-01",
                             title="问题逾期未办结：乙县项目环评未批", link=f"/issues/{w.records['issue_b']}")
        db.session.add_all([own, other])
        db.session.commit()
        w.records.update(notification=own.id, notification_b=other.id)
