"""Who may call the Mastodon sandbox (bearer tokens with scopes) and how often (Mastodon's windows). No I/O.

Rate-limit headers follow Mastodon: ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and
``X-RateLimit-Reset`` as an ISO 8601 time with microseconds. Stock limits: 300 API calls per 5 minutes
per token; new statuses 300 per 3 hours per account.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from connectors.sandbox._windows import FixedWindows

# family -> (calls, window seconds)
STOCK_LIMITS: dict[str, tuple[int, float]] = {"api": (300, 300.0), "statuses": (300, 10_800.0)}
RELAXED: dict[str, tuple[int, float]] = {"api": (10_000, 300.0), "statuses": (10_000, 10_800.0)}
INVALID_TOKEN = "The access token is invalid"
OUT_OF_SCOPE = "This action is outside the authorized scopes"


class Denied(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


def reset_header(at: float) -> str:
    """Mastodon's ``X-RateLimit-Reset``: ``iso8601(6)``, e.g. ``2026-12-01T21:25:00.000000Z``."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def authenticate(authorization: str | None, tokens: Mapping[str, frozenset[str]], scope: str) -> str:
    """The caller's token when it is known and holds ``scope`` (read or write); else Denied 401/403."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or token.strip() not in tokens:
        raise Denied(401, INVALID_TOKEN)
    if scope not in tokens[token.strip()]:
        raise Denied(403, OUT_OF_SCOPE)
    return token.strip()


class RateLimits(FixedWindows):
    """Fixed windows per (family, token); each call spends one unit. Thread-safe."""

    def __init__(
        self, limits: Mapping[str, tuple[int, float]] | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        unknown = set(limits or {}) - set(STOCK_LIMITS)
        if unknown:
            raise ValueError(f"unknown rate-limit families {sorted(unknown)}; known: {sorted(STOCK_LIMITS)}")
        super().__init__({**RELAXED, **(limits or {})}, clock=clock)

    def spend(self, family: str, caller: str) -> tuple[bool, dict[str, str]]:
        """Whether the call may proceed, and the ``X-RateLimit-*`` headers for the answer."""
        spent = self.take(family, caller)
        return spent.allowed, {
            "X-RateLimit-Limit": str(spent.limit),
            "X-RateLimit-Remaining": str(spent.remaining),
            "X-RateLimit-Reset": reset_header(spent.reset_at),
        }
