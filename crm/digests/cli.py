"""Command-line access to the scheduled work: `crm scheduler`, `crm digests send`, `crm alerts run`,
`crm reminders run`, `crm mail dispatch`. Each builds under the SYSTEM scope and commits once, then
sends the outbox (one commit per message)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext


def _dispatch_and_report() -> None:
    from crm.mail.outbox import dispatch

    result = dispatch()
    click.echo(f"outbox: {result}")
    if result.stopped:
        click.echo(f"outbox: stopped early, will retry: {result.stopped}", err=True)


@click.command("scheduler")
@click.option("--list", "list_jobs", is_flag=True, help="Show the job table and each job's next run, then exit.")
@with_appcontext
def scheduler_command(list_jobs: bool) -> None:
    """Run the scheduled jobs (one scheduler per installation; a second one waits as a standby)."""
    from crm.scheduler import JOBS, next_runs, serve

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if list_jobs:
        runs = dict(next_runs(app))
        for spec in JOBS:
            click.echo(f"{spec.id:<18} next {runs.get(spec.id)}  {spec.description}")
        return
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = threading.Event()

    def _stop(signum, frame):  # type: ignore[no-untyped-def]
        stop.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    sys.exit(serve(app, stop))


@click.group("digests")
def digests_group() -> None:
    """The weekly digest emails."""


@digests_group.command("send")
@click.option("--period", default=None, help="ISO week, e.g. 2026-W48 (default: last week).")
@click.option("--dry-run", is_flag=True, help="Build and list the digests; queue and send nothing.")
@with_appcontext
def digests_send(period: str | None, dry_run: bool) -> None:
    """Build, queue and send the week's digests, and each unit's weekly summary to its group robots, as the job
    does. Running it again for the same week sends nothing twice."""
    from crm.channels.posting import queue_weekly_posts
    from crm.cli import system_session
    from crm.digests.send import dry_run_lines, queue_digests
    from crm.domain.schedule import week_bounds

    if period is not None:
        try:
            week_bounds(period)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from error
    with system_session("每周摘要"):
        run = queue_digests(period, dry_run=dry_run)
        if not dry_run:
            run.posts = queue_weekly_posts(run.period)
    if dry_run:
        for line in dry_run_lines(run):
            click.echo(line)
        click.echo("dry run: nothing queued, nothing sent")
        return
    click.echo(f"digests {run}")
    _dispatch_and_report()


@click.group("alerts")
def alerts_group() -> None:
    """The daily alerts (in-app notifications, alert emails)."""


@alerts_group.command("run")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (default: today in CRM_TIMEZONE).")
@with_appcontext
def alerts_run(day: str | None) -> None:
    """Run today's alerts now, group robots included (a rerun adds nothing)."""
    from crm.cli import system_session
    from crm.clock import local_today
    from crm.notifications.jobs import daily_alerts

    today = _parse_day(day) or local_today()
    with system_session("每日提醒"):
        run = daily_alerts(today, None)  # the job's work: the bell, the emails and the group robots
    click.echo(f"alerts {today}: {run}")
    _dispatch_and_report()


@click.group("reminders")
def reminders_group() -> None:
    """半月报 reminders."""


@reminders_group.command("run")
@click.option("--period", default=None, help="YYYY-MM-1 or YYYY-MM-2 (default: the period due today, if any).")
@with_appcontext
def reminders_run(period: str | None) -> None:
    """Remind the units that have not yet sent the period's 半月报."""
    from crm.cli import system_session
    from crm.clock import local_today
    from crm.domain.schedule import due_on_day, parse_half_month
    from crm.submissions.jobs import remind
    from crm.submissions.services import report_days

    if period is not None:
        try:
            parse_half_month(period)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from error
    period = period or due_on_day(local_today(), report_days())
    if period is None:
        click.echo("no 半月报 is due today; pass --period to remind anyway")
        return
    with system_session("半月报提醒"):
        run = remind(period)
    click.echo(f"reminders {run}")
    _dispatch_and_report()


@click.group("mail")
def mail_group() -> None:
    """The outbox."""


@mail_group.command("dispatch")
@with_appcontext
def mail_dispatch() -> None:
    """Send what is due in the outbox now (retries included)."""
    _dispatch_and_report()


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--date") from error


COMMANDS = (scheduler_command, digests_group, alerts_group, reminders_group, mail_group)
