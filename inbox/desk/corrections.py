"""An agent corrects a customer message's classification in one click. Session-taking; never commits.

Rules, stated once:
- Language, sentiment, urgency or contact reason of an inbound message; the new value is stored on the
  message, kept as a correction row (who, when, old, new) and audited (``classification.corrected``).
- The conversation follows at once (``inbox.ingest.conversation_fields``): its urgency, sentiment, reason and
  language, so the queue's order and filters follow too; a corrected language is the conversation's.
- Urgency and reason choose the response target: the conversation's clocks are recomputed from its messages
  with the due policy given (a moderated conversation has none and keeps none), each with the reason in force
  when it started (a corrected follow-up does not re-judge the first response).
- A reclassification (``inbox reclassify``) keeps the corrections (``keep_corrections``); ``inbox train``
  reads them as labelled examples (``training_examples``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from inbox.access import require
from inbox.charter.deadlines import DuePolicy
from inbox.ingest import conversation_fields
from inbox.ingest.clocks import recompute_stored
from inbox.ingest.page import bound_due
from inbox.nlp.types import LEVELS, SENTIMENTS
from inbox.replies import moderation
from inbox.store import records as store
from inbox.store.gone import WORDS_GONE
from inbox.store.tables import Channel, Contact, Conversation, Message, User
from inbox.store.tables.corrections import ClassificationCorrection

FIELDS = ("urgency", "sentiment", "language", "reason")
CODE = re.compile(r"^[a-z]{2}$")
REASON = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TARGET_FIELDS = ("urgency", "reason")  # they choose the response target: clocks are recomputed


class CorrectionError(ValueError):
    """A correction that cannot be made as asked (unknown message or field, a value out of range)."""


@dataclass(frozen=True, slots=True)
class Example:
    """A corrected message as training data: its text, its language, the field and the agent's label."""

    text: str
    language: str | None
    field: str
    label: str


def _valid(field: str, value: str) -> bool:
    if field == "urgency":
        return value in LEVELS
    if field == "sentiment":
        return value in SENTIMENTS
    return bool((CODE if field == "language" else REASON).match(value))


def correct(
    session: Session, message_id: int, field: str, new: str, user: User, now: datetime, due: DuePolicy
) -> ClassificationCorrection | None:
    """Set ``field`` of the inbound message to ``new``; None when it already had that value."""
    require(user, "work")
    if field not in FIELDS or not _valid(field, new):
        raise CorrectionError(f"cannot set {field} to {new!r}")
    message = session.get(Message, message_id)
    if message is None or message.direction != "in":
        raise CorrectionError(f"no customer message #{message_id}")
    old = getattr(message, field)
    if old == new:
        return None
    setattr(message, field, new)
    session.add(message)
    row = ClassificationCorrection(
        at=now,
        message_id=message_id,
        conversation_id=message.conversation_id,
        user_id=user.id,
        actor=user.name,
        field=field,
        old=old,
        new=new,
    )
    session.add(row)
    session.flush()
    conv = session.get(Conversation, message.conversation_id)
    assert conv is not None
    _follow(session, conv, field, due)
    store.audit(
        session,
        user.name,
        "classification.corrected",
        target=("message", message_id),
        detail={"conversation": conv.id, "field": field, "old": old, "new": new},
        at=now,
    )
    return row


def _follow(session: Session, conv: Conversation, field: str, due: DuePolicy) -> None:
    """The conversation's fields again; its clocks too when the correction may change its target."""
    conversation_fields.refresh(session, conv)
    if field not in TARGET_FIELDS or moderation.moderated_as(conv.tags):
        return
    channel = session.get(Channel, conv.channel_id)
    assert channel is not None
    contact = session.get(Contact, conv.contact_id) if conv.contact_id is not None else None
    session.flush()
    bound = bound_due(due, channel, contact)  # asked with the reason in force at each clock's start
    recompute_stored(session, [conv], lambda _c: bound, rejudge=True)
    session.add(conv)


def corrections_for(
    session: Session, message_ids: Sequence[int]
) -> dict[int, dict[str, ClassificationCorrection]]:
    """The correction in force per message and field (the newest)."""
    if not message_ids:
        return {}
    c = ClassificationCorrection
    stmt = (
        select(c)
        .where(store.one_of(session, col(c.message_id), list(message_ids)))
        .order_by(col(c.at), col(c.id))
    )
    out: dict[int, dict[str, ClassificationCorrection]] = {}
    for row in session.exec(stmt):
        out.setdefault(row.message_id, {})[row.field] = row
    return out


def keep_corrections(session: Session, messages: Iterable[Message]) -> None:
    """Put agents' corrections back on freshly reclassified messages: a person outranks a model."""
    by_id = {m.id: m for m in messages if m.id is not None}
    for message_id, fields in corrections_for(session, list(by_id)).items():
        for field, row in fields.items():
            setattr(by_id[message_id], field, row.new)


def training_examples(session: Session, *, after: int = 0, limit: int = 100_000) -> list[Example]:
    """The corrections in force, as labelled examples (the newest per message and field), oldest first; not
    those of messages whose words are gone (erased, expired, deleted by the customer)."""
    c = ClassificationCorrection
    stmt = (
        select(c, Message.text, Message.language)
        .join(Message, col(Message.id) == col(c.message_id))
        .where(col(c.id) > after, col(Message.text).not_in(WORDS_GONE))  # erased, expired: no words
        .order_by(col(c.at), col(c.id))
        .limit(limit)
    )
    latest: dict[tuple[int, str], Example] = {}
    for row, text, language in session.exec(stmt):
        latest.pop((row.message_id, row.field), None)  # re-inserted: ordered by the newest correction
        latest[(row.message_id, row.field)] = Example(text, language, row.field, row.new)
    return list(latest.values())
