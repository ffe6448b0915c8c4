"""Per-request wiring: who is signed in, under what scope, and safe response headers."""

from __future__ import annotations

from flask import Flask, g, request
from flask_login import current_user

from crm.access.policy import build_actor
from crm.access.scoping import set_scope
from crm.audit.services import set_audit_actor
from crm.auth.services import load_session_user
from crm.db import write_intent
from crm.extensions import db, login_manager

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def register(app: Flask) -> None:
    login_manager.user_loader(load_session_user)

    @app.before_request
    def _bind_request() -> None:
        # Decided before the first query, because the first query begins the transaction.
        if request.method not in SAFE_METHODS:
            g._write_intent_token = write_intent.set(True)
        session = db.session
        set_scope(session, None)  # fail closed until we know who is asking
        address = (request.remote_addr or "")[:45] or None
        if current_user.is_authenticated:
            actor = build_actor(current_user)
            g.actor = actor
            set_scope(session, actor)
            set_audit_actor(session, actor.user_id, f"{current_user.display_name} ({current_user.username})", address)
        else:
            set_audit_actor(session, None, "匿名", address)

    @app.teardown_request
    def _unbind_request(exc: BaseException | None) -> None:
        token = g.pop("_write_intent_token", None)
        if token is not None:
            write_intent.reset(token)

    @app.after_request
    def _security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
