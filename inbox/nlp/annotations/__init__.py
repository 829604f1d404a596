"""A second annotation of the customer-support tweets: our labels, joined to the corpus' texts by tweet id.

``twcs_annotated.csv`` (README.md beside it) holds urgency and contact-reason labels that two independent
annotators gave to 8,600 inbound tweets of ``twcs-customer-support/train.csv`` that neither urgency-twcs nor
contact-reasons-twcs labelled, following those folders' guidelines; plus 700 urgency-twcs tweets they labelled
blind (``pick`` = calibration) to measure their agreement with the gold labels. Only ids and labels ship
here; the texts stay in the data folder (CC BY-NC-SA). Imports nothing of the inbox outside ``inbox.nlp``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from inbox.nlp import datasets

LABELS = Path(__file__).with_name("twcs_annotated.csv")
SUPPORT = Path("twcs-customer-support") / "train.csv"
URGENT_LEVELS = ("high", "critical")
# How each fresh tweet was picked: at random (the corpus' own mix), or among those the shipped pipeline
# called urgent, or called one of the seven rarer reasons (to find more of the rare classes); round 5 took
# every tweet the earlier rounds had left (``CENSUS``), so the whole pool is labelled
NATURAL = "random"
CENSUS = "rest"
# The rounds of picking, by their first batch: each round picked from what the earlier ones had left
ROUNDS = (1, 5, 9, 13, 23)


def round_of(batch: int) -> int:
    """The round (1-5) a batch belongs to."""
    return sum(batch >= first for first in ROUNDS)


@dataclass(frozen=True, slots=True)
class Annotated:
    tweet_id: str
    text: str
    pick: str  # random | urgent | rare | rest | calibration
    urgency: tuple[str, str]
    reason: tuple[str, str]
    batch: int = 0  # 1-31; ``ROUNDS`` groups them

    @property
    def urgent(self) -> bool | None:
        """High or critical when both annotators say so, not when neither does, None when they differ."""
        first, second = (level in URGENT_LEVELS for level in self.urgency)
        return first if first == second else None

    @property
    def agreed_urgency(self) -> str | None:
        return self.urgency[0] if self.urgency[0] == self.urgency[1] else None

    @property
    def agreed_reason(self) -> str | None:
        return self.reason[0] if self.reason[0] == self.reason[1] else None


def read_annotated(data_dir: Path, *, calibration: bool = False, path: Path = LABELS) -> list[Annotated]:
    """The fresh annotated tweets (or, with ``calibration``, the blind re-labelled gold ones), with texts."""
    texts = _texts(data_dir)
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if (r["pick"] == "calibration") != calibration:
                continue
            out.append(
                Annotated(
                    r["tweet_id"],
                    texts[r["tweet_id"]],
                    r["pick"],
                    (r["urgency_1"], r["urgency_2"]),
                    (r["reason_1"], r["reason_2"]),
                    int(r["batch"]),
                )
            )
    return out


def _texts(data_dir: Path) -> dict[str, str]:
    path = data_dir / SUPPORT
    if not path.is_file():
        raise datasets.DataMissing(f"missing data file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["tweet_id"]: r["text"] for r in csv.DictReader(fh)}


def kappa(first: Sequence[object], second: Sequence[object]) -> float:
    """Cohen's kappa of two label sequences."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum(list(first).count(x) * list(second).count(x) for x in labels) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0
