"""Attempts whose answer was lost: a POST is never retried blindly. Calls connectors; short transactions.

A send that ends in a timeout, a reset connection, a 5xx or a killed sender may have posted the reply: the
platform accepted it and only its answer was lost. Such an attempt widens the reply's *unsure window*
(``unsure_from`` .. ``unsure_until``). Before any new attempt the outbox looks on the platform, in that
window (give or take ``SKEW``), for its own post: found, the delivery is recorded and nothing is posted; not
found, it may post again. A platform's delivery status naming the reply settles it too
(``inbox.outbox.confirmed``). Where the platform offers no way to look (``FindsDeliveries.finds``), the reply
is marked *uncertain* for a person to check; their Retry (``checked_by``) looks once more where it can, then
posts.
A clear refusal before acceptance (4xx, 429, 401/403) leaves no doubt and no window, nor does a request that
never left (``Unavailable.sent`` False: a refused connection, a connect timeout): that is a plain retry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.base import AuthFailed, ConnectorError, RateLimited, Rejected, Sent, Unavailable
from connectors.capabilities import FindsDeliveries
from inbox.outbox.confirmed import FOUND, confirmation, record_confirmed
from inbox.outbox.recording import record_delivery
from inbox.outbox.schedule import MAX_ATTEMPTS, retry_wait
from inbox.store import records as store
from inbox.store.tables import AuditEvent, Channel, OutboundReply

SKEW = timedelta(minutes=2)  # the platform's clock against ours, both ways
SEND_LEASE = timedelta(minutes=2)  # how long a sender holds a claimed reply (a send ends well before)
HIDE_ACTIONS = ("hide", "unhide")  # hiding twice is harmless: never unsure
NOT_FOUND = "reply.not_found_on_platform"  # audited after each look (FOUND when found)


@dataclass(frozen=True, slots=True)
class RetryOutcome:
    """What the look made for a person's Retry of an uncertain reply found: the reply already on the
    platform (recorded, not posted) or nothing (then posted again)."""

    found: bool
    at: datetime  # when the look was made
    by: str  # who pressed Retry


def is_ambiguous(exc: ConnectorError) -> bool:
    """Anything but a clear refusal before acceptance, or a request that never left, may have posted (read
    timeout, reset, 5xx, unknown)."""
    if isinstance(exc, Unavailable) and exc.sent is False:
        return False
    return not isinstance(exc, Rejected | AuthFailed | RateLimited)


def widen(reply: OutboundReply, start: datetime, end: datetime) -> None:
    """Add the attempt that ran from ``start`` to ``end`` to the reply's unsure window."""
    reply.unsure_from = min(start, reply.unsure_from) if reply.unsure_from else start
    reply.unsure_until = max(end, reply.unsure_until) if reply.unsure_until else end


def can_look(connector: Any, reply: OutboundReply) -> bool:
    return isinstance(connector, FindsDeliveries) and connector.finds(reply.visibility)


def look(connector: FindsDeliveries, reply: OutboundReply) -> Sent | None:
    """The platform's copy of the reply within its unsure window; ``ConnectorError`` when the look failed."""
    assert reply.unsure_from is not None and reply.unsure_until is not None
    return connector.find_delivery(
        reply.visibility,
        reply.in_reply_to,
        reply.recipient_id,
        reply.text,
        reply.unsure_from - SKEW,
        reply.unsure_until + SKEW,
    )


def mark_uncertain(session: Session, reply: OutboundReply, why: str, now: datetime) -> None:
    reply.status, reply.checked_by = "failed", None
    reply.last_error = f"delivery uncertain: {why}; check the thread on the platform, then retry"
    store.audit(
        session,
        "sender",
        "reply.uncertain",
        target=("conversation", reply.conversation_id),
        detail={"reply": reply.id, "why": why},
        at=now,
    )


def settle(engine: Engine, connector: Any, reply_id: int, now: datetime) -> bool:
    """Look for a claimed unsure reply before it is posted again. True when settled here (found and recorded,
    marked uncertain, or the look failed and waits); False when the caller may post it now."""
    with Session(engine) as session:
        reply = session.get(OutboundReply, reply_id)
        assert reply is not None
        session.expunge(reply)
    if _confirmed(engine, connector, reply_id, now):
        return True
    if not can_look(connector, reply):
        if reply.checked_by:  # a person checked the platform and asked to send
            return False
        with Session(engine) as session, session.begin():
            row = _still_claimed(session, reply_id)
            if row is not None:
                mark_uncertain(session, row, "the platform offers no way to look for an earlier attempt", now)
        return True
    try:
        found = look(connector, reply)
    except ConnectorError as exc:
        with Session(engine) as session, session.begin():
            row = _still_claimed(session, reply_id)
            if row is not None:
                _look_failed(session, row, exc, now)
        return True
    with Session(engine) as session, session.begin():
        row = session.get(OutboundReply, reply_id)
        assert row is not None
        _looked(session, row, found, now)
        if found is not None:
            record_delivery(session, row, found, now)
    return found is not None


