"""Access cases of the bell and the email preferences. ``{notification}`` is staff's own (everyone else: 404),
``{notification_b}`` county B's staff's (404 for all). See tests/world_parts/notifications.py."""

from __future__ import annotations

from tests.access_cases.common import Case, everyone

OWNER_ONLY = {**everyone(404), "staff": 302}

CASES = [
    Case("notifications.index", "GET", "/notifications", everyone(200)),
    Case("notifications.index", "GET", "/notifications?show=unread&page=x", everyone(200)),
    Case("notifications.mark_one_read", "POST", "/notifications/{notification}/read", OWNER_ONLY),
    Case("notifications.mark_one_read", "POST", "/notifications/{notification_b}/read", everyone(404)),
    Case("notifications.open_record", "POST", "/notifications/{notification}/open", OWNER_ONLY),
    Case("notifications.open_record", "POST", "/notifications/{notification_b}/open", everyone(404)),
    Case("notifications.read_all", "POST", "/notifications/read-all", everyone(302)),
    Case("auth.email_preferences", "POST", "/account/email", everyone(302), data={"mail-digest_email": "y"}),
]

