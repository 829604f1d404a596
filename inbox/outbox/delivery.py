"""The outbox: replies are written first, then delivered at most once by any number of senders.

A sender claims a reply with a conditional UPDATE (only one claimant can win), calls the platform
outside any transaction, then records the outcome. A reply left ``sending`` by a killed sender is
reconciled with the platform where the connector can look (``find_delivery``); otherwise it is marked
failed as *uncertain* so a person checks before retrying. Nothing is ever posted twice on its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from connectors.base import Connector, ConnectorError, Rejected, Sent
from connectors.capabilities import FindsDeliveries, HidesComments, RepliesPrivatelyToComments, SendsTemplates
from inbox.backoff import backoff
from inbox.ingest.threads import on_outbound
from inbox.store import records as store
from inbox.store.tables import Channel, Conversation, Message, OutboundReply

MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS, RETRY_CAP_SECONDS = 10.0, 600.0  # 10 s, 20 s … 10 min (inbox.backoff)
SEND_LEASE = timedelta(minutes=2)
AUTOMATIC_PREFIX = "auto-"  # keys of the charter's automatic messages (inbox.automation.auto_replies)
HIDE_ACTIONS = ("hide", "unhide")  # outbox rows that hide or show a comment instead of sending a reply


def is_automatic(idempotency_key: str | None) -> bool:
    """An automatic message (out-of-hours, peak acknowledgement, survey) is not an answer: no clock stops."""
    return bool(idempotency_key and idempotency_key.startswith(AUTOMATIC_PREFIX))


class Reconciler(Protocol):
    def find_delivery(self, reply: OutboundReply) -> Sent | None: ...


class NothingToAnswer(ValueError):
    """A public reply needs a customer message in the thread; a private one needs a known customer."""


def _last_inbound(session: Session, conv: Conversation) -> Message | None:
    stmt = (
        select(Message)
        .where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
    )
    return session.exec(stmt).first()


def enqueue(
    session: Session,
    conv: Conversation,
    *,
    visibility: str,
    text: str,
    actor: str,
    now: datetime,
    idempotency_key: str | None = None,
    platform_template: dict[str, Any] | None = None,
) -> OutboundReply:
    """Write a reply to the outbox. The same idempotency key twice gives back the first reply.

    ``platform_template`` ({"name", "language", "parameters"}) sends an approved platform template instead
    of ``text``, which then holds what the customer reads (WhatsApp outside its 24-hour window)."""
    key = idempotency_key or uuid.uuid4().hex
    existing = session.exec(select(OutboundReply).where(OutboundReply.idempotency_key == key)).first()
    if existing is not None:
        return existing
    last = _last_inbound(session, conv)
    if last is None:
        raise NothingToAnswer("this conversation has no customer message to answer")
    reply = OutboundReply(
        idempotency_key=key,
        channel_id=conv.channel_id,
        conversation_id=conv.id or 0,
        visibility=visibility,
        in_reply_to=last.platform_id if visibility == "public" or conv.kind == "comment" else None,
        recipient_id=last.author_platform_id if visibility == "private" else None,
        text=text,
        created_by=actor,
        created_at=now,
        platform_template=platform_template,
    )
    session.add(reply)
    session.flush()
    store.audit(
        session,
        actor,
        "reply.queued",
        target=("conversation", conv.id),
        detail={"reply": reply.id, "visibility": visibility},
        at=now,
    )
    return reply


def enqueue_moderation(
    session: Session,
    conv: Conversation,
    message: Message,
    hide: bool,
    actor: str,
    now: datetime,
    idempotency_key: str | None = None,
) -> OutboundReply:
    """Write "hide this comment" (or "show it again") to the outbox; the same key twice gives the first."""
    if message.direction != "in":
        raise ValueError("only a customer's message can be hidden")
    action = "hide" if hide else "unhide"
    key = idempotency_key or f"{action}:{message.id}:{uuid.uuid4().hex[:12]}"
    existing = session.exec(select(OutboundReply).where(OutboundReply.idempotency_key == key)).first()
    if existing is not None:
        return existing
    row = OutboundReply(
        idempotency_key=key,
        channel_id=conv.channel_id,
        conversation_id=conv.id or 0,
        visibility=message.visibility,
        in_reply_to=message.platform_id,
        text="",
        action=action,
        created_by=actor,
        created_at=now,
    )
    session.add(row)
    session.flush()
    store.audit(
        session,
        actor,
        f"comment.{action}_queued",
        target=("conversation", conv.id),
        detail={"reply": row.id, "message": message.id},
        at=now,
    )
    return row


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


def retry(session: Session, reply_id: int, actor: str, now: datetime) -> OutboundReply:
    """Put a failed reply back in the queue (a person decided it is safe to send)."""
    reply = session.get(OutboundReply, reply_id)
    if reply is None or reply.status != "failed":
        raise ValueError(f"reply {reply_id} is not a failed reply")
    reply.status, reply.next_attempt_at, reply.last_error = "pending", None, None
    store.audit(
        session,
        actor,
        "reply.retry",
        target=("conversation", reply.conversation_id),
        detail={"reply": reply_id},
        at=now,
    )
    return reply


def _claim(engine: Engine, now: datetime) -> int | None:
    """Claim the oldest due reply for this sender; None when nothing is due."""
    with Session(engine) as session, session.begin():
        due = (col(OutboundReply.next_attempt_at).is_(None)) | (col(OutboundReply.next_attempt_at) <= now)
        candidates = session.exec(
            select(OutboundReply.id)
            .where(OutboundReply.status == "pending", due)
            .order_by(col(OutboundReply.created_at))
            .limit(5)
        ).all()
        for reply_id in candidates:
            won = session.execute(
                update(OutboundReply)
                .where(col(OutboundReply.id) == reply_id, col(OutboundReply.status) == "pending")
                .values(
                    status="sending", attempts=OutboundReply.attempts + 1, next_attempt_at=now + SEND_LEASE
                )
            )
            if won.rowcount == 1:  # type: ignore[attr-defined]
                return reply_id
    return None


def record_delivery(session: Session, reply: OutboundReply, sent: Sent, at: datetime) -> None:
    """Mark a reply sent and add it to the thread as an outbound message (once)."""
    reply.status, reply.platform_id, reply.sent_at, reply.last_error = "sent", sent.external_id, at, None
    conv = session.get(Conversation, reply.conversation_id)
    channel = session.get(Channel, reply.channel_id)
    assert conv is not None and channel is not None and channel.id is not None
    target = conv
    if reply.visibility == "private" and sent.thread_key and sent.thread_key != conv.thread_key:
        target = store.conversation_for(session, channel.id, "private", sent.thread_key, "dm", at)
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


def _record_failure(session: Session, reply: OutboundReply, exc: ConnectorError, now: datetime) -> None:
    reply.last_error = f"{type(exc).__name__}: {exc}"
    if exc.retryable and reply.attempts < MAX_ATTEMPTS:
        wait = exc.retry_after
        if wait is None:
            wait = backoff(reply.attempts, base=RETRY_BASE_SECONDS, cap=RETRY_CAP_SECONDS)
        reply.status, reply.next_attempt_at = "pending", now + timedelta(seconds=wait)
    else:
        reply.status = "failed"
        store.audit(
            session,
            "sender",
            "reply.failed",
            target=("conversation", reply.conversation_id),
            detail={"reply": reply.id, "error": reply.last_error},
            at=now,
        )


def send_one(engine: Engine, connectors: Mapping[str, Connector], clock: Callable[[], datetime]) -> bool:
    """Deliver one due reply. Returns False when nothing was due."""
    reply_id = _claim(engine, clock())
    if reply_id is None:
        return False
    with Session(engine) as session:
        reply = session.get(OutboundReply, reply_id)
        channel = session.get(Channel, reply.channel_id) if reply else None
        assert reply is not None and channel is not None
        session.expunge_all()
    connector = connectors.get(channel.name)
    try:
        if connector is None:
            raise ConnectorError(f"channel {channel.name!r} is not running (missing credentials or disabled)")
        sent = _deliver(connector, reply)
    except ConnectorError as exc:
        with Session(engine) as session, session.begin():
            row = session.get(OutboundReply, reply_id)
            assert row is not None
            _record_failure(session, row, exc, clock())
        return True
    for attempt in (1, 2):
        try:
            with Session(engine) as session, session.begin():
                row = session.get(OutboundReply, reply_id)
                assert row is not None
                if row.action in HIDE_ACTIONS:
                    record_hidden(session, row, clock())
                else:
                    record_delivery(session, row, sent, clock())
            break
        except IntegrityError:
            # The platform's echo of this very message (webhook or poll) was stored between our check and
            # our insert: the second try finds it and only marks the reply sent.
            if attempt == 2:
                raise
    return True


def _send_template(connector: Connector, reply: OutboundReply) -> Sent:
    """An approved platform template, through the connector's ``send_template``; Rejected if it has none."""
    if not isinstance(connector, SendsTemplates):
        raise Rejected(f"channel {connector.name!r} cannot send platform templates")
    if not reply.recipient_id:
        raise Rejected("template message without a recipient")
    template = reply.platform_template or {}
    return connector.send_template(
        reply.recipient_id,
        str(template.get("name", "")),
        str(template.get("language", "")),
        [str(p) for p in template.get("parameters", [])],
    )


