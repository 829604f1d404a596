"""The platform's deletions honoured: a customer item deleted on the platform is erased here the same way.

Session-taking, never commits. For each deleted platform id of the channel (a Meta ``remove`` webhook, see
``connectors.capabilities.ReportsDeletions``; or a Mastodon or Bluesky item found gone, ``recheck``),
the stored customer message keeps its row for the reports (times, channel, direction, classification) but its
text becomes ``DELETED`` and its raw payload and personal data spans go. Its conversation says so (tag
``deleted-by-customer``); when nothing else from the customer waits for an answer, its clock stops and it is
resolved, open or pending (a snooze ends: nobody is left to answer), audited as any resolution
(``conversation.status``, at the deletion: the reports' "last time set to resolved"). A reply still
waiting in the outbox to that item is not sent. The
processed webhook bodies of the channel that carried it are deleted (the latest body naming it, the one that
reports the deletion, has no text and stays). Audited (``message.deleted_by_customer``). Running it twice
changes nothing more. A message of a person under legal hold is kept whole (with the bodies that carried it),
audited ``message.deletion_kept``: the hold says their data must be kept. An id we never stored (the
deletion read before its item: Meta retried the item's webhook delivery after the deletion's) is
remembered, as a quarantine row of stream ``EARLY``, so the item is never stored when it comes
(``deleted_before``; before, the deleted comment was stored and waited for an answer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from inbox.store import records as store
from inbox.store.gone import DELETED
from inbox.store.tables import (
    ContactPrivacy,
    Conversation,
    Message,
    OutboundReply,
    QuarantinedItem,
    WebhookEvent,
)

TAG = "deleted-by-customer"
ACTOR = "webhooks"
EARLY = "deleted-before-stored"  # the quarantine stream that remembers a deletion read before its item


def _others_waiting(session: Session, conv: Conversation) -> bool:
    """A customer message of the conversation, not deleted, came after our last message."""
    stmt = select(Message.id).where(
        Message.conversation_id == conv.id, Message.direction == "in", Message.text != DELETED
    )
    if conv.last_outbound_at is not None:
        stmt = stmt.where(col(Message.created_at) > conv.last_outbound_at)
    return session.exec(stmt).first() is not None


def _erase(session: Session, message: Message, now: datetime, actor: str) -> None:
    message.text, message.raw, message.pii = DELETED, {}, []
    conv = session.get(Conversation, message.conversation_id)
    stopped = False
    if conv is not None:
        conv.tags = list(dict.fromkeys([*conv.tags, TAG]))
        before = conv.status
        stopped = before in ("open", "pending") and not _others_waiting(session, conv)  # snoozed too
        if stopped:
            conv.status, conv.sla_due_at, conv.clock_started_at, conv.snoozed_until = (
                "resolved",
                None,
                None,
                None,
            )
            store.audit(
                session,
                actor,
                "conversation.status",
                target=("conversation", conv.id),
                detail={"from": before, "to": "resolved", "why": "deleted by the customer"},
                at=now,
            )
    for reply in session.exec(
        select(OutboundReply).where(
            OutboundReply.channel_id == message.channel_id,
            OutboundReply.in_reply_to == message.platform_id,
            OutboundReply.status == "pending",
        )
    ):
        reply.status, reply.last_error = "failed", "not sent: the customer deleted what it answers"
    store.audit(
        session,
        actor,
        "message.deleted_by_customer",
        target=("conversation", message.conversation_id),
        detail={"message": message.id, "clock_stopped": stopped},
        at=now,
    )


def _drop_bodies(session: Session, channel_id: int, platform_ids: Sequence[str], keep: int | None) -> None:
    quoted = [f'"{i}"'.encode() for i in platform_ids]
    rows = session.exec(
        select(WebhookEvent.id, WebhookEvent.body).where(
            WebhookEvent.channel_id == channel_id, WebhookEvent.status == "done"
        )
    ).all()
    gone = [i for i, body in rows if i != keep and any(q in bytes(body) for q in quoted)]
    if gone:
        session.execute(delete(WebhookEvent).where(col(WebhookEvent.id).in_(gone)))


def honour_deletions(
    session: Session,
    channel_id: int,
    platform_ids: Sequence[str],
    now: datetime,
    *,
    event_id: int | None = None,
    actor: str = ACTOR,
) -> int:
    """Erase the stored customer messages with these platform ids; returns how many were erased.
    ``event_id``: the webhook event that reported the deletions (kept); ``actor``: who found them out."""
    if not platform_ids:
        return 0
    _remember_unknown(session, channel_id, platform_ids, now)
    stmt = select(Message).where(
        Message.channel_id == channel_id,
        col(Message.platform_id).in_(list(platform_ids)),
        Message.direction == "in",
        Message.text != DELETED,
    )
    found = session.exec(stmt).all()
    held = _held(session, {m.contact_id for m in found if m.contact_id is not None})
    for message in (m for m in found if m.contact_id in held):  # the hold says it must be kept
        detail = {"message": message.id, "why": "legal hold"}
        target = ("conversation", message.conversation_id)
        store.audit(session, actor, "message.deletion_kept", target=target, detail=detail, at=now)
    kept = {m.platform_id for m in found if m.contact_id in held}
    _drop_bodies(session, channel_id, [p for p in platform_ids if p not in kept], event_id)
    erased = 0
    for message in (m for m in found if m.contact_id not in held):
        _erase(session, message, now, actor)
        erased += 1
    return erased


def _held(session: Session, contact_ids: set[int]) -> set[int]:
    """Those of ``contact_ids`` under legal hold (their data must be kept, a deletion included)."""
    stmt = select(ContactPrivacy.contact_id).where(
        col(ContactPrivacy.contact_id).in_(contact_ids), col(ContactPrivacy.legal_hold).is_not(None)
    )
    return set(session.exec(stmt).all()) if contact_ids else set()


def deleted_before(session: Session, channel_id: int, platform_ids: Sequence[str]) -> set[str]:
    """The ids among these whose deletion the platform reported before the inbox stored them."""
    ids = list(dict.fromkeys(platform_ids))
    if not ids:
        return set()
    stmt = select(QuarantinedItem.external_id).where(
        QuarantinedItem.channel_id == channel_id,
        QuarantinedItem.stream == EARLY,
        store.one_of(session, col(QuarantinedItem.external_id), ids),
    )
    return {i for i in session.exec(stmt) if i is not None}


def _remember_unknown(session: Session, channel_id: int, platform_ids: Sequence[str], now: datetime) -> None:
    unknown = set(platform_ids) - set(store.stored_platform_ids(session, channel_id, platform_ids))
    for platform_id in sorted(unknown - deleted_before(session, channel_id, sorted(unknown))):
        why = "deleted on the platform before the inbox stored it: it is never stored"
        session.add(
            QuarantinedItem(
                channel_id=channel_id,
                stream=EARLY,
                external_id=platform_id,
                error=why,
                raw={},
                created_at=now,
            )
        )
