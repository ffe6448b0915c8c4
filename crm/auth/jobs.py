"""Scheduled job of sign-in: old login failures and ended sessions are deleted daily (``CRM_SIGN_IN_RETENTION_DAYS``)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from crm.auth.services import purge_old_sign_ins


def purge_sign_ins(today: date, now: datetime) -> str:
    failures, sessions = purge_old_sign_ins(int(current_app.config["CRM_SIGN_IN_RETENTION_DAYS"]))
    return f"{failures} login failures, {sessions} sessions deleted"
