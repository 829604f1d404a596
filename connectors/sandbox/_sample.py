"""The shipped *Customer Support on Twitter* sample (``data/``, CC BY-NC-SA 4.0) as replay material: its
rows, made-up personas for its anonymised authors, brand rewriting and the replay order. Pure.

Deterministic: who becomes a DM, names, follower counts and the order all derive from hashes of the
sample's ids.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from connectors.sandbox._replay import stable_hash

SAMPLE = Path(__file__).parent / "data" / "twcs_sample.csv"
DM_EVERY = 6  # one thread in six is replayed as DMs
LEADING_HANDLES = re.compile(r"^\W*(?:@\w+[\s:,.]*)+")
FIRST_NAMES = (
    "Alex Amina Ben Carla Chen Dana Eli Emma Farah Gus Hana Ivan Jade Jon Kai Kim Leo Lina Luca Maya "
    "Mia Nico Noor Omar Paula Raj Rosa Sam Sara Tom Uma Vera Will Yara Zoe".split()
)


@dataclass(frozen=True)
class SampleRow:
    tweet_id: str
    author_id: str  # anonymised by the dataset author
    brand: str  # the handle the customer wrote to
    created_at: str
    reply_to: str  # the customer's previous tweet in the thread (sample id), "" for a thread's first
    thread: str
    text: str


@dataclass(frozen=True)
class Planned:
    row: SampleRow
    as_dm: bool  # the whole thread goes private


def load_sample(path: Path = SAMPLE) -> list[SampleRow]:
    with path.open(encoding="utf-8", newline="") as f:
        return [SampleRow(**row) for row in csv.DictReader(f)]


def rewrite_brand(text: str, brand: str, handle: str) -> str:
    """Every ``@brand`` becomes ``@handle``; a text that never named the brand gets it in front."""
    out, n = re.subn(rf"@{re.escape(brand)}(?!\w)", f"@{handle}", text, flags=re.IGNORECASE)
    return out if n else f"@{handle} {text}"


def as_written(text: str) -> str:
    """A sample text as its author wrote it: the corpus keeps X's escaping (``&amp;``, ``&lt;``, ``&gt;``),
    which only X's API sends; the other platforms' replays post the plain text."""
    return html.unescape(text)


def name_brand(text: str, brand: str, name: str) -> str:
    """Every ``@brand`` becomes the brand's ``name`` (a Facebook or Instagram tag of the page reads as its
    name; the sample's brands are other companies)."""
    return re.sub(rf"@{re.escape(brand)}(?!\w)", name, text, flags=re.IGNORECASE)


def dm_text(text: str) -> str:
    """A DM does not start with @handles: drop the leading ones (keep the text if nothing is left)."""
    return LEADING_HANDLES.sub("", text).strip() or text


def persona(author_id: str, cycle: int = 0) -> tuple[str, str, int]:
    """A plausible (handle, name, followers) for an anonymised author in round ``cycle`` of the replay
    (another person in each round); about 1 in 25 is a large account."""
    h = stable_hash("persona", author_id) if cycle == 0 else stable_hash("persona", author_id, str(cycle))
    first = FIRST_NAMES[h % len(FIRST_NAMES)]
    name = f"{first} {chr(ord('A') + (h >> 8) % 26)}."
    spread = ((h >> 16) % 10_000) / 10_000
    followers = 20_000 + int(spread * 880_000) if (h >> 32) % 25 == 0 else int(10 ** (1 + 2.7 * spread))
    number = author_id if cycle == 0 else str(100_000 + (h >> 40) % 900_000)
    return f"{first.lower()}_{number}", name, followers


def plan(rows: Sequence[SampleRow]) -> list[Planned]:
    """The replay order: threads shuffled by hash, every sixth thread as DMs, and each follow-up
    released two to four items after the previous tweet of its thread (spread out, as in real traffic)."""
    threads: dict[str, list[SampleRow]] = {}
    for row in rows:
        threads.setdefault(row.thread or row.tweet_id, []).append(row)
    keyed: list[tuple[float, Planned]] = []
    for index, root in enumerate(sorted(threads, key=lambda t: stable_hash("order", t))):
        at, as_dm = float(index), index % DM_EVERY == DM_EVERY - 1
        for row in threads[root]:
            keyed.append((at, Planned(row, as_dm)))
            at += 2 + stable_hash("gap", row.tweet_id) % 3 + 0.5
    return [planned for _, planned in sorted(keyed, key=lambda kp: kp[0])]
