"""``crm reports weekly --week YYYY-Www [--unit UNIT_NAME] --output FILE.docx``: the 周督查 report as the meeting's
paper, built as the web page builds it, for the county or one of its units."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("reports")
def reports_group() -> None:
    """Reports as documents (周督查 …)."""


@reports_group.command("weekly")
@click.option("--week", "period", required=True, help="ISO week, e.g. 2026-W48")
@click.option("--unit", "unit_name", default=None, help="县（区）或单位名称 (default: the installation's only county)")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, writable=True), help="FILE.docx")
@with_appcontext
def weekly_command(period: str, unit_name: str | None, output: str) -> None:
    """Write the 周督查 weekly report of WEEK as a .docx."""
    import sqlalchemy as sa

    from crm.cli import system_session
    from crm.digests.build import Week
    from crm.domain.schedule import week_bounds
    from crm.domain.units import UnitType
    from crm.extensions import db
    from crm.imports.queries import unit_named
    from crm.notifications.services import links
    from crm.reports.scope import county_scope, home_county
    from crm.reports.weekly import unit_scope, weekly_report
    from crm.reports.weekly_docx import weekly_docx
    from crm.units.models import Unit

    try:
        week_bounds(period)
    except ValueError:
        raise click.BadParameter(f"{period!r}: expected YYYY-Www, e.g. 2026-W48", param_hint="--week") from None
    with system_session(), links():
        if unit_name:
            unit = unit_named(unit_name)
            if unit is None:
                raise click.BadParameter(f"no unit named {unit_name!r}", param_hint="--unit")
            county = county_scope(home_county(unit.id))
            scope = county if unit.id == county.root_id else unit_scope(county, unit)
        else:
            counties = db.session.scalars(sa.select(Unit.id).where(Unit.type == UnitType.COUNTY, Unit.is_active)).all()
            if len(counties) != 1:
                raise click.UsageError("this installation has several counties: name one with --unit")
            scope = county_scope(counties[0])
        assert scope is not None
        report = weekly_report(scope, Week.of(period, current_app.config["CRM_TIMEZONE"]))
        data = weekly_docx(report)
    Path(output).write_bytes(data)
    click.echo(f"{report.title} {period}: {sum(len(s.items) for s in report.sections)} items → {output}")
