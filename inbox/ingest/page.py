"""Ingestion: one page from a connector into the store, with the cursor that covers it.

``ingest_batch`` adds to the caller's transaction and never commits: the caller commits the messages,
the quarantined items, the read counter and the new cursor together, so a kill at any point loses
nothing and duplicates nothing. Idempotent on (channel, platform id).

Conversations are updated message by message as the page is read (``inbox.ingest.threads``). A page can
bring a conversation a message older than one it already holds (pages read newest first): those
conversations alone are then recomputed from their stored messages (``inbox.ingest.clocks``), so their
clocks follow the messages' own times, never the order they were stored in. The brand's items that are
echoes of our automatic messages are stored with their outbox key and stop no clock (``inbox.ingest.echoes``).
A customer's edit of a stored message updates it in place (``inbox.ingest.edits``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from connectors.base import Batch, InboundItem, Malformed
from connectors.registry import PLATFORMS
from inbox import bank_data
from inbox.charter.deadlines import DuePolicy, DueSubject
from inbox.ingest import conversation_fields
from inbox.ingest.classify_page import Classifier, classify_items
from inbox.ingest.clocks import conversations_of, recompute_stored
from inbox.ingest.deletions import deleted_before
from inbox.ingest.echoes import automatic_echoes
from inbox.ingest.edits import apply_edits, follow_edits, late_originals, page_edits, superseded
from inbox.ingest.erased_authors import drop_erased
from inbox.ingest.moves import chat_moves_answered, follow_chat_moves, unknown_chats
from inbox.ingest.threads import DueFn, on_inbound, on_outbound, raise_urgency
from inbox.nlp.reasons import conversation_reason
from inbox.store import records as store
from inbox.store.erasure_lock import hold_erasures, write_lock
from inbox.store.gone import TOMBSTONE
from inbox.store.tables import Channel, Contact, Conversation, Message, QuarantinedItem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestResult:
    new: int = 0
    duplicates: int = 0
    outbound: int = 0
    quarantined: int = 0
    edited: int = 0  # stored messages that took the customer's newer version (inbox.ingest.edits)
    erased: int = 0  # redeliveries and edits of erased messages, messages written before an erasure (dropped)


def classification_fields(c: Any) -> dict[str, Any]:
    """A Classification as message columns."""
    return {
        "language": c.language,
        "sentiment": c.sentiment,
        "sentiment_scores": dict(c.sentiment_scores),
        "urgency": c.urgency,
        "urgency_reasons": list(c.urgency_reasons),
        "pii": [{"kind": s.kind, "start": s.start, "end": s.end} for s in c.pii],
        "reason": c.reason,
        "reason_scores": dict(c.reason_scores),
    }


def _unclassified() -> dict[str, Any]:
    return {
        "language": None,
        "sentiment": None,
        "sentiment_scores": {},
        "urgency": None,
        "reason": None,
        "reason_scores": {},
    }


def _fresh_items(
    session: Session, channel_id: int, items: Sequence[InboundItem]
) -> tuple[list[InboundItem], int, int]:
    """``(fresh, duplicates, erased)``: the items not stored yet; how many are; how many of those name a
    message erased at the customer's request (a late redelivery: never stored again) or one the platform
    said was deleted before we read it (``inbox.ingest.deletions.deleted_before``: never stored)."""
    stored = store.stored_platform_ids(session, channel_id, (i.external_id for i in items))
    named = [i for item in items for i in (item.external_id, *item.edits) if i not in stored]
    gone = deleted_before(session, channel_id, named)  # an item, or an edit of one, deleted before we read it
    dropped = {i.external_id for i in items if gone.intersection((i.external_id, *i.edits))}
    erased = sum(1 for i in items if stored.get(i.external_id, "").startswith(TOMBSTONE)) + len(dropped)
    known = set(stored) | dropped
    fresh: list[InboundItem] = []
    for item in items:
        if item.external_id in known:
            continue
        known.add(item.external_id)
        fresh.append(item)
    return fresh, len(items) - len(fresh), erased


def _store_item(
    session: Session,
    channel: Channel,
    item: InboundItem,
    classification: Any,
    due: DuePolicy,
    conv: Conversation,
    contact: Contact | None,
    now: datetime,
    automatic: str | None = None,
) -> dict[str, Any]:
    """The message row for one item (inserted with the page's others), and its conversation updated;
    ``automatic`` is the outbox key when the item is the echo of one of our automatic messages."""
    assert channel.id is not None
    if contact is not None and conv.contact_id is None:
        conv.contact_id = contact.id
    assert conv.id is not None
    row: dict[str, Any] = {
        "channel_id": channel.id,
        "conversation_id": conv.id,
        "platform_id": item.external_id,
        "direction": item.direction,
        "visibility": item.visibility,
        "kind": item.kind,
        "text": bank_data.mask_text(item.text),  # bank data never stored in clear (same length: spans hold)
        "author_platform_id": item.author.platform_id,
        "author_handle": item.author.handle,
        "contact_id": contact.id if contact else None,
        "created_at": item.created_at,
        "reply_to_platform_id": item.reply_to,
        "raw": bank_data.mask_payload({**item.raw, "outbox": automatic} if automatic else dict(item.raw)),
        "ingested_at": now,
        **_unclassified(),
        "urgency_reasons": [],
        "pii": [],
    }
    if classification is not None:
        row.update(classification_fields(classification))
        raise_urgency(conv, row["urgency"])
        conv.sentiment, conv.language = row["sentiment"], row["language"]
        conv.reason = conversation_reason(conv.reason, row["reason"])
    row["pii"] = bank_data.with_nir(row["pii"], item.text)
    if item.direction == "in":
        on_inbound(conv, item.created_at, bound_due(due, channel, contact))
    elif automatic is None:  # an automatic message is no answer: it stops no clock
        on_outbound(conv, item.created_at)
    return row


def bound_due(due: DuePolicy, channel: Channel, contact: Contact | None) -> DueFn:
    """The due policy for one conversation of ``channel`` with this customer (their tags are segments)."""
    subject = DueSubject(channel.name, channel.platform, tuple(contact.tags) if contact else ())
    return lambda c, since, is_next: due(c, since, is_next, subject)


def _out_of_order(
    convs: dict[tuple[str, str], Conversation], fresh: Sequence[InboundItem], automatic: Mapping[str, str]
) -> list[Conversation]:
    """The page's conversations given a message not newer than one they hold (or one earlier in the page);
    automatic messages do not count (they move no clock)."""
    newest = {key: conv.last_message_at for key, conv in convs.items()}
    late: dict[tuple[str, str], Conversation] = {}
    for item in fresh:
        if item.external_id in automatic:
            continue
        key = (item.visibility, item.thread_key)
        held = newest.get(key)
        if held is not None and item.created_at <= held:
            late[key] = convs[key]
        else:
            newest[key] = item.created_at
    return list(late.values())


def not_after(item: InboundItem, now: datetime) -> InboundItem:
    """A message is never dated after it reached us: a time ahead of ``now`` (a server whose clock runs
    ahead, an app that sets its own date) becomes ``now``, so no clock starts in the future. The
    platform's own date stays in ``raw``."""
    return replace(item, created_at=now) if item.created_at > now else item


def not_before(item: InboundItem, earliest: datetime, now: datetime) -> InboundItem:
    """A message dated before its platform opened (a Meta timestamp in seconds read as milliseconds, an
    epoch 0) holds no date at all: it is dated when it reached us, ``now``, as a future date is, and
    its ``raw`` keeps the platform's date under ``_inbox.platform_time``. Its words are real, so it is
    stored and queued, never quarantined; its clock never starts decades ago."""
    if item.created_at >= earliest:
        return item
    held = item.raw.get("_inbox")
    note = {**(held if isinstance(held, Mapping) else {}), "platform_time": item.created_at.isoformat()}
    return replace(item, created_at=now, raw={**item.raw, "_inbox": note})


def opened(platform: str) -> datetime:
    """The start of the year ``platform`` opened (``connectors.registry``): no message is older."""
    info = PLATFORMS.get(platform)
    return datetime(info.first_year if info else 1970, 1, 1, tzinfo=UTC)


def _forget_page_first_dues(
    late: Sequence[Conversation], before: Mapping[int, tuple[datetime | None, datetime | None]]
) -> None:
    """A late conversation's first-response due time worked out while this page was applied item by item is
    not one stored at arrival: a follow-up stored after an answer read before the first message started the
    first clock with the follow-up's reason and urgency. Only the due time held before the page, for the
    same first message, is kept; ``recompute_stored`` works out the others from the messages in time order."""
    for conv in late:
        first, due = before.get(id(conv), (None, None))
        conv.first_response_due_at = due if first is not None and first == conv.first_inbound_at else None


def _contact(session: Session, conv: Conversation) -> Contact | None:
    return session.get(Contact, conv.contact_id) if conv.contact_id is not None else None


def conversation_due(session: Session, due: DuePolicy, channel: Channel) -> Callable[[Conversation], DueFn]:
    """The due policy bound to a conversation of ``channel`` and its customer."""
    return lambda conv: bound_due(due, channel, _contact(session, conv))


def ingest_batch(
    session: Session,
    channel: Channel,
    stream: str,
    batch: Batch,
    *,
    due: DuePolicy,
    now: datetime,
    classifier: Classifier | None = None,
) -> IngestResult:
    """Store one page and move the stream's cursor, in the caller's transaction."""
    assert channel.id is not None
    hold_erasures(session)  # an erasure under way ends first; none starts until this page commits
    due_for = conversation_due(session, due, channel)
    moves = list(batch.chat_moves)
    if channel.platform == "telegram":  # a move only the outbox learnt (the upgrade notice never read)
        keys = [(i.visibility, i.thread_key) for i in batch.items]
        moves += chat_moves_answered(session, channel.id, unknown_chats(session, channel.id, keys))
    follow_chat_moves(session, channel.id, moves, due_for, now)  # before the page's items find theirs
    fresh, duplicates, erased = _fresh_items(session, channel.id, batch.items)
    held = {i.external_id for i in fresh}
    redated = late_originals(session, channel.id, [i for i in batch.items if i.external_id not in held])
    earliest = opened(channel.platform)
    fresh = [not_after(not_before(item, earliest, now), now) for item in fresh]
    # X first versions read after their edit: history, and their message dated from them
    fresh, late_versions, later_dated = superseded(session, channel.id, fresh)
    redated += later_dated
    labels: dict[str, Any] = {}
    if classifier is not None and (customers := [i for i in fresh if i.direction == "in"]):
        labels = classify_items(classifier, customers)
    write_lock(session)  # SQLite: the lookups below stay true until this page commits (an erasure waits)
    fresh, written_before_erasure = drop_erased(session, channel, fresh, now)
    fresh, later = page_edits(fresh)
    edits = apply_edits(session, channel.id, fresh, labels)
    fresh = edits.items
    labels |= {original: labels[edit] for original, edit in edits.renamed.items() if edit in labels}
    inbound = [i for i in fresh if i.direction == "in"]
    # The page's conversations and customers are read and created in bulk, then its messages inserted
    # together at commit (one multi-row INSERT), so a page costs a few statements, not a few per item.
    threads = [(i.visibility, i.thread_key, i.kind, i.created_at) for i in fresh]
    customers_in = {(i.visibility, i.thread_key) for i in inbound}
    convs = store.conversations_for(session, channel.id, threads, customers_in)
    contacts = store.contacts_for(session, channel.id, [i.author for i in inbound], now)
    echoes = automatic_echoes(session, channel.id, fresh)
    late = _out_of_order(convs, fresh, echoes) + conversations_of(session, redated)
    before = {id(conv): (conv.first_inbound_at, conv.first_response_due_at) for conv in convs.values()}
    rows = []
    for item in fresh:
        contact = contacts[item.author.platform_id] if item.direction == "in" else None
        conv = convs[(item.visibility, item.thread_key)]
        label, echo = labels.get(item.external_id), echoes.get(item.external_id)
        rows.append(
            _store_item(session, channel, item, label, due, conv, contact, now, echo) | {"stream": stream}
        )
    if rows:  # one multi-row INSERT, without building an ORM object per message
        session.execute(insert(Message), rows)
    after = apply_edits(session, channel.id, later, labels)  # edits of this page's own messages
    for lost in after.items:  # cannot happen: each names a message of this page, stored just above
        log.warning("edit %s of a message of its own page found nothing to update", lost.external_id)
    if labels:  # the language the customer writes in across each conversation, not the latest guess
        conversation_fields.languages(session, {id(c): c for c in convs.values()}.values())
    if late:
        _forget_page_first_dues(late, before)
        session.flush()
        conversation_fields.in_time_order(session, late)
        recompute_stored(session, late, due_for)
    follow_edits(session, [*edits.rejudged, *after.rejudged], due_for)  # an edit's new target and urgency
    unreadable = [*batch.malformed, *edits.refused, *after.refused]  # and edits by another account
    malformed = _unquarantined(session, channel.id, stream, unreadable)
    for bad in malformed:
        session.add(
            QuarantinedItem(
                channel_id=channel.id,
                stream=stream,
                external_id=bad.external_id,
                error=bank_data.mask_text(bad.error),  # it may quote the bad value
                raw=bank_data.mask_payload(dict(bad.raw)),
                created_at=now,
            )
        )
    cursor = store.cursor_row(session, channel.id, stream)
    if batch.next_cursor is not None:
        cursor.cursor = batch.next_cursor
    cursor.last_poll_at = cursor.last_success_at = now
    cursor.failures, cursor.last_error, cursor.retry_at = 0, batch.trouble, None
    count_reads(channel, batch.reads, now)
    return IngestResult(
        new=len(inbound),
        duplicates=duplicates + late_versions + edits.known + after.known + len(unreadable) - len(malformed),
        edited=edits.edited + after.edited,
        outbound=len(fresh) - len(inbound),
        quarantined=len(malformed),
        erased=erased + edits.erased + written_before_erasure,
    )


def _unquarantined(
    session: Session, channel_id: int, stream: str, bad: Sequence[Malformed]
) -> list[Malformed]:
    """The page's bad items not in quarantine yet: a bad item with an id that the platform serves again (a
    sweep reading back over it, a page read again) is quarantined once, not at every poll."""
    ids = sorted({b.external_id for b in bad if b.external_id})
    held: set[str] = set()
    if ids:
        stmt = select(QuarantinedItem.external_id).where(
            QuarantinedItem.channel_id == channel_id,
            QuarantinedItem.stream == stream,
            store.one_of(session, col(QuarantinedItem.external_id), ids),
        )
        held = {i for i in session.exec(stmt) if i is not None}
    out = []
    for item in bad:
        if item.external_id in held:
            continue
        if item.external_id:
            held.add(item.external_id)
        out.append(item)
    return out


def count_reads(channel: Channel, reads: int, now: datetime) -> None:
    """Add to this month's read counter, starting afresh each calendar month (UTC)."""
    month = now.strftime("%Y-%m")
    if channel.read_month != month:
        channel.read_month, channel.reads_used = month, 0
    channel.reads_used += reads
