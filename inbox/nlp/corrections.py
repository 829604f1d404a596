"""Agents' corrections as training data: read and written as JSONL, laid over a job's labelled rows. Pure.

Rule, stated once: a corrected message outranks every other label of the same text. A labelled row whose
normalised text an agent corrected takes the agent's label, and each corrected text is added ``COPIES``
more times, so a team's own corrections weigh more than one row of a public corpus. ``inbox train`` exports
the corrections in force from the database (``inbox.desk.corrections.training_examples``) into
``<work_dir>/corrections.jsonl`` and hands them to every job they concern.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from inbox.nlp.normalise import normalise

COPIES = 3  # a corrected text counts this many times besides its own row
FILE = "corrections.jsonl"


@dataclass(frozen=True, slots=True)
class Corrected:
    """One correction in force: the message's text and language, the field (urgency, sentiment, language,
    reason) and the agent's label."""

    text: str
    language: str | None
    field: str
    label: str


def write(path: Path, items: Iterable[Corrected]) -> int:
    """Write ``items`` as JSONL; returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(asdict(c), ensure_ascii=False) for c in items]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def read(path: Path) -> list[Corrected]:
    """The corrections of a JSONL file written by ``write`` (none when it is not there)."""
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Corrected(r["text"], r.get("language"), r["field"], r["label"]) for r in rows]


def labels_for(
    corrections: Sequence[Corrected], field: str, lang: str, relabel: Callable[[str], str] = str
) -> dict[str, str]:
    """Normalised text -> label: corrections of ``field`` on messages in ``lang`` (the latest wins)."""
    out: dict[str, str] = {}
    for c in corrections:
        text = normalise(c.text)
        if c.field == field and (c.language or "en") == lang and text:
            out[text] = relabel(c.label)
    return out


def overlay(
    rows: Sequence[tuple[str, str]], corrected: dict[str, str], copies: int = COPIES
) -> list[tuple[str, str]]:
    """``rows`` (normalised text, label) with the agents' labels laid over them, plus ``copies`` of each."""
    out = [(text, corrected.get(text, label)) for text, label in rows]
    out += [(text, label) for text, label in corrected.items() for _ in range(copies)]
    return out
