"""The replay every sandbox shares: a backdated backlog of customer items, then a drip until stopped.

A platform's replayer subclasses ``Replayer`` and says only how its n-th item is posted (``post``); the
backlog's times, the count, the drip's daemon thread and stopping are here. Deterministic but for the clock.
"""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Self, TypeVar

T = TypeVar("T")
ROUNDS_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # ``clock_round`` counts from there
CLOCK = -1  # ``Replays.first_round``: start at the ``clock_round``
R = TypeVar("R", bound="Replayer[Any]")


def stable_hash(*parts: str) -> int:
    """A 64-bit hash of ``parts``, the same in every process (unlike ``hash()``)."""
    return int.from_bytes(hashlib.sha256(":".join(parts).encode()).digest()[:8], "big")


def clock_round(now: datetime) -> int:
    """A first round no earlier start has reached: the seconds since ``ROUNDS_EPOCH``. A run goes at most
    one round past its first (its backlog) plus one per ``interval × script length`` seconds (240 s or more
    in every sandbox), so after two seconds it is behind the clock. A restarted demo (the sandboxes forget,
    the inbox does not) then hears from other customers, not the same people saying the same words again."""
    return int((now - ROUNDS_EPOCH).total_seconds())


def backdated(now: datetime, span: timedelta, count: int, *, jitter: bool = False) -> list[datetime]:
    """``count`` times, oldest first, one step apart over the ``span`` before ``now``; with ``jitter`` each
    moves later by up to 60 % of a step, by hash of its place (the same on every run)."""
    step = span / max(count, 1)
    times = []
    for i in range(count):
        shift = step * ((stable_hash("jitter", str(i)) % 600) / 1000) if jitter else timedelta(0)
        times.append(now - span + step * i + shift)
    return times


class Replayer(ABC, Generic[T]):
    """Seeds ``backlog`` items over the past ``span``, then releases one every ``interval`` seconds in a
    daemon thread until ``stop()`` (no drip when ``interval`` <= 0)."""

    jitter = False  # spread the backlog unevenly (see ``backdated``)
    thread_name = "sandbox-replay"
    first_round = 0  # the round of the script the replay starts at (``round_of``, ``clock_round``)

    def __init__(self, *, backlog: int, interval: float, span: timedelta) -> None:
        self.backlog, self.interval, self.span = backlog, interval, span
        self.released = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @abstractmethod
    def post(self, index: int, at: datetime | None) -> T:
        """Post the replay's ``index``-th item (0, 1, 2 ... never reset: cycle with ``%``), created ``at``
        (None: now); returns what the sandbox made of it."""

    @property
    @abstractmethod
    def script_length(self) -> int:
        """How many items one round of the replay's script has."""

    def round_of(self, index: int) -> int:
        """Which round of the script the ``index``-th item belongs to, counted from ``first_round``: each
        round is written by other customers."""
        return self.first_round + index // self.script_length

    def release(self, at: datetime | None = None) -> T:
        """Post the next item."""
        index, self.released = self.released, self.released + 1
        return self.post(index, at)

    def seed(self, now: datetime | None = None) -> list[T]:
        """Release the backlog now, backdated: the oldest ``span`` ago, the newest a step ago."""
        times = backdated(now or datetime.now(UTC), self.span, self.backlog, jitter=self.jitter)
        return [self.release(at) for at in times]

    def start(self) -> Self:
        """Seed the backlog, then drip in a daemon thread (no drip when ``interval`` <= 0)."""
        self.seed()
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, daemon=True, name=self.thread_name)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.release()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


class Replays:
    """The replayers a sandbox started: counted in its state, stopped with it; each starts at
    ``first_round`` (``inbox sandbox … --round``)."""

    def __init__(self) -> None:
        self.running: list[Replayer[Any]] = []
        self.first_round = 0  # or CLOCK

    def start(self, replayer: R) -> R:
        self.running.append(replayer)
        clock = self.first_round == CLOCK
        replayer.first_round = clock_round(datetime.now(UTC)) if clock else self.first_round
        return replayer.start()

    def state(self) -> dict[str, int]:
        """``running`` and ``released`` (all replayers together), for ``GET /_sandbox/state``."""
        return {"running": len(self.running), "released": sum(r.released for r in self.running)}

    def stop(self) -> None:
        for replayer in self.running:
            replayer.stop()
