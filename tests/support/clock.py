"""A clock the tests move by hand: what the listener, the outbox and automation call for "now"."""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    """Returns ``now`` (the current time when not given) until a test moves it: ``clock.now += MINUTE``."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now if now is not None else datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now
