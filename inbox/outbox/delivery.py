"""The outbox: replies are written first, then delivered at most once by any number of senders.

A sender claims a reply with a conditional UPDATE (only one claimant can win), calls the platform
outside any transaction, then records the outcome. A POST is never retried blindly: an attempt whose answer
was lost (timeout, reset, 5xx, a killed sender) is looked for on the platform before any new attempt; where
the platform offers no way to look, the reply is marked *uncertain* for a person (``inbox.outbox.unsure``).
A channel whose sending is on stand-by (``inbox.ingest.standby``) has its replies held: never claimed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from connectors.base import Connector, ConnectorError, Rejected, Sent
from connectors.capabilities import HidesComments, RepliesPrivatelyToComments, SendsTemplates
from inbox.ingest.standby import sending_paused_ids
from inbox.ingest.threads import AUTOMATIC_PREFIX as AUTOMATIC_PREFIX
from inbox.ingest.threads import is_automatic as is_automatic
from inbox.outbox.answerable import NothingToAnswer as NothingToAnswer
from inbox.outbox.answerable import refuse_erased
from inbox.outbox.confirmed import confirm_uncertain, failed_meanwhile
from inbox.outbox.patience import while_database_away
from inbox.outbox.recording import record_delivery as record_delivery
from inbox.outbox.recording import record_hidden
from inbox.outbox.schedule import MAX_ATTEMPTS, never_again, retry_wait
from inbox.outbox.unsure import HIDE_ACTIONS as HIDE_ACTIONS
from inbox.outbox.unsure import SEND_LEASE, SKEW, can_look, is_ambiguous, mark_uncertain, settle, widen
from inbox.outbox.unsure import recover_stuck as recover_stuck
from inbox.store import records as store
from inbox.store.tables import Channel, Contact, Conversation, Message, OutboundReply


def _last_inbound(session: Session, conv: Conversation) -> Message | None:
    stmt = (
        select(Message)
        .where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
    )
    return session.exec(stmt).first()


def _recipient(session: Session, last: Message) -> str | None:
    """Who a private answer goes to: the customer of the last message, at their current id (a WhatsApp
    customer who changed number since, ``inbox.ingest.moves``, is answered at the new one)."""
    contact = session.get(Contact, last.contact_id) if last.contact_id and last.author_platform_id else None
    return contact.platform_id if contact is not None else last.author_platform_id


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
    template: str | None = None,
) -> OutboundReply:
    """Write a reply to the outbox. The same idempotency key twice gives back the first reply.

    ``platform_template`` ({"name", "language", "parameters"}) sends an approved platform template instead
    of ``text``, which then holds what the customer reads (WhatsApp outside its 24-hour window).
    ``template`` names the reply template the agent started from (kept on the reply and audited: usage and
    satisfaction per template)."""
    key = idempotency_key or uuid.uuid4().hex
    existing = session.exec(select(OutboundReply).where(OutboundReply.idempotency_key == key)).first()
    if existing is not None:
        return existing
    last = _last_inbound(session, conv)
    if last is None:
        raise NothingToAnswer("this conversation has no customer message to answer")
    refuse_erased(session, last)  # CustomerErased: read before the customer's erasure, sent after it
    reply = OutboundReply(
        idempotency_key=key,
        channel_id=conv.channel_id,
        conversation_id=conv.id or 0,
        visibility=visibility,
        in_reply_to=last.platform_id if visibility == "public" or conv.kind == "comment" else None,
        recipient_id=_recipient(session, last) if visibility == "private" else None,
        text=text,
        created_by=actor,
        created_at=now,
        platform_template=platform_template,
        template=template,
    )
    session.add(reply)
    session.flush()
    store.audit(
        session,
        actor,
        "reply.queued",
        target=("conversation", conv.id),
        detail={"reply": reply.id, "visibility": visibility, **({"template": template} if template else {})},
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


def retry(session: Session, reply_id: int, actor: str, now: datetime) -> OutboundReply:
    """Put a failed reply back in the queue (a person decided it is safe to send). An uncertain one is looked
    for once more on the platform before it is posted (where the platform offers a way to look)."""
    reply = session.get(OutboundReply, reply_id)
    if reply is None or reply.status != "failed":
        raise ValueError(f"reply {reply_id} is not a failed reply")
    if never_again(reply.last_error):  # erased words, a customer's STOP, an answer to a deleted message
        raise ValueError(f"reply {reply_id} must not be sent again: {reply.last_error}")
    legacy = reply.unsure_from is None and (reply.last_error or "").startswith("delivery uncertain")
    if legacy and reply.created_at is not None:  # marked uncertain before the window was kept
        widen(reply, reply.created_at, now)
    reply.status, reply.next_attempt_at, reply.last_error = "pending", None, None
    if reply.unsure_from is not None:
        reply.checked_by = actor
    store.audit(
        session,
        actor,
        "reply.retry",
        target=("conversation", reply.conversation_id),
        detail={"reply": reply_id, "looks_first": reply.unsure_from is not None},
        at=now,
    )
    return reply


def _claim(engine: Engine, now: datetime, running: Collection[str]) -> int | None:
    """Claim the oldest due reply of a channel this sender runs (``running``) until ``now + SEND_LEASE``;
    None when nothing is due. Another channel's reply waits for a sender that runs it (one listener per
    channel, a channel whose credentials are missing): before, it was claimed and failed "not running"."""
    with Session(engine) as session, session.begin():
        due = (col(OutboundReply.next_attempt_at).is_(None)) | (col(OutboundReply.next_attempt_at) <= now)
        candidates = session.exec(
            select(OutboundReply.id)
            .join(Channel, col(Channel.id) == col(OutboundReply.channel_id))
            .where(col(Channel.name).in_(list(running)))
            .where(OutboundReply.status == "pending", due)
            .where(col(OutboundReply.channel_id).not_in(sending_paused_ids()))  # held while on stand-by
            .order_by(col(OutboundReply.created_at))
            .limit(5)
        ).all()
        for reply_id in candidates:
            won = session.execute(
                update(OutboundReply)
                .where(col(OutboundReply.id) == reply_id, col(OutboundReply.status) == "pending")
                .values(
                    status="sending",
                    attempts=OutboundReply.attempts + 1,
                    next_attempt_at=now + SEND_LEASE,
                    unposted_claim_at=now,  # until its POST starts (_renew): a death before leaves nothing
                )
            )
            if won.rowcount == 1:  # type: ignore[attr-defined]
                return reply_id
    return None


def _record_failure(
    session: Session, reply: OutboundReply, exc: ConnectorError, now: datetime, connector: Any
) -> None:
    reply.last_error = f"{type(exc).__name__}: {exc}"
    if reply.action not in HIDE_ACTIONS and is_ambiguous(exc) and reply.unsure_from is not None:
        if not can_look(connector, reply):
            why = f"no answer to the post ({reply.last_error}) and the platform offers no way to look for it"
            mark_uncertain(session, reply, why, now)
            return
        reply.last_error += " (the platform may have it: it is looked for before any new attempt)"
    if exc.retryable and reply.attempts < MAX_ATTEMPTS:
        reply.status, reply.next_attempt_at = "pending", now + retry_wait(reply.attempts, exc)
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


def _attempt(engine: Engine, reply_id: int, connector: Any, claimed_at: datetime) -> OutboundReply | None:
    """Before posting: an unsure reply is looked for first (None: settled there). The attempt about to run
    spends a person's Retry."""
    with Session(engine) as session:
        reply = session.get(OutboundReply, reply_id)
        assert reply is not None
        session.expunge(reply)
    if reply.action in HIDE_ACTIONS or reply.unsure_from is None:
        return reply
    if settle(engine, connector, reply_id, claimed_at):
        return None
    if reply.checked_by:
        with Session(engine) as session, session.begin():
            row = session.get(OutboundReply, reply_id)
            assert row is not None
            row.checked_by = None
    return reply


