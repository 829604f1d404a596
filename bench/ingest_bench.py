"""Benchmark (not a test): ingestion end to end, from the X sandbox over loopback HTTP to classified rows,
beside the raw limits measured in the same run on the same texts.

* end to end: ``backfill_stream`` as ``inbox backfill`` runs it — reads the DM stream of an X sandbox
  running in its own process, 100 events a page, through tweepy; classifies each page in one ``classify``
  call in the classifier process (``inbox.nlp.process``) while the previous page is stored in one
  transaction with its cursor;
* raw classification: ``classify`` over the same texts, 100 at a time, nothing else, in this process (over
  the first ``--raw-sample`` texts only when given: the rate per message does not depend on the count);
* raw bulk insert: the same number of messages (with conversations and contacts) written by bench/seed.py
  (COPY on PostgreSQL, executemany on SQLite).

Usage: .venv/bin/python bench/ingest_bench.py [--db sqlite --db postgres] [--sizes 10000 100000]
       [--raw-sample 100000] [--out ingest]
Writes bench/results/ingest.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Timer, database, machine, own_peak_rss_mb, postgres_server, table, write_results  # noqa: E402
from bench.seed import customer_texts, seed  # noqa: E402

PAGE = 100
BRAND_ID = "1000000000000000001"
X_ENV = {
    "X_BEARER_TOKEN": "sandbox-bearer",
    "X_CONSUMER_KEY": "sandbox-consumer",
    "X_CONSUMER_SECRET": "sandbox-consumer-secret",
    "X_ACCESS_TOKEN": f"{BRAND_ID}-sandbox",
    "X_ACCESS_TOKEN_SECRET": "sandbox-token-secret",
}


def serve(count: int) -> int:
    """Child mode: an X sandbox holding ``count`` customer DMs (real tweets) over the last 6 days; prints
    its URL, serves until stdin closes, then prints its CPU seconds."""
    from connectors.sandbox.x.server import XSandbox

    texts = customer_texts()
    now = datetime.now(UTC)
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sandbox:
        for n in range(count):
            at = now - timedelta(days=6) + timedelta(days=6) * n / count
            sandbox.add_dm(
                texts[n % len(texts)][:1000], sender=f"cust{n % max(1, count // 4)}", created_at=at
            )
        start = os.times()
        print(sandbox.url, flush=True)
        sys.stdin.readline()
        used = os.times()
        print(json.dumps({"sandbox_cpu_s": round(used.user + used.system - start.user - start.system, 1)}))
    return 0


def _runtime(url: str) -> Any:
    from inbox.config.channels import ChannelConfig
    from inbox.ingest.channels import Runtime, build_connector

    os.environ.update(X_ENV)
    cfg = ChannelConfig(
        name="x-acme",
        platform="x",
        account="AcmeCare",
        base_url=url,  # type: ignore[arg-type]
        page_size=PAGE,
        credentials={k.lower().removeprefix("x_"): k for k in X_ENV},
    )
    return Runtime(cfg, build_connector(cfg))


def end_to_end(url: str, count: int, ahead: Any) -> dict[str, Any]:
    """Backfill the sandbox's DMs into a fresh database; time, messages stored, sandbox CPU."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from inbox.charter.deadlines import default_due
    from inbox.ingest.backfill import backfill_stream
    from inbox.store.engine import open_engine
    from inbox.store.tables import Message

    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        sandbox_url = child.stdout.readline().strip()
        engine = open_engine(url)
        rt = _runtime(sandbox_url)
        since = datetime.now(UTC) - timedelta(days=7)
        with Timer() as t:
            done = backfill_stream(
                engine,
                rt,
                "dms",
                since,
                clock=lambda: datetime.now(UTC),
                due=default_due,
                ahead=ahead,
            )
        with Session(engine) as s:
            stored = s.exec(select(func.count()).select_from(Message)).one()
        engine.dispose()
        child.stdin.close()
        sandbox = json.loads(child.stdout.readline() or "{}")
    finally:
        child.wait(timeout=60)
    assert stored == count == done.new, (stored, count, done.new)
    return {
        "e2e_s": round(t.seconds, 1),
        "e2e_msg_s": round(count / t.seconds),
        "pages": done.pages,
        **sandbox,
    }


