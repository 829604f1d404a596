"""Benchmark script (not a test): our classify pipeline vs VADER and TextBlob: speed, memory, accuracy.

Each system runs in a fresh subprocess pinned to one core, so its peak RSS and messages/s are its own.
Usage: .venv/bin/python bench/classify_bench.py [--data-dir ../shared/data] [--repeat 3]
Writes bench/results/classify.md and bench/results/classify.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ("inbox", "vader", "textblob")
LABELS = ("negative", "neutral", "positive")


def _load(data_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    sys.path.insert(0, str(ROOT))
    from inbox.nlp.datasets import read_sentiment

    sets = {"en": read_sentiment(data_dir, "en", "val"), "fr": read_sentiment(data_dir, "fr", "val")}
    return {k: ([e.text for e in v], [e.sentiment or "" for e in v]) for k, v in sets.items()}


def _predictor(system: str):
    if system == "inbox":
        from inbox.nlp import load_classifier

        clf = load_classifier(ROOT / "config")
        return lambda texts: [c.sentiment for c in clf.classify(texts)]
    if system == "vader":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        sia = SentimentIntensityAnalyzer()

        def vader(texts: list[str]) -> list[str]:
            scores = [sia.polarity_scores(t)["compound"] for t in texts]
            return ["positive" if s >= 0.05 else "negative" if s <= -0.05 else "neutral" for s in scores]

        return vader
    from textblob import TextBlob

    def textblob(texts: list[str]) -> list[str]:
        pol = [TextBlob(t).sentiment.polarity for t in texts]
        return ["positive" if p > 0 else "negative" if p < 0 else "neutral" for p in pol]

    return textblob


def run_one(system: str, data_dir: Path, repeat: int) -> dict[str, object]:
    """Measured inside the child process: load time, accuracy per language, messages/s, peak RSS."""
    from inbox.nlp.metrics import report

    data = _load(data_dir)
    start = time.perf_counter()
    predict = _predictor(system)
    load_s = time.perf_counter() - start
    out: dict[str, object] = {"system": system, "load_s": round(load_s, 2)}
    for lang, (texts, gold) in data.items():
        m = report(gold, predict(texts), LABELS)
        out[lang] = {
            "macro_recall": round(m["macro_recall"], 4),
            "macro_f1": round(m["macro_f1"], 4),
            "accuracy": round(m["accuracy"], 4),
            "n": len(texts),
        }
    texts = data["en"][0] + data["fr"][0]
    best = best_cpu = 0.0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), 256):
            predict(texts[i : i + 256])
        best = max(best, len(texts) / (time.perf_counter() - start))
        best_cpu = max(best_cpu, len(texts) / (time.process_time() - start_cpu))
    out["msgs_per_s"] = round(best)
    # CPU time of this process only: what one core gives when other jobs do not share it
    out["msgs_per_cpu_s"] = round(best_cpu)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def _child(system: str, data_dir: Path, repeat: int) -> dict[str, object]:
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "RAYON_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT),
    }
    cmd = [sys.executable, __file__, "--child", system, "--data-dir", str(data_dir), "--repeat", str(repeat)]
    if hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", "0", *cmd]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _table(rows: list[dict[str, object]]) -> str:
    head = (
        "| system | en macro-recall | en macro-F1 | fr macro-recall | fr macro-F1 | messages/s (wall) "
        "| messages per CPU-second | peak RSS (MB) | load (s) |\n|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in rows:
        en, fr = r["en"], r["fr"]
        assert isinstance(en, dict) and isinstance(fr, dict)
        lines.append(
            f"| {r['system']} | {en['macro_recall']:.3f} | {en['macro_f1']:.3f} | {fr['macro_recall']:.3f} "
            f"| {fr['macro_f1']:.3f} | {r['msgs_per_s']:,} | {r['msgs_per_cpu_s']:,} | {r['peak_rss_mb']} "
            f"| {r['load_s']} |"
        )
    return head + "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=SYSTEMS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.data_dir, args.repeat)))
        return 0
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows = [_child(s, args.data_dir, args.repeat) for s in SYSTEMS]
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    measured = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; each system alone in a process pinned to one core; "
        f"1-minute load average {load_before:.1f} before, {load_after:.1f} after (shared machine)"
    )
    texts = (
        "English: TweetEval val (2,000 tweets); French: XLM-T French val (324 tweets). Speed over both sets, "
    )
    md = (
        f"# Classification benchmark\n\n{texts}batches of 256, best of {args.repeat} passes, after loading.\n"
        f"inbox = the whole `classify` pipeline (language: lingua x word frequencies; sentiment,\n"
        f"complaint and urgency models; rules; PII);\n"
        f"VADER and TextBlob = sentiment only.\n\nMeasured {measured}. Machine: {machine}.\n\n{_table(rows)}"
    )
    print(md)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "classify.md").write_text(md, encoding="utf-8")
    (out / "classify.json").write_text(
        json.dumps({"measured": measured, "machine": machine, "rows": rows}, indent=2) + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