def _renew(engine: Engine, reply_id: int, held: datetime, now: datetime) -> datetime | None:
    """Renew this sender's claim just before it posts: the claim's new end, or None when it is no longer
    this sender's: its lease ran out during a slow look, and another sender took the reply as stuck
    (``recover_stuck``) to look and post it. A claim taken over is never posted on. Nor is one whose
    channel's sending was paused since the claim: the reply goes back to the queue, held with the others."""
    mine = (col(OutboundReply.id) == reply_id) & (col(OutboundReply.status) == "sending")
    mine &= col(OutboundReply.next_attempt_at) == held
    with Session(engine) as session, session.begin():
        won = session.execute(
            update(OutboundReply)
            .where(mine, col(OutboundReply.channel_id).not_in(sending_paused_ids()))
            .values(next_attempt_at=now + SEND_LEASE, unposted_claim_at=None)  # may post from now on
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            return now + SEND_LEASE
        session.execute(  # paused meanwhile (a claim taken over is no longer ``mine``): held, not spent
            update(OutboundReply)
            .where(mine)
            .values(status="pending", next_attempt_at=None, attempts=OutboundReply.attempts - 1)
        )
        return None


def _still_held(session: Session, reply_id: int, held: datetime) -> bool:
    """Whether this sender's claim (ending at ``held``) is still the reply's: a sender stopped or slow past
    it finds the reply taken over by another (``recover_stuck``), maybe already recorded or queued again;
    its own failure is then not written over the other's outcome."""
    mine = session.exec(
        select(OutboundReply.id)
        .where(OutboundReply.id == reply_id, OutboundReply.status == "sending")
        .where(col(OutboundReply.next_attempt_at) == held)
        .with_for_update()
    ).first()
    return mine is not None


def send_one(engine: Engine, connectors: Mapping[str, Connector], clock: Callable[[], datetime]) -> bool:
    """Deliver one due reply. Returns False when nothing was due."""
    claimed_at = clock()
    reply_id = _claim(engine, claimed_at, list(connectors))
    if reply_id is None:
        return False
    with Session(engine) as session:
        channel_id = session.get(OutboundReply, reply_id).channel_id  # type: ignore[union-attr]
        channel = session.get(Channel, channel_id)
        assert channel is not None
    connector = connectors.get(channel.name)
    held: datetime | None = claimed_at + SEND_LEASE
    try:
        if connector is None:
            raise Rejected(f"channel {channel.name!r} is not running (missing credentials or disabled)")
        reply = _attempt(engine, reply_id, connector, claimed_at)
        held = None if reply is None else _renew(engine, reply_id, claimed_at + SEND_LEASE, clock())
        if reply is None or held is None:
            return True
        sent = _deliver(connector, reply)
    except ConnectorError as exc:
        with Session(engine) as session, session.begin():
            if held is None or not _still_held(session, reply_id, held):  # taken over: the other decides
                return True
            row = session.get(OutboundReply, reply_id)
            assert row is not None
            row.unposted_claim_at = None
            if row.action not in HIDE_ACTIONS and is_ambiguous(exc) and connector is not None:
                widen(row, claimed_at, clock())
            _record_failure(session, row, exc, clock(), connector)
        return True
    record = partial(_record_sent, engine, reply_id, sent, clock, connector, claimed_at - SKEW)
    while_database_away(record, f"recording reply {reply_id} ({channel.name})")  # the platform has it
    return True


def _record_sent(
    engine: Engine, reply_id: int, sent: Sent, clock: Callable[[], datetime], connector: Any, since: datetime
) -> None:
    """Record what the platform answered (``failed_meanwhile``: a failure it reported since ``since``)."""
    for attempt in (1, 2):
        try:
            with Session(engine) as session, session.begin():
                row = session.get(OutboundReply, reply_id)
                assert row is not None
                if row.status == "sent":  # taken over while this sender was stopped: already recorded
                    return
                if row.action in HIDE_ACTIONS:
                    record_hidden(session, row, clock())
                else:
                    record_delivery(session, row, sent, clock())
                    failed_meanwhile(session, connector, row, since)
            return
        except IntegrityError:
            # The platform's echo of this very message (webhook or poll) was stored between our check and
            # our insert: the second try finds it and only marks the reply sent.
            if attempt == 2:
                raise


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
        idempotency_key=reply.idempotency_key,
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


def drain(
    engine: Engine, connectors: Mapping[str, Connector], clock: Callable[[], datetime], limit: int = 100
) -> int:
    """Send every due reply (up to ``limit``); returns how many were attempted. First, uncertain replies
    the platform has since confirmed are recorded, and stuck ones reconciled."""
    confirm_uncertain(engine, connectors, clock(), SKEW)
    recover_stuck(engine, connectors, clock())
    done = 0
    while done < limit and send_one(engine, connectors, clock):
        done += 1
    return done
