"""Where a sandbox world's serial ids start, so that a restarted sandbox never reissues an earlier world's.

Real platforms never reuse an update, message or notification id, and a client keeps its cursors and the ids
it stored across their restarts. A sandbox built in a test numbers from fixed starts (``id_base`` 0), so its
ids are known in advance. The demo's worlds (each sandbox's ``main``) start at ``world_base()``:
``PER_SECOND`` ids per second since ``EPOCH``. A world then numbers above every id of an earlier world
(of the demo, or of the fixed starts), provided that world issued fewer than ``PER_SECOND`` ids of a kind
per second it ran: the replays seed a backlog of at most 40 items, then add one every 15 to 25 s.
"""

from __future__ import annotations

from datetime import UTC, datetime

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
PER_SECOND = 10


def world_base(now: datetime | None = None) -> int:
    """The offset a world started at ``now`` adds to its fixed starts: PER_SECOND × seconds since EPOCH."""
    elapsed = ((now or datetime.now(UTC)) - EPOCH).total_seconds()
    return max(0, int(elapsed)) * PER_SECOND
