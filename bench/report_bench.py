"""Benchmark (not a test): the supervisor dashboard and ``inbox report`` at 10k, 100k and 1M messages.

For each size a fresh database is seeded as for the queue benchmark (bench/seed.py: real customer tweets under
new ids, 4 messages per conversation, 40% of conversations open, over 30 days) and the functions the Dashboard
page and ``inbox report`` call are timed in a new session each time, with the repository's charter:
``live_report`` (backlog, at-risk and late lists), ``attainment_windows`` (today / 7 d / 30 d) and
``period_report`` for 7 and 30 days, and the Dashboard's period panel for 30 days (``dashboard_30d``:
``period_report`` then the charts' ``trends``, in one session as the page reads them). Usage:
    .venv/bin/python bench/report_bench.py --db sqlite --db postgres [--sizes 10000 100000 1000000]
        [--calls period_30d dashboard_30d]
Writes bench/results/report.json and prints a Markdown table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    admin_for,
    database_arguments,
    machine,
    own_peak_rss_mb,
    quantiles,
    table,
    write_results,
)
from bench.seed import seeded_database  # noqa: E402

CALLS = ("live_report", "attainment_windows", "period_7d", "period_30d", "dashboard_30d")


def _dashboard(session: Any, charter: Any, period: Any, now: datetime) -> Any:
    """What the Dashboard's period panel reads: the report, then the charts' data."""
    from inbox.reports.report import period_report
    from inbox.reports.trends import trends

    r = period_report(session, charter, period, now)
    return trends(session, charter, period, now, r.volume, None, report=r)


def _timings(url: str, repeat: int, now: datetime, chosen: tuple[str, ...]) -> dict[str, Any]:
    from sqlmodel import Session

    from inbox.charter.model import load_charter
    from inbox.reports.period import parse_period
    from inbox.reports.report import attainment_windows, live_report, period_report
    from inbox.store.engine import make_engine

    charter = load_charter(ROOT / "config")
    zone = charter.team(charter.sla.team).zone
    engine = make_engine(url)
    calls: dict[str, Callable[[Session], Any]] = {
        "live_report": lambda s: live_report(s, charter, now),
        "attainment_windows": lambda s: attainment_windows(s, charter, now),
        "period_7d": lambda s: period_report(s, charter, parse_period("7d", now, zone), now),
        "period_30d": lambda s: period_report(s, charter, parse_period("30d", now, zone), now),
        "dashboard_30d": lambda s: _dashboard(s, charter, parse_period("30d", now, zone), now),
    }
    out: dict[str, Any] = {}
    for name, call in calls.items():
        if name not in chosen:
            continue
        samples = []
        for n in range(repeat + 1):
            start = time.perf_counter()
            with Session(engine) as session:
                call(session)
            if n >= 1:  # the first warms the caches
                samples.append((time.perf_counter() - start) * 1000)
        out[name] = quantiles(samples)
    engine.dispose()
    return out


def run(
    kind: str, sizes: list[int], repeat: int, admin: str | None, chosen: tuple[str, ...] = CALLS
) -> list[dict[str, Any]]:
    out = []
    for size in sizes:
        with seeded_database(kind, size, admin) as db:
            timings = _timings(db.url, repeat, db.now, chosen)
        out.append(
            {
                "db": kind,
                "messages": size,
                "conversations": db.seeded.conversations,
                "seed_s": db.seed_seconds,
            }
        )
        out[-1].update(timings)
        print(f"{kind} {size:,}: {timings}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = database_arguments(__doc__, sizes=[10_000, 100_000, 1_000_000], repeat=5)
    parser.add_argument("--calls", nargs="+", choices=CALLS, default=list(CALLS))
    parser.add_argument("--out", default="report", help="bench/results/<out>.json")
    args = parser.parse_args(argv)
    kinds = args.db or ["sqlite", "postgres"]
    results: list[dict[str, Any]] = []
    info = machine()
    with admin_for(kinds) as admin:
        for kind in kinds:
            results += run(kind, args.sizes, args.repeat, admin, tuple(args.calls))
    calls = [c for c in CALLS if c in args.calls]
    rows = [[r["db"], r["messages"], *(f"{r[c]['median_ms']:.0f}" for c in calls)] for r in results]
    print(table(["db", "messages", *(f"{c} median ms" for c in calls)], rows))
    peak = round(own_peak_rss_mb(), 1)
    print(f"peak RSS of this process (the dashboard's queries): {peak} MB")
    path = write_results(
        args.out, {"machine": info, "repeat": args.repeat, "peak_rss_mb": peak, "results": results}
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
