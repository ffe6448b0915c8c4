"""``Server-Timing`` on every response when ``CRM_SERVER_TIMING`` is on: the SQL statements a request ran and
the time they took, beside the whole request's time.

It is how ``bench/pages.py`` counts statements per page over HTTP, and how an operator sees, in the browser's
network panel, which page of a busy installation does too much work. Off by default: the header tells the
client how long the database took, which a public site need not tell.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, has_request_context

from crm.extensions import db


def _before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    if has_request_context() and "sql_count" in g:
        g.sql_count += 1
        conn.info["crm_sql_started"] = time.perf_counter()


def _after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    started = conn.info.pop("crm_sql_started", None)
    if started is not None and has_request_context() and "sql_seconds" in g:
        g.sql_seconds += time.perf_counter() - started


def register(app: Flask) -> None:
    if not app.config.get("CRM_SERVER_TIMING"):
        return
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", _before)
        sa.event.listen(db.engine, "after_cursor_execute", _after)

    @app.before_request
    def _start() -> None:
        g.sql_count = 0
        g.sql_seconds = 0.0
        g.request_started = time.perf_counter()

    @app.after_request
    def _report(response):  # type: ignore[no-untyped-def]
        if "request_started" in g:
            total_ms = (time.perf_counter() - g.request_started) * 1000
            response.headers["Server-Timing"] = (
                f'sql;dur={g.sql_seconds * 1000:.1f};desc="{g.sql_count} statements", app;dur={total_ms:.1f}'
            )
        return response
