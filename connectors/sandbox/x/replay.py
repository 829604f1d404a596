"""Replays the shipped Customer Support on Twitter sample as live X traffic: a backdated backlog, then a drip.

Deterministic: who becomes a DM, follower counts, names and the order all derive from hashes of the
sample's ids. Only the clock (``created_at`` of released items) depends on when the replay runs.
"""

from __future__ import annotations

import csv
import hashlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

SAMPLE = Path(__file__).parents[1] / "data" / "twcs_sample.csv"
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


class ReplayTarget(Protocol):
    """What the replayer needs from a sandbox."""

    brand_handle: str

    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str: ...

    def add_mention(
        self,
        text: str,
        author: str = ...,
        in_reply_to: str | None = ...,
        *,
        created_at: datetime | None = ...,
    ) -> str: ...

    def add_dm(self, text: str, sender: str = ..., *, created_at: datetime | None = ...) -> str: ...


def load_sample(path: Path = SAMPLE) -> list[SampleRow]:
    with path.open(encoding="utf-8", newline="") as f:
        return [SampleRow(**row) for row in csv.DictReader(f)]


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256(":".join(parts).encode()).digest()[:8], "big")


def rewrite_brand(text: str, brand: str, handle: str) -> str:
    """Every ``@brand`` becomes ``@handle``; a text that never named the brand gets it in front."""
    out, n = re.subn(rf"@{re.escape(brand)}(?!\w)", f"@{handle}", text, flags=re.IGNORECASE)
    return out if n else f"@{handle} {text}"


def dm_text(text: str) -> str:
    """A DM does not start with @handles: drop the leading ones (keep the text if nothing is left)."""
    return LEADING_HANDLES.sub("", text).strip() or text


def persona(author_id: str) -> tuple[str, str, int]:
    """A plausible (handle, name, followers) for an anonymised author; about 1 in 25 is a large account."""
    h = _hash("persona", author_id)
    first = FIRST_NAMES[h % len(FIRST_NAMES)]
    name = f"{first} {chr(ord('A') + (h >> 8) % 26)}."
    spread = ((h >> 16) % 10_000) / 10_000
    followers = 20_000 + int(spread * 880_000) if (h >> 32) % 25 == 0 else int(10 ** (1 + 2.7 * spread))
    return f"{first.lower()}_{author_id}", name, followers


@dataclass(frozen=True)
class Planned:
    row: SampleRow
    as_dm: bool  # the whole thread goes private


def plan(rows: Sequence[SampleRow]) -> list[Planned]:
    """The replay order: threads shuffled by hash, every sixth thread as DMs, and each follow-up
    released two to four items after the previous tweet of its thread (spread out, as in real traffic)."""
    threads: dict[str, list[SampleRow]] = {}
    for row in rows:
        threads.setdefault(row.thread or row.tweet_id, []).append(row)
    keyed: list[tuple[float, Planned]] = []
    for index, root in enumerate(sorted(threads, key=lambda t: _hash("order", t))):
        at, as_dm = float(index), index % DM_EVERY == DM_EVERY - 1
        for row in threads[root]:
            keyed.append((at, Planned(row, as_dm)))
            at += 2 + _hash("gap", row.tweet_id) % 3 + 0.5
    return [planned for _, planned in sorted(keyed, key=lambda kp: kp[0])]


class Replayer:
    """Seeds ``backlog`` items spread over the past ``span``, then releases one every ``interval`` seconds
    (cycling through the sample) in a daemon thread until ``stop()``."""

    def __init__(
        self,
        target: ReplayTarget,
        rows: Sequence[SampleRow],
        *,
        backlog: int = 40,
        interval: float = 15.0,
        span: timedelta = timedelta(hours=2),
    ) -> None:
        if not rows:
            raise ValueError("nothing to replay")
        self.target, self.order = target, plan(rows)
        self.backlog, self.interval, self.span = backlog, interval, span
        self.released = 0
        self.ids: dict[str, str] = {}  # sample tweet id -> sandbox id (mentions) of the current cycle
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def seed(self, now: datetime | None = None) -> list[str]:
        """Release the backlog now, backdated: oldest ``span`` ago, newest a few minutes ago."""
        now = now or datetime.now(UTC)
        step = self.span / max(self.backlog, 1)
        out = []
        for i in range(self.backlog):
            jitter = step * ((_hash("jitter", str(i)) % 600) / 1000)
            out.append(self.release(now - self.span + step * i + jitter))
        return out

    def release(self, created_at: datetime | None = None) -> str:
        """Replay the next row of the plan; returns the sandbox id of the mention or DM event."""
        position = self.released % len(self.order)
        if position == 0:
            self.ids.clear()
        row, as_dm = self.order[position].row, self.order[position].as_dm
        self.released += 1
        handle, name, followers = persona(row.author_id)
        self.target.add_user(handle, name=name, followers=followers)
        if as_dm:
            return self.target.add_dm(dm_text(row.text), sender=handle, created_at=created_at)
        text = rewrite_brand(row.text, row.brand, self.target.brand_handle)
        parent = self.ids.get(row.reply_to) if row.reply_to else None
        new_id = self.target.add_mention(text, author=handle, in_reply_to=parent, created_at=created_at)
        self.ids[row.tweet_id] = new_id
        return new_id

    def start(self) -> Replayer:
        """Seed the backlog, then drip in a daemon thread (no drip when ``interval`` <= 0)."""
        self.seed()
        if self.interval <= 0:
            return self
        self._thread = threading.Thread(target=self._run, daemon=True, name="sandbox-replay")
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.release()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
