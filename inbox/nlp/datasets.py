"""Readers for the labelled data in ../shared/data and for ``--eval`` files: pure file reading, no models."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from inbox.nlp.types import SENTIMENTS

TWEETEVAL = Path("tweeteval-sentiment")
XLMT = Path("xlmt-umsab-sentiment")
COMPLAINTS = Path("complaints-severity") / "train.csv"
URGENCY = Path("urgency-twcs") / "train.csv"


class DataMissing(FileNotFoundError):
    """A training or evaluation file is not there."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    sentiment: str | None = None
    urgency: str | None = None
    complaint: bool | None = None
    severity: int | None = None  # complaints-severity: 0 not a complaint .. 4 blame
    reason: str | None = None  # a contact reason of the taxonomy (config/nlp.toml [reasons] labels)


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise DataMissing(f"missing data file: {path}")
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def read_text_labels(text_file: Path) -> list[Example]:
    """A ``*_text.txt`` file and its ``*_labels.txt`` sibling (0 negative, 1 neutral, 2 positive)."""
    labels_file = text_file.with_name(text_file.name.replace("_text.txt", "_labels.txt"))
    texts, labels = _lines(text_file), _lines(labels_file)
    if len(texts) != len(labels):
        raise ValueError(f"{text_file}: {len(texts)} texts but {len(labels)} labels in {labels_file}")
    return [Example(t, sentiment=SENTIMENTS[int(y)]) for t, y in zip(texts, labels, strict=True)]


def read_sentiment(data_dir: Path, lang: str, split: str) -> list[Example]:
    """English = TweetEval, other languages = XLM-T (french, spanish, german, english)."""
    if lang == "en" and split in ("train", "val") and (data_dir / TWEETEVAL).is_dir():
        return read_text_labels(data_dir / TWEETEVAL / f"{split}_text.txt")
    names = {"en": "english", "fr": "french", "es": "spanish", "de": "german"}
    return read_text_labels(data_dir / XLMT / names[lang] / f"{split}_text.txt")


def read_complaints(data_dir: Path) -> list[Example]:
    path = data_dir / COMPLAINTS
    if not path.is_file():
        raise DataMissing(f"missing data file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Example(
                row["text"], complaint=row["complaint"] == "1", severity=int(row.get("severity_level") or 0)
            )
            for row in csv.DictReader(fh)
        ]


def read_urgency(data_dir: Path) -> list[Example]:
    """urgency-twcs: real support tweets with the urgency two annotators agreed on (GUIDELINE.md there)."""
    path = data_dir / URGENCY
    if not path.is_file():
        raise DataMissing(f"missing data file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return [Example(row["text"], urgency=row["urgency"]) for row in csv.DictReader(fh)]


def is_dev(text: str, percent: int = 10) -> bool:
    """Deterministic dev split carved out of a train file (the validation splits stay unseen)."""
    return int(hashlib.sha256(("inbox-dev:" + text).encode()).hexdigest(), 16) % 100 < percent


def _label(value: object, names: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and 0 <= value < len(names) and names == SENTIMENTS:
        return names[value]
    if isinstance(value, str) and value in names:
        return value
    raise ValueError(f"label {value!r} is not one of {', '.join(names)}")


def read_eval_file(path: Path, reasons: Sequence[str] = ()) -> list[Example]:
    """``--eval`` input: a ``*_text.txt`` + ``*_labels.txt`` pair, or JSONL with ``text`` and labels.

    JSONL labels: ``sentiment`` (negative|neutral|positive, or 0/1/2), ``urgency`` (low|normal|high|critical)
    and ``reason`` (one of ``reasons``, the taxonomy), any of them.
    """
    if path.name.endswith("_text.txt"):
        return read_text_labels(path)
    from inbox.nlp.types import LEVELS

    out = []
    for n, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(
                Example(
                    row["text"],
                    _label(row.get("sentiment"), SENTIMENTS),
                    _label(row.get("urgency"), LEVELS),
                    reason=_label(row.get("reason"), tuple(reasons)),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: {exc}") from None
    return out


def iter_input(lines: Iterator[str]) -> Iterator[str]:
    """``inbox classify`` input: each line is a JSON object with ``text``, or else the text itself."""
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("{"):
            try:
                row = json.loads(line)
            except ValueError:
                yield line
                continue
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                yield row["text"]
                continue
        yield line
