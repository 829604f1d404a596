"""Who holds a stream's lease: a worker's owner name and how long its leases last. Nothing is read at import.

A ``Worker`` is built once when a listener or a backfill starts, from ``Settings`` (``INBOX_WORKER_HOST``,
``INBOX_LEASE_SECONDS``). Its owner name is ``host:pid:tag``, so a lease left by a process of this machine
that no longer runs is taken over at once; a lease of another machine waits for its expiry.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta

from inbox.settings import Settings


@dataclass(frozen=True, slots=True)
class Worker:
    """``owner`` is written in the leases this process claims; ``lease`` is how long one lasts unrenewed."""

    host: str
    owner: str
    lease: timedelta

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Worker:
        """This process as a lease holder (the settings are read now, from the environment when None)."""
        settings = settings or Settings()
        host = settings.worker_host or socket.gethostname()
        owner = f"{host}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        return cls(host, owner, timedelta(seconds=settings.lease_seconds))

    def owner_is_dead(self, owner: str | None) -> bool:
        """True when ``owner`` is a process of this machine (not this worker) that no longer runs."""
        if not owner:
            return False
        host, _, rest = owner.partition(":")
        pid = rest.partition(":")[0]
        if host != self.host or not pid.isdigit() or owner == self.owner:
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
