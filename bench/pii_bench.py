"""Benchmark (not a test): the personal-data finder (inbox.nlp.pii.find_pii) on long texts.

tests/unit/test_nlp_pii.py checks that a long text gives every number; how long that takes is timed here:
texts of 100 to 10,000 repeats of a French phone number (and of a sentence with no personal data), with the
shipped patterns of config/nlp.toml. Usage:
    .venv/bin/python bench/pii_bench.py [--repeats 100 1000 10000] [--runs 5]
Writes bench/results/pii.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, machine, quantiles, table, write_results  # noqa: E402

PIECES = {
    "phone numbers": "bonjour 06 12 34 56 78 ",
    "no personal data": "my parcel is late again, please help ",
}


def _time(text: str, runs: int) -> tuple[dict[str, Any], int]:
    from inbox.nlp.pii import find_pii
    from inbox.nlp.settings import load_pii_patterns

    patterns = load_pii_patterns(ROOT / "config")
    samples, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = len(find_pii(text, patterns))
        samples.append((time.perf_counter() - start) * 1000)
    return quantiles(samples), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    info, results = machine(), []
    for kind, piece in PIECES.items():
        for repeat in args.repeats:
            timing, found = _time(piece * repeat, args.runs)
            results.append(
                {"text": kind, "repeats": repeat, "chars": len(piece) * repeat, "spans": found, **timing}
            )
            print(results[-1], flush=True)
    keys = ["text", "repeats", "chars", "spans", "median_ms", "p95_ms"]
    print(
        table(
            ["text", "repeats", "characters", "spans found", "median ms", "p95 ms"],
            [[r[k] for k in keys] for r in results],
        )
    )
    path = write_results("pii", {"machine": info, "runs": args.runs, "results": results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
