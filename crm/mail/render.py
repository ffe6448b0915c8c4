"""Rendering an email from its two templates (plain text and HTML) under templates/emails/."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template


def render_email(name: str, **context: Any) -> tuple[str, str]:
    """``emails/<name>.txt`` and ``emails/<name>.html`` with the same context; (text, html)."""
    context.setdefault("base_url", current_app.config.get("CRM_BASE_URL", ""))
    text = render_template(f"emails/{name}.txt", **context)
    html = render_template(f"emails/{name}.html", **context)
    return text.strip() + "\n", html
