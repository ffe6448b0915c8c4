"""Access cases of the outbox admin pages and the digest preview (admins only, their subtree).
``{outbox_failed}`` goes to county A's staff, ``{outbox_failed_b}`` to county B's (404 for county A's admin)."""

from __future__ import annotations

from tests.access_cases.common import Case, admin_only

CASES = [
    Case("mail.failures", "GET", "/admin/mail", admin_only(200)),
    Case("mail.retry", "POST", "/admin/mail/{outbox_failed}/retry", admin_only(302)),
    Case("mail.retry", "POST", "/admin/mail/{outbox_failed_b}/retry", admin_only(404)),
    Case("mail.digest_preview", "GET", "/admin/users/{own_user}/digest", admin_only(200)),
    Case("mail.digest_preview", "GET", "/admin/users/{own_user}/digest?period=2026-W47", admin_only(200)),
    Case("mail.digest_preview", "GET", "/admin/users/{own_user}/digest?period=2026-W99", admin_only(200)),
    Case("mail.digest_preview", "GET", "/admin/users/{other_user}/digest", admin_only(404)),
]
