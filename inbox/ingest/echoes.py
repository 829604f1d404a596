"""Our own automatic messages seen again on the platform (a webhook echo, a polled page): never an answer.

The outbox records each message it sends (``raw["outbox"]`` holds its key), but the platform may show it to
us first: Meta pushes the echo of a Messenger or Instagram message before the send call returns, a poll may
read a post before the sender records it. Such an echo is stored as the brand's message, and an automatic one
(out-of-hours reply, peak acknowledgement, survey) must stop no clock on any channel: ``automatic_echoes``
recognises it while ingesting (by platform id, or by its text while the reply is not yet recorded), and
``tag_automatic`` is the outbox's second chance when it finds its message already stored untagged.
Session-taking, never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from connectors.base import InboundItem
from inbox.ingest.clocks import recompute_stored
from inbox.ingest.threads import AUTOMATIC_PREFIX, DueFn, is_automatic
from inbox.store import records as store
from inbox.store.tables import Conversation, Message, OutboundReply


def automatic_echoes(session: Session, channel_id: int, items: Sequence[InboundItem]) -> dict[str, str]:
    """Platform id -> outbox key of the brand's items that are our automatic messages (one query, and only
    when the page holds brand items)."""
    own = [i for i in items if i.direction == "out"]
    if not own:
        return {}
    r = OutboundReply
    stmt = select(r.idempotency_key, r.platform_id, r.text).where(
        r.channel_id == channel_id,
        col(r.idempotency_key).like(f"{AUTOMATIC_PREFIX}%"),
        or_(
            store.one_of(session, col(r.platform_id), [i.external_id for i in own]),
            and_(col(r.status) != "sent", store.one_of(session, col(r.text), [i.text for i in own])),
        ),
    )
    by_id: dict[str, str] = {}
    by_text: dict[str, str] = {}
    for key, platform_id, text in session.exec(stmt):
        if platform_id:
            by_id[platform_id] = key
        by_text.setdefault(text, key)
    found: dict[str, str] = {}
    for item in own:
        match = by_id.get(item.external_id) or by_text.get(item.text)
        if match is not None:
            found[item.external_id] = match
    return found


def _stored_due(conv: Conversation) -> DueFn:
    """The first-response due time stored at arrival (an echo stops no clock before the first answer
    without leaving it); a next-response clock's due time is not stored once stopped."""
    first_due = conv.first_response_due_at

    def due(_conv: Conversation, _since: datetime, is_next: bool) -> datetime | None:
        return None if is_next else first_due

    return due


def tag_automatic(session: Session, channel_id: int, platform_id: str, key: str) -> None:
    """The outbox sent automatic message ``key`` and finds it stored already (its echo came first): mark it
    automatic and, if it was taken for an answer, give its conversation back the clock it stopped."""
    if not is_automatic(key):
        return
    message = session.exec(
        select(Message).where(Message.channel_id == channel_id, Message.platform_id == platform_id)
    ).first()
    if message is None or is_automatic((message.raw or {}).get("outbox")):
        return
    message.raw = {**(message.raw or {}), "outbox": key}
    conv = session.get(Conversation, message.conversation_id)
    if conv is not None and message.direction == "out":
        session.flush()
        recompute_stored(session, [conv], _stored_due)
