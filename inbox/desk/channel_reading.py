"""Whether a listener works a channel now, as agents need to know when a reply waits in the outbox.

Rule, stated once: a listener that runs a channel reads its streams (each poll stamps ``last_poll_at``) and
sends its replies. A channel whose streams were last read more than ``IDLE_AFTER`` ago has no listener
working it, so its queued replies wait; one with no stream read ever (only webhooks, or never started)
tells nothing, and nothing is said.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from inbox.store.tables import ListeningCursor

IDLE_AFTER = timedelta(minutes=10)  # several polling intervals: a listener polls every 15-60 s
QUEUED_FOR = timedelta(minutes=2)  # a reply queued longer than this while the channel is idle is said so


def idle_since(session: Session, channel_id: int, now: datetime) -> datetime | None:
    """When the channel's streams were last read, if that is over ``IDLE_AFTER`` ago; else None (read
    lately, or never read: nothing to go by)."""
    last = session.exec(
        select(func.max(ListeningCursor.last_poll_at)).where(ListeningCursor.channel_id == channel_id)
    ).one()
    if last is None:
        return None
    last = last if last.tzinfo is not None else last.replace(tzinfo=UTC)
    return last if now - last > IDLE_AFTER else None


def waits_for_a_listener(
    created_at: datetime | None, status: str, idle: datetime | None, now: datetime
) -> bool:
    """A reply still queued ``QUEUED_FOR`` after it was written, on a channel idle since ``idle``."""
    if idle is None or status != "pending" or created_at is None:
        return False
    created = created_at if created_at.tzinfo is not None else created_at.replace(tzinfo=UTC)
    return now - created > QUEUED_FOR