def _hide(connector: Connector, reply: OutboundReply) -> Sent:
    """Hide or show a comment through the connector's ``hide_comment``; Rejected if it has none."""
    if not isinstance(connector, HidesComments):
        raise Rejected(f"channel {connector.name!r} cannot hide comments")
    if not reply.in_reply_to:
        raise Rejected("hide action without a comment")
    connector.hide_comment(reply.in_reply_to, hidden=reply.action == "hide")
    return Sent(external_id=reply.in_reply_to)


def _deliver(connector: Connector, reply: OutboundReply) -> Sent:
    if reply.action in HIDE_ACTIONS:
        return _hide(connector, reply)
    if reply.platform_template:
        return _send_template(connector, reply)
    if reply.visibility == "public":
        if not reply.in_reply_to:
            raise ConnectorError("public reply without a message to answer")
        return connector.reply_public(reply.in_reply_to, reply.text, idempotency_key=reply.idempotency_key)
    if reply.in_reply_to and isinstance(connector, RepliesPrivatelyToComments):  # Meta: to a comment's author
        return connector.send_private_reply(reply.in_reply_to, reply.text)
    if not reply.recipient_id:
        raise ConnectorError("private reply without a recipient")
    return connector.send_private(reply.recipient_id, reply.text, idempotency_key=reply.idempotency_key)


