"""Benchmark (not a test): time to load the inbox (Queue) page in Chromium with 10,000 open conversations.

A database seeded by bench/seed.py (100,000 messages: 25,000 conversations, 10,000 open) is served by
``streamlit run app.py``; headless Chromium (Playwright, Debian's /usr/bin/chromium) signs in as the demo
agent and the clock runs from the click on "Sign in" until the queue's first 25 rows are on screen, then again
for a reload of the page by the "Queue" link. The app server's peak RSS is sampled throughout.
Usage: .venv/bin/python bench/page_bench.py [--db sqlite --db postgres] [--repeat 5]
Writes bench/results/page.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PeakRss, database, machine, postgres_server, quantiles, table, write_results  # noqa: E402
from bench.seed import seed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BROWSER_ARGS += ["--disable-component-update", "--disable-sync"]
ROWS = "div[class*='st-key-open-']"
ROWS_SHOWN = 25  # inbox/ui/pages/queue.py PAGE_SIZE


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def _app(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "INBOX_DATABASE_URL": url, "INBOX_DEMO": "1"}
    args = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1"]
    args += ["--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("ab") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    app = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while not _healthy(app):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"the app did not start; see {log}")
        time.sleep(0.3)
    return proc, app


def _measure(app: str, repeat: int) -> dict[str, list[float]]:
    from playwright.sync_api import expect, sync_playwright

    sign_in, reload = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            for _ in range(repeat + 1):  # the first round warms the app (imports, caches)
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.set_default_timeout(60_000)
                page.goto(app)
                page.get_by_role("textbox", name="User name").fill("agent")
                page.get_by_role("textbox", name="Password").fill("agent")
                start = time.perf_counter()
                page.get_by_role("button", name="Sign in").click()
                expect(page.locator(ROWS)).to_have_count(ROWS_SHOWN)
                sign_in.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                page.get_by_role("link", name="Queue").first.click()
                page.wait_for_timeout(50)
                expect(page.locator(ROWS)).to_have_count(ROWS_SHOWN)
                reload.append((time.perf_counter() - start) * 1000)
                page.close()
        finally:
            browser.close()
    return {"sign_in": sign_in[1:], "queue_link": reload[1:]}


def run(kind: str, admin: str | None, repeat: int, log: Path) -> dict[str, Any]:
    from inbox.jobs.demo import seed_demo_users
    from inbox.store.engine import open_engine

    with database(kind, admin) as url:
        engine = open_engine(url)
        seeded = seed(engine, messages=100_000)
        engine.dispose()
        seed_demo_users(url)
        proc, app = _app(url, log)
        try:
            with PeakRss(proc.pid) as rss:
                times = _measure(app, repeat)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {
        "db": kind,
        "open_conversations": seeded.open,
        "sign_in_to_queue": quantiles(times["sign_in"]),
        "queue_link": quantiles(times["queue_link"]),
        "app_peak_rss_mb": round(rss.peak, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", choices=("sqlite", "postgres"), default=[])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    kinds = args.db or ["sqlite", "postgres"]
    info = machine()
    log = ROOT / "bench" / "results" / "page_app.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    results = []
    with ExitStack() as stack:
        admin = stack.enter_context(postgres_server()) if "postgres" in kinds else None
        for kind in kinds:
            results.append(run(kind, admin, args.repeat, log))
            print(results[-1], flush=True)
    rows = [
        [
            r["db"],
            r["open_conversations"],
            r["sign_in_to_queue"]["median_ms"],
            r["sign_in_to_queue"]["p95_ms"],
            r["queue_link"]["median_ms"],
            r["queue_link"]["p95_ms"],
            r["app_peak_rss_mb"],
        ]
        for r in results
    ]
    headers = ["db", "open conversations", "sign-in to queue median ms", "p95 ms", "queue link median ms"]
    headers += ["p95 ms", "app peak RSS MB"]
    print(table(headers, rows))
    path = write_results("page", {"machine": info, "repeat": args.repeat, "results": results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
