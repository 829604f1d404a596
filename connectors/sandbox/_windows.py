"""Fixed rate-limit windows, as X and Mastodon count calls. No I/O; thread-safe.

Per (name, caller): each allowed call spends one unit, a refused one spends nothing, and the window starts
again once its length has passed since its first call. Each platform words the answer in its own headers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Spent:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float  # epoch seconds when the window ends


class FixedWindows:
    """``limits`` maps a name (an endpoint, a family) to ``(calls, window seconds)``."""

    def __init__(
        self, limits: Mapping[str, tuple[int, float]], *, clock: Callable[[], float] = time.time
    ) -> None:
        self.limits = dict(limits)
        self._clock = clock
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}  # -> (window start, used)
        self._lock = threading.Lock()

    def take(self, name: str, caller: str) -> Spent:
        """Spend one call of ``caller`` on ``name`` if its window has one left."""
        limit, length = self.limits[name]
        now = self._clock()
        with self._lock:
            start, used = self._windows.get((name, caller), (now, 0))
            if now >= start + length:
                start, used = now, 0
            allowed = used < limit
            used += 1 if allowed else 0
            self._windows[(name, caller)] = (start, used)
        return Spent(allowed, limit, max(0, limit - used), start + length)
