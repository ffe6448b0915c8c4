"""Scheduled job of the outbox: send what is due, retries included (every CRM_DISPATCH_MINUTES)."""

from __future__ import annotations

from datetime import date, datetime

from crm.mail.outbox import DispatchResult, dispatch


def dispatch_outbox(today: date, now: datetime) -> DispatchResult:
    return dispatch(now)
