"""Shared pieces of the browser end-to-end tests: free ports, child processes, loopback JSON."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.conftest import ROOT
from tests.support.eventually import eventually

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
T = TypeVar("T")
TRAP = "http://127.0.0.1:9"  # nothing listens there: a request to it would mean customer text was rendered

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian chromium is not installed at /usr/bin/chromium "
    "(.ci/run installs it: apt-get install chromium)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return bool(response.status == 200)
    except OSError:
        return False


class Processes:
    """Child processes stopped together, with their output kept for failure messages."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        self.procs.append(
            subprocess.Popen(
                [sys.executable, *args], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        )
        log.close()

    def alive(self) -> None:
        for proc in self.procs:
            assert proc.poll() is None, f"{proc.args!r} exited with {proc.returncode}: {self.tail()}"

    def eventually(self, check: Callable[[], T], *, timeout: float, message: str) -> T:
        """``eventually`` (tests/support/eventually.py), with the processes' output on failure."""
        try:
            return eventually(check, timeout=timeout, interval=0.3, message=message)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.tail()}") from None

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in self.logs.glob("*.log")
        )

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def post_json(url: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


def post_raw(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST bytes as they are; the HTTP status, error statuses included."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback only
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())


def launch_app(procs: Processes, port: int, *extra: str) -> str:
    """Start `streamlit run app.py` on 127.0.0.1:``port``, headless, with ``extra`` options (e.g.
    ``--secrets.files PATH``); returns its URL (see `app_ready`)."""
    procs.start(
        "app",
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",  # code does not change under a running app: no reloads
        "none",
        "--client.toolbarMode",  # as deployed: no Deploy button, no ⋮ menu
        "minimal",
        *extra,
    )
    return f"http://127.0.0.1:{port}"


@contextmanager
def browser_page(locale: str | None = None, timeout_ms: int = 30_000) -> Iterator[Any]:
    """A tab of headless Debian Chromium (1440×1000, the browser's language ``locale``, 30 s timeouts, 20 s
    for ``expect`` on a loaded machine), closed with its browser."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1440, "height": 1000}, locale=locale)
            tab.set_default_timeout(timeout_ms)
            yield tab
        finally:
            browser.close()


def app_ready(procs: Processes, url: str) -> None:
    procs.eventually(lambda: http_ok(f"{url}/_stcore/health"), timeout=90, message="the Streamlit app")


def sign_in(page: Any, user: str, password: str) -> None:
    """Fill the sign-in form and wait for the queue."""
    from playwright.sync_api import expect

    # the app's first run after start is slow (imports, models), more so on a busy machine
    expect(page.get_by_role("textbox", name="Password")).to_be_visible(timeout=90_000)
    page.get_by_role("textbox", name="User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
