"""One time for every worker: the database server's, so leases hold between machines whose clocks disagree.

Workers on several machines share leases (a listener's stream, a sender's claimed reply) written as "held
until" times. With each machine's own clock, one running three minutes fast takes every lease as expired and
a claimed reply can be posted twice. On PostgreSQL a ``ServerClock`` reads the server's time
(``clock_timestamp()``) at most once a minute and keeps this machine's offset from it, half the round trip
allowed for; each reading is then this machine's clock plus that offset. SQLite is a file on one machine, so
its time is that machine's. A failed reading keeps the last offset (none before the first), so a database
outage never stops the clock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("inbox.store")
REFRESH = timedelta(minutes=1)
WARN_OFFSET = timedelta(seconds=30)  # a machine this far from the database is logged once per reading


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ServerClock:
    """A callable clock: this machine's time corrected to the database server's (PostgreSQL)."""

    def __init__(
        self,
        engine: Engine,
        local: Callable[[], datetime] = _utcnow,
        refresh: timedelta = REFRESH,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._local = local
        self._refresh = refresh.total_seconds()
        self._monotonic = monotonic
        self._server = engine.dialect.name == "postgresql"
        self.offset = timedelta(0)
        self._read_at: float | None = None

    def __call__(self) -> datetime:
        if self._server and (self._read_at is None or self._monotonic() - self._read_at >= self._refresh):
            self._read()
        return self._local() + self.offset

    def _read(self) -> None:
        self._read_at = self._monotonic()
        try:
            with self._engine.connect() as connection:
                before = self._local()
                server = connection.execute(text("SELECT clock_timestamp()")).scalar_one()
                after = self._local()
        except SQLAlchemyError as exc:
            log.warning("database time not read (%s); the offset stays %s", type(exc).__name__, self.offset)
            return
        if server.tzinfo is None:  # a server whose TimeZone setting gives no offset: its value is UTC
            server = server.replace(tzinfo=UTC)
        self.offset = server - (before + (after - before) / 2)
        if abs(self.offset) >= WARN_OFFSET:
            log.warning(
                "this machine's clock is %s off the database server's; using the server's", self.offset
            )