def raw_classify(texts: list[str], classifier: Any) -> float:
    with Timer() as t:
        for n in range(0, len(texts), PAGE):
            classifier.classify(texts[n : n + PAGE])
    return len(texts) / t.seconds


def raw_insert(url: str, count: int) -> float:
    from inbox.store.engine import open_engine

    engine = open_engine(url)
    with Timer() as t:
        seed(engine, messages=count)
    engine.dispose()
    return count / t.seconds


def run(kind: str, count: int, admin: str | None, classifier: Any, ahead: Any, sample: int) -> dict[str, Any]:
    texts = [t[:1000] for t in customer_texts()]
    texts = [texts[n % len(texts)] for n in range(min(count, sample))]
    with database(kind, admin) as url:
        e2e = end_to_end(url, count, ahead)
    rss = own_peak_rss_mb()
    classify_rate = raw_classify(texts, classifier)
    with database(kind, admin) as url:
        insert_rate = raw_insert(url, count)
    serial = 1 / (1 / classify_rate + 1 / insert_rate)  # classify then insert, nothing else
    return {
        "db": kind,
        "messages": count,
        "raw_classify_texts": len(texts),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        **e2e,
        "raw_classify_msg_s": round(classify_rate),
        "raw_insert_msg_s": round(insert_rate),
        "raw_serial_msg_s": round(serial),
        "ratio_to_raw_serial": round(e2e["e2e_msg_s"] / serial, 2),
        "ratio_to_raw_classify": round(e2e["e2e_msg_s"] / classify_rate, 2),
        "ingest_peak_rss_mb": round(rss, 1),
        "classifier_process_peak_rss_mb": round(ahead.peak_rss_mb(), 1),
        "extrapolated_1m_min": round(e2e["e2e_s"] * 1_000_000 / count / 60, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", choices=("sqlite", "postgres"), default=[])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--raw-sample", type=int, default=10**9, help="Texts for the raw classify rate.")
    parser.add_argument("--out", default="ingest", help="Results file name under bench/results.")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    from inbox.nlp import load_classifier
    from inbox.nlp.process import ClassifierProcess

    info = machine()
    config = Path(__file__).resolve().parents[1] / "config"
    classifier = load_classifier(config)
    classifier.classify(customer_texts()[:300])  # the language models load lazily on first use
    kinds = args.db or ["sqlite", "postgres"]
    results = []
    with ExitStack() as stack:
        admin = stack.enter_context(postgres_server()) if "postgres" in kinds else None
        ahead = stack.enter_context(ClassifierProcess(config))
        ahead.ready()
        for kind in kinds:
            for size in args.sizes:
                results.append(run(kind, size, admin, classifier, ahead, args.raw_sample))
                print(json.dumps(results[-1]), flush=True)
    headers = [
        "db",
        "messages",
        "end to end msg/s",
        "raw classify msg/s",
        "raw insert msg/s",
        "ratio (serial)",
    ]
    headers += ["sandbox CPU s", "peak RSS MB", "1M extrapolated (min)"]
    rows = [
        [
            r["db"],
            r["messages"],
            r["e2e_msg_s"],
            r["raw_classify_msg_s"],
            r["raw_insert_msg_s"],
            r["ratio_to_raw_serial"],
            r.get("sandbox_cpu_s", "?"),
            r["ingest_peak_rss_mb"],
            r["extrapolated_1m_min"],
        ]
        for r in results
    ]
    print(table(headers, rows))
    path = write_results(args.out, {"machine": info, "page_size": PAGE, "results": results})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
