"""Shared code of the HTTP benchmarks (``bench/pages.py``, ``bench/concurrency.py``); not a script itself.

- ``Server``: starts gunicorn as production does (``-c DIR/gunicorn.conf.py``, 2 workers) from an app checkout
  (``--app-dir``, default this repository), against a given database, with ``CRM_SERVER_TIMING=1``,
  ``CRM_ENV=production``, a fixed secret key and a temporary instance folder; waits for ``/healthz``; stops it.
  gunicorn loads a small shim module (written into the temporary folder) that imports the checkout's own
  ``wsgi.app``. A checkout older than ``/healthz`` or ``Server-Timing`` gets equivalents from the shim, so a
  before/after pair of runs measures the same things; the run's metadata says whether they came from the app.
- ``Client``: one keep-alive HTTP/1.1 connection on ``http.client`` with a cookie jar: cheap on the CPU (the
  benchmark client shares a 2-core machine with the server) and with no dependency beyond the standard library.
- ``Database``: reads the benchmark database directly with SQLAlchemy Core (reflected tables, no app code and
  no app scoping): each account's role, unit and visible units, and the busiest records an account may see.
- ``/proc`` helpers: worker pids, RSS, CPU time.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "zhaoshang2025"
DEMO_ACCOUNTS = ["admin", "reviewer", "leader", "leader2", "chief1", "staff1", "staff2"]
CITY_ACCOUNTS = ["city_admin", "city_reviewer", "city_leader"]
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"

# --------------------------------------------------------------------------------------------------------------
# numbers


def percentile(values: Iterable[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default); p in 0..100."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Iterable[float]) -> float:
    return percentile(values, 50)


def fmt_ms(value: float | None) -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def fmt_ratio(value: float | None) -> str:
    if value is None or value != value:
        return "–"
    return f"{value:.0f}×" if value >= 100 else f"{value:.1f}×"


_TIMING = re.compile(r'sql;dur=([\d.]+);desc="(\d+) statements?"')
_APP = re.compile(r"app;dur=([\d.]+)")


def parse_server_timing(header: str | None) -> tuple[int | None, float | None, float | None]:
    """``sql;dur=12.3;desc="17 statements", app;dur=45.6`` → (17, 12.3, 45.6); Nones when absent."""
    if not header:
        return None, None, None
    sql = _TIMING.search(header)
    app = _APP.search(header)
    return (
        int(sql.group(2)) if sql else None,
        float(sql.group(1)) if sql else None,
        float(app.group(1)) if app else None,
    )


def safe_url(url: str) -> str:
    """The database URL without its password, for reports."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


# --------------------------------------------------------------------------------------------------------------
# HTTP client


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    nbytes: int
    elapsed: float  # seconds, request sent → body fully read
    ttfb: float  # seconds, request sent → status line, headers and the first body chunk read
    body: bytes = b""
    reconnected: bool = False

    @property
    def timing(self) -> tuple[int | None, float | None, float | None]:
        return parse_server_timing(self.headers.get("server-timing"))


