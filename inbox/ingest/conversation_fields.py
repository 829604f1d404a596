"""A conversation's classification derived from its customer messages. Session-taking, never commits.

Rules, stated once: urgency is the most urgent inbound message's; sentiment the latest's; the contact
reason the latest that is not ``other`` (``inbox.nlp.reasons.conversation_reason``); the language the one
the customer writes in across the conversation, unless an agent corrected it
(``inbox.nlp.conversation_language``). Messages carry agents' corrections in their own columns, so every
rule follows a correction. Ingestion sets urgency, sentiment and reason message by message; ``languages``
needs the whole conversation, ``refresh`` redoes every field (reclassification, a correction).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from inbox.nlp.conversation_language import conversation_language
from inbox.nlp.reasons import conversation_reason
from inbox.nlp.types import LEVELS
from inbox.store import records as store
from inbox.store.tables import Conversation, Message
from inbox.store.tables.corrections import ClassificationCorrection

LANGUAGE = "language"


def _corrected_languages(session: Session, ids: list[int]) -> dict[int, str]:
    """Each conversation's newest agent correction of a message's language."""
    c = ClassificationCorrection
    stmt = (
        select(c.conversation_id, c.new)
        .where(store.one_of(session, col(c.conversation_id), ids), c.field == LANGUAGE)
        .order_by(col(c.at), col(c.id))
    )
    return dict(session.exec(stmt).all())


def languages(session: Session, convs: Iterable[Conversation]) -> None:
    """Set each conversation's language from its stored customer messages (flush new ones first)."""
    by_id = {conv.id: conv for conv in convs if conv.id is not None}
    if not by_id:
        return
    ids = list(by_id)
    m = Message
    stmt = (
        select(m.conversation_id, m.language)
        .where(store.one_of(session, col(m.conversation_id), ids), m.direction == "in")
        .order_by(col(m.created_at), col(m.id))
    )
    found: dict[int, list[str | None]] = defaultdict(list)
    for conversation_id, language in session.exec(stmt).all():
        found[conversation_id].append(language)
    corrected = _corrected_languages(session, ids)
    for conversation_id, conv in by_id.items():
        if found.get(conversation_id):
            conv.language = conversation_language(found[conversation_id], corrected.get(conversation_id))


def in_time_order(session: Session, convs: Iterable[Conversation]) -> None:
    """Set each conversation's sentiment and contact reason from its stored customer messages in the order
    they were written (flush new ones first): a page read newest first stores the latest message before
    the earlier ones, which must not become the conversation's reason or sentiment."""
    by_id = {conv.id: conv for conv in convs if conv.id is not None}
    if not by_id:
        return
    m = Message
    stmt = (
        select(m.conversation_id, m.sentiment, m.reason)
        .where(store.one_of(session, col(m.conversation_id), list(by_id)), m.direction == "in")
        .order_by(col(m.created_at), col(m.id))
    )
    found: dict[int, list[tuple[str | None, str | None]]] = defaultdict(list)
    for conversation_id, sentiment, reason in session.exec(stmt).all():
        found[conversation_id].append((sentiment, reason))
    for conversation_id, rows in found.items():
        conv, reason = by_id[conversation_id], None
        for _sentiment, said in rows:
            reason = conversation_reason(reason, said)
        conv.reason = reason if any(said for _s, said in rows) else conv.reason
        conv.sentiment = rows[-1][0] if rows[-1][0] is not None else conv.sentiment
        session.add(conv)


def refresh(session: Session, conv: Conversation) -> None:
    """Every classification field of ``conv`` from its stored customer messages."""
    rows = session.exec(
        select(Message)
        .where(Message.conversation_id == conv.id, Message.direction == "in")
        .order_by(col(Message.created_at), col(Message.id))
    ).all()
    if not rows:
        return
    levels = [m.urgency for m in rows if m.urgency in LEVELS]
    conv.urgency = max(levels, key=LEVELS.index) if levels else conv.urgency
    conv.sentiment = rows[-1].sentiment
    reason = None
    for m in rows:
        reason = conversation_reason(reason, m.reason)
    conv.reason = reason
    languages(session, [conv])
    session.add(conv)
