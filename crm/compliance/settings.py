"""The county's 履约 setting (``ReportSettings`` key ``compliance``: {"commitments_in_performance": bool}): whether
the 三率's 履约率 asks a project with a 正式合同 to be 按期 on its commitments (``crm.domain.compliance.performing``)
or looks at the stage alone (the default, today's rule)."""

from __future__ import annotations

from typing import Any

from crm.reports.models import ReportSettings
from crm.reports.settings import setting_row, store_setting

COMPLIANCE = "compliance"
USES_COMMITMENTS = "commitments_in_performance"


def compliance_row(county_id: int) -> ReportSettings | None:
    return setting_row(county_id, COMPLIANCE)


def uses_commitments_of(row: ReportSettings | None) -> bool:
    """Only a stored ``true`` turns it on: a missing row or a value edited by hand into nonsense is the default."""
    value: Any = row.value if row is not None else None
    return isinstance(value, dict) and value.get(USES_COMMITMENTS) is True


def uses_commitments(county_id: int) -> bool:
    return uses_commitments_of(compliance_row(county_id))


def save_setting(county_id: int, on: bool, row: ReportSettings | None) -> ReportSettings:
    """Store the county's choice (the view has checked ``may_manage`` and the version)."""
    return store_setting(county_id, COMPLIANCE, {USES_COMMITMENTS: bool(on)}, row)
