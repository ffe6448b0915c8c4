"""Access cases of the group robots' admin pages (admins only, robots of their subtree's units). ``{channel}`` is
branch_a1's robot, ``{channel_b}`` county B's (404 for county A's admin)."""

from __future__ import annotations

from tests.access_cases.common import Case, admin_only

CASES = [
    Case("channels.index", "GET", "/admin/channels/", admin_only(200)),
    Case("channels.create", "GET", "/admin/channels/new", admin_only(200)),
    Case("channels.create", "POST", "/admin/channels/new", admin_only(400), data={"kind": "wecom", "webhook_url": "http://x"}),
    Case("channels.toggle_active", "POST", "/admin/channels/{channel}/active", admin_only(302), data={"active": "0"}),
    Case("channels.toggle_active", "POST", "/admin/channels/{channel_b}/active", admin_only(404), data={"active": "1"}),
    Case("channels.delete", "POST", "/admin/channels/{channel}/delete", admin_only(302)),
    Case("channels.delete", "POST", "/admin/channels/{channel_b}/delete", admin_only(404)),
]
