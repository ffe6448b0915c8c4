"""A county's report settings: 统计口径 (``counting_rules``), 月评比 scorecard (``scorecard``) and the
影子/空巢 flags (``flags``), stored as JSON in ``ReportSettings`` and validated by ``crm.domain.reports``.

A missing row means the DOMAIN defaults. A stored value that no longer validates (edited by hand)
falls back to the defaults rather than breaking every report page; the settings page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from crm.domain.reports import CountingRules, FlagSettings, Scorecard, SettingsError
from crm.extensions import db
from crm.reports.models import ReportSettings
from crm.reports.scope import county_rows

COUNTING = "counting_rules"
SCORECARD = "scorecard"
FLAGS = "flags"
PARSERS: dict[str, Any] = {COUNTING: CountingRules, SCORECARD: Scorecard, FLAGS: FlagSettings}


@dataclass(frozen=True)
class CountySettings:
    counting: CountingRules = field(default_factory=CountingRules)
    scorecard: Scorecard = field(default_factory=Scorecard)
    flags: FlagSettings = field(default_factory=FlagSettings)
    rows: dict[str, ReportSettings] = field(default_factory=dict)  # the stored rows (for versions)
    broken: tuple[str, ...] = ()  # keys whose stored JSON did not validate


def setting_row(county_id: int, key: str) -> ReportSettings | None:
    """One of the county's stored settings (a feature's own key: 宁静日, 审批事项清单 …), or None."""
    return db.session.scalars(county_rows(sa.select(ReportSettings).where(ReportSettings.key == key),
                                          ReportSettings.unit_id, county_id)).first()


def store_setting(county_id: int, key: str, value: dict[str, Any], row: ReportSettings | None) -> ReportSettings:
    """Store ``value`` as the county's ``key`` setting, in ``row`` when one is stored (the caller has checked the
    right to set it and the version)."""
    if row is None:
        row = ReportSettings(unit_id=county_id, key=key, value={})
        db.session.add(row)
    row.value = value
    db.session.flush()
    return row


def settings_rows(county_id: int) -> dict[str, ReportSettings]:
    rows = db.session.scalars(county_rows(sa.select(ReportSettings), ReportSettings.unit_id, county_id))
    return {row.key: row for row in rows}


def load_settings(county_id: int) -> CountySettings:
    """The county's settings in one query."""
    rows = settings_rows(county_id)
    values: dict[str, Any] = {}
    broken = []
    for key, parser in PARSERS.items():
        row = rows.get(key)
        try:
            values[key] = parser.from_json(row.value if row is not None else None)
        except SettingsError:
            values[key] = parser()
            broken.append(key)
    return CountySettings(values[COUNTING], values[SCORECARD], values[FLAGS], rows, tuple(broken))
