"""What each annotated fresh tweet stands for in the pool it was picked from, for unbiased figures.

The pool is every distinct inbound tweet of ``twcs-customer-support/train.csv`` that neither labelled folder
holds (12,309). Each round of picking took its enriched picks (tweets the pipeline then called urgent or gave
a rarer reason) and its random picks out of what the earlier rounds had left, so the random picks of rounds
2-4 under-represent what the pipeline finds: they are not the corpus' own mix. But the pool splits exactly
into the tweets labelled in any way except the last round's random picks (all known: each stands for itself)
and the rest, of which the last round's random picks are a uniform sample (each stands for rest / picks).
Weighted so, every fresh tweet together stands for the whole pool (a Horvitz-Thompson estimate). Since round
5 labelled all the rest (``CENSUS``), every tweet of the pool is labelled and stands for itself: weight 1.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp import datasets
from inbox.nlp.annotations import CENSUS, NATURAL, SUPPORT, Annotated, read_annotated, round_of
from inbox.nlp.normalise import normalise

LABELLED = (
    Path("urgency-twcs") / "train.csv",
    Path("urgency-twcs") / "disagreements.csv",
    Path("contact-reasons-twcs") / "train.csv",
    Path("contact-reasons-twcs") / "disagreements.csv",
)


def pool_size(data_dir: Path) -> int:
    """Distinct (normalised) inbound support tweets whose id and text no labelled folder holds."""
    ids, texts = set(), set()
    for name in LABELLED:
        path = data_dir / name
        if not path.is_file():
            raise datasets.DataMissing(f"missing data file: {path}")
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                ids.add(r["tweet_id"])
                texts.add(normalise(r["text"]))
    seen: set[str] = set()
    with (data_dir / SUPPORT).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["inbound"] == "True" and r["tweet_id"] not in ids:
                text = normalise(r["text"])
                if text not in texts:
                    seen.add(text)
    return len(seen)


def pool_weights(
    data_dir: Path, items: Sequence[Annotated], *, fresh: Sequence[Annotated] | None = None
) -> list[float]:
    """Each of ``items``' weight: 1, or, until a census round labelled the rest, for a random pick of the
    last round the untaken rest of the pool over that round's random picks. ``fresh``: the labelled tweets
    (default: all of ``twcs_annotated.csv``; fewer shows what the weights were before a round)."""
    fresh = read_annotated(data_dir) if fresh is None else fresh
    if any(a.pick == CENSUS for a in fresh):
        return [1.0] * len(items)
    last = max(round_of(a.batch) for a in fresh)
    sampled = sum(1 for a in fresh if a.pick == NATURAL and round_of(a.batch) == last)
    rest = pool_size(data_dir) - len(fresh) + sampled
    stands_for = rest / sampled
    return [stands_for if a.pick == NATURAL and round_of(a.batch) == last else 1.0 for a in items]
