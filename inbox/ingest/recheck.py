"""Deletions and edits found by asking the platform again, where it pushes none we read: the channel's
customer items stored lately are checked; those gone are erased as a Meta removal is (``deletions``:
Mastodon, Bluesky), and those edited take their newest words as any edit does (``edits``: Mastodon, where
an edit keeps the status id and only those who boosted it are notified).

Engine-taking; one transaction per sweep. Rules: only inbound messages of the last ``WINDOW`` not already
erased, newest first, at most ``LIMIT`` a sweep (one request each on Mastodon, one per 25 on Bluesky); the
listener sweeps a channel at most every ``EVERY``. A platform error ends the sweep without erasing anything
(the next one tries again). An edit is found within ``EVERY`` of the customer's change, for messages of the
last ``WINDOW``. An item the brand can no longer see (an account suspended or blocking us) looks
deleted too, and is erased the same way.

An item found gone is erased only when an item written no later than it, and stored by us no later than
it, is still there (the newest one older than the window that the platform can be asked about is asked too,
as that witness): a platform that answers "gone" for everything up to some point has forgotten, it was not
the customers (an instance reset or moved, a sandbox restarted with its demo world new). What it holds
since was stored after, even when it says it was written before (an import, a backdated demo backlog), so
it vouches for nothing older. Those wait, logged, and are asked again at the next sweep; erasure cannot be
undone.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.base import InboundItem
from connectors.capabilities import ChecksDeletions, ChecksEdits
from inbox.charter.deadlines import DuePolicy
from inbox.ingest.channels import Runtime
from inbox.ingest.classify_page import classify_items
from inbox.ingest.deletions import DELETED, honour_deletions
from inbox.ingest.edits import apply_edits, follow_edits
from inbox.ingest.page import Classifier, conversation_due
from inbox.store.tables import Channel, Message

WINDOW, LIMIT, EVERY = timedelta(days=3), 100, timedelta(minutes=10)
WITNESSES = 20  # messages older than the window read, for one the platform can be asked about
log = logging.getLogger(__name__)
ACTOR = "listener"


Asked = list[tuple[str, datetime, datetime]]  # (platform id, when written, when we stored it), newest first


def candidates(session: Session, channel_id: int, now: datetime, *, limit: int = LIMIT) -> Asked:
    """The channel's customer messages of the last ``WINDOW`` still held, newest first, then the newest ones
    older than the window (witnesses: ``sweep`` keeps the first it can ask about); empty when the window
    holds none."""
    held = (Message.channel_id == channel_id, Message.direction == "in", Message.text != DELETED)
    newest_first = (col(Message.created_at).desc(), col(Message.id).desc())
    columns = (Message.platform_id, col(Message.created_at), col(Message.ingested_at))
    recent = select(*columns).where(*held, col(Message.created_at) >= now - WINDOW)
    rows = session.exec(recent.order_by(*newest_first).limit(limit))
    ids = [(i, at, stored) for i, at, stored in rows if i and at and stored]
    if not ids:
        return []
    older = select(*columns).where(*held, col(Message.created_at) < now - WINDOW)
    witnesses = session.exec(older.order_by(*newest_first).limit(WITNESSES))
    return ids + [(i, at, stored) for i, at, stored in witnesses if i and at and stored]


def proven_gone(asked: Asked, gone: set[str]) -> list[str]:
    """The gone ids written no earlier, and stored no earlier, than some asked item that is still there."""
    there = [(at, stored) for i, at, stored in asked if i not in gone]
    return [
        i
        for i, at, stored in asked
        if i in gone and any(w_at <= at and w_stored <= stored for w_at, w_stored in there)
    ]


class Swept(NamedTuple):
    erased: int = 0  # customer items deleted on the platform, erased here
    edited: int = 0  # customer items edited on the platform, updated here


def sweep(
    engine: Engine, rt: Runtime, now: datetime, classifier: Classifier | None = None, *, due: DuePolicy
) -> Swept:
    """Check the channel's recent customer items: erase the ones the platform no longer has, and give the
    edited ones their newest words (classified with ``classifier``); an edit that changes what a message asks
    moves its conversation's reason, urgency and clocks (with ``due``, the listener's policy) as the same
    edit read on a page does (``edits.follow_edits``)."""
    if not isinstance(rt.connector, ChecksDeletions):
        return Swept()
    with Session(engine) as session:
        channel_id = session.exec(select(Channel.id).where(Channel.name == rt.name)).first()
        found = candidates(session, channel_id, now) if channel_id is not None else []
    askable = [c for c in found if rt.connector.checks(c[0])]
    recent = [c for c in askable if c[1] >= now - WINDOW]
    if channel_id is None or not recent:
        return Swept()
    asked = recent + [c for c in askable if c[1] < now - WINDOW][:1]  # and one witness, if any
    edits: list[InboundItem] = []
    if isinstance(rt.connector, ChecksEdits):
        found_gone, edits = rt.connector.recheck([c[0] for c in asked])
        gone = set(found_gone)
    else:
        gone = set(rt.connector.gone([c[0] for c in asked]))
    proven = proven_gone(asked, gone)
    if len(proven) < len(gone):
        log.warning(
            "%s: %d item(s) answer 'gone' with no older item still there: the platform or the account may "
            "have changed, not the customers; not erased (asked again at the next sweep)",
            rt.name,
            len(gone) - len(proven),
        )
    labels = classify_items(classifier, edits) if classifier is not None and edits else {}
    with Session(engine) as session, session.begin():
        erased = honour_deletions(session, channel_id, proven, now, actor=ACTOR)
        applied = apply_edits(session, channel_id, edits, labels) if edits else None
        if applied is not None and applied.rejudged:
            channel = session.get(Channel, channel_id)
            assert channel is not None
            follow_edits(session, applied.rejudged, conversation_due(session, due, channel))
    return Swept(erased, applied.edited if applied is not None else 0)


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
