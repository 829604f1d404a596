"""Benchmark (not a test): ``inbox simulate``'s engine on 30 days of real arrivals, a dozen configurations.

Reads a CSV of arrivals (default ``var/twcs-30d.csv``, built by bench/twcs_arrivals.py from the shared
*Customer Support on Twitter* excerpt; the shipped 3-day sample otherwise), with the repository's charter and
no measured handling time (the default law, mean 5 min). Times, in one process: reading the CSV, preparing
the jobs (each one's target and due time by the charter's functions, the handling draws), then each of the
configurations (agents 2..7 under both orders: 12 runs) and the whole (prepare + 12 runs) ``--repeat`` times.
Records every configuration's figures too (docs/simulator.md quotes them). Usage:
    .venv/bin/python bench/bench_simulate.py [--arrivals var/twcs-30d.csv] [--agents 2..7] [--repeat 5]
    ... --copies 10 --out simulate-x10    (each arrival ten times, 7 s apart: a larger team's month)
Writes bench/results/simulate.json (``--out NAME``: NAME.json) and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, own_peak_rss_mb, quantiles, table, write_results  # noqa: E402

FULL = ROOT / "var" / "twcs-30d.csv"
SAMPLE = ROOT / "connectors" / "sandbox" / "data" / "twcs_arrivals_sample.csv"


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def run(path: Path, agents: str, repeat: int, seed: int, copies: int = 1) -> dict[str, Any]:
    from inbox.charter.model import load_charter
    from inbox.config.channels import load_channels
    from inbox.reports.simulation.arrivals import read_csv, span
    from inbox.reports.simulation.engine import simulate
    from inbox.reports.simulation.handling import HandlingModel
    from inbox.reports.simulation.outcome import outcome
    from inbox.reports.simulation.plan import parse_agents
    from inbox.reports.simulation.workload import POLICIES, prepare

    charter = load_charter(ROOT / "config")
    names = [c.name for c in load_channels(ROOT / "config").channels]
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as f:
        arrivals = read_csv(f, names)
    read_ms = _ms(start)
    if copies > 1:  # a larger team's month: each arrival repeated, 7 seconds apart
        arrivals = sorted(
            (replace(a, at=a.at + timedelta(seconds=7 * k)) for a in arrivals for k in range(copies)),
            key=lambda a: a.at,
        )
    period = span(arrivals, charter.team(charter.sla.team).zone)
    assert period is not None, f"{path} has no arrivals"
    levels = list(parse_agents(agents))
    whole, prepare_ms, per_run, figures = [], [], {}, []
    for n in range(repeat + 1):
        begin = time.perf_counter()
        workload = prepare(charter, arrivals, HandlingModel(), seed=seed, start=period.start, end=period.end)
        prepared = _ms(begin)
        for policy in POLICIES:
            for level in levels:
                one = time.perf_counter()
                result = outcome(workload, simulate(workload, level, policy))
                per_run.setdefault(f"{policy}-{level}", []).append(_ms(one))
                if n == 0:
                    figures.append(result)
        if n >= 1:  # the first warms the imports and caches
            whole.append(_ms(begin))
            prepare_ms.append(prepared)
    return {
        "arrivals_file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "jobs": len(workload.jobs),
        "period": period.label,
        "configurations": len(levels) * len(POLICIES),
        "read_csv_ms": round(read_ms, 1),
        "prepare": quantiles(prepare_ms),
        "prepare_and_all_runs": quantiles(whole),
        "per_run": {key: quantiles(samples[1:]) for key, samples in per_run.items()},
        "figures": [
            {
                "policy": o.policy,
                "agents": o.agents,
                "attainment_pct": round(100 * (o.attainment or 0), 1),
                "urgent_pct": round(100 * (o.urgent_attainment or 0), 1),
                "wait_p50_min": round(o.wait_p50 or 0, 1),
                "wait_p90_min": round(o.wait_p90 or 0, 1),
                "backlog_peak": o.backlog_peak,
                "erlang_c_pct": None if o.erlang_c is None else round(100 * o.erlang_c, 1),
            }
            for o in figures
        ],
        "peak_rss_mb": round(own_peak_rss_mb(), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--arrivals", type=Path, default=FULL if FULL.exists() else SAMPLE)
    parser.add_argument("--agents", default="2..7")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--copies", type=int, default=1, help="repeat each arrival N times (a larger team)")
    parser.add_argument("--out", default="simulate", help="results name: bench/results/<out>.json")
    args = parser.parse_args(argv)
    result = run(args.arrivals, args.agents, args.repeat, args.seed, args.copies)
    path = write_results(args.out, {"machine": machine(), "result": result})
    timing = [
        [
            result["jobs"],
            result["configurations"],
            result["read_csv_ms"],
            result["prepare"]["median_ms"],
            result["prepare_and_all_runs"]["median_ms"],
            result["prepare_and_all_runs"]["p95_ms"],
        ]
    ]
    print(
        table(["jobs", "configurations", "read CSV ms", "prepare ms", "prepare + runs ms", "p95 ms"], timing)
    )
    print()
    rows = [[f["agents"], f["policy"], *list(f.values())[2:]] for f in result["figures"]]
    print(
        table(
            [
                "agents",
                "policy",
                "attainment %",
                "urgent %",
                "p50 min",
                "p90 min",
                "backlog peak",
                "Erlang C %",
            ],
            rows,
        )
    )
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