def _still_claimed(session: Session, reply_id: int) -> OutboundReply | None:
    """The reply, if it is still claimed (``sending``): an erasure or a person may have settled it during a
    slow look (failed, cancelled), and the look's outcome must not put it back in the queue."""
    row = session.exec(select(OutboundReply).where(OutboundReply.id == reply_id).with_for_update()).first()
    return row if row is not None and row.status == "sending" else None


def _confirmed(engine: Engine, connector: Any, reply_id: int, now: datetime) -> bool:
    """The platform's delivery status already names the reply (``inbox.outbox.confirmed``): recorded."""
    with Session(engine) as session, session.begin():
        row = session.get(OutboundReply, reply_id)
        assert row is not None and row.unsure_from is not None
        found = confirmation(session, connector, row, row.unsure_from - SKEW)
        if found is not None:
            record_confirmed(session, row, found, now)
    return found is not None


def _looked(session: Session, row: OutboundReply, found: Sent | None, now: datetime) -> None:
    window = {"from": str(row.unsure_from), "until": str(row.unsure_until)}
    detail = {"reply": row.id, "found": found.external_id if found else None, **window}
    if row.checked_by:
        detail["retried_by"] = row.checked_by
    store.audit(
        session,
        row.checked_by or "sender",
        FOUND if found else NOT_FOUND,
        target=("conversation", row.conversation_id),
        detail=detail,
        at=now,
    )


def _look_failed(session: Session, row: OutboundReply, exc: ConnectorError, now: datetime) -> None:
    """The look could not be made: wait and look again, never post meanwhile; uncertain after the last try."""
    why = f"looking for an earlier attempt on the platform failed ({type(exc).__name__}: {exc})"
    if exc.retryable and row.attempts < MAX_ATTEMPTS:
        row.status, row.next_attempt_at, row.last_error = "pending", now + retry_wait(row.attempts, exc), why
    else:
        mark_uncertain(session, row, why, now)


def recover_stuck(engine: Engine, connectors: Mapping[str, Any], now: datetime) -> int:
    """Settle replies whose sender died mid-send: their attempt (the lease before ``next_attempt_at``) joins
    the unsure window and they are looked for at once (``settle``); not found where the platform can look,
    they wait for the next send, which looks again first. A stuck hide or unhide is simply queued again, and
    so is a reply whose sender died before it started posting (``unposted_claim_at`` still set): nothing to
    look for.
    Only the replies of channels in ``connectors``: another channel's is left to a sender that can look on
    its platform (before, it was marked uncertain as if its platform could not be searched)."""
    with Session(engine) as session, session.begin():
        stuck = session.exec(
            select(OutboundReply)
            .join(Channel, col(Channel.id) == col(OutboundReply.channel_id))
            .where(col(Channel.name).in_(list(connectors)))
            .where(OutboundReply.status == "sending", col(OutboundReply.next_attempt_at) < now)
        ).all()
        mine: list[tuple[int, str]] = []
        for reply in stuck:
            lease_end = reply.next_attempt_at
            assert lease_end is not None and reply.id is not None
            taken = session.execute(  # one recoverer per reply, however many senders run
                update(OutboundReply)
                .where(col(OutboundReply.id) == reply.id, col(OutboundReply.status) == "sending")
                .where(col(OutboundReply.next_attempt_at) == lease_end)
                .values(next_attempt_at=now + SEND_LEASE)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                continue
            session.refresh(reply)
            if reply.action in HIDE_ACTIONS:
                reply.status, reply.next_attempt_at = "pending", None
                continue
            if reply.unposted_claim_at is not None:  # its sender died before it posted: nothing to look for
                reply.status, reply.next_attempt_at, reply.attempts = "pending", None, reply.attempts - 1
                reply.unposted_claim_at = None
                continue
            widen(reply, lease_end - SEND_LEASE, lease_end)
            channel = session.get(Channel, reply.channel_id)
            mine.append((reply.id, channel.name if channel else ""))
    for reply_id, channel_name in mine:
        if not settle(engine, connectors.get(channel_name), reply_id, now):
            with Session(engine) as session, session.begin():
                row = session.get(OutboundReply, reply_id)
                if row is not None and row.status == "sending":
                    row.status, row.next_attempt_at = "pending", None
    return len(stuck)


def retry_outcomes(session: Session, conversation_id: int) -> dict[str, RetryOutcome]:
    """The conversation's delivered replies that a person's Retry looked for, by their platform id (the id of
    their message in the thread): the last look's outcome, as the audit log recorded it."""
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.target_type == "conversation",
            AuditEvent.target_id == str(conversation_id),
            col(AuditEvent.action).in_((FOUND, NOT_FOUND)),
        )
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    looked: dict[int, RetryOutcome] = {}
    for e in events:
        if e.detail.get("retried_by") and e.at is not None:
            looked[int(e.detail["reply"])] = RetryOutcome(
                e.action == FOUND, e.at, str(e.detail["retried_by"])
            )
    if not looked:
        return {}
    delivered = session.exec(
        select(OutboundReply.id, OutboundReply.platform_id).where(
            col(OutboundReply.id).in_(list(looked)), OutboundReply.status == "sent"
        )
    )
    return {platform_id: looked[rid] for rid, platform_id in delivered if rid is not None and platform_id}
