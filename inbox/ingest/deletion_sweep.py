"""Deletions found by asking the platform again, where it pushes none we read (Mastodon, Bluesky): the
channel's customer items stored lately are checked, and those gone are erased as a Meta removal is
(``deletions``).

Engine-taking; one transaction per sweep. Rules: only inbound messages of the last ``WINDOW`` not already
erased, newest first, at most ``LIMIT`` a sweep (one request each on Mastodon, one per 25 on Bluesky); the
listener sweeps a channel at most every ``EVERY``. A platform error ends the sweep without erasing anything
(the next one tries again). An item the brand can no longer see (an account suspended or blocking us) looks
deleted too, and is erased the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.capabilities import ChecksDeletions
from inbox.ingest.channels import Runtime
from inbox.ingest.deletions import DELETED, honour_deletions
from inbox.store.tables import Channel, Message

WINDOW, LIMIT, EVERY = timedelta(days=3), 100, timedelta(minutes=10)
ACTOR = "listener"


def candidates(session: Session, channel_id: int, now: datetime, *, limit: int = LIMIT) -> list[str]:
    """The platform ids of the channel's customer messages of the last ``WINDOW`` still held, newest first."""
    stmt = (
        select(Message.platform_id)
        .where(
            Message.channel_id == channel_id,
            Message.direction == "in",
            col(Message.created_at) >= now - WINDOW,
            Message.text != DELETED,
        )
        .order_by(col(Message.created_at).desc())
        .limit(limit)
    )
    return [i for i in session.exec(stmt) if i]


def sweep(engine: Engine, rt: Runtime, now: datetime) -> int:
    """Check the channel's recent customer items and erase the ones the platform no longer has."""
    if not isinstance(rt.connector, ChecksDeletions):
        return 0
    with Session(engine) as session:
        channel_id = session.exec(select(Channel.id).where(Channel.name == rt.name)).first()
        ids = candidates(session, channel_id, now) if channel_id is not None else []
    if channel_id is None or not ids:
        return 0
    gone = rt.connector.gone(ids)
    with Session(engine) as session, session.begin():
        return honour_deletions(session, channel_id, gone, now, actor=ACTOR)


class Sweeper:
    """When each channel was last swept in this process: ``due`` says whether to sweep it now."""

    def __init__(self, every: timedelta = EVERY) -> None:
        self.every, self.last = every, dict[str, datetime]()

    def due(self, name: str, now: datetime) -> bool:
        last = self.last.get(name)
        if last is not None and now - last < self.every:
            return False
        self.last[name] = now
        return True
