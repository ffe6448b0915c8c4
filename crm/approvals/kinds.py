"""The county's 审批事项清单: the procedure kinds and their default 承诺时限, a report setting of the county
(``ReportSettings`` key ``approval_kinds``: {"kinds": [["用地预审", 20], …]}); ``DEFAULT_KINDS`` when not set."""

from __future__ import annotations

from typing import Any

from crm.domain.approvals import DEFAULT_KINDS, KIND_LENGTH, MAX_WORKDAYS, ProcedureKind
from crm.reports.models import ReportSettings
from crm.reports.settings import setting_row, store_setting

APPROVAL_KINDS = "approval_kinds"


def kinds_row(county_id: int) -> ReportSettings | None:
    return setting_row(county_id, APPROVAL_KINDS)


def kinds_of(row: ReportSettings | None) -> list[ProcedureKind]:
    """The stored list; none stored (or a value edited by hand into nonsense) gives the default list."""
    value: Any = row.value if row is not None else None
    stored = value.get("kinds") if isinstance(value, dict) else None
    kinds = [ProcedureKind(k[0], k[1]) for k in stored or [] if isinstance(k, list) and len(k) == 2 and isinstance(k[0], str)
             and 0 < len(k[0]) <= KIND_LENGTH and isinstance(k[1], int) and 1 <= k[1] <= MAX_WORKDAYS]
    return kinds or list(DEFAULT_KINDS)


def county_kinds(county_id: int | None) -> list[ProcedureKind]:
    return kinds_of(kinds_row(county_id)) if county_id is not None else list(DEFAULT_KINDS)


def save_kinds(county_id: int, kinds: list[ProcedureKind], row: ReportSettings | None) -> ReportSettings:
    """Store the county's list (the view has checked ``may_manage`` and the version); an empty list restores the default."""
    return store_setting(county_id, APPROVAL_KINDS, {"kinds": [[k.name, k.workdays] for k in kinds]}, row)
