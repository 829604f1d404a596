"""How far the second annotation can be trusted (inbox/nlp/annotations/README.md, docs/classification.md).

``python -m inbox.nlp.annotation_agreement [DATA_DIR]`` prints, for urgency (four levels and urgent or not)
and for the contact reason: how often the two annotators agree on the fresh tweets (Cohen's kappa), and how
each annotator's blind labels of the calibration tweets compare with urgency-twcs' and contact-reasons-twcs'
gold labels. Writes nothing.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from inbox.nlp import datasets
from inbox.nlp.annotations import URGENT_LEVELS, Annotated, kappa, read_annotated
from inbox.nlp.reason_train import DATA

Field = Callable[[Annotated, int], object]


def _urgency(a: Annotated, k: int) -> object:
    return a.urgency[k]


def _urgent(a: Annotated, k: int) -> object:
    return a.urgency[k] in URGENT_LEVELS


def _reason(a: Annotated, k: int) -> object:
    return a.reason[k]


FIELDS: tuple[tuple[str, Field], ...] = (
    ("urgency, 4 levels", _urgency),
    ("urgency, urgent or not", _urgent),
    ("contact reason", _reason),
)


def between(items: Sequence[Annotated], field: Field) -> str:
    first, second = [field(a, 0) for a in items], [field(a, 1) for a in items]
    agree = sum(x == y for x, y in zip(first, second, strict=True))
    return f"agree {agree}/{len(items)} = {agree / len(items):.1%}, kappa {kappa(first, second):.2f}"


def against(items: Sequence[Annotated], gold: dict[str, object], field: Field, k: int) -> str:
    kept = [a for a in items if a.tweet_id in gold]
    mine, theirs = [field(a, k) for a in kept], [gold[a.tweet_id] for a in kept]
    agree = sum(x == y for x, y in zip(mine, theirs, strict=True))
    return (
        f"annotator {k + 1}: {agree}/{len(kept)} = {agree / len(kept):.1%}, kappa {kappa(mine, theirs):.2f}"
    )


def _labels(path: Path, column: str) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["tweet_id"]: r[column] for r in csv.DictReader(fh)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inbox.nlp.annotation_agreement", description=__doc__)
    parser.add_argument("data_dir", nargs="?", type=Path, default=Path("../shared/data"))
    args = parser.parse_args(argv)
    fresh = read_annotated(args.data_dir)
    calibration = read_annotated(args.data_dir, calibration=True)
    urgency = _labels(args.data_dir / datasets.URGENCY, "urgency")
    reasons: dict[str, object] = dict(_labels(args.data_dir / DATA / "train.csv", "reason"))
    golds: dict[str, dict[str, object]] = {
        "urgency, 4 levels": dict(urgency),
        "urgency, urgent or not": {i: level in URGENT_LEVELS for i, level in urgency.items()},
        "contact reason": reasons,
    }
    print(f"{len(fresh)} fresh tweets, {len(calibration)} calibration tweets (gold labels hidden from both)")
    for name, field in FIELDS:
        print(f"{name}: the two annotators on the fresh tweets: {between(fresh, field)}")
        for k in (0, 1):
            print(f"  against the calibration's gold labels, {against(calibration, golds[name], field, k)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
