"""Settings from ``CRM_*`` environment variables (DESIGN §4).

Everything the operator may change lives here, read once when the app is built.
Tests and scripts pass overrides to ``create_app(config)``; those win over the
environment.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

TRUE_WORDS = {"1", "true", "yes", "on"}


class ConfigurationError(RuntimeError):
    """The app cannot start with the settings it was given."""


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from exc


def _ints(environ: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        numbers = tuple(int(part) for part in value.replace("，", ",").split(",") if part.strip())
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be whole numbers separated by commas, got {value!r}") from exc
    if not numbers or any(n <= 0 for n in numbers):
        raise ConfigurationError(f"{name} must be positive whole numbers, got {value!r}")
    return numbers


def _days(environ: Mapping[str, str], name: str, default: tuple[int, int]) -> tuple[int, int]:
    from crm.domain.schedule import check_report_days

    days = _ints(environ, name, default)
    try:
        return check_report_days(tuple(sorted(days)))  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigurationError(f"{name}: {exc}, got {environ.get(name)!r}") from exc


def settings_from_env(environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Translate the ``CRM_*`` variables into Flask config keys."""
    env = environ.get("CRM_ENV", "development").strip().lower() or "development"
    base_url = environ.get("CRM_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    default_db = "sqlite:///" + os.path.join(instance_path, "crm.db")
    https = base_url.startswith("https://")
    return {
        "CRM_ENV": env,
        "DATABASE_URL": environ.get("CRM_DATABASE_URL") or default_db,
        "SECRET_KEY": environ.get("CRM_SECRET_KEY") or None,
        "CRM_TIMEZONE": environ.get("CRM_TIMEZONE", "Asia/Shanghai"),
        "CRM_BASE_URL": base_url,
        "CRM_SMTP_HOST": environ.get("CRM_SMTP_HOST", ""),
        "CRM_SMTP_PORT": _int(environ, "CRM_SMTP_PORT", 587),
        "CRM_SMTP_USER": environ.get("CRM_SMTP_USER", ""),
        "CRM_SMTP_PASSWORD": environ.get("CRM_SMTP_PASSWORD", ""),
        "CRM_SMTP_STARTTLS": _flag(environ, "CRM_SMTP_STARTTLS", True),
        "CRM_MAIL_FROM": environ.get("CRM_MAIL_FROM", "crm@localhost"),
        # A private CA (PEM) that signed the SMTP server's certificate, for STARTTLS on an intranet.
        "CRM_SMTP_CAFILE": environ.get("CRM_SMTP_CAFILE") or None,
        # Login throttling: failures counted in the database per account and per address.
        "CRM_LOGIN_WINDOW_MINUTES": _int(environ, "CRM_LOGIN_WINDOW_MINUTES", 15),
        "CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT": _int(environ, "CRM_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        "CRM_LOGIN_MAX_FAILURES_PER_ADDRESS": _int(environ, "CRM_LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        # A browser that signed in to an account is known to it for this long (crm/auth/devices.py).
        "CRM_DEVICE_COOKIE_DAYS": _int(environ, "CRM_DEVICE_COOKIE_DAYS", 180),
        # Uploaded scans and photos; default <instance>/attachments. `crm backup` archives it with the database.
        "CRM_ATTACHMENT_DIR": environ.get("CRM_ATTACHMENT_DIR") or None,
        # The visit form and the company page say when another unit visited the company within this many days.
        "CRM_VISIT_HINT_DAYS": _int(environ, "CRM_VISIT_HINT_DAYS", 30),
        # 三个一: one 分包县级领导 per key project; projects with 总投资 of at least CRM_LARGE_PROJECT_FROM
        # (万元) may have up to CRM_LARGE_PROJECT_LEADERS (1 = never more than one).
        "CRM_LARGE_PROJECT_FROM": _int(environ, "CRM_LARGE_PROJECT_FROM", 1_000_000),
        "CRM_LARGE_PROJECT_LEADERS": _int(environ, "CRM_LARGE_PROJECT_LEADERS", 1),
        # 红黄绿: 黄 after this many days without a progress update, or with a milestone due within N days.
        "CRM_RAG_STALE_DAYS": _int(environ, "CRM_RAG_STALE_DAYS", 14),
        "CRM_RAG_DUE_SOON_DAYS": _int(environ, "CRM_RAG_DUE_SOON_DAYS", 7),
        # 达产 as a stage after 投产.
        "CRM_FULL_CAPACITY_STAGE": _flag(environ, "CRM_FULL_CAPACITY_STAGE", False),
        # Scheduled work (`crm scheduler`, docs/SCHEDULER.md), in CRM_TIMEZONE. Daily alerts at
        # CRM_ALERT_HOUR:CRM_ALERT_MINUTE; the weekly digest on CRM_DIGEST_WEEKDAY (mon … sun) at CRM_DIGEST_HOUR;
        # 半月报 reminders on CRM_REPORT_DAYS ("2,17": the previous month's second half is due on the first,
        # this month's first half on the second) at CRM_REMINDER_HOUR. A job missed while the scheduler was
        # down still runs if it is at most CRM_MISFIRE_GRACE_HOURS late (once, however many were missed).
        "CRM_ALERT_HOUR": _int(environ, "CRM_ALERT_HOUR", 8),
        "CRM_ALERT_MINUTE": _int(environ, "CRM_ALERT_MINUTE", 0),
        "CRM_DIGEST_WEEKDAY": environ.get("CRM_DIGEST_WEEKDAY", "mon").strip().lower() or "mon",
        "CRM_DIGEST_HOUR": _int(environ, "CRM_DIGEST_HOUR", 8),
        "CRM_REPORT_DAYS": _days(environ, "CRM_REPORT_DAYS", (2, 17)),
        "CRM_REMINDER_HOUR": _int(environ, "CRM_REMINDER_HOUR", 8),
        "CRM_MISFIRE_GRACE_HOURS": _int(environ, "CRM_MISFIRE_GRACE_HOURS", 6),
        # The outbox is sent every CRM_DISPATCH_MINUTES; a standby scheduler retries the lock every
        # CRM_SCHEDULER_STANDBY_SECONDS.
        "CRM_DISPATCH_MINUTES": _int(environ, "CRM_DISPATCH_MINUTES", 2),
        "CRM_SCHEDULER_STANDBY_SECONDS": _int(environ, "CRM_SCHEDULER_STANDBY_SECONDS", 30),
        # Alerts: a lead with no visit or follow-up for this many days is stale; milestones due within
        # CRM_RAG_DUE_SOON_DAYS are announced.
        "CRM_STALE_LEAD_DAYS": _int(environ, "CRM_STALE_LEAD_DAYS", 30),
        # Login failures and ended sessions are kept this many days (the daily purge_sign_ins job).
        "CRM_SIGN_IN_RETENTION_DAYS": _int(environ, "CRM_SIGN_IN_RETENTION_DAYS", 30),
        # Notifications and job_runs rows are kept this many days (the daily purge_notifications, purge_job_runs).
        "CRM_NOTIFICATION_RETENTION_DAYS": _int(environ, "CRM_NOTIFICATION_RETENTION_DAYS", 180),
        "CRM_JOB_RUN_RETENTION_DAYS": _int(environ, "CRM_JOB_RUN_RETENTION_DAYS", 90),
        # Backups (`crm backup`, the nightly backup job): archives go to CRM_BACKUP_DIR (default <instance>/backups);
        # the job deletes its own archives older than CRM_BACKUP_RETENTION_DAYS (0: keeps them all). On PostgreSQL
        # they need pg_dump and pg_restore, found on PATH or given as CRM_PG_DUMP and CRM_PG_RESTORE.
        "CRM_BACKUP_DIR": environ.get("CRM_BACKUP_DIR") or None,
        "CRM_BACKUP_RETENTION_DAYS": _int(environ, "CRM_BACKUP_RETENTION_DAYS", 14),
        "CRM_PG_DUMP": environ.get("CRM_PG_DUMP") or "pg_dump",
        "CRM_PG_RESTORE": environ.get("CRM_PG_RESTORE") or "pg_restore",
        # Email: CRM_SMTP_MAX_ATTEMPTS tries in all, waiting CRM_SMTP_RETRY_MINUTES between them (the last
        # step repeats); one SMTP conversation may take CRM_SMTP_TIMEOUT seconds; a message claimed by a
        # dispatcher that died is taken over after CRM_OUTBOX_CLAIM_MINUTES.
        "CRM_SMTP_MAX_ATTEMPTS": _int(environ, "CRM_SMTP_MAX_ATTEMPTS", 6),
        "CRM_SMTP_RETRY_MINUTES": _ints(environ, "CRM_SMTP_RETRY_MINUTES", (5, 15, 60, 180, 720)),
        "CRM_SMTP_TIMEOUT": _int(environ, "CRM_SMTP_TIMEOUT", 30),
        "CRM_OUTBOX_CLAIM_MINUTES": _int(environ, "CRM_OUTBOX_CLAIM_MINUTES", 15),
        # Group robots (crm/channels, docs/CHANNELS.md): a webhook POST waits CRM_CHANNEL_TIMEOUT seconds at most.
        # Webhook URLs must be https on the platform's host (qyapi.weixin.qq.com, oapi.dingtalk.com); the hosts listed
        # in CRM_CHANNEL_EXTRA_HOSTS ("relay.intranet,127.0.0.1:8123") are accepted as well, over http too: an intranet
        # relay, or a test server.
        "CRM_CHANNEL_TIMEOUT": _int(environ, "CRM_CHANNEL_TIMEOUT", 10),
        "CRM_CHANNEL_EXTRA_HOSTS": environ.get("CRM_CHANNEL_EXTRA_HOSTS", ""),
        # Behind nginx or another reverse proxy, trust one hop of X-Forwarded-* headers.
        "CRM_PROXY_FIX": _flag(environ, "CRM_PROXY_FIX", False),
        # PostgreSQL stops a statement of a web request after this long (0: never); see crm/db.py.
        "CRM_WEB_STATEMENT_TIMEOUT_MS": _int(environ, "CRM_WEB_STATEMENT_TIMEOUT_MS", 30_000),
        # A web worker stops full garbage collections over what it has loaded after this many requests (0: never;
        # crm/web/gc_freeze.py). Only the web server's app does.
        "CRM_GC_FREEZE_AFTER": _int(environ, "CRM_GC_FREEZE_AFTER", 200),
        # Imports (crm/imports, docs/IMPORT.md): a file above CRM_IMPORT_MAX_BYTES (default 20 MB) or a sheet of
        # more than CRM_IMPORT_MAX_ROWS rows (default 50 000) is refused before anything is read into records.
        "CRM_IMPORT_MAX_BYTES": _int(environ, "CRM_IMPORT_MAX_BYTES", 20 * 1024 * 1024),
        "CRM_IMPORT_MAX_ROWS": _int(environ, "CRM_IMPORT_MAX_ROWS", 50_000),
        # The upload page writes sheets of at most this many rows (a commit runs ~20-50 rows a second: a longer one
        # would outlast the web request); longer ones are previewed and then imported with `crm import`.
        "CRM_IMPORT_WEB_MAX_ROWS": _int(environ, "CRM_IMPORT_WEB_MAX_ROWS", 1000),
        # An uploaded sheet between its steps (mapping, preview, confirm); default <instance>/import-uploads.
        "CRM_IMPORT_UPLOAD_DIR": environ.get("CRM_IMPORT_UPLOAD_DIR") or None,
        # A Server-Timing header on every response: SQL statements, SQL time and request time (crm/web/timing.py).
        "CRM_SERVER_TIMING": _flag(environ, "CRM_SERVER_TIMING", False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": environ.get("CRM_TIMEZONE", "Asia/Shanghai"),
        "BOOTSTRAP_SERVE_LOCAL": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # argon2id cost; tests lower it to keep the suite fast.
        "CRM_ARGON2_TIME_COST": _int(environ, "CRM_ARGON2_TIME_COST", 3),
        "CRM_ARGON2_MEMORY_COST": _int(environ, "CRM_ARGON2_MEMORY_COST", 65536),
    }


def ensure_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Use the configured key; in development keep a generated one in the instance folder.

    Production must be given a key: a generated one would differ between
    workers and log everybody out at every restart.
    """
    if config.get("SECRET_KEY"):
        return
    if config.get("CRM_ENV") == "production":
        raise ConfigurationError("CRM_SECRET_KEY 未设置：生产模式必须提供 CRM_SECRET_KEY (CRM_SECRET_KEY is required in production)")
    key_file = Path(instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting at once must not write two different keys.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    config["SECRET_KEY"] = key_file.read_text().strip()
