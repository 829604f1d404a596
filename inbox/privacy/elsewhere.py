"""Erasure where others' data names the person: outside their own conversations, and other customers in them.

Another customer's message that quotes or names them (a Telegram reply carries a copy of the message it
answers; a customer writes "same as @jeanne_dpt, 06 12 34 56 78"), our replies in other threads addressed to
them, incident titles and descriptions, escalation alerts that quote such messages, and audit details (a
view of the audit log filtered on them). Each is redacted (``[erased]`` for each name, id or phone number;
the copies of their messages dropped whole); a reply that names them and is still waiting in the outbox is
not sent ("cancelled: it named a customer whose data was erased"), so the brand does not post their handle
after the erasure. Rows are found in SQL first (a case-insensitive LIKE on each name, id, or a phone's last
digits), then checked with ``Identifiers``. Session-taking, never commits.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from inbox.outbox.schedule import NAMED_ERASED
from inbox.privacy.identifiers import Identifiers
from inbox.store.tables import (
    AuditEvent,
    EscalationAlert,
    Incident,
    Message,
    OutboundReply,
    TrafficSpike,
    WebhookEvent,
)

CANCELLED = NAMED_ERASED


def needles(ids: Identifiers) -> list[str]:
    """Lower-case fragments one of which any text naming the person holds (as typed, and as JSON escapes
    it); a phone number's last two digits, since it may be spaced any way."""
    found: set[str] = set()
    for word in [*ids.names, *ids.ids]:
        found |= {word.lower(), json.dumps(word)[1:-1].lower()}
    found |= {i[-2:] for i in ids.ids if i.isdigit()}
    return sorted(found)


def naming(session: Session, ids: Identifiers, table: Any, *fields: str, where: Any = None) -> list[Any]:
    """The rows of ``table`` (and ``where``) whose ``fields`` (text or JSON) name the person: a SQL LIKE on
    each needle first, then ``Identifiers.found_in`` on the values."""
    words = needles(ids)
    if not words:
        return []
    as_text = [cast(col(getattr(table, f)), String) for f in fields]  # JSON columns as their text
    stmt = select(table).where(
        or_(*(func.lower(c).contains(w, autoescape=True) for c in as_text for w in words))
    )
    if where is not None:
        stmt = stmt.where(where)
    return [row for row in session.exec(stmt) if any(ids.found_in(_text(getattr(row, f))) for f in fields)]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def webhook_bodies(session: Session, ids: Identifiers) -> list[tuple[WebhookEvent, str]]:
    """The webhook events whose body (as received, bank data masked) or ingestion error names the person,
    with the body as text: held until ``webhook_events_days``, exported with their data and deleted by their
    erasure."""
    found = []
    for event in session.exec(select(WebhookEvent)).all():
        body = bytes(event.body).decode("utf-8", errors="replace")
        if ids.found_in(body) or (event.error is not None and ids.found_in(event.error)):
            found.append((event, body))
    return found


def others_messages(session: Session, ids: Identifiers, skip: set[int]) -> list[Message]:
    """Messages that name the person or carry their words, but ours in their own conversations (``skip``:
    theirs with them): another customer's, in their thread too (an answer to them names them)."""
    ours_in_theirs = col(Message.conversation_id).in_(skip) & (col(Message.direction) == "out")
    return naming(session, ids, Message, "text", "raw", where=~ours_in_theirs)


def replies_elsewhere(session: Session, ids: Identifiers, skip: set[int]) -> list[OutboundReply]:
    """Our replies outside the person's own conversations that name them."""
    return naming(session, ids, OutboundReply, "text", where=col(OutboundReply.conversation_id).not_in(skip))


def scrub_messages(session: Session, ids: Identifiers, skip: set[int]) -> int:
    """Other customers' messages naming the person, in their own conversations (``skip``) too; run after
    the person's own messages are anonymised (then none of them names them)."""
    changed = 0
    for message in others_messages(session, ids, skip):
        text, raw = ids.redact(message.text), ids.without_their_copies(message.raw or {})
        if text != message.text or raw != message.raw:
            message.text, message.raw = text, raw
            changed += 1
    return changed


def scrub_replies(session: Session, ids: Identifiers, skip: set[int]) -> int:
    """Our replies in other conversations naming the person: redacted; not sent if still waiting."""
    found = replies_elsewhere(session, ids, skip)
    for reply in found:
        reply.text = ids.redact(reply.text)
        if reply.status in ("pending", "sending", "failed"):  # an uncertain one may be posted: kept so
            reply.status, reply.last_error = "failed", CANCELLED
    return len(found)


def scrub_records(session: Session, ids: Identifiers) -> int:
    """Incidents, escalation alerts and audit details naming the person."""
    changed = 0
    for table, fields in RECORDS:
        for row in naming(session, ids, table, *fields):
            for field in fields:
                setattr(row, field, ids.redact(getattr(row, field)))
            changed += 1
    return changed


RECORDS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Incident, ("title", "description")),
    (EscalationAlert, ("payload",)),
    (AuditEvent, ("detail",)),
)


def open_spikes_quoting(session: Session, own: set[int]) -> list[TrafficSpike]:
    """The open traffic spikes whose alert quotes a message of these conversations (its top messages: handle,
    name, words; a spike's closing keeps its figures only)."""
    found = []
    for spike in session.exec(select(TrafficSpike).where(col(TrafficSpike.open_key).is_not(None))):
        quoted = (spike.payload.get("spike") or {}).get("messages") or []
        if any(m.get("conversation_id") in own for m in quoted if isinstance(m, dict)):
            found.append(spike)
    return found
