"""Messages written before their author was erased, delivered after it: never stored. Session-taking.

An erased account keeps a digest of its platform id (``inbox.store.gone.erased_id``, as an erased
message) and the time of its erasure (``updated_at``). A customer's item that a page brings after the
erasure (the page was under way while it ran, a poll or a webhook came a little later, a backfill) but that
they wrote no later than it is their erased data: it is dropped, counted with the page's erased items and
audited (``privacy.late_message_dropped``: how many, which channel, never the words or the author). One
written after the erasure is a new contact's, stored as new.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from connectors.base import InboundItem
from inbox.store.gone import erased_id
from inbox.store.records import audit
from inbox.store.tables import Channel, Contact

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # an author never erased: every item of theirs is kept


def _erased_at(session: Session, channel_id: int, authors: set[str]) -> dict[str, datetime]:
    """Each of these platform ids whose account was erased: when (its latest erasure holds the digest)."""
    digests = {erased_id(a): a for a in authors}
    if not digests:
        return {}
    stmt = select(Contact.platform_id, Contact.updated_at).where(
        Contact.channel_id == channel_id, col(Contact.platform_id).in_(sorted(digests))
    )
    found: dict[str, datetime] = {}
    for platform_id, at in session.exec(stmt):
        if at is not None:
            found[digests[platform_id]] = at
    return found


def drop_erased(
    session: Session, channel: Channel, items: Sequence[InboundItem], now: datetime
) -> tuple[list[InboundItem], int]:
    """``(kept, dropped)``: the page's items less the customers' written no later than their erasure."""
    assert channel.id is not None
    authors = {i.author.platform_id for i in items if i.direction == "in"}
    erased = _erased_at(session, channel.id, authors)
    if not erased:
        return list(items), 0
    kept = [
        i
        for i in items
        if i.direction != "in"
        or i.author.platform_id not in erased
        or i.created_at > erased[i.author.platform_id]
    ]
    dropped = len(items) - len(kept)
    if dropped:
        audit(
            session,
            "listener",
            "privacy.late_message_dropped",
            target=("channel", channel.id),
            detail={"messages": dropped, "channel": channel.name},
            at=now,
        )
    return kept, dropped
