"""How long to wait before trying again: exponential back-off with jitter. Pure; imports nothing of the inbox.

Attempt 1 waits ``base``, each later attempt twice as long, never more than ``cap``. Jitter takes up to a
``jitter`` share off that wait, drawn from ``rng``, so workers that failed together do not retry together;
the wait therefore lies in ``((1 - jitter) * d, d]`` where ``d = min(cap, base * 2 ** (attempt - 1))``.
The listener, the outbox, escalation alerts and backfill all wait this way.
"""

from __future__ import annotations

import random

DEFAULT_JITTER = 0.25


def backoff(
    attempt: int, *, base: float, cap: float, jitter: float = DEFAULT_JITTER, rng: random.Random | None = None
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1 for the first failure; lower counts as 1).

    ``rng`` is the source of the jitter (a seeded ``random.Random`` in tests); None uses the process's.
    """
    if base <= 0 or cap < base or not 0 <= jitter < 1:
        raise ValueError(f"need 0 < base <= cap and 0 <= jitter < 1, got {base=}, {cap=}, {jitter=}")
    exponent = max(0, attempt - 1)
    full = cap if exponent >= 64 else min(cap, base * 2.0**exponent)  # 2**64 * base is past any cap
    draw = rng.random() if rng is not None else random.random()
    return full * (1 - jitter * draw)
