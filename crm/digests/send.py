"""Building, queueing and sending the weekly digests (the job and `crm digests send`).

Recipients: active users with an email address who have not opted out (``digest_email``). Those who
already have the week's digest in the outbox are skipped before anything is built, so a rerun costs
little and sends nothing; an empty digest is not queued at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from crm.digests.build import Digest, DigestCache, Week, build_digest, read_ahead
from crm.domain.schedule import digest_week, week_bounds
from crm.extensions import db
from crm.mail.outbox import ROWS_PER_INSERT, Email, already_queued, enqueue_many
from crm.mail.render import render_email
from crm.access.policy import ActorBuilder
from crm.notifications.services import links
from crm.users.models import User
from crm.web.dates import month_day_text

KIND = "weekly_digest"


@dataclass
class DigestRun:
    period: str
    recipients: int = 0
    already: int = 0
    empty: int = 0
    queued: int = 0
    seconds: float = 0.0
    posts: int = 0  # group-robot posts (the job adds them: crm.digests.jobs)
    built: list[Digest] = field(default_factory=list)  # kept for dry runs and tests

    def __str__(self) -> str:
        return (f"{self.period}: {self.recipients} recipients, {self.queued} queued, {self.already} already queued, "
                f"{self.empty} empty (not sent), {self.seconds:.1f} s" + (f"; {self.posts} group posts queued" if self.posts else ""))


def recipients() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(User.is_active, User.digest_email, User.email.is_not(None), User.email != "").order_by(User.id)
        )
    )


def week_of(period: str) -> Week:
    return Week.of(period, current_app.config["CRM_TIMEZONE"])


def subject_for(digest: Digest) -> str:
    year, week = digest.period.split("-W")
    return _("【招商引资】每周摘要 %(year)s年第%(week)s周（%(start)s—%(end)s）", year=year, week=int(week),
             start=month_day_text(digest.week_start), end=month_day_text(digest.week_end))


def render_digest(digest: Digest) -> tuple[str, str, str]:
    """(subject, plain text, HTML); call inside ``links()`` (absolute URLs)."""
    from flask import url_for

    subject = subject_for(digest)
    text, html = render_email(
        "digest", digest=digest, subject=subject,
        preferences_url=url_for("auth.account", _external=True), home_url=url_for("web.home", _external=True),
    )
    return subject, text, html


def queue_digests(period: str | None = None, now: datetime | None = None, *, dry_run: bool = False,
                  users: list[User] | None = None, keep: bool = False) -> DigestRun:
    """Build every recipient's digest of ``period`` (default: last week) and queue the non-empty ones.

    Inserts into the outbox; the caller commits once (and dispatches after). A dry run builds and
    counts but queues nothing.
    """
    from crm.clock import local_today

    period = period or digest_week(local_today())
    week_bounds(period)  # refuse a malformed period before doing anything
    started = time.monotonic()
    week = week_of(period)
    run = DigestRun(period)
    people = users if users is not None else recipients()
    run.recipients = len(people)
    done = already_queued(KIND, period, [u.id for u in people])
    run.already = len(done)
    cache = DigestCache()
    actor_for = ActorBuilder([u.id for u in people])
    stale_days = int(current_app.config.get("CRM_STALE_LEAD_DAYS", 30))
    todo = [(user, actor_for(user)) for user in people if user.id not in done]
    read_ahead(todo, week, stale_days, cache)
    emails: list[Email] = []
    with links():
        for user, actor in todo:
            digest = build_digest(user, actor, week, cache, stale_days)
            if digest.is_empty:
                run.empty += 1
                continue
            if dry_run or keep:
                run.built.append(digest)
            if dry_run:
                continue
            subject, text, html = render_digest(digest)
            emails.append(Email(KIND, user.id, period, user.email, subject, text, html))
            if len(emails) == ROWS_PER_INSERT:  # queued as we go: the bodies are not all held at once
                _queue(emails, now, run)
    _queue(emails, now, run)
    run.seconds = time.monotonic() - started
    return run


def _queue(emails: list[Email], now: datetime | None, run: DigestRun) -> None:
    added = enqueue_many(emails, now)
    run.queued += added
    run.already += len(emails) - added  # a concurrent run queued them first
    emails.clear()


def preview(user: User, period: str) -> Digest:
    """The digest ``user`` would get for ``period`` (built under the user's scope), for the admin page."""
    with links():
        return build_digest(user, ActorBuilder([user.id])(user), week_of(period), DigestCache(),
                            int(current_app.config.get("CRM_STALE_LEAD_DAYS", 30)))


def dry_run_lines(run: DigestRun) -> list[str]:
    lines = [str(run)]
    for digest in run.built:
        counts = ", ".join(f"{s.title} {len(s.items) + s.more}" for s in digest.sections if s.has_content)
        lines.append(f"  {digest.user.username:<16} {digest.user.email:<32} {counts}")
    return lines


