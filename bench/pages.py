"""Every page for every role, over HTTP against gunicorn, each timed against /healthz in the same run.

    .venv/bin/python bench/pages.py --database-url URL [--app-dir DIR] [--roles staff1,chief1,...]
                                    [--requests 10] [--json out.json] [--only REGEX] [--no-exports]
                                    [--export-role USER] [--export-requests 3]
    .venv/bin/python bench/pages.py --compare before.json after.json
    .venv/bin/python bench/pages.py --report run.json        (the report of an earlier run, again)

What it does:

1. Starts gunicorn as production does (``-c DIR/gunicorn.conf.py``, 2 workers; ``-k gthread --threads 4`` when the
   checkout has no such file) from ``--app-dir`` (default this repository; a ``git worktree`` of an older
   revision works too) against ``--database-url``, with ``CRM_SERVER_TIMING=1``, ``CRM_ENV=production``, a fixed
   secret key and a temporary instance folder (see ``bench/httpbench.py``). Worker recycling (``max_requests``)
   is switched off for this benchmark (``--max-requests 0``; pass ``--max-requests N`` to keep it), so that no
   page pays for a freshly forked worker by chance.
2. Logs in once per role (default: every demo account, plus city_admin, city_reviewer and city_leader when the
   database has them), one keep-alive connection each.
3. Builds each role's pages: every GET route of the app (read from the checkout's URL map), except static files,
   file downloads (attachments, photos, evidence), /login and /healthz. Path parameters are filled from the
   database directly (SQLAlchemy Core, no app scoping), with the busiest records inside the role's scope: the
   project, company, lead … with the most rows pointing at it (child rows, attachments, audit rows), and for
   ``/history/<table>/<id>`` one page per audited table, the record with the most audit rows. Search variants:
   the company list and the global search by Chinese text, pinyin and initials (海威 / haiwei / hwfz on the
   demo; on other data the commonest two-character start of a company name), the type-ahead, the duplicate
   check, the visit hint, and a few filtered lists. Up to three candidate records are tried per page; a page
   answering 403 or 404 (or redirecting) for every candidate is *skipped* and listed, not timed. A 5xx is an
   *error*: listed first, with the server's log.
4. Per (page, role): the first successful request is the warm-up; then ``--requests`` requests, each followed by
   one ``/healthz`` on the same connection (so on the same worker), sequentially. Reported: median and p95 (ms,
   client side, whole body read), the ratio of the page's median to the /healthz median of the same run (the
   machine is shared and noisy: compare ratios across runs, not milliseconds), response size, and SQL statements
   per request from the ``Server-Timing`` header (median; SQL ms and the app's own ms beside it).
5. Summary: how many (page, role) pairs meet median ≤ 100 ms and p95 ≤ 150 ms; the worst 15 by p95; the 10
   with the most SQL statements.
6. Exports (every ``*.xlsx`` route), as one role with a large scope (``--export-role``; default the account that
   sees the most units, city_admin or admin): time to first byte, total time, size, and the serving worker's
   memory: RSS before, the peak RSS sampled every 5 ms from /proc/PID/status while downloading, the growth, the
   RSS left afterwards, and VmHWM. The first download of each export is its cold run; then
   ``--export-requests`` more, each followed by /healthz.

``--json`` writes every raw number (samples, sizes, statements, skipped pages, errors, exports, run metadata).
``--compare before.json after.json`` prints a before/after table from two such files (no server is started);
compare the ratios, which travel better between runs than milliseconds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import (
    REPO,
    Client,
    Database,
    Scope,
    Server,
    cpu_seconds,
    current_periods,
    default_roles,
    fmt_ms,
    fmt_ratio,
    login,
    median,
    memory_kb,
    percentile,
    schema_warning,
)

TARGET_MEDIAN_MS = 100
TARGET_P95_MS = 150

SKIP_ENDPOINTS = {"static", "bootstrap.static", "auth.login", "web.health"}
DOWNLOAD = re.compile(r"/(attachments|evidence|photos|files)/<")

# Which table a path parameter names.
TABLE_OF_ARG = {
    "project_id": "projects", "company_id": "companies", "lead_id": "leads", "visit_id": "visits",
    "agreement_id": "agreements", "issue_id": "issues", "fund_id": "fund_arrivals", "report_id": "project_progress",
    "milestone_id": "project_milestones", "submission_id": "submissions", "user_id": "users", "unit_id": "units",
    "chain_id": "industry_chains", "group_id": "duplicate_groups", "contact_id": "contacts",
    "notification_id": "notifications", "merge_id": "company_merges", "message_id": "outbox",
    "event_id": "project_stage_events",
}
ROW_TABLE = {"leaders": "project_leaders", "team": "project_team_members"}
STAGE_ORDER = ["lead", "talks", "signed", "registered", "started", "producing", "full_capacity"]


@dataclass
class Page:
    name: str  # stable across runs: the endpoint, plus the variant
    endpoint: str
    candidates: list[str]
    export: bool = False
    reason: str = ""  # why there are no candidates


@dataclass
class Result:
    page: str
    role: str
    endpoint: str
    path: str
    samples_ms: list[float] = field(default_factory=list)
    healthz_ms: list[float] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    app_ms: list[float] = field(default_factory=list)
    healthz_statements: list[int] = field(default_factory=list)
    bad_statuses: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        med, hz = median(self.samples_ms), median(self.healthz_ms)
        return {
            "median": med, "p95": percentile(self.samples_ms, 95), "healthz": hz, "ratio": med / hz if hz else None,
            "bytes": int(median(self.bytes)) if self.bytes else 0,
            "statements": int(median(self.statements)) if self.statements else None,
            "statements_max": max(self.statements) if self.statements else None,
            "sql_ms": median(self.sql_ms) if self.sql_ms else None, "app_ms": median(self.app_ms) if self.app_ms else None,
        }


# --------------------------------------------------------------------------------------------------------------
# which pages


def fill(rule: str, **values: Any) -> str:
    path = rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + re.escape(name) + r">", str(value), path)
    return path


def with_query(path: str, params: dict[str, str]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def variants(endpoint: str, scope: Scope, terms: dict[str, str], periods: dict[str, str], target_unit: int) -> tuple[list[tuple[str, dict[str, str]]], bool]:
    """Query-string variants of a route: (label, params) pairs, and whether they replace the bare route."""
    cn, py, ini, full = terms.get("cn"), terms.get("pinyin"), terms.get("initials"), terms.get("name")
    search = [(f"q={label}", {"q": value}) for label, value in (("cn", cn), ("pinyin", py), ("initials", ini)) if value]
    table: dict[str, tuple[list[tuple[str, dict[str, str]]], bool]] = {
        "companies.index": (search, False),
        "search.search": (search, True),
        "companies.suggest": ([("q=pinyin", {"q": py or cn or ""})], True),
        "companies.check": ([("name", {"name": full or ""})], True),
        "visits.hints": ([("company", {"company": full or ""})], True),
        "projects.index": ([("key=1", {"key": "1"})], False),
        "leads.index": ([("stale_days=30", {"stale_days": "30"})], False),
        "issues.index": ([("open+overdue", {"status": "open", "overdue": "1"})], False),
        "reports.monthly": ([("prev_month", {"period": periods["prev_month"]})], False),
        "reports.funds": ([("year", {"start": periods["year"] + "-01", "end": periods["year"] + "-12"})], False),
        "targets.edit": (
            [("owner=county", {"year": periods["year"], "owner": "county"}),
             ("owner=unit", {"year": periods["year"], "owner": f"unit:{target_unit}"})], True),
        "targets.zone_edit": ([("period", {"period": periods["month"]})], True),
    }
    found = table.get(endpoint, ([], False))
    return [(label, params) for label, params in found[0] if all(params.values())], found[1]


def candidates_for(rule: dict[str, Any], db: Database, scope: Scope, periods: dict[str, str]) -> tuple[list[str], str]:
    """Paths to try for a route with path parameters, busiest first; or no paths and the reason."""
    args = set(rule["arguments"])
    path = rule["rule"]
    if not args:
        return [path], ""
    if "row_id" in args and "project_id" in args:
        segment = next((s for s in ROW_TABLE if f"/{s}/" in path), None)
        if segment is None or ROW_TABLE[segment] not in db.t:
            return [], "no table for <row_id>"
        rows_table = db.t[ROW_TABLE[segment]]
        sa = db.sa
        active = sa.select(rows_table.c.project_id)
        if "exited_on" in rows_table.c:
            active = active.where(rows_table.c.exited_on.is_(None))
        projects = db.busiest(scope, "projects", n=3, where=db.t["projects"].c.id.in_(active), where_key=f"has active {segment}")
        out = []
        for pid in projects:
            rows = db.active_rows(ROW_TABLE[segment], pid)
            if rows:
                out.append(fill(path, project_id=pid, row_id=rows[0]))
        return out, "" if out else f"no visible project with active {segment} rows"
    if "stage" in args and "project_id" in args:
        out = []
        for pid in db.busiest(scope, "projects", n=3):
            current = db.column("projects", "stage", pid)
            nxt = STAGE_ORDER[STAGE_ORDER.index(current) + 1] if current in STAGE_ORDER[:-2] else None
            for stage in [s for s in (nxt, "paused", "terminated") if s]:
                out.append(fill(path, project_id=pid, stage=stage))
        return out[:6], "" if out else "no visible project"
    if args == {"period"}:
        return [fill(path, period=periods["half"]), fill(path, period=periods["prev_half"])], ""
    if len(args) == 1:
        (arg,) = args
        table = TABLE_OF_ARG.get(arg)
        if table is None or table not in db.t:
            return [], f"no value for <{arg}>"
        ids = db.busiest(scope, table, n=3)
        return [fill(path, **{arg: i}) for i in ids], "" if ids else f"no {table} row in scope"
    return [], "no value for <" + ", ".join(sorted(args)) + ">"


def target_owner_unit(db: Database, scope: Scope) -> int:
    """The unit whose 年度目标 to edit: the visible unit (other than a county-level one) with the most targets."""
    if not db.has("targets", "unit_id"):
        return scope.unit_id
    sa, t = db.sa, db.t["targets"]
    stmt = (sa.select(t.c.unit_id).where(t.c.unit_id.in_(scope.units), t.c.unit_id != scope.unit_id if len(scope.units) > 1 else sa.true())
            .group_by(t.c.unit_id).order_by(sa.func.count().desc(), t.c.unit_id).limit(1))
    rows = db.rows(stmt)
    return rows[0][0] if rows else scope.unit_id


def build_pages(rules: list[dict[str, Any]], db: Database, scope: Scope, terms: dict[str, str], periods: dict[str, str]) -> list[Page]:
    pages: list[Page] = []
    target_unit = target_owner_unit(db, scope)
    for rule in rules:
        endpoint, path = rule["endpoint"], rule["rule"]
        if "GET" not in rule["methods"] or endpoint in SKIP_ENDPOINTS:
            continue
        export = path.endswith(".xlsx")
        if DOWNLOAD.search(path):
            continue  # attachments, photos, evidence: files, not pages (listed once in the report)
        if set(rule["arguments"]) == {"record_type", "record_id"}:
            for record_type in db.history_types():
                ids = db.busiest_history(scope, record_type)
                pages.append(Page(f"{endpoint}:{record_type}", endpoint, [fill(path, record_type=record_type, record_id=i) for i in ids],
                                  reason="" if ids else "no audit rows in scope"))
            continue
        paths, reason = candidates_for(rule, db, scope, periods)
        extra, replace = variants(endpoint, scope, terms, periods, target_unit)
        if not replace:
            pages.append(Page(endpoint, endpoint, paths, export, reason))
        for label, params in extra:
            pages.append(Page(f"{endpoint}?{label}", endpoint, [with_query(p, params) for p in paths], export, reason))
    return pages


# --------------------------------------------------------------------------------------------------------------
# measuring


def discover(client: Client, page: Page, role: str, server: Server, errors: list[dict[str, Any]]) -> tuple[str | None, str]:
    """The first candidate that answers 200 (that request is the warm-up), or None and why not."""
    if not page.candidates:
        return None, page.reason or "no candidate"
    seen = []
    for path in page.candidates:
        offset = server.log_size()
        resp = client.get(path)
        if resp.status == 200:
            return path, ""
        if resp.status >= 500:
            time.sleep(0.2)  # let the worker write its traceback
            errors.append({"page": page.name, "role": role, "path": path, "status": resp.status, "log": server.log_since(offset)})
            return None, f"ERROR {resp.status}"
        where = resp.headers.get("location", "")
        seen.append(f"{resp.status}" + (f"→{where.split('?')[0]}" if where and resp.status in (301, 302, 303) else ""))
    return None, ", ".join(dict.fromkeys(seen))


def measure(client: Client, page: Page, path: str, role: str, n: int) -> Result:
    result = Result(page.name, role, page.endpoint, path)
    for _ in range(n):
        resp = client.get(path)
        if resp.status != 200:
            result.bad_statuses.append(resp.status)
        result.samples_ms.append(resp.elapsed * 1000)
        result.bytes.append(resp.nbytes)
        statements, sql_ms, app_ms = resp.timing
        if statements is not None:
            result.statements.append(statements)
            result.sql_ms.append(sql_ms or 0.0)
        if app_ms is not None:
            result.app_ms.append(app_ms)
        hz = client.get("/healthz")
        result.healthz_ms.append(hz.elapsed * 1000)
        if hz.timing[0] is not None:
            result.healthz_statements.append(hz.timing[0])
    return result


class RssSampler(threading.Thread):
    """Samples VmRSS of the given pids every ``interval`` seconds until stopped; keeps each pid's peak."""

    def __init__(self, pids: list[int], interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.peak = {pid: memory_kb(pid)[0] for pid in pids}
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            for pid in self.pids:
                rss = memory_kb(pid)[0]
                self.peak[pid] = max(self.peak[pid], rss)
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def download(client: Client, server: Server, path: str) -> dict[str, Any]:
    pids = server.worker_pids()
    before = {pid: memory_kb(pid) for pid in pids}
    cpu_before = {pid: cpu_seconds(pid) for pid in pids}
    sampler = RssSampler(pids)
    sampler.start()
    try:
        resp = client.get(path)
    finally:
        sampler.stop()
    after = {pid: memory_kb(pid) for pid in pids}
    # The worker that served the download is the one that burnt the CPU.
    served = max(pids, key=lambda pid: cpu_seconds(pid) - cpu_before[pid]) if pids else 0
    peak = max(sampler.peak.get(served, 0), after.get(served, (0, 0))[0])
    rss0, hwm0 = before.get(served, (0, 0))
    rss1, hwm1 = after.get(served, (0, 0))
    return {
        "status": resp.status, "ttfb_ms": resp.ttfb * 1000, "total_ms": resp.elapsed * 1000, "bytes": resp.nbytes,
        "content_type": resp.headers.get("content-type", ""), "statements": resp.timing[0],
        "worker": served, "rss_before_mb": rss0 / 1024, "rss_peak_mb": peak / 1024, "rss_growth_mb": (peak - rss0) / 1024,
        "rss_after_mb": rss1 / 1024, "hwm_before_mb": hwm0 / 1024, "hwm_after_mb": hwm1 / 1024, "rss_samples": sampler.samples,
    }


def measure_exports(server: Server, client: Client, pages: list[Page], role: str, n: int, errors: list[dict[str, Any]],
                    skipped: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    # The company and lead exports first: the lists every user downloads.
    order = {"companies.export": 0, "leads.export": 1, "projects.export": 2}
    for page in sorted(pages, key=lambda p: (order.get(p.name, 9), p.name)):
        chosen, runs = None, []
        for path in page.candidates:
            offset = server.log_size()
            cold = download(client, server, path)
            if cold["status"] == 200:
                chosen = path
                break
            if cold["status"] >= 500:
                time.sleep(0.2)
                errors.append({"page": page.name, "role": role, "path": path, "status": cold["status"], "log": server.log_since(offset)})
                break
        if chosen is None and not (errors and errors[-1]["page"] == page.name and errors[-1]["role"] == role):
            skipped.append({"page": page.name, "role": role, "why": page.reason if not page.candidates else f"{cold['status']}", "export": True})
        if chosen is None:
            continue
        healthz = []
        for _ in range(n):
            runs.append(download(client, server, chosen))
            healthz.append(client.get("/healthz").elapsed * 1000)
        entry = {"page": page.name, "role": role, "path": chosen, "cold": cold, "runs": runs, "healthz_ms": healthz}
        out.append(entry)
        print(f"  export {page.name}: {cold['bytes'] / 1024:.0f} KB, cold {cold['total_ms']:.0f} ms, "
              f"+{cold['rss_growth_mb']:.1f} MB RSS", file=sys.stderr)
    return out


def export_summary(entry: dict[str, Any]) -> dict[str, Any]:
    runs = entry["runs"] or [entry["cold"]]
    hz = median(entry["healthz_ms"]) if entry["healthz_ms"] else None
    total = median(r["total_ms"] for r in runs)
    return {
        "ttfb": median(r["ttfb_ms"] for r in runs), "total": total, "cold_total": entry["cold"]["total_ms"],
        "healthz": hz, "ratio": total / hz if hz else None, "bytes": entry["cold"]["bytes"],
        "statements": entry["cold"]["statements"],
        "rss_before": entry["cold"]["rss_before_mb"], "cold_growth": entry["cold"]["rss_growth_mb"],
        "max_growth": max(r["rss_growth_mb"] for r in [entry["cold"], *entry["runs"]]),
        "peak": max(r["rss_peak_mb"] for r in [entry["cold"], *entry["runs"]]),
        "after": (entry["runs"] or [entry["cold"]])[-1]["rss_after_mb"],
    }


# --------------------------------------------------------------------------------------------------------------
# reporting


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def kb(n: float) -> str:
    return f"{n / 1024:.1f}" if n < 100 * 1024 else f"{n / 1024:.0f}"


def report(data: dict[str, Any]) -> str:
    out: list[str] = []
    meta = data["meta"]
    out.append(f"# Pages over HTTP — {meta['app_revision']} on {meta['database']}")
    out.append("")
    out.append(f"{meta['started_at']}; {meta['command']}; {meta['requests']} requests per (page, role), each followed by "
               f"/healthz (from the {meta['healthz_from']}, Server-Timing from the {meta['server_timing_from']}); "
               f"search terms {meta.get('search_terms')}.")
    out.append("")
    if meta.get("schema_warning"):
        out.append(f"**WARNING: {meta['schema_warning']}.**")
        out.append("")
    if data["errors"]:
        out.append(f"## ERRORS: {len(data['errors'])} (page, role) pairs answered 5xx")
        out.append("")
        grouped: dict[tuple[int, str], dict[str, list[str]]] = {}
        for e in data["errors"]:
            grouped.setdefault((e["status"], exception_line(e.get("log", ""))), {}).setdefault(e["page"], []).append(e["role"])
        for (status, exc), pages in grouped.items():
            out.append(f"- **{status}** `{exc or 'no traceback in the log'}`")
            out.append("  - " + "; ".join(f"{page} ({', '.join(roles)})" for page, roles in sorted(pages.items())))
        example = {exception_line(e.get("log", "")): e["path"] for e in data["errors"]}
        out.append("")
        out.append("One path per error: " + ", ".join(f"`{path}`" for path in example.values()) + " (full logs in the --json file).")
        out.append("")
    rows = []
    roles = meta["roles"]
    results = sorted(data["pages"], key=lambda r: (r["page"], roles.index(r["role"]) if r["role"] in roles else 99))
    for r in results:
        s = r["summary"]
        bad = f" ({len(r['bad_statuses'])}× {sorted(set(r['bad_statuses']))})" if r["bad_statuses"] else ""
        rows.append([r["page"], r["role"], fmt_ms(s["median"]), fmt_ms(s["p95"]), fmt_ms(s["healthz"]), fmt_ratio(s["ratio"]),
                     kb(s["bytes"]), "–" if s["statements"] is None else str(s["statements"]) + ("+" if s["statements_max"] != s["statements"] else ""),
                     fmt_ms(s["sql_ms"]), fmt_ms(s["app_ms"]), f"`{r['path']}`{bad}"])
    out.append(f"## Pages ({len(results)} (page, role) pairs)")
    out.append("")
    out.append(md_table(["page", "role", "median ms", "p95 ms", "/healthz ms", "ratio", "KB", "SQL", "SQL ms", "app ms", "path"], rows))
    out.append("")
    ok = [r for r in results if r["summary"]["median"] <= TARGET_MEDIAN_MS and r["summary"]["p95"] <= TARGET_P95_MS]
    out.append("## Summary")
    out.append("")
    out.append(f"- **{len(ok)} of {len(results)}** (page, role) pairs meet median ≤ {TARGET_MEDIAN_MS} ms and p95 ≤ {TARGET_P95_MS} ms.")
    hz_all = [x for r in results for x in r["healthz_ms"]]
    if hz_all:
        hz_sql = [x for r in results for x in r.get("healthz_statements", [])]
        out.append(f"- /healthz over the whole run: median {fmt_ms(median(hz_all))} ms, p95 {fmt_ms(percentile(hz_all, 95))} ms"
                   + (f", {int(median(hz_sql))} SQL statements when signed in." if hz_sql else "."))
    out.append(f"- Skipped (403/404/redirect for every candidate, or nothing to fill in): {len(data['skipped'])} (page, role) pairs; "
               f"errors (5xx): {len(data['errors'])}.")
    out.append("")
    worst = sorted(results, key=lambda r: -r["summary"]["p95"])[:15]
    out.append("Worst 15 by p95:")
    out.append("")
    out.append(md_table(["page", "role", "median ms", "p95 ms", "ratio", "SQL", "KB"],
                        [[r["page"], r["role"], fmt_ms(r["summary"]["median"]), fmt_ms(r["summary"]["p95"]), fmt_ratio(r["summary"]["ratio"]),
                          str(r["summary"]["statements"]), kb(r["summary"]["bytes"])] for r in worst]))
    out.append("")
    most = sorted((r for r in results if r["summary"]["statements"] is not None), key=lambda r: -r["summary"]["statements"])[:10]
    if most:
        out.append("Most SQL statements per request:")
        out.append("")
        out.append(md_table(["page", "role", "SQL", "SQL ms", "median ms"],
                            [[r["page"], r["role"], str(r["summary"]["statements"]), fmt_ms(r["summary"]["sql_ms"]), fmt_ms(r["summary"]["median"])] for r in most]))
        out.append("")
    if data["skipped"]:
        by_page: dict[str, dict[str, list[str]]] = {}
        for s in data["skipped"]:
            by_page.setdefault(s["page"], {}).setdefault(s["why"], []).append(s["role"])
        out.append("Skipped, not timed (the answer for every candidate record, or why there was none):")
        out.append("")
        for page in sorted(by_page):
            out.append(f"- {page}: " + "; ".join(f"{why}: {', '.join(roles)}" for why, roles in by_page[page].items()))
        out.append("")
    if data.get("not_pages"):
        out.append("File downloads, not measured: " + ", ".join(data["not_pages"]) + ".")
        out.append("")
    if data.get("exports"):
        role = data["exports"][0]["role"]
        out.append(f"## Exports as {role} (cold run, then {meta.get('export_requests')} timed runs each followed by /healthz)")
        out.append("")
        rows = []
        for e in data["exports"]:
            s = export_summary(e)
            rows.append([e["page"], fmt_ms(s["ttfb"]), fmt_ms(s["total"]), fmt_ms(s["cold_total"]), fmt_ratio(s["ratio"]),
                         kb(s["bytes"]), str(s["statements"]), f"{s['rss_before']:.0f}", f"{s['peak']:.0f}",
                         f"+{s['cold_growth']:.1f}", f"+{s['max_growth']:.1f}", f"{s['after']:.0f}", f"`{e['path']}`"])
        out.append(md_table(["export", "TTFB ms", "total ms", "cold ms", "ratio", "KB", "SQL", "RSS before MB", "peak MB",
                             "growth cold MB", "growth max MB", "RSS after MB", "path"], rows))
        out.append("")
    return "\n".join(out)


def exception_line(log: str) -> str:
    """The exception of the last traceback in a piece of the server log."""
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    found = next((ln for ln in reversed(lines) if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt)\b", ln)), "")
    return found[:300]


def healthz_line(data: dict[str, Any]) -> str:
    hz = [x for r in data["pages"] for x in r["healthz_ms"]]
    sql = [x for r in data["pages"] for x in r.get("healthz_statements", [])]
    return (f"median {fmt_ms(median(hz))} ms" if hz else "not measured") + (f", {int(median(sql))} SQL statements" if sql else "") + \
        f" (from the {data['meta'].get('healthz_from', '?')})"


def compare(before_path: str, after_path: str) -> str:
    before, after = json.loads(Path(before_path).read_text()), json.loads(Path(after_path).read_text())
    index_b = {(r["page"], r["role"]): r for r in before["pages"]}
    index_a = {(r["page"], r["role"]): r for r in after["pages"]}
    roles = after["meta"]["roles"] + [r for r in before["meta"]["roles"] if r not in after["meta"]["roles"]]
    keys = sorted(set(index_b) | set(index_a), key=lambda k: (k[0], roles.index(k[1]) if k[1] in roles else 99))
    out = [f"# Before/after: {before['meta']['app_revision']} → {after['meta']['app_revision']}", "",
           f"before: {before['meta']['started_at']} on {before['meta']['database']}; after: {after['meta']['started_at']} on {after['meta']['database']}.",
           "Ratios are the page's median over the /healthz median of the same run; compare them rather than milliseconds.",
           f"/healthz: before {healthz_line(before)}; after {healthz_line(after)} (a change here moves every ratio).", ""]
    rows = []
    for key in keys:
        b, a = index_b.get(key), index_a.get(key)
        sb, sa = (b or {}).get("summary", {}), (a or {}).get("summary", {})
        change = ""
        if sb.get("ratio") and sa.get("ratio"):
            change = f"{(sa['ratio'] / sb['ratio'] - 1) * 100:+.0f}%"
        rows.append([key[0], key[1], fmt_ms(sb.get("median")), fmt_ms(sa.get("median")), fmt_ms(sb.get("p95")), fmt_ms(sa.get("p95")),
                     fmt_ratio(sb.get("ratio")), fmt_ratio(sa.get("ratio")), change,
                     f"{sb.get('statements', '–')} → {sa.get('statements', '–')}" if (b and a) else ("gone" if b else "new")])
    out.append(md_table(["page", "role", "median before", "median after", "p95 before", "p95 after", "ratio before", "ratio after",
                         "ratio change", "SQL before → after"], rows))
    out.append("")

    def meets(data: dict[str, Any]) -> str:
        ok = [r for r in data["pages"] if r["summary"]["median"] <= TARGET_MEDIAN_MS and r["summary"]["p95"] <= TARGET_P95_MS]
        return f"{len(ok)} of {len(data['pages'])}"

    out.append(f"Pairs meeting median ≤ {TARGET_MEDIAN_MS} ms and p95 ≤ {TARGET_P95_MS} ms: before {meets(before)}, after {meets(after)}. "
               f"Errors (5xx): before {len(before['errors'])}, after {len(after['errors'])}.")
    out.append("")
    eb = {e["page"]: export_summary(e) for e in before.get("exports", [])}
    ea = {e["page"]: export_summary(e) for e in after.get("exports", [])}
    if eb or ea:
        rows = []
        for page in sorted(set(eb) | set(ea)):
            b, a = eb.get(page, {}), ea.get(page, {})
            rows.append([page, fmt_ms(b.get("total")), fmt_ms(a.get("total")), fmt_ratio(b.get("ratio")), fmt_ratio(a.get("ratio")),
                         f"{b['cold_growth']:+.1f}" if b else "–", f"{a['cold_growth']:+.1f}" if a else "–",
                         kb(b["bytes"]) if b else "–", kb(a["bytes"]) if a else "–"])
        out.append(md_table(["export", "total before ms", "total after ms", "ratio before", "ratio after", "RSS growth before MB",
                             "RSS growth after MB", "KB before", "KB after"], rows))
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url")
    parser.add_argument("--app-dir", default=str(REPO), help="the checkout to serve (default: this repository)")
    parser.add_argument("--roles", help="comma-separated usernames (default: the demo accounts and city_* that exist)")
    parser.add_argument("--requests", type=int, default=10, help="timed requests per (page, role), after one warm-up")
    parser.add_argument("--json", help="write the raw numbers here")
    parser.add_argument("--only", help="only pages whose name matches this regular expression")
    parser.add_argument("--no-exports", action="store_true", help="skip the export measurements")
    parser.add_argument("--export-role", help="account for the exports (default: the one that sees the most units)")
    parser.add_argument("--export-requests", type=int, default=3, help="timed downloads per export after the cold one")
    parser.add_argument("--max-requests", type=int, default=0, help="gunicorn --max-requests (0: no worker recycling)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="print a before/after table of two --json files")
    parser.add_argument("--report", metavar="JSON", help="print the report of an earlier --json file again")
    args = parser.parse_args(argv)
    if args.compare:
        print(compare(*args.compare))
        return 0
    if args.report:
        data = json.loads(Path(args.report).read_text())
        data.setdefault("not_pages", [])
        print(report(data))
        return 0
    if not args.database_url:
        parser.error("--database-url is required (or --compare)")

    only = re.compile(args.only) if args.only else None
    db = Database(args.database_url)
    present = db.usernames()
    roles = [r.strip() for r in args.roles.split(",") if r.strip()] if args.roles else default_roles(db)
    missing = [r for r in roles if r not in present]
    if missing:
        print(f"not in the database (or inactive), left out: {', '.join(missing)}", file=sys.stderr)
    roles = [r for r in roles if r in present]
    if not roles:
        print("no roles to measure", file=sys.stderr)
        return 2
    terms = db.search_terms()
    periods = current_periods()
    schema = schema_warning(db, Path(args.app_dir))
    if schema:
        print(f"WARNING: {schema}", file=sys.stderr)

    server = Server(Path(args.app_dir), args.database_url, gunicorn_args=["--max-requests", str(args.max_requests)])
    rules = server.routes()
    errors: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    results: list[Result] = []
    exports: list[dict[str, Any]] = []
    started = time.monotonic()
    server.start()
    try:
        scopes = {role: db.scope(role) for role in roles}
        for role in roles:
            t0 = time.monotonic()
            pages = [p for p in build_pages(rules, db, scopes[role], terms, periods) if not p.export]
            picked = time.monotonic() - t0
            if only:
                pages = [p for p in pages if only.search(p.name)]
            client = server.client()
            offset = server.log_size()
            try:
                login(client, role)
            except Exception as exc:  # reported as an error of that role; the other roles go on
                time.sleep(0.2)
                errors.append({"page": "auth.login (POST)", "role": role, "path": "/login", "status": 500 if " 500" in str(exc) else 0,
                               "log": server.log_since(offset) or str(exc)})
                print(f"{role}: {exc}", file=sys.stderr)
                client.close()
                continue
            timed = 0
            for page in pages:
                path, why = discover(client, page, role, server, errors)
                if path is None:
                    if not why.startswith("ERROR"):
                        skipped.append({"page": page.name, "role": role, "why": why})
                    continue
                results.append(measure(client, page, path, role, args.requests))
                timed += 1
            client.close()
            print(f"{role}: {timed} pages timed of {len(pages)} (records picked in {picked:.1f} s, {time.monotonic() - t0:.0f} s in all)",
                  file=sys.stderr)
        if not args.no_exports:
            export_role = args.export_role or max(roles, key=lambda r: (len(scopes[r].units), r.startswith("city_"), r == "admin"))
            scope = scopes.get(export_role) or db.scope(export_role)
            pages = [p for p in build_pages(rules, db, scope, terms, periods) if p.export]
            if only:
                pages = [p for p in pages if only.search(p.name)]
            client = server.client(timeout=600)
            try:
                login(client, export_role)
            except Exception as exc:
                print(f"exports as {export_role}: {exc}", file=sys.stderr)
            else:
                exports = measure_exports(server, client, pages, export_role, args.export_requests, errors, skipped)
            client.close()
        meta = server.metadata()
    finally:
        server.stop()
        db.close()
    meta.update({"schema_warning": schema, "requests": args.requests, "roles": roles, "search_terms": terms, "seconds": round(time.monotonic() - started),
                 "export_requests": args.export_requests, "max_requests": args.max_requests})
    not_pages = sorted({r["endpoint"] for r in rules if "GET" in r["methods"] and DOWNLOAD.search(r["rule"])})
    data = {"meta": meta, "pages": [{**asdict(r), "summary": r.summary()} for r in results], "skipped": skipped, "errors": errors,
            "exports": exports, "not_pages": not_pages}
    if args.json:
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    print(report(data))
    if not errors:
        server.cleanup()
    else:
        print(f"\n(server log kept in {server.log_path})", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
