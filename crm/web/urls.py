from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for

# The page of a record, by the table the audit log names it with.
RECORD_PAGES = {
    "leads": ("leads.detail", "lead_id"),
    "visits": ("visits.detail", "visit_id"),
    "projects": ("projects.detail", "project_id"),
    "companies": ("companies.detail", "company_id"),
    "agreements": ("agreements.detail", "agreement_id"),
    "issues": ("issues.detail", "issue_id"),
}


def record_url(record_type: str, record_id: int) -> str | None:
    """The record's own page, or None for a record that has none (a 到位资金 entry is seen on its project)."""
    if record_type not in RECORD_PAGES:
        return None
    endpoint, argument = RECORD_PAGES[record_type]
    return url_for(endpoint, **{argument: record_id})


def is_local_path(target: str | None) -> bool:
    """Only paths on this site may be redirected to after sign-in.

    Refuses absolute URLs, scheme-relative ``//host`` forms, backslash tricks
    that browsers read as ``//``, and anything with control characters.
    """
    if not target or not target.startswith("/"):
        return False
    if target.startswith("//") or target.startswith("/\\") or "\\" in target:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def back_to(list_url: str, referrer: str | None, host: str) -> str:
    """Where a detail page's way back leads: the list as the user left it (its filters, sort and page) when they came
    from it on this site, else the list itself."""
    if referrer:
        parts = urlsplit(referrer)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc == host and parts.path == urlsplit(list_url).path and is_local_path(path):
            return path
    return list_url
