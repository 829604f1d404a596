"""How soon a stream may be read again, from the rate-limit headers X sends with every answer.

X answers each call with ``x-rate-limit-remaining`` and ``x-rate-limit-reset`` (Unix seconds) for its endpoint
and user. Read as often as the channel's interval asks, a small window (DM events: 15 calls per 15 minutes)
is spent in minutes and then refused until it resets; instead the calls left are spread evenly until the
reset. A window whose calls left come more often than every ``SMALL_STEP`` seconds (mentions: 300 per 15
minutes) asks for no wait, nor does a spent one (X refused the call: the listener already waits for the
reset). Thread-safe; the clock is real time, since the window is X's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import requests

SMALL_STEP = 5.0  # seconds between calls under which a window is left to the channel's interval
X_WINDOW = 900.0  # X's windows last 15 minutes: a longer wait (a reset said to be years away) is not believed


@dataclass(frozen=True, slots=True)
class Window:
    """What X said of one endpoint's window at ``seen_at``."""

    remaining: int
    reset_at: float  # Unix seconds
    seen_at: float

    def wait(self, now: float) -> float:
        """Seconds before the next call: what was left of the window at ``seen_at`` shared evenly by the
        calls left; none once it reset, when that share is small, or when none is left (a refusal's wait);
        never more than one window (``X_WINDOW``)."""
        if now >= self.reset_at or self.remaining <= 0:
            return 0.0
        step = (self.reset_at - self.seen_at) / self.remaining
        return 0.0 if step < SMALL_STEP else min(X_WINDOW, max(0.0, self.seen_at + step - now))


def window_of(headers: Mapping[str, str], now: float) -> Window | None:
    """The window an answer reports, or None when it reports none (or something unreadable)."""
    try:
        return Window(int(headers["x-rate-limit-remaining"]), float(headers["x-rate-limit-reset"]), now)
    except (KeyError, ValueError):
        return None


def endpoint_of(path: str) -> str | None:
    """The endpoint a stream reads, by the path called: ``dm_events``, ``mentions`` or ``search``."""
    parts = [p for p in path.split("/") if p]
    if parts[-1:] == ["dm_events"] and len(parts) == 2:
        return "dm_events"
    if parts[-1:] == ["mentions"]:
        return "mentions"
    if parts[-2:] == ["search", "recent"]:
        return "search"
    return None


def stream_endpoint(stream: str) -> str:
    return {"dms": "dm_events", "mentions": "mentions"}.get(stream, "search")


class Pacer:
    """The last window seen per endpoint; ``record`` is a ``requests`` response hook."""

    def __init__(self) -> None:
        self._windows: dict[str, Window] = {}
        self._lock = threading.Lock()

    def record(self, response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        endpoint = endpoint_of(urlparse(response.url).path)
        window = window_of(response.headers, time.time()) if endpoint else None
        if endpoint and window:
            with self._lock:
                self._windows[endpoint] = window

    def wait_before(self, stream: str, now: float | None = None) -> float:
        with self._lock:
            window = self._windows.get(stream_endpoint(stream))
        return window.wait(time.time() if now is None else now) if window else 0.0
