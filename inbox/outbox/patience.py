"""Writing down what a platform already did: a database that is away (restarting, failing over) is waited
for, since the outcome held in memory is the only copy. No I/O but the caller's write and sleeping.

A sender that posted a reply and then cannot record it would leave it ``sending``; once its claim ran out,
another sender would look for it on the platform, and where the platform offers no way to look (Telegram,
Meta's private messages) mark it *uncertain* for a person.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger("inbox.outbox.patience")

T = TypeVar("T")
PATIENCE_SECONDS = (
    600.0  # a restart or a failover ends well before; a sender stopped meanwhile: recover_stuck
)
FIRST_WAIT, LONGEST_WAIT = 0.5, 15.0


def _away(exc: DBAPIError) -> bool:
    """The connection failed (refused, reset, server shutting down), not the statement."""
    return isinstance(exc, OperationalError) or bool(exc.connection_invalidated)


def while_database_away(
    write: Callable[[], T],
    what: str,
    patience: float = PATIENCE_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``write()``, tried again while the database cannot be reached, for up to ``patience`` seconds."""
    deadline, wait = time.monotonic() + patience, FIRST_WAIT
    while True:
        try:
            return write()
        except DBAPIError as exc:
            if not _away(exc) or time.monotonic() + wait > deadline:
                raise
            log.warning("%s: the database cannot be reached; trying again in %.1f s", what, wait)
        sleep(wait)
        wait = min(wait * 2, LONGEST_WAIT)
