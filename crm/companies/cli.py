from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("companies")
def companies_group() -> None:
    """Companies: duplicate review and spreadsheet dedupe."""


@companies_group.command("find-duplicates")
@with_appcontext
def find_duplicates() -> None:
    """Cluster all companies and queue new candidate groups for review."""
    from crm.cli import system_session
    from crm.companies.duplicates import find_duplicate_groups

    with system_session("查重任务"):
        queued = find_duplicate_groups()
    click.echo(f"queued {queued} candidate group(s) for review")


@companies_group.command("rebuild-keys")
@with_appcontext
def rebuild_keys() -> None:
    """Recompute every company's search text and blocking keys (after an upgrade changed the matcher)."""
    from crm.cli import system_session
    from crm.companies.services import rebuild_derived

    with system_session("重建查重索引"):
        changed = rebuild_derived()
    click.echo(f"rebuilt the search text and blocking keys of {changed} company(ies)")


@companies_group.command("dedupe")
@click.argument("input_path", metavar="INPUT.csv")
@click.option("--output", "output_path", required=True, metavar="GROUPS.csv", help="where to write id,group")
def dedupe(input_path: str, output_path: str) -> None:
    """Group the rows of a spreadsheet that are one company (needs no database)."""
    from crm.companies.dedupe_csv import run

    sys.exit(run(input_path, output_path, sys.stderr))
