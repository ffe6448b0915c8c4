"""Screenshots of the main screens for each demo role, at an office screen (1366×768) and a phone (375×812), into
docs/screenshots/ (the README shows a few). Serves a fresh demo on its own SQLite file; Debian's Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1366, 768), "phone": (375, 812)}
PORT = 5099
# (role, [(page name, path)]): the screens each role lives in.
SCREENS = [
    ("staff1", [("workbench", "/"), ("leads", "/leads/"), ("visits", "/visits/"), ("new-lead", "/leads/new"), ("imports", "/imports/new")]),
    ("chief1", [("workbench", "/"), ("team-todo", "/team-todo"), ("projects", "/projects/")]),
    ("reviewer", [("dashboard", "/"), ("reviews", "/reviews/"), ("monthly", "/reports/monthly"), ("weekly", "/reports/weekly")]),
    ("leader", [("dashboard", "/"), ("my-projects", "/my-projects"), ("reminder", "/projects/1/reminder")]),
    ("admin", [("users", "/admin/users/")]),
]


def _serve(instance: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CRM_INSTANCE_PATH": str(instance)}
    crm = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(crm + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(crm + ["run", "--host", "127.0.0.1", "--port", str(PORT)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the demo server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    from crm.demo.scenario import DEMO_PASSWORD

    origin = f"http://127.0.0.1:{PORT}"
    with tempfile.TemporaryDirectory() as instance:
        server = _serve(Path(instance))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
                for role, pages in SCREENS:
                    for size, (width, height) in SIZES.items():
                        context = browser.new_context(viewport={"width": width, "height": height})
                        page = context.new_page()
                        page.goto(origin + "/login")
                        page.fill("input[name=username]", role)
                        page.fill("input[name=password]", DEMO_PASSWORD)
                        page.click("main form button[type=submit]")
                        page.wait_for_url(origin + "/")
                        for name, path in pages:
                            page.goto(origin + path)
                            page.wait_for_load_state("networkidle")
                            page.screenshot(path=str(out / f"{role}-{name}-{size}.png"))
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
