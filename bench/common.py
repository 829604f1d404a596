"""What the benchmarks share: a database of either kind, peak RSS of a process, tables and JSON results."""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> dict[str, Any]:
    load = os.getloadavg()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_at_start": [round(x, 2) for x in load],
        "note": "shared 2-core machine: other jobs ran at the same time",
    }


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (tests/support/pgcluster.py) for the run; its admin URL."""
    from tests.support import pgcluster

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the cluster is stopped on a kill too
    folder = Path(tempfile.mkdtemp(prefix="inbox-bench-pg-"))
    try:
        yield pgcluster.start(folder)
    finally:
        pgcluster.stop(folder)


def database_arguments(doc: str | None, *, sizes: list[int], repeat: int) -> argparse.ArgumentParser:
    """The options every database benchmark takes: ``--db`` (repeatable; none: both), ``--sizes``,
    ``--repeat`` (a script adds its own)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--db", action="append", choices=("sqlite", "postgres"), default=[])
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser


@contextmanager
def admin_for(kinds: list[str]) -> Iterator[str | None]:
    """A throwaway PostgreSQL server's admin URL for the block when ``kinds`` has postgres, else None."""
    if "postgres" not in kinds:
        yield None
        return
    with postgres_server() as admin:
        yield admin


@contextmanager
def database(kind: str, admin_url: str | None) -> Iterator[str]:
    """A new, empty database URL of ``kind`` (sqlite or postgres), dropped afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="inbox-bench-"))
        try:
            yield f"sqlite:///{folder / 'inbox.db'}"
        finally:
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
        return
    import psycopg
    from sqlalchemy.engine import make_url

    assert admin_url is not None
    admin = make_url(admin_url)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rss_mb(pid: int) -> float:
    """Resident memory of a running process, in MB (0 once it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def own_peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss:
    """Samples another process's RSS every 50 ms in a thread; ``peak`` is the highest seen (MB)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def quantiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return {"median_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2), "n": len(ordered)}


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += [
        "| " + " | ".join(f"{c:,}" if isinstance(c, int) else str(c) for c in row) + " |" for row in rows
    ]
    return "\n".join(lines)


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    return path


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
