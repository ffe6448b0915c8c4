"""Scheduled jobs of the outbox: send what is due, retries included (every CRM_DISPATCH_MINUTES); and the purge of
old ``job_runs`` rows (CRM_JOB_RUN_RETENTION_DAYS), which every job writes one of per run."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app

from crm.db import delete_older_than
from crm.mail.models import JobRun
from crm.mail.outbox import DispatchResult, dispatch


def dispatch_outbox(today: date, now: datetime) -> DispatchResult:
    return dispatch(now)


def purge_job_runs(today: date, now: datetime) -> str:
    """``dispatch_outbox`` alone writes 720 rows a day: keep CRM_JOB_RUN_RETENTION_DAYS of them."""
    deleted = delete_older_than(JobRun, int(current_app.config["CRM_JOB_RUN_RETENTION_DAYS"]), JobRun.started_at)
    return f"{deleted} job runs deleted"
