"""The automation step that enforces the charter's moderation rules, once per message.

Each new customer message whose urgency reasons name a moderation rule (``replies.moderation``) is claimed
with a conditional UPDATE of ``Message.moderation`` (only one listener wins, however many run), then in the
same transaction:
- the conversation is tagged ``moderated:<category>``, resolved (reason "moderated") and its SLA clock
  stopped, so it leaves the queue and counts as closed unanswered in the reports, never as a breach; when
  other customer messages in it still wait for an answer, it stays open and untagged (only this message is
  moderated);
- ``hide`` on a Facebook/Instagram comment queues a hide action in the outbox (the sender calls the platform);
- everything is audited (``moderation.applied``, or ``moderation.skipped`` when left to a person).
Only messages written in the last ``LOOKBACK`` are looked at: older ones were answered or closed by people.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from inbox.automation.auto_replies import ACTOR
from inbox.charter.model import Charter
from inbox.outbox import delivery as outbox
from inbox.replies import moderation
from inbox.store import records as store
from inbox.store.json_values import any_element
from inbox.store.tables import Channel, Conversation, Message

log = logging.getLogger("inbox.automation.tick")
LOOKBACK = timedelta(days=3)
HIDE_KEY = "moderation-hide:{}"  # one automatic hide per message


def _candidates(session: Session, now: datetime) -> list[int]:
    rules = [f"rule:{c}" for c in moderation.CATEGORIES]  # compared by value, never inside serialised text
    matched = any_element(Message.urgency_reasons, lambda reason: reason.in_(rules))
    stmt = (
        select(Message.id)
        .where(
            Message.direction == "in",
            col(Message.moderation).is_(None),
            col(Message.created_at) >= now - LOOKBACK,
            matched,
        )
        .order_by(col(Message.id))
        .limit(500)
    )
    return [i for i in session.exec(stmt) if i is not None]


def _claim(session: Session, message_id: int, value: str) -> bool:
    won = session.execute(
        update(Message)
        .where(col(Message.id) == message_id, col(Message.moderation).is_(None))
        .values(moderation=value)
    )
    return bool(won.rowcount == 1)  # type: ignore[attr-defined]


def _others_waiting(session: Session, conv: Conversation, message: Message) -> bool:
    """Another customer message in the conversation, not moderated, waits for an answer."""
    stmt = select(Message.id).where(
        Message.conversation_id == conv.id,
        Message.direction == "in",
        Message.id != message.id,
        or_(col(Message.moderation).is_(None), col(Message.moderation) == moderation.SKIPPED),
    )
    if conv.last_outbound_at is not None:
        stmt = stmt.where(col(Message.created_at) > conv.last_outbound_at)
    return session.exec(stmt).first() is not None


def _close(session: Session, conv: Conversation, verdict: moderation.Verdict, now: datetime) -> None:
    conv.tags = list(dict.fromkeys([*conv.tags, verdict.tag]))
    before, conv.status, conv.sla_due_at = conv.status, "resolved", None
    store.audit(
        session,
        ACTOR,
        "conversation.status",
        target=("conversation", conv.id),
        detail={"from": before, "to": "resolved", "why": "moderated"},
        at=now,
    )


def _apply(session: Session, message: Message, charter: Charter, now: datetime) -> bool:
    conv = session.get(Conversation, message.conversation_id)
    channel = session.get(Channel, message.channel_id)
    assert conv is not None and channel is not None
    verdict = moderation.decide(
        charter, message.urgency_reasons, message.urgency, channel.platform, conv.kind
    )
    if verdict is None:
        return False
    if not _claim(session, message.id or 0, verdict.category if verdict.action else moderation.SKIPPED):
        return False
    detail: dict[str, object] = {
        "message": message.id,
        "category": verdict.category,
        "action": verdict.action,
    }
    if verdict.action is None:
        skipped = {**detail, "why": verdict.detail}
        store.audit(
            session, ACTOR, "moderation.skipped", target=("conversation", conv.id), detail=skipped, at=now
        )
        return False
    kept_open = _others_waiting(session, conv, message)
    if not kept_open:
        _close(session, conv, verdict, now)
    if verdict.action == "hide":
        outbox.enqueue_moderation(session, conv, message, True, ACTOR, now, HIDE_KEY.format(message.id))
    why = verdict.detail + (
        "; other messages wait for an answer: conversation left open" if kept_open else ""
    )
    store.audit(
        session,
        ACTOR,
        "moderation.applied",
        target=("conversation", conv.id),
        detail={**detail, "why": why},
        at=now,
    )
    return True


def moderate(engine: Engine, charter: Charter, now: datetime) -> int:
    """Moderate every new matching message, each in its own transaction; returns how many were moderated."""
    with Session(engine) as session:
        ids = _candidates(session, now)
    done = 0
    for message_id in ids:
        try:
            with Session(engine) as session, session.begin():
                message = session.get(Message, message_id)
                if message is not None and message.moderation is None:
                    done += _apply(session, message, charter, now)
        except (IntegrityError, OperationalError) as exc:  # another listener, or SQLite busy: next tick
            log.debug("moderation of message %s skipped this tick: %s", message_id, exc)
    return done
