"""Benchmark (not a test): the queue's filtered and deep pages at 100k messages (10,000 open conversations).

What tests/flows/test_queue_scale.py checks for behaviour (bounded pages, right totals, most overdue first)
is timed here: each filter combination the Queue page offers, and a deep page, ``queue_page`` in a new
session each time on a database seeded by bench/seed.py. Usage:
    .venv/bin/python bench/queue_filters_bench.py --db sqlite --db postgres [--sizes 100000 1000000]
Writes bench/results/queue-filters.json and prints a Markdown table.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import admin_for, database_arguments, machine, quantiles, table, write_results  # noqa: E402
from bench.seed import seeded_database  # noqa: E402

CASES: list[tuple[str, dict[str, Any], int]] = [  # name, Filters fields, page number (50 rows a page)
    ("first page", {}, 0),
    ("page 150", {}, 150),
    ("french + normal, page 3", {"language": "fr", "urgency": "normal"}, 3),
    ("text search", {"text": "refund"}, 0),
    ("unassigned, page 10", {"assignee": "unassigned"}, 10),
]


def _time_cases(url: str, repeat: int, now: datetime) -> list[dict[str, Any]]:
    from sqlmodel import Session

    from inbox.desk.queue import Filters, queue_page
    from inbox.store.engine import make_engine

    engine = make_engine(url)
    out = []
    for name, fields, number in CASES:
        samples, rows, total = [], 0, 0
        for n in range(repeat + 3):
            start = time.perf_counter()
            with Session(engine) as session:
                page = queue_page(session, Filters(**fields), user_id=None, now=now, number=number, size=50)
            elapsed = (time.perf_counter() - start) * 1000
            rows, total = len(page.rows), page.total
            if n >= 3:  # the first three warm the caches and the connection pool
                samples.append(elapsed)
        out.append({"case": name, "rows": rows, "total": total, **quantiles(samples)})
    engine.dispose()
    return out


def run(kind: str, sizes: list[int], repeat: int, admin: str | None) -> list[dict[str, Any]]:
    out = []
    for size in sizes:
        with seeded_database(kind, size, admin) as db:
            for result in _time_cases(db.url, repeat, db.now):
                out.append({"db": kind, "messages": size, "open": db.seeded.open, **result})
                print(f"{kind} {size:,}: {out[-1]}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = database_arguments(__doc__, sizes=[100_000], repeat=20)
    args = parser.parse_args(argv)
    kinds = args.db or ["sqlite", "postgres"]
    results: list[dict[str, Any]] = []
    info = machine()
    with admin_for(kinds) as admin:
        for kind in kinds:
            results += run(kind, args.sizes, args.repeat, admin)
    headers = ["db", "messages", "open", "case", "rows", "total", "median ms", "p95 ms"]
    keys = ["db", "messages", "open", "case", "rows", "total", "median_ms", "p95_ms"]
    print(table(headers, [[r[k] for k in keys] for r in results]))
    path = write_results("queue-filters", {"machine": info, "repeat": args.repeat, "results": results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
