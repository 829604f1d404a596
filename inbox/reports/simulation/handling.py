"""Handling times (DMT) the simulated agents take: drawn from the observed ones, else a stated default. Pure.

Rule: a job's handling time is drawn at random, with replacement, from the handling times observed on its
channel and kind (docs/kpis.md, "Handling time"); with fewer than ``MIN_SAMPLES`` there, from those of its
kind on every channel; with fewer again, from an exponential law of mean ``DEFAULT_MINUTES`` (the M/M/c
assumption Erlang C makes). Draws follow the arrivals' order with one seeded generator, so every staffing
level and policy of a run meets the same jobs with the same handling times.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_MINUTES = 5.0  # a short social-media answer: read the thread, pick a template, adapt, send
MIN_SAMPLES = 5


@dataclass(frozen=True, slots=True)
class HandlingModel:
    """Observed handling minutes per (channel, charter kind), and the default mean."""

    observed: Mapping[tuple[str, str], Sequence[float]] = field(default_factory=dict)
    default_minutes: float = DEFAULT_MINUTES

    def pool(self, channel: str, kind: str) -> Sequence[float] | None:
        """The observed minutes a job of this channel and kind draws from; None: the default law."""
        own = self.observed.get((channel, kind), ())
        if len(own) >= MIN_SAMPLES:
            return own
        same_kind = [m for (_, k), values in sorted(self.observed.items()) if k == kind for m in values]
        return same_kind if len(same_kind) >= MIN_SAMPLES else None

    def draw(self, rng: random.Random, channel: str, kind: str) -> float:
        """One handling time in minutes (> 0)."""
        pool = self.pool(channel, kind)
        if pool is not None:
            return max(rng.choice(pool), 0.1)
        return max(rng.expovariate(1 / self.default_minutes), 0.1)

    def observed_count(self) -> int:
        return sum(len(v) for v in self.observed.values())