def recover_stuck(engine: Engine, connectors: Mapping[str, Any], now: datetime) -> int:
    """Settle replies whose sender died mid-send: reconcile with the platform, else mark uncertain. A stuck
    hide or unhide is simply queued again (hiding is idempotent)."""
    with Session(engine) as session, session.begin():
        stuck = session.exec(
            select(OutboundReply).where(
                OutboundReply.status == "sending", col(OutboundReply.next_attempt_at) < now
            )
        ).all()
        for reply in stuck:
            if reply.action in HIDE_ACTIONS:  # hiding twice is harmless: just do it again
                reply.status, reply.next_attempt_at = "pending", None
                continue
            channel = session.get(Channel, reply.channel_id)
            connector = connectors.get(channel.name) if channel else None
            found = _find(connector, reply)
            if found is not None:
                record_delivery(session, reply, found, now)
            else:
                reply.status = "failed"
                reply.last_error = (
                    "delivery uncertain: the sender stopped during the send and the platform shows no such "
                    "reply; check the thread, then retry"
                )
        return len(stuck)


def _find(connector: Any, reply: OutboundReply) -> Sent | None:
    if not isinstance(connector, FindsDeliveries):
        return None
    try:
        return connector.find_delivery(
            reply.visibility, reply.in_reply_to, reply.recipient_id, reply.text, reply.created_at
        )
    except ConnectorError:
        return None


def drain(
    engine: Engine, connectors: Mapping[str, Connector], clock: Callable[[], datetime], limit: int = 100
) -> int:
    """Send every due reply (up to ``limit``); returns how many were attempted."""
    recover_stuck(engine, connectors, clock())
    done = 0
    while done < limit and send_one(engine, connectors, clock):
        done += 1
    return done
