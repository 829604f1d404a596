"""Helpers for the multi-process tests: a timed X sandbox, a config folder, `inbox` subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from connectors.sandbox._server import Reply, Request
from connectors.sandbox.x.server import XSandbox
from tests.conftest import ROOT, X_ENV


class TimedXSandbox(XSandbox):
    """The real X sandbox, also noting when each API call started and ended (wall clock), to find overlaps."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.calls: list[tuple[str, str, float, float]] = []  # method, path, start, end

    def dispatch(self, req: Request) -> Reply:
        start = time.time()
        try:
            return super().dispatch(req)
        finally:
            if not req.path.startswith("/_sandbox"):
                with self.lock:
                    self.calls.append((req.method, req.path, start, time.time()))

    def stream_calls(self, stream: str) -> list[tuple[float, float]]:
        """(start, end) of every read of one stream ("mentions" or "dms"), in start order."""
        marker = "/mentions" if stream == "mentions" else "/2/dm_events"
        with self.lock:
            found = [(s, e) for m, p, s, e in self.calls if m == "GET" and marker in p]
        return sorted(found)


def overlaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The calls that started before an earlier call of the same stream had ended."""
    bad, latest_end = [], float("-inf")
    for start, end in intervals:
        if start < latest_end:
            bad.append((start, end))
        latest_end = max(latest_end, end)
    return bad


def config_dir(tmp_path: Path, base_url: str, *, page_size: int = 5, interval: int = 1) -> Path:
    """The shipped config with the channel pointed at ``base_url``, small pages and a short interval."""
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    text = (cfg / "channels.toml").read_text()
    text = text.replace('base_url = "http://127.0.0.1:8701"', f'base_url = "{base_url}"')
    text = text.replace("poll_interval_seconds = 20", f"poll_interval_seconds = {interval}")
    text = text.replace(
        "monthly_read_budget = 15000", f"monthly_read_budget = 10000000\npage_size = {page_size}"
    )
    (cfg / "channels.toml").write_text(text)
    return cfg


def job_env(db_url: str, cfg: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, **X_ENV, "INBOX_DATABASE_URL": db_url, "INBOX_CONFIG_DIR": str(cfg), **extra}


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """``inbox ARGS`` as a real process; stdout and stderr go to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "inbox.cli.main", *args],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each process still running, then wait for it (SIGKILL after 30 s)."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
