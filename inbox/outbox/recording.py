"""What a delivered outbox row changes: a reply becomes a message of its thread, a hide marks its comment.

Session-taking; never commits. A delivered reply keeps no bank data in clear: the customer received it whole,
the stored copy and the thread's message are masked as ingestion masks (``inbox.bank_data``); until then the
outbox needs the text as written to send it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from connectors.base import Sent
from inbox import bank_data
from inbox.ingest.echoes import tag_automatic
from inbox.ingest.threads import is_automatic, on_outbound
from inbox.store import records as store
from inbox.store.tables import Channel, Conversation, Message, OutboundReply


def record_hidden(session: Session, row: OutboundReply, at: datetime) -> None:
    """A delivered hide (or unhide): the message's ``hidden_at`` is set (or cleared). No message, no clock."""
    row.status, row.platform_id, row.sent_at, row.last_error = "sent", row.in_reply_to, at, None
    message = session.exec(
        select(Message).where(Message.channel_id == row.channel_id, Message.platform_id == row.in_reply_to)
    ).first()
    if message is not None:
        message.hidden_at = at if row.action == "hide" else None
    store.audit(
        session,
        row.created_by or "sender",
        "comment.hidden" if row.action == "hide" else "comment.shown",
        target=("conversation", row.conversation_id),
        detail={"reply": row.id, "platform_id": row.in_reply_to},
        at=at,
    )


def record_delivery(session: Session, reply: OutboundReply, sent: Sent, at: datetime) -> None:
    """Mark a reply sent and add it to the thread as an outbound message (once)."""
    reply.status, reply.platform_id, reply.sent_at, reply.last_error = "sent", sent.external_id, at, None
    reply.text = bank_data.mask_text(reply.text)
    if reply.platform_template:  # its parameters are what the customer read: masked with the text
        reply.platform_template = bank_data.mask_payload(reply.platform_template)
    conv = session.get(Conversation, reply.conversation_id)
    channel = session.get(Channel, reply.channel_id)
    assert conv is not None and channel is not None and channel.id is not None
    target = conv
    if reply.visibility == "private" and sent.thread_key and sent.thread_key != conv.thread_key:
        target = store.conversation_for(session, channel.id, "private", sent.thread_key, "dm", at, ours=True)
        if target.contact_id is None:
            target.contact_id = conv.contact_id
    if not store.existing_platform_ids(session, channel.id, [sent.external_id]):
        session.add(
            Message(
                channel_id=channel.id,
                conversation_id=target.id or 0,
                platform_id=sent.external_id,
                direction="out",
                visibility=reply.visibility,
                kind="dm" if reply.visibility == "private" else "mention",
                text=reply.text,
                author_platform_id=channel.account_id,
                author_handle=channel.account,
                created_at=at,
                reply_to_platform_id=reply.in_reply_to,
                raw={"outbox": reply.idempotency_key},
                ingested_at=at,
            )
        )
    else:  # its echo came first (webhook or poll): an automatic one must not have stopped a clock
        tag_automatic(session, channel.id, sent.external_id, reply.idempotency_key)
    if not is_automatic(reply.idempotency_key):
        on_outbound(conv, at)
        if target is not conv:
            on_outbound(target, at)
    store.audit(
        session,
        reply.created_by or "sender",
        "reply.sent",
        target=("conversation", conv.id),
        detail={"reply": reply.id, "platform_id": sent.external_id},
        at=at,
    )
