"""Benchmark (not a test): the queue's first page (rows + total count) at 10k, 100k and 1M messages.

For each size a fresh database is seeded (bench/seed.py: real customer tweets under new ids, 4 messages per
conversation, 40% of conversations open) and ``queue_page`` — what the Queue page runs — is timed in a new
session each time. Usage:
    .venv/bin/python bench/queue_bench.py --db sqlite --db postgres [--sizes 10000 100000 1000000]
Writes bench/results/queue.json and prints a Markdown table.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def _time_pages(url: str, repeat: int, now: datetime) -> dict[str, Any]:
    from sqlmodel import Session

    from inbox.desk.queue import Filters, queue_page
    from inbox.store.engine import make_engine

    engine = make_engine(url)
    samples, total = [], 0
    for n in range(repeat + 3):
        start = time.perf_counter()
        with Session(engine) as session:
            page = queue_page(session, Filters(), user_id=None, now=now)
        elapsed = (time.perf_counter() - start) * 1000
        total = page.total
        if n >= 3:  # the first three warm the caches and the connection pool
            samples.append(elapsed)
    engine.dispose()
    return {**quantiles(samples), "open_total": total, "rows": len(page.rows)}


def run(kind: str, sizes: list[int], repeat: int, admin: str | None) -> list[dict[str, Any]]:
    out = []
    for size in sizes:
        with seeded_database(kind, size, admin) as db:
            result = _time_pages(db.url, repeat, db.now)
        seeded, seconds = db.seeded, db.seed_seconds
        out.append(
            {
                "db": kind,
                "messages": size,
                "conversations": seeded.conversations,
                "seed_s": round(seconds, 1),
                "seed_rows_per_s": round((size + seeded.conversations + seeded.contacts) / seconds),
                **result,
            }
        )
        print(f"{kind} {size:,}: {out[-1]}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = database_arguments(__doc__, sizes=[10_000, 100_000, 1_000_000], repeat=50)
    args = parser.parse_args(argv)
    kinds = args.db or ["sqlite", "postgres"]
    results: list[dict[str, Any]] = []
    info = machine()
    with admin_for(kinds) as admin:
        for kind in kinds:
            results += run(kind, args.sizes, args.repeat, admin)
    rows = [
        [
            r["db"],
            r["messages"],
            r["open_total"],
            r["median_ms"],
            r["p95_ms"],
            r["seed_s"],
            r["seed_rows_per_s"],
        ]
        for r in results
    ]
    headers = ["db", "messages", "open conversations", "median ms", "p95 ms", "seed s", "seed rows/s"]
    print(table(headers, rows))
    peak = round(own_peak_rss_mb(), 1)
    print(f"peak RSS of this process (the app's queries): {peak} MB")
    path = write_results(
        "queue", {"machine": info, "repeat": args.repeat, "peak_rss_mb": peak, "results": results}
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