class Client:
    """One keep-alive connection with cookies. Not thread-safe: one per thread."""

    def __init__(self, host: str, port: int, timeout: float = 120.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.connects = 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connect(self) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connects += 1
        return conn

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        keep_body: bool = False,
        on_chunk: Any = None,
    ) -> Response:
        """Send, read the whole body (counting it, keeping it only if asked), update the cookies.

        A keep-alive connection that the server closed while idle is retried once on a new connection (only
        for GET: a POST could have been applied). Timeouts and other connection errors are raised."""
        hdrs = {"Accept-Language": "zh-CN,zh;q=0.9", "User-Agent": "crm-bench"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if headers:
            hdrs.update(headers)
        reconnected = False
        for attempt in (0, 1):
            fresh = self.conn is None
            if fresh:
                self.conn = self._connect()
            conn = self.conn
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=hdrs)
                resp = conn.getresponse()
                chunks: list[bytes] = []
                nbytes = 0
                first = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                ttfb = time.perf_counter() - started
                chunk = first
                while chunk:
                    nbytes += len(chunk)
                    if keep_body:
                        chunks.append(chunk)
                    if on_chunk is not None:
                        on_chunk(nbytes)
                    chunk = resp.read(65536)
                elapsed = time.perf_counter() - started
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.BadStatusLine):
                self.close()
                if attempt == 0 and not fresh and method == "GET":
                    reconnected = True
                    continue
                raise
            except BaseException:
                self.close()
                raise
            break
        header_map: dict[str, str] = {}
        for key, value in resp.getheaders():
            k = key.lower()
            if k == "set-cookie":
                self._remember(value)
            header_map[k] = value if k not in header_map else header_map[k] + ", " + value
        if resp.will_close:
            self.close()
        return Response(resp.status, header_map, nbytes, elapsed, ttfb, b"".join(chunks), reconnected)

    def _remember(self, set_cookie: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(set_cookie)
        except Exception:
            return
        for name, morsel in jar.items():
            expired = morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"])
            if expired or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def post_form(self, path: str, data: dict[str, str]) -> Response:
        return self.request(
            "POST", path, body=urlencode(data).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )


_CSRF_INPUT = re.compile(r"<input[^>]*\bname=\"csrf_token\"[^>]*>", re.DOTALL)
_VALUE = re.compile(r"\bvalue=\"([^\"]+)\"")


def login(client: Client, username: str, password: str = PASSWORD) -> None:
    """GET /login for the CSRF token, POST the form; raises when the app does not sign the account in."""
    page = client.get("/login", keep_body=True)
    if page.status != 200:
        raise RuntimeError(f"GET /login answered {page.status}")
    tag = _CSRF_INPUT.search(page.body.decode("utf-8", "replace"))
    token = _VALUE.search(tag.group(0)).group(1) if tag and _VALUE.search(tag.group(0)) else ""
    resp = client.post_form("/login", {"username": username, "password": password, "csrf_token": token, "next": ""})
    location = resp.headers.get("location", "")
    if resp.status not in (302, 303) or "/login" in location:
        raise RuntimeError(f"login as {username} failed: {resp.status} {location or ''}".strip())


# --------------------------------------------------------------------------------------------------------------
# /proc


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:
        return ""


def children_of(pid: int) -> list[int]:
    text = _read(f"/proc/{pid}/task/{pid}/children")
    if text.strip():
        return [int(p) for p in text.split()]
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _read(f"/proc/{entry}/stat")
            if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB; zeros when the process is gone."""
    rss = hwm = 0
    for line in _read(f"/proc/{pid}/status").splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime + stime of a process (plus its reaped children's with ``children``); 0 when gone."""
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
    total = int(fields[11]) + int(fields[12])
    if children:
        total += int(fields[13]) + int(fields[14])
    return total / _TICK


def postgres_cpu(database_url: str) -> float | None:
    """CPU seconds of the PostgreSQL backends serving this URL's database (their process title names it), or
    None for another database. Backends of the app's connection pools live through a run; other databases'
    backends (other people's work on a shared machine) are not counted."""
    if not database_url.startswith("postgresql"):
        return None
    dbname = database_url.rsplit("/", 1)[-1].split("?")[0]
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _read(f"/proc/{entry}/stat")
            if stat and stat[stat.find("(") + 1 : stat.rfind(")")] == "postgres":
                title = _read(f"/proc/{entry}/cmdline").replace("\0", " ").split()
                if dbname in title:
                    total += cpu_seconds(int(entry))
    return total


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine from /proc/stat."""
    parts = [int(x) for x in _read("/proc/stat").splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    total = sum(parts[:8])
    return total - idle, total


# --------------------------------------------------------------------------------------------------------------
# the server

SHIM = '''
"""Written by bench/httpbench.py: the checkout's own wsgi.app, plus /healthz and Server-Timing if it lacks them."""
import os, sys, time
sys.path.insert(0, os.environ["CRM_BENCH_APP_DIR"])
try:
    from wsgi import app
except ImportError:
    from crm import create_app
    app = create_app()

import crm as _crm
BENCH_INFO = {"crm_package": os.path.dirname(_crm.__file__), "shim_healthz": False, "shim_timing": False}

if not any(rule.rule == "/healthz" for rule in app.url_map.iter_rules()):
    BENCH_INFO["shim_healthz"] = True
    import sqlalchemy as _sa

    def _bench_health():
        from crm.extensions import db
        db.session.execute(_sa.text("SELECT 1"))
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    app.add_url_rule("/healthz", "bench_health", _bench_health)

if not app.config.get("CRM_SERVER_TIMING"):
    BENCH_INFO["shim_timing"] = True
    import sqlalchemy as _sa
    from flask import g, has_request_context

    def _before(conn, cursor, statement, parameters, context, executemany):
        if has_request_context() and "bench_sql_count" in g:
            g.bench_sql_count += 1
            conn.info["bench_sql_started"] = time.perf_counter()

    def _after(conn, cursor, statement, parameters, context, executemany):
        started = conn.info.pop("bench_sql_started", None)
        if started is not None and has_request_context() and "bench_sql_seconds" in g:
            g.bench_sql_seconds += time.perf_counter() - started

    _sa.event.listen(_sa.engine.Engine, "before_cursor_execute", _before)
    _sa.event.listen(_sa.engine.Engine, "after_cursor_execute", _after)

    def _start():
        g.bench_sql_count = 0
        g.bench_sql_seconds = 0.0
        g.bench_started = time.perf_counter()

    def _report(response):
        if "bench_started" in g:
            total = (time.perf_counter() - g.bench_started) * 1000
            response.headers["Server-Timing"] = (
                f'sql;dur={g.bench_sql_seconds * 1000:.1f};desc="{g.bench_sql_count} statements", app;dur={total:.1f}'
            )
        return response

    # First before-request hook and last after-request hook, so that the other hooks' statements count too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _report)

with open(os.path.join(os.environ["CRM_BENCH_TMP"], "shim-%d.json" % os.getpid()), "w") as _f:
    import json as _json
    _json.dump(BENCH_INFO, _f)
'''

ROUTES_SCRIPT = """
import json, os, sys
sys.path.insert(0, os.environ["CRM_BENCH_APP_DIR"])
from crm import create_app
import crm
app = create_app()
rules = [{"endpoint": r.endpoint, "rule": r.rule, "methods": sorted(set(r.methods) - {"HEAD", "OPTIONS"}),
          "arguments": sorted(r.arguments)} for r in app.url_map.iter_rules()]
print("ROUTES-JSON " + json.dumps({"package": os.path.dirname(crm.__file__), "rules": rules}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_python(app_dir: Path) -> str:
    """The checkout's own virtualenv if it has one, else this interpreter."""
    own = app_dir / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def git_describe(app_dir: Path) -> str:
    try:
        rev = subprocess.run(["git", "-C", str(app_dir), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(app_dir), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=10)
        return rev.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if rev.returncode == 0 else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


class Server:
    """gunicorn serving ``app_dir`` against ``database_url``; use as a context manager."""

    def __init__(
        self,
        app_dir: Path,
        database_url: str,
        workers: int = 2,
        env: dict[str, str] | None = None,
        gunicorn_args: list[str] | None = None,
        quiet: bool = False,
    ) -> None:
        self.app_dir = Path(app_dir).resolve()
        self.database_url = database_url
        self.workers = workers
        self.extra_env = env or {}
        self.gunicorn_args = gunicorn_args or []
        self.quiet = quiet
        self.tmp = Path(tempfile.mkdtemp(prefix="crm-bench-"))
        self.port = free_port()
        self.host = "127.0.0.1"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.tmp / "gunicorn.log"
        self.access_log = self.tmp / "access.log"
        self.command: list[str] = []
        self.info: dict[str, Any] = {}

    # the environment both gunicorn and the route listing run with
    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.extra_env)
        env.update(
            {
                "CRM_ENV": "production",
                "CRM_DATABASE_URL": self.database_url,
                "CRM_SECRET_KEY": SECRET_KEY,
                "CRM_INSTANCE_PATH": str(self.tmp / "instance"),
                "CRM_SERVER_TIMING": "1",
                "CRM_WEB_WORKERS": str(self.workers),
                "CRM_BIND": f"{self.host}:{self.port}",
                "CRM_ACCESS_LOG": str(self.access_log),
                "CRM_BENCH_APP_DIR": str(self.app_dir),
                "CRM_BENCH_TMP": str(self.tmp),
                "PYTHONPATH": os.pathsep.join([str(self.tmp), str(self.app_dir)]),
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def routes(self) -> list[dict[str, Any]]:
        """The app's URL map, listed by the checkout itself (in a subprocess, as gunicorn would import it)."""
        out = subprocess.run(
            [app_python(self.app_dir), "-c", ROUTES_SCRIPT], cwd=self.app_dir, env=self.environment(),
            capture_output=True, text=True, timeout=300,
        )
        for line in out.stdout.splitlines():
            if line.startswith("ROUTES-JSON "):
                data = json.loads(line[len("ROUTES-JSON "):])
                self._check_package(data["package"])
                return data["rules"]
        raise RuntimeError(f"could not list the app's routes:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")

    def _check_package(self, package: str) -> None:
        if Path(package).resolve() != (self.app_dir / "crm").resolve():
            raise RuntimeError(f"the crm package was imported from {package}, not from {self.app_dir}/crm")

    def start(self, wait: float = 120.0) -> None:
        (self.tmp / "instance").mkdir(parents=True, exist_ok=True)
        (self.tmp / "crm_bench_wsgi.py").write_text(textwrap.dedent(SHIM))
        conf = self.app_dir / "gunicorn.conf.py"
        cmd = [app_python(self.app_dir), "-m", "gunicorn"]
        if conf.exists():
            cmd += ["-c", str(conf)]
        else:
            cmd += ["-k", "gthread", "--threads", "4"]
        cmd += ["-w", str(self.workers), "-b", f"{self.host}:{self.port}", "--chdir", str(self.app_dir)]
        cmd += self.gunicorn_args + ["crm_bench_wsgi:app"]
        self.command = cmd
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.app_dir, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + wait
        client = Client(self.host, self.port, timeout=10)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail(60)}")
            try:
                if client.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"/healthz did not answer within {wait:.0f} s:\n{self.log_tail(60)}")
            time.sleep(0.2)
        # Both workers import the app after the fork: wait until each one has.
        while len(list(self.tmp.glob("shim-*.json"))) < self.workers and time.monotonic() < deadline:
            time.sleep(0.2)
        client.close()
        infos = [json.loads(p.read_text()) for p in self.tmp.glob("shim-*.json")]
        if infos:
            self.info = infos[0]
            self._check_package(self.info["crm_package"])

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own process group (start_new_session)
                self.proc.wait(timeout=10)
        self.proc = None

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if exc[0] is None:
            self.cleanup()
        else:
            print(f"(server files kept in {self.tmp})", file=sys.stderr)

    @property
    def master_pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def worker_pids(self) -> list[int]:
        return sorted(children_of(self.master_pid))

    def cpu_seconds(self) -> float:
        """CPU time of the live workers plus the master's and its reaped workers' (recycled ones count too)."""
        return cpu_seconds(self.master_pid, children=True) + sum(cpu_seconds(p) for p in self.worker_pids())

    def client(self, timeout: float = 120.0) -> Client:
        return Client(self.host, self.port, timeout=timeout)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset: int, limit: int = 6000) -> str:
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(offset)
                return handle.read()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""

    def metadata(self) -> dict[str, Any]:
        return {
            "app_dir": str(self.app_dir),
            "app_revision": git_describe(self.app_dir),
            "database": safe_url(self.database_url),
            "command": " ".join(self.command),
            "workers": self.workers,
            "threads": os.environ.get("CRM_WEB_THREADS", self.extra_env.get("CRM_WEB_THREADS", "conf default")),
            "healthz_from": "shim" if self.info.get("shim_healthz") else "app",
            "server_timing_from": "shim" if self.info.get("shim_timing") else "app",
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "host_cpus": os.cpu_count(),
        }


# --------------------------------------------------------------------------------------------------------------
# the database, read directly


@dataclass(frozen=True)
class Scope:
    """An account as the access rules see it, rebuilt from the tables (DESIGN §1)."""

    username: str
    user_id: int
    role: str
    unit_id: int
    subtree: frozenset[int]
    units: frozenset[int]  # whose unit records the account reads: own unit (staff, chief) or the subtree
    team_projects: frozenset[int] = field(default_factory=frozenset)

    @property
    def key(self) -> tuple[frozenset[int], frozenset[int]]:
        return self.units, self.team_projects


class Database:
    """SQLAlchemy Core on the benchmark database's reflected tables."""

    TEAM_TABLES = {"issues", "attachments"}  # unit records that a project's 服务专班 also sees

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.sa = sa
        self.engine = sa.create_engine(url)
        self.meta = sa.MetaData()
        self.meta.reflect(self.engine)
        self.t = self.meta.tables
        self._cache: dict[Any, Any] = {}
        self._parents: dict[int, int | None] | None = None

    def close(self) -> None:
        self.engine.dispose()

    def rows(self, stmt: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(stmt))

    def has(self, table: str, *columns: str) -> bool:
        return table in self.t and all(c in self.t[table].c for c in columns)

    # accounts ------------------------------------------------------------------------------------------------
    def usernames(self) -> set[str]:
        users = self.t["users"]
        return {r[0] for r in self.rows(self.sa.select(users.c.username).where(users.c.is_active.is_(True)))}

    def subtree(self, unit_id: int) -> frozenset[int]:
        if self._parents is None:
            units = self.t["units"]
            self._parents = {r[0]: r[1] for r in self.rows(self.sa.select(units.c.id, units.c.parent_id))}
        children: dict[int | None, list[int]] = {}
        for child, parent in self._parents.items():
            children.setdefault(parent, []).append(child)
        seen: set[int] = set()
        stack = [unit_id]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(children.get(current, ()))
        return frozenset(seen)

    def scope(self, username: str) -> Scope:
        sa, users = self.sa, self.t["users"]
        row = self.rows(sa.select(users.c.id, users.c.role, users.c.unit_id).where(users.c.username == username))
        if not row:
            raise KeyError(username)
        uid, role, unit_id = row[0]
        subtree = self.subtree(unit_id)
        units = frozenset({unit_id}) if role in ("staff", "chief") else subtree
        team: frozenset[int] = frozenset()
        if self.has("project_team_members", "user_id", "exited_on"):
            tm = self.t["project_team_members"]
            team = frozenset(r[0] for r in self.rows(sa.select(tm.c.project_id).where(tm.c.user_id == uid, tm.c.exited_on.is_(None))))
        return Scope(username, uid, role, unit_id, subtree, units, team)

    # visibility ----------------------------------------------------------------------------------------------
    def visible(self, scope: Scope, name: str) -> Any:
        """Rows of ``name`` the account may read, approximating the app's scope criteria (the app has the last
        word: a page that still answers 404 is skipped, or the next candidate is tried)."""
        sa, t = self.sa, self.t[name]
        if name == "projects":
            return sa.or_(t.c.unit_id.in_(scope.units), t.c.id.in_(scope.team_projects))
        if name == "units":
            return t.c.id.in_(scope.subtree)
        if name == "users":
            return t.c.unit_id.in_(scope.subtree)
        if name == "notifications":
            return t.c.user_id == scope.user_id
        if "unit_id" in t.c:
            cond = t.c.unit_id.in_(scope.units)
            if name in self.TEAM_TABLES and "project_id" in t.c:
                cond = sa.or_(cond, t.c.project_id.in_(scope.team_projects))
            return cond
        if "project_id" in t.c:
            projects = self.t["projects"]
            return t.c.project_id.in_(sa.select(projects.c.id).where(self.visible(scope, "projects")))
        if "issue_id" in t.c and "issues" in self.t:
            issues = self.t["issues"]
            return t.c.issue_id.in_(sa.select(issues.c.id).where(self.visible(scope, "issues")))
        return sa.true()  # shared master data

    # busy records --------------------------------------------------------------------------------------------
    CHILD_KEY = {
        "projects": "project_id", "companies": "company_id", "leads": "lead_id", "visits": "visit_id",
        "agreements": "agreement_id", "issues": "issue_id", "duplicate_groups": "group_id", "industry_chains": "chain_id",
        "users": "owner_id", "units": "unit_id",
    }
    NOT_CHILDREN = {"company_name_keys", "audit_log", "attachments"}
    EXTRA_FILTER = {
        "companies": lambda t, sa: t.c.merged_into_id.is_(None) if "merged_into_id" in t.c else sa.true(),
        "duplicate_groups": lambda t, sa: t.c.status == "open" if "status" in t.c else sa.true(),
        "users": lambda t, sa: t.c.is_active.is_(True) if "is_active" in t.c else sa.true(),
        "contacts": lambda t, sa: t.c.is_active.is_(True) if "is_active" in t.c else sa.true(),
    }

    def busiest(self, scope: Scope | None, name: str, n: int = 3, where: Any = None, where_key: str = "") -> list[int]:
        """Ids of the ``n`` visible rows of ``name`` with the most rows behind them: rows of other tables that
        point at them, their attachments and their audit rows. ``where`` narrows the rows further; give it a
        ``where_key`` naming it for the cache."""
        if name not in self.t:
            return []
        assert where is None or where_key, "a where clause needs a where_key"
        cache_key = (name, self._scope_key(scope, name), n, where_key)
        if cache_key in self._cache:
            return self._cache[cache_key]
        sa, t = self.sa, self.t[name]
        parts = []
        fk = self.CHILD_KEY.get(name)
        if fk:
            for child in self.t.values():
                if child is not t and fk in child.c and child.name not in self.NOT_CHILDREN:
                    parts.append(sa.select(child.c[fk].label("rid")))
        for side in ("attachments", "audit_log"):
            if self.has(side, "record_type", "record_id"):
                s = self.t[side]
                parts.append(sa.select(s.c.record_id.label("rid")).where(s.c.record_type == name))
        conds = [self.visible(scope, name)] if scope is not None else []
        if name in self.EXTRA_FILTER:
            conds.append(self.EXTRA_FILTER[name](t, sa))
        if where is not None:
            conds.append(where)
        if parts:
            u = sa.union_all(*parts).subquery()
            score = sa.select(u.c.rid, sa.func.count().label("n")).group_by(u.c.rid).subquery()
            stmt = (
                sa.select(t.c.id).select_from(t.outerjoin(score, score.c.rid == t.c.id)).where(*conds)
                .order_by(sa.func.coalesce(score.c.n, 0).desc(), t.c.id.desc()).limit(n)
            )
        else:
            stmt = sa.select(t.c.id).where(*conds).order_by(t.c.id.desc()).limit(n)
        ids = [r[0] for r in self.rows(stmt)]
        self._cache[cache_key] = ids
        return ids

    @staticmethod
    def _scope_key(scope: Scope | None, name: str) -> Any:
        """Accounts that see the same rows of ``name`` share one query."""
        if scope is None:
            return None
        if name in ("users", "units"):
            return scope.subtree
        if name == "notifications":
            return scope.user_id
        return scope.key

    def busiest_history(self, scope: Scope, record_type: str, n: int = 3) -> list[int]:
        """Records of ``record_type`` with the most audit rows among those of the account's units (or of no
        unit: shared master data)."""
        sa, a = self.sa, self.t["audit_log"]
        units = scope.subtree if record_type in ("users", "units") else scope.units
        stmt = (
            sa.select(a.c.record_id, sa.func.count().label("n"))
            .where(a.c.record_type == record_type, sa.or_(a.c.unit_id.in_(units), a.c.unit_id.is_(None)))
            .group_by(a.c.record_id).order_by(sa.text("n DESC"), a.c.record_id.desc()).limit(n)
        )
        return [r[0] for r in self.rows(stmt)]

    def history_types(self) -> list[str]:
        if not self.has("audit_log", "record_type"):
            return []
        a = self.t["audit_log"]
        return sorted(r[0] for r in self.rows(self.sa.select(a.c.record_type).distinct()))

    def active_rows(self, name: str, project_id: int) -> list[int]:
        """Active 分包领导 / 服务专班 rows of a project."""
        if not self.has(name, "project_id"):
            return []
        sa, t = self.sa, self.t[name]
        conds = [t.c.project_id == project_id]
        if "exited_on" in t.c:
            conds.append(t.c.exited_on.is_(None))
        return [r[0] for r in self.rows(sa.select(t.c.id).where(*conds).order_by(t.c.id))]

    def column(self, name: str, column: str, id_: int) -> Any:
        t = self.t[name]
        rows = self.rows(self.sa.select(t.c[column]).where(t.c.id == id_))
        return rows[0][0] if rows else None

    def search_terms(self) -> dict[str, str]:
        """Search words that find many companies: Chinese text, its pinyin and initials, a full name.

        The demo's 海威 (README) when it is there; otherwise the commonest two-character start of a company
        name."""
        sa, c = self.sa, self.t["companies"]
        live = c.c.merged_into_id.is_(None) if "merged_into_id" in c.c else sa.true()
        chosen = self.rows(sa.select(c.c.name).where(live, c.c.name.like("海威%")).order_by(c.c.id).limit(1))
        if chosen:
            cn = "海威"
        else:
            prefix = sa.func.substr(c.c.name, 1, 2)
            top = self.rows(sa.select(prefix, sa.func.count()).where(live).group_by(prefix).order_by(sa.func.count().desc()).limit(1))
            if not top:
                return {}
            cn = top[0][0]
            chosen = self.rows(sa.select(c.c.name).where(live, c.c.name.like(cn + "%")).order_by(c.c.id).limit(1))
        full = chosen[0][0]
        terms = {"cn": cn, "name": full}
        try:
            from pypinyin import Style, lazy_pinyin

            terms["pinyin"] = "".join(lazy_pinyin(cn))
            core = re.sub(r"(有限责任公司|股份有限公司|有限公司|集团)$", "", full)[:4]
            terms["initials"] = "".join(p[0] for p in lazy_pinyin(core, style=Style.FIRST_LETTER) if p)
        except ImportError:
            pass
        return terms


def schema_warning(db: Database, app_dir: Path) -> str:
    """A sentence when the database is not at the checkout's migration head (pages then fail for that reason
    alone), else ''."""
    revisions: dict[str, Any] = {}
    for script in (Path(app_dir) / "migrations" / "versions").glob("*.py"):
        text = script.read_text(errors="replace")
        rev = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
        down = re.search(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", text, re.MULTILINE)
        if rev:
            revisions[rev.group(1)] = re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)) if down else []
    if not revisions or "alembic_version" not in db.t:
        return ""
    heads = set(revisions) - {d for downs in revisions.values() for d in downs}
    current = {r[0] for r in db.rows(db.sa.select(db.t["alembic_version"].c.version_num))}
    if current == heads:
        return ""
    return (f"the database is at migration {', '.join(sorted(current)) or 'none'} but {app_dir} is at "
            f"{', '.join(sorted(heads))}: run `crm db upgrade` on it first, or expect errors that are only that")


def default_roles(db: Database) -> list[str]:
    present = db.usernames()
    return [u for u in DEMO_ACCOUNTS + CITY_ACCOUNTS if u in present]


def current_periods(today: date | None = None) -> dict[str, str]:
    """The month and half-month (半月报) periods around today, in the app's URL formats."""
    today = today or date.today()
    prev_month = date(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1, 1)
    half = 1 if today.day <= 15 else 2
    prev_half = f"{today:%Y-%m}-1" if half == 2 else f"{prev_month:%Y-%m}-2"
    return {
        "month": f"{today:%Y-%m}",
        "prev_month": f"{prev_month:%Y-%m}",
        "half": f"{today:%Y-%m}-{half}",
        "prev_half": prev_half,
        "year": str(today.year),
    }
