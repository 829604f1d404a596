"""Storing items that another writer may store at the same moment.

The poller, the webhook receiver and the outbox (recording our own sends) can each store the same platform
message; the unique (channel, platform id) index lets one win. The loser's transaction is rolled back whole
and tried again: its duplicate check then sees the winner's row and skips it. While a webhook flood and a
poll read the same backlog (a listener starting, a platform catching up), each try can meet another of the
page's items, hence a few tries before the failure is the caller's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

log = logging.getLogger("inbox.ingest.collisions")

TRIES = 5
T = TypeVar("T")


def store_retrying(store: Callable[[], T], what: str, tries: int = TRIES) -> T:
    """``store()``, again after each unique-index collision, at most ``tries`` times (the last one raises)."""
    for attempt in range(1, tries + 1):
        try:
            return store()
        except IntegrityError:
            if attempt == tries:
                raise
            log.info("%s: another writer stored one of these items meanwhile; try %d", what, attempt + 1)
    raise AssertionError("unreachable")
