"""Erasure outside the person's own conversations: where others' data names them.

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
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from inbox.privacy.identifiers import Identifiers
from inbox.store.tables import AuditEvent, EscalationAlert, Incident, Message, OutboundReply

CANCELLED = "cancelled: it named a customer whose data was erased"


def needles(ids: Identifiers) -> list[str]:
    """Lower-case fragments one of which any text naming the person holds (as typed, and as JSON escapes
    it); a phone number's last two digits, since it may be spaced any way."""
    found: set[str] = set()
    for word in [*ids.names, *ids.ids]:
        found |= {word.lower(), json.dumps(word)[1:-1].lower()}
    found |= {i[-2:] for i in ids.ids if i.isdigit()}
    return sorted(found)


def _like_any(columns: Iterable[Any], words: list[str]) -> Any:
    return or_(*(func.lower(c).contains(w, autoescape=True) for c in columns for w in words))


def scrub_messages(session: Session, ids: Identifiers, skip: set[int]) -> int:
    """Other customers' messages (not in ``skip``, the person's own conversations) naming the person."""
    words = needles(ids)
    if not words:
        return 0
    stmt = select(Message).where(
        col(Message.conversation_id).not_in(skip),
        _like_any((col(Message.text), cast(col(Message.raw), String)), words),
    )
    changed = 0
    for message in session.exec(stmt):
        text, raw = ids.redact(message.text), ids.without_their_copies(message.raw or {})
        if text != message.text or raw != message.raw:
            message.text, message.raw = text, raw
            changed += 1
    return changed


def scrub_replies(session: Session, ids: Identifiers, skip: set[int]) -> int:
    """Our replies in other conversations naming the person: redacted; not sent if still waiting."""
    words = needles(ids)
    if not words:
        return 0
    stmt = select(OutboundReply).where(
        col(OutboundReply.conversation_id).not_in(skip), _like_any((col(OutboundReply.text),), words)
    )
    changed = 0
    for reply in session.exec(stmt):
        if not ids.found_in(reply.text):
            continue
        reply.text = ids.redact(reply.text)
        if reply.status in ("pending", "sending", "failed"):  # an uncertain one may be posted: kept so
            reply.status, reply.last_error = "failed", CANCELLED
        changed += 1
    return changed


def scrub_records(session: Session, ids: Identifiers) -> int:
    """Incidents, escalation alerts and audit details naming the person."""
    words = needles(ids)
    if not words:
        return 0
    changed = 0
    for incident in session.exec(
        select(Incident).where(_like_any((col(Incident.title), col(Incident.description)), words))
    ):
        title, description = ids.redact(incident.title), ids.redact(incident.description)
        if (title, description) != (incident.title, incident.description):
            incident.title, incident.description = title, description
            changed += 1
    changed += _redact_json(session, ids, words, EscalationAlert, "payload")
    changed += _redact_json(session, ids, words, AuditEvent, "detail")
    return changed


def _redact_json(session: Session, ids: Identifiers, words: list[str], table: Any, field: str) -> int:
    """Redact the JSON column ``field`` of ``table``'s rows that name the person; how many changed."""
    changed = 0
    for row in session.exec(select(table).where(_like_any((cast(getattr(table, field), String),), words))):
        value = ids.redact(getattr(row, field))
        if value != getattr(row, field):
            setattr(row, field, value)
            changed += 1
    return changed
