"""Benchmark (not a test): one automation tick, and an open incident's automatic joining, at 10k–1M messages.

The listener runs the automation tick every ten seconds (moderation, opt-outs, surveys, incidents,
out-of-hours and peak messages, live assignment, escalation, traffic). For each size a fresh database is
seeded as for the queue benchmark (bench/seed.py: real customer tweets under new ids, 4 messages per
conversation, 40 % of conversations open, over 30 days), an incident is declared open two days ago and
scanned up to an hour ago, and two calls are timed: ``join_new`` (the incident's joining: conversations with
a customer message stored since its last scan) and a whole ``run_automation`` tick with the repository's
charter (alerts to a sink, no network). The first tick is timed apart: it sends what a seeded backlog calls
for (out-of-hours replies…).
Usage:
    .venv/bin/python bench/automation_bench.py --db sqlite --db postgres [--sizes 10000 100000 1000000]
Writes bench/results/automation.json and prints a Markdown table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import admin_for, database_arguments, machine, quantiles, table, write_results  # noqa: E402
from bench.seed import seeded_database  # noqa: E402


class Sink:
    """Escalation and traffic alerts go nowhere (the benchmark times the inbox, not a webhook)."""

    def post(self, payload: Mapping[str, Any]) -> None:
        return None


def _timings(url: str, repeat: int, now: datetime) -> dict[str, Any]:
    from sqlmodel import Session

    from inbox.automation.tick import run_automation
    from inbox.charter.model import load_charter
    from inbox.desk.incidents.joining import join_new
    from inbox.store.engine import make_engine
    from inbox.store.tables import Incident

    charter = load_charter(ROOT / "config")
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        incident = Incident(
            title="Payment page down",
            description="the payment page shows an error",
            since=now - timedelta(days=2),
            declared_by="bench",
            declared_at=now - timedelta(days=2),
        )
        session.add(incident)
        session.flush()
        incident_id = incident.id or 0
    joins = []
    for _ in range(repeat):
        with Session(engine) as session, session.begin():
            found = session.get(Incident, incident_id)
            assert found is not None
            found.scanned_to = now - timedelta(hours=1)  # each call scans the same last hour again
        start = time.perf_counter()
        join_new(engine, incident_id, now)
        joins.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    run_automation(engine, charter, now, alerts=Sink())
    first = (time.perf_counter() - start) * 1000
    ticks = []
    for n in range(repeat):
        start = time.perf_counter()
        run_automation(engine, charter, now + timedelta(seconds=10 * (n + 1)), alerts=Sink())
        ticks.append((time.perf_counter() - start) * 1000)
    engine.dispose()
    return {"join_new": quantiles(joins), "first_tick_ms": round(first, 1), "tick": quantiles(ticks)}


def main(argv: list[str] | None = None) -> int:
    parser = database_arguments(__doc__, sizes=[10_000, 100_000, 1_000_000], repeat=5)
    parser.add_argument("--out", default="automation", help="bench/results/<out>.json")
    args = parser.parse_args(argv)
    kinds = args.db or ["sqlite", "postgres"]
    results: list[dict[str, Any]] = []
    info = machine()
    with admin_for(kinds) as admin:
        for kind in kinds:
            for size in args.sizes:
                with seeded_database(kind, size, admin) as db:
                    timings = _timings(db.url, args.repeat, db.now)
                results.append({"db": kind, "messages": size, "conversations": db.seeded.conversations})
                results[-1].update(timings)
                print(f"{kind} {size:,}: {timings}", flush=True)
    rows = [
        [
            r["db"],
            r["messages"],
            f"{r['join_new']['median_ms']:.0f}",
            f"{r['first_tick_ms']:.0f}",
            f"{r['tick']['median_ms']:.0f}",
        ]
        for r in results
    ]
    print(table(["db", "messages", "join_new median ms", "first tick ms", "tick median ms"], rows))
    path = write_results(args.out, {"machine": info, "repeat": args.repeat, "results": results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
