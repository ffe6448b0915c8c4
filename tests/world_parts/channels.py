"""World records of the group robots (see tests/world_parts/__init__.py): a switched-off robot of branch_a1
(``channel``: county A's admin manages it) and one of branch_b1 (``channel_b``: 404 for county A's admin). Off, so
that no other test's job run posts to them."""

from __future__ import annotations

from typing import Any


def build(app: Any, w: Any) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.channels.models import Channel
    from crm.domain.channels import ChannelKind
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        rows = {
            key: Channel(unit_id=w.units[unit].id, kind=ChannelKind.WECOM, name=f"{unit} 工作群", is_active=False,
                         webhook_url=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=world-{key}-0000-1111-2222")
            for key, unit in (("channel", "branch_a1"), ("channel_b", "branch_b1"))
        }
        db.session.add_all(rows.values())
        db.session.commit()
        w.records.update({key: row.id for key, row in rows.items()})
