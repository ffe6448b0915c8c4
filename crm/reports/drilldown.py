"""The project list's drill-down filters, as the figures count (the actor's report scope and county settings)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from crm.access.policy import current_actor
from crm.clock import local_today
from crm.domain.pipeline import Stage
from crm.domain.reports import Flag
from crm.reports.counting import counted_project_ids, flag_clause
from crm.reports.scope import report_scope
from crm.reports.settings import load_settings


def counted_ids(stage: Stage, start: str | None, end: str | None, signing_event: str | None) -> sa.Select[Any]:
    actor = current_actor()
    if actor is None:
        return sa.select(sa.null()).where(sa.false())
    scope = report_scope(actor)
    rules = load_settings(scope.county_id).counting
    return counted_project_ids(rules, scope.units, stage, start, end, signing_event or None)


def flag_filter(flag: Flag) -> sa.ColumnElement[bool]:
    actor = current_actor()
    if actor is None:
        return sa.false()
    flags = load_settings(report_scope(actor).county_id).flags
    return flag_clause(flag, local_today(), flags)
