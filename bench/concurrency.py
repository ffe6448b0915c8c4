"""Throughput and latency under N closed-loop clients, over HTTP against gunicorn.

    .venv/bin/python bench/concurrency.py --database-url URL [--app-dir DIR] --clients 20 [--clients 50]
                                          [--seconds 60] [--warmup 5] [--roles staff1,chief1,...] [--json out.json]

What it does:

1. Starts gunicorn exactly as ``bench/pages.py`` does (``bench/httpbench.py``: ``-c DIR/gunicorn.conf.py``, 2
   workers, ``CRM_SERVER_TIMING=1``, production mode), here keeping the configuration's worker recycling
   (``max_requests``) unless ``--max-requests`` says otherwise; worker restarts during a run are counted.
2. For each ``--clients N`` (one run each, on the same server): N client threads, each logged in as one of the
   roles in rotation (default: the demo accounts and the city_* ones that exist), each on its own keep-alive
   connection, loop with no think time over a weighted mix of the everyday pages: home (the dashboard), project
   list and board, lead list, visit list, 我的待办, company search (Chinese text and pinyin), the busiest project
   the role may see, the 月报, and /healthz (so that every page can be put against the trivial route measured
   under the same load). Before the runs each role opens each page once; pages it may not open are dropped from
   its mix and listed. Logins happen before the clock starts; then ``--warmup`` seconds unrecorded, then
   ``--seconds`` recorded.
3. Per run: requests per second (all, and pages without /healthz), median, p95, p99 and max latency (ms, client
   side, whole body read), errors (status ≥ 400, timeouts, connection errors), and per page: count, median, p95,
   p99, max, the app's own time (Server-Timing) and the ratio of the median to /healthz's median in the same run.
   Also /healthz on an idle server just before the run.
4. Cost of the measuring itself: the client is plain ``http.client`` in threads (no event loop, no httpx) and
   its CPU time over the recorded window is taken from ``os.times()`` and reported as a share of one core and
   as ms per request, beside the gunicorn workers' CPU (/proc, recycled workers included), the CPU of the
   PostgreSQL backends of the benchmark database (their process titles name it), the whole machine's busy
   share (/proc/stat), and what is left of it: other processes on a shared machine, i.e. the noise.

``--json`` writes every latency (per page) and the run metadata.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import (
    REPO,
    Database,
    Server,
    default_roles,
    fmt_ms,
    fmt_ratio,
    login,
    machine_cpu,
    median,
    parse_server_timing,
    percentile,
    postgres_cpu,
    schema_warning,
)

HEALTHZ = "healthz"
LOGIN_LOCKS: dict[str, threading.Lock] = {}


def mix_for(db: Database, role: str, terms: dict[str, str]) -> list[tuple[str, str, int]]:
    """(page, path, weight) of the everyday pages for one account."""
    scope = db.scope(role)
    mix = [
        ("web.home", "/", 20),
        ("projects.index", "/projects/", 10),
        ("projects.board", "/projects/board", 6),
        ("leads.index", "/leads/", 12),
        ("visits.index", "/visits/", 10),
        ("followups.todo", "/todo", 14),
        ("reports.monthly", "/reports/monthly", 4),
        (HEALTHZ, "/healthz", 10),
    ]
    if terms.get("cn"):
        mix.append(("companies.index?q=cn", "/companies/?" + urlencode({"q": terms["cn"]}), 5))
    if terms.get("pinyin"):
        mix.append(("companies.index?q=pinyin", "/companies/?" + urlencode({"q": terms["pinyin"]}), 5))
    project = db.busiest(scope, "projects", n=1)
    if project:
        mix.append(("projects.detail", f"/projects/{project[0]}", 10))
    return mix


@dataclass
class Stats:
    """What one client thread saw in the recorded window."""

    latencies: dict[str, list[float]] = field(default_factory=dict)  # page → ms
    app_ms: dict[str, list[float]] = field(default_factory=dict)
    statements: dict[str, list[int]] = field(default_factory=dict)
    errors: dict[str, dict[str, int]] = field(default_factory=dict)  # page → kind → count
    redirects: int = 0
    reconnects: int = 0


class Worker(threading.Thread):
    def __init__(self, index: int, server: Server, role: str, mix: list[tuple[str, str, int]], start_gate: threading.Barrier,
                 timeout: float, seed: int) -> None:
        super().__init__(daemon=True, name=f"client-{index}")
        self.server, self.role, self.mix, self.gate, self.timeout = server, role, mix, start_gate, timeout
        self.rng = random.Random(seed)
        self.cum: list[int] = []
        total = 0
        for _, _, weight in mix:
            total += weight
            self.cum.append(total)
        self.record_from = float("inf")
        self.stop_at = float("inf")
        self.stats = Stats()
        self.login_error: str | None = None

    def run(self) -> None:
        client = self.server.client(timeout=self.timeout)
        try:
            # One login at a time per account: two at once fail on the account's version column (a 500).
            with LOGIN_LOCKS.setdefault(self.role, threading.Lock()):
                login(client, self.role)
        except Exception as exc:  # reported, and the thread sits the run out
            self.login_error = f"{type(exc).__name__}: {exc}"
        try:
            self.gate.wait()
        except threading.BrokenBarrierError:
            return
        if self.login_error:
            return
        stats, mix, cum, rng = self.stats, self.mix, self.cum, self.rng
        while True:
            page, path, _ = mix[rng.choices(range(len(mix)), cum_weights=cum)[0]]
            kind = None
            started = time.perf_counter()
            try:
                resp = client.get(path)
            except TimeoutError:
                kind, resp = "timeout", None
            except (OSError, http.client.HTTPException) as exc:
                kind, resp = f"connection ({type(exc).__name__})", None
            done = time.perf_counter()
            if done >= self.stop_at:
                break
            if done < self.record_from:
                continue
            if resp is not None:
                if resp.reconnected:
                    stats.reconnects += 1
                if resp.status >= 400:
                    kind = f"HTTP {resp.status}"
                elif resp.status >= 300:
                    stats.redirects += 1
            if kind is not None:
                stats.errors.setdefault(page, {}).setdefault(kind, 0)
                stats.errors[page][kind] += 1
                continue
            stats.latencies.setdefault(page, []).append((done - started) * 1000)
            statements, _, app_ms = parse_server_timing(resp.headers.get("server-timing"))
            if app_ms is not None:
                stats.app_ms.setdefault(page, []).append(app_ms)
            if statements is not None:
                stats.statements.setdefault(page, []).append(statements)
        client.close()


def idle_healthz(server: Server, role: str, n: int = 30) -> float:
    """/healthz on the idle server, signed in as the clients will be (the signed-in account is loaded too)."""
    client = server.client()
    with LOGIN_LOCKS.setdefault(role, threading.Lock()):
        login(client, role)
    samples = [client.get("/healthz").elapsed * 1000 for _ in range(n)]
    client.close()
    return median(samples)


def run_once(server: Server, roles: list[str], mixes: dict[str, list[tuple[str, str, int]]], clients: int, seconds: float,
             warmup: float, timeout: float) -> dict[str, Any]:
    idle = idle_healthz(server, roles[0])
    gate = threading.Barrier(clients + 1)
    workers = [Worker(i, server, roles[i % len(roles)], mixes[roles[i % len(roles)]], gate, timeout, seed=1000 + i) for i in range(clients)]
    for w in workers:
        w.start()
    t_login = time.perf_counter()
    gate.wait(timeout=600)
    login_seconds = time.perf_counter() - t_login
    begin = time.perf_counter() + warmup
    end = begin + seconds
    for w in workers:
        w.record_from, w.stop_at = begin, end
    time.sleep(max(0.0, begin - time.perf_counter()))
    cpu0, server0, machine0, pids0, pg0 = os.times(), server.cpu_seconds(), machine_cpu(), set(server.worker_pids()), postgres_cpu(server.database_url)
    wall0 = time.perf_counter()
    time.sleep(max(0.0, end - time.perf_counter()))
    cpu1, server1, machine1, pids1, pg1 = os.times(), server.cpu_seconds(), machine_cpu(), set(server.worker_pids()), postgres_cpu(server.database_url)
    wall = time.perf_counter() - wall0
    for w in workers:
        w.join(timeout=timeout + 30)

    latencies: dict[str, list[float]] = {}
    app_ms: dict[str, list[float]] = {}
    statements: dict[str, list[int]] = {}
    errors: dict[str, dict[str, int]] = {}
    redirects = reconnects = 0
    for w in workers:
        for page, values in w.stats.latencies.items():
            latencies.setdefault(page, []).extend(values)
        for page, values in w.stats.app_ms.items():
            app_ms.setdefault(page, []).extend(values)
        for page, values in w.stats.statements.items():
            statements.setdefault(page, []).extend(values)
        for page, kinds in w.stats.errors.items():
            for kind, count in kinds.items():
                errors.setdefault(page, {}).setdefault(kind, 0)
                errors[page][kind] += count
        redirects += w.stats.redirects
        reconnects += w.stats.reconnects
    login_errors = [f"{w.role}: {w.login_error}" for w in workers if w.login_error]

    every = [x for values in latencies.values() for x in values]
    pages_only = [x for page, values in latencies.items() if page != HEALTHZ for x in values]
    n_errors = sum(c for kinds in errors.values() for c in kinds.values())
    client_cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    cpus = os.cpu_count() or 1
    busy = (machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1])
    hz = median(latencies.get(HEALTHZ, [])) if latencies.get(HEALTHZ) else None
    per_page = {}
    for page in sorted(set(latencies) | set(errors)):
        values = latencies.get(page, [])
        per_page[page] = {
            "n": len(values), "rps": len(values) / wall, "median": median(values) if values else None,
            "p95": percentile(values, 95) if values else None, "p99": percentile(values, 99) if values else None,
            "max": max(values) if values else None, "app_median": median(app_ms[page]) if app_ms.get(page) else None,
            "statements": int(median(statements[page])) if statements.get(page) else None,
            "ratio": (median(values) / hz) if values and hz else None, "errors": errors.get(page, {}),
        }
    return {
        "clients": clients, "seconds": wall, "warmup": warmup, "login_seconds": login_seconds, "idle_healthz_ms": idle,
        "requests": len(every), "rps": len(every) / wall, "page_requests": len(pages_only), "page_rps": len(pages_only) / wall,
        "median": median(pages_only) if pages_only else None, "p95": percentile(pages_only, 95) if pages_only else None,
        "p99": percentile(pages_only, 99) if pages_only else None, "max": max(pages_only) if pages_only else None,
        "healthz_median": hz, "errors": n_errors, "error_kinds": errors, "redirects": redirects, "reconnects": reconnects,
        "login_errors": login_errors,
        "client_cpu_seconds": client_cpu, "client_cpu_share_of_core": client_cpu / wall,
        "client_cpu_ms_per_request": client_cpu * 1000 / max(1, len(every) + n_errors),
        "server_cpu_seconds": server1 - server0, "server_cpu_share_of_machine": (server1 - server0) / wall / (os.cpu_count() or 1),
        "postgres_cpu_seconds": None if pg0 is None else pg1 - pg0,
        "postgres_cpu_share_of_machine": None if pg0 is None else (pg1 - pg0) / wall / cpus,
        "machine_busy": busy,
        # What the rest of the machine did meanwhile (other people's work on a shared machine): the noise.
        "other_share_of_machine": busy - (client_cpu + (server1 - server0) + ((pg1 - pg0) if pg0 is not None else 0)) / wall / cpus,
        "worker_restarts": len(pids1 - pids0),
        "per_page": per_page,
        "latencies": {page: [round(x, 2) for x in values] for page, values in latencies.items()},
    }


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def report(data: dict[str, Any]) -> str:
    meta = data["meta"]
    out = [f"# Concurrency over HTTP — {meta['app_revision']} on {meta['database']}", "",
           f"{meta['started_at']}; {meta['command']}; roles in rotation: {', '.join(meta['roles'])}; "
           f"{meta['cpus']} CPUs on the machine.", ""]
    if meta.get("schema_warning"):
        out.append(f"**WARNING: {meta['schema_warning']}.**")
        out.append("")
    broken = [d for d in meta.get("dropped", []) if d.rsplit(" ", 1)[-1].startswith("5")]
    if broken:
        out.append(f"**ERRORS before the run: {len(broken)} (role, page) answered 5xx** and were left out of the mix: " + "; ".join(broken))
        out.append("")
    others = [d for d in meta.get("dropped", []) if d not in broken]
    if others:
        out.append("Left out of a role's mix (not 200 when tried): " + "; ".join(others))
        out.append("")
    out.append("Mix (weights): " + ", ".join(f"{page} {weight}" for page, weight in meta["weights"].items()))
    out.append("")
    rows = []
    for r in data["runs"]:
        rows.append([str(r["clients"]), f"{r['rps']:.1f}", f"{r['page_rps']:.1f}", fmt_ms(r["median"]), fmt_ms(r["p95"]), fmt_ms(r["p99"]),
                     fmt_ms(r["max"]), fmt_ms(r["healthz_median"]), fmt_ms(r["idle_healthz_ms"]), str(r["errors"]),
                     f"{r['client_cpu_share_of_core'] * 100:.1f}% ({r['client_cpu_ms_per_request']:.2f} ms/req)",
                     f"{r['server_cpu_share_of_machine'] * 100:.0f}%",
                     "–" if r["postgres_cpu_share_of_machine"] is None else f"{r['postgres_cpu_share_of_machine'] * 100:.0f}%",
                     f"{r['machine_busy'] * 100:.0f}%", f"{r['other_share_of_machine'] * 100:.0f}%", str(r["worker_restarts"])])
    out.append(md_table(["clients", "req/s", "page req/s", "median ms", "p95 ms", "p99 ms", "max ms", "/healthz median ms (loaded)",
                         "/healthz idle ms", "errors", "client CPU (of one core)", "gunicorn CPU (of machine)", "PostgreSQL CPU (of machine)",
                         "machine busy", "of which others", "worker restarts"], rows))
    out.append("")
    out.append("Latency columns are over the pages (without /healthz); req/s counts /healthz too.")
    out.append("")
    for r in data["runs"]:
        out.append(f"## {r['clients']} clients, {r['seconds']:.0f} s (logins took {r['login_seconds']:.1f} s, then {r['warmup']:.0f} s warm-up)")
        out.append("")
        if r["login_errors"]:
            out.append("**Login failures:** " + "; ".join(r["login_errors"]))
            out.append("")
        if r["errors"]:
            out.append(f"**Errors: {r['errors']}** — " + "; ".join(f"{page}: " + ", ".join(f"{k} ×{c}" for k, c in kinds.items())
                                                           for page, kinds in r["error_kinds"].items()))
            out.append("")
        rows = []
        for page, s in sorted(r["per_page"].items(), key=lambda kv: -(kv[1]["p95"] or 0)):
            rows.append([page, str(s["n"]), f"{s['rps']:.1f}", fmt_ms(s["median"]), fmt_ms(s["p95"]), fmt_ms(s["p99"]), fmt_ms(s["max"]),
                         fmt_ms(s["app_median"]), "–" if s["statements"] is None else str(s["statements"]), fmt_ratio(s["ratio"]),
                         str(sum(s["errors"].values())) if s["errors"] else "0"])
        out.append(md_table(["page", "n", "req/s", "median ms", "p95 ms", "p99 ms", "max ms", "app ms (median)", "SQL", "ratio to /healthz",
                             "errors"], rows))
        out.append("")
        out.append(f"Client: {r['client_cpu_seconds']:.1f} CPU s in {r['seconds']:.0f} s = {r['client_cpu_share_of_core'] * 100:.1f}% of one core, "
                   f"{r['client_cpu_ms_per_request']:.2f} ms per request; gunicorn workers {r['server_cpu_seconds']:.0f} CPU s, "
                   f"PostgreSQL {'–' if r['postgres_cpu_seconds'] is None else format(r['postgres_cpu_seconds'], '.0f')} CPU s; "
                   f"{r['redirects']} redirects, {r['reconnects']} keep-alive reconnects.")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--app-dir", default=str(REPO), help="the checkout to serve (default: this repository)")
    parser.add_argument("--clients", type=int, action="append", help="closed-loop clients; repeat for several runs (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="recorded seconds per run")
    parser.add_argument("--warmup", type=float, default=5, help="unrecorded seconds before each run")
    parser.add_argument("--roles", help="comma-separated usernames (default: the demo accounts and city_* that exist)")
    parser.add_argument("--timeout", type=float, default=30, help="a request taking longer is an error")
    parser.add_argument("--max-requests", type=int, help="gunicorn --max-requests (default: the configuration's)")
    parser.add_argument("--json", help="write the raw numbers here")
    args = parser.parse_args(argv)
    client_counts = args.clients or [20]

    db = Database(args.database_url)
    present = db.usernames()
    roles = [r.strip() for r in args.roles.split(",") if r.strip()] if args.roles else default_roles(db)
    roles = [r for r in roles if r in present]
    if not roles:
        print("no roles to measure", file=sys.stderr)
        return 2
    terms = db.search_terms()
    mixes = {role: mix_for(db, role, terms) for role in roles}
    schema = schema_warning(db, Path(args.app_dir))
    if schema:
        print(f"WARNING: {schema}", file=sys.stderr)
    db.close()

    gunicorn_args = ["--max-requests", str(args.max_requests)] if args.max_requests is not None else []
    server = Server(Path(args.app_dir), args.database_url, gunicorn_args=gunicorn_args)
    dropped: list[str] = []
    runs = []
    server.start()
    try:
        # Each role opens each page once: what it may not open leaves its mix (and warms the workers up).
        for role in list(roles):
            client = server.client()
            try:
                login(client, role)
            except Exception as exc:
                dropped.append(f"{role} (the whole role: {exc}) 500" if " 500" in str(exc) else f"{role} (the whole role: {exc}) login")
                roles.remove(role)
                client.close()
                continue
            kept = []
            for page, path, weight in mixes[role]:
                status = client.get(path).status
                if status == 200:
                    kept.append((page, path, weight))
                else:
                    dropped.append(f"{role} {page} {status}")
            mixes[role] = kept
            client.close()
        if not roles:
            raise SystemExit("no role could log in:\n" + "\n".join(dropped) + "\n" + server.log_tail(30))
        for n in client_counts:
            print(f"{n} clients: {args.warmup:.0f} s warm-up, {args.seconds:.0f} s recorded …", file=sys.stderr)
            run = run_once(server, roles, mixes, n, args.seconds, args.warmup, args.timeout)
            print(f"  {run['rps']:.1f} req/s, median {fmt_ms(run['median'])} ms, p95 {fmt_ms(run['p95'])} ms, errors {run['errors']}, "
                  f"client CPU {run['client_cpu_share_of_core'] * 100:.1f}% of a core", file=sys.stderr)
            runs.append(run)
            time.sleep(2)
        meta = server.metadata()
    finally:
        server.stop()
    weights: dict[str, int] = {}
    for mix in mixes.values():
        for page, _, weight in mix:
            weights[page] = weight
    meta.update({"schema_warning": schema, "roles": roles, "dropped": dropped, "weights": weights, "cpus": os.cpu_count(), "search_terms": terms,
                 "paths": {role: {page: path for page, path, _ in mix} for role, mix in mixes.items()}})
    data = {"meta": meta, "runs": runs}
    if args.json:
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    print(report(data))
    server.cleanup()
    broken = any(d.rsplit(" ", 1)[-1].startswith("5") for d in dropped)
    return 1 if broken or any(r["errors"] or r["login_errors"] for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
