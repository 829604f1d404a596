"""A person's record (right of access): everything held on them across every linked account, as one dict.

Profiles, conversations with their tags and classification, every message they wrote and every message we
sent in their conversations (text and raw payload; on theirs, the agents' corrections of its classification),
notes on those conversations, survey answers, our outbox replies, their privacy state, and the audit events
that concern them. Read-only; the caller audits.
Another customer's message in a thread they joined is not theirs and is left out.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, or_
from sqlmodel import Session, col, select

from inbox.privacy import elsewhere
from inbox.privacy.identifiers import Identifiers, subject_identifiers
from inbox.privacy.subject import Subject
from inbox.store.tables import (
    AuditEvent,
    Channel,
    ClassificationCorrection,
    Contact,
    ContactPrivacy,
    Conversation,
    EscalationAlert,
    Incident,
    Message,
    Note,
    OutboundReply,
    Person,
    QuarantinedItem,
    SurveyRequest,
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _fields(row: Any, names: str) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names.split()}


PROFILE = "id platform_id handle display_name followers tags person_id created_at updated_at"
CONVERSATION = (
    "id thread_key visibility kind status tags urgency sentiment language created_at first_inbound_at "
    "last_message_at first_response_at"
)
MESSAGE = (
    "id platform_id direction visibility kind created_at author_handle author_platform_id "
    "reply_to_platform_id text raw language sentiment sentiment_scores urgency urgency_reasons pii moderation"
)
REPLY = "id visibility status text recipient_id in_reply_to created_by created_at sent_at platform_template"
CORRECTION = "at actor field old new"
SURVEY = "id kind status sent_at score answered_at answer_message_id"
AUDIT = "id at actor action target_type target_id detail"


def conversation_ids(session: Session, subject: Subject) -> tuple[set[int], set[int]]:
    """(conversations that are theirs, conversations where they only wrote in someone else's thread)."""
    ids = list(subject.contact_ids)
    own = set(session.exec(select(Conversation.id).where(col(Conversation.contact_id).in_(ids))).all())
    wrote = set(session.exec(select(Message.conversation_id).where(col(Message.contact_id).in_(ids))).all())
    return {i for i in own if i is not None}, wrote - own


def their_messages(session: Session, subject: Subject, own: set[int]) -> list[Message]:
    """Messages they wrote anywhere, ours in their own conversations, and ours answering one of theirs in
    someone else's thread (ours to them, even when it does not name them)."""
    theirs = col(Message.contact_id).in_(subject.contact_ids)
    ours = col(Message.direction) == "out"
    wrote_in = select(Message.conversation_id).where(theirs)  # an answer is in the thread of what it answers
    answered = select(Message.platform_id).where(theirs, col(Message.platform_id).is_not(None))
    to_them = col(Message.conversation_id).in_(wrote_in) & col(Message.reply_to_platform_id).in_(answered)
    stmt = select(Message).where(or_(theirs, col(Message.conversation_id).in_(own) & ours, ours & to_them))
    return list(session.exec(stmt.order_by(col(Message.created_at), col(Message.id))).all())


def concerning(subject: Subject, conversations: set[int]) -> Any:
    """The SQL condition on AuditEvent for the events about this person, their accounts or conversations, and
    the messages they wrote (an agent's correction of its classification)."""
    targets = [("contact", str(i)) for i in subject.contact_ids]
    targets += [("conversation", str(i)) for i in conversations]
    if subject.person_id is not None:
        targets.append(("person", str(subject.person_id)))
    written = select(cast(Message.id, String)).where(col(Message.contact_id).in_(subject.contact_ids))
    kind, key = col(AuditEvent.target_type), col(AuditEvent.target_id)
    return or_(
        *((kind == target) & (key == value) for target, value in targets),
        (kind == "message") & key.in_(written),
    )


def person_record(session: Session, subject: Subject, now: datetime) -> dict[str, Any]:
    """Everything held on ``subject``; JSON-ready (times in ISO 8601 UTC)."""
    own, joined = conversation_ids(session, subject)
    every = own | joined
    channels = {c.id: c.name for c in session.exec(select(Channel)).all()}
    contacts = session.exec(select(Contact).where(col(Contact.id).in_(subject.contact_ids))).all()
    states = {
        p.contact_id: p
        for p in session.exec(
            select(ContactPrivacy).where(col(ContactPrivacy.contact_id).in_(subject.contact_ids))
        )
    }
    profiles = []
    for c in contacts:
        state = states.get(c.id or 0)
        privacy = _fields(state, "opted_out_at legal_hold hold_by hold_at") if state else {}
        profiles.append({"channel": channels.get(c.channel_id), **_fields(c, PROFILE), "privacy": privacy})
    person = session.get(Person, subject.person_id) if subject.person_id is not None else None
    messages = their_messages(session, subject, own)
    fixes = _corrections(session, [m.id for m in messages if m.contact_id in subject.contact_ids])
    ids = subject_identifiers(session, subject)
    conversations = []
    for conv in session.exec(
        select(Conversation).where(col(Conversation.id).in_(every)).order_by(col(Conversation.id))
    ):
        cid = conv.id
        notes = session.exec(select(Note).where(Note.conversation_id == cid).order_by(col(Note.id))).all()
        surveys = session.exec(select(SurveyRequest).where(SurveyRequest.conversation_id == cid)).all()
        replies = session.exec(
            select(OutboundReply).where(OutboundReply.conversation_id == cid).order_by(col(OutboundReply.id))
        ).all()
        conversations.append(
            {
                "channel": channels.get(conv.channel_id),
                **_fields(conv, CONVERSATION),
                "theirs": cid in own,
                "messages": [_message(m, subject, ids, fixes) for m in messages if m.conversation_id == cid],
                "notes": [_fields(n, "id author_id text created_at") for n in notes] if cid in own else [],
                "surveys": [_fields(s, SURVEY) for s in surveys] if cid in own else [],
                "outbox": [_fields(r, REPLY) for r in replies] if cid in own else [],
            }
        )
    events = session.exec(select(AuditEvent).where(concerning(subject, every)).order_by(col(AuditEvent.id)))
    return {
        "subject": subject.ref,
        "generated_at": now.isoformat(),
        "person": _fields(person, "id display_name created_by created_at") if person else None,
        "profiles": profiles,
        "conversations": conversations,
        "audit_events": [_fields(e, AUDIT) for e in events],
        "named_elsewhere": named_elsewhere(session, subject, ids, own, channels),
    }


def _corrections(session: Session, message_ids: list[int | None]) -> dict[int, list[dict[str, Any]]]:
    """The agents' corrections of these messages' classification, oldest first, by message."""
    c = ClassificationCorrection
    rows = session.exec(select(c).where(col(c.message_id).in_(message_ids)).order_by(col(c.at), col(c.id)))
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row.message_id, []).append(_fields(row, CORRECTION))
    return out


def _message(
    message: Message, subject: Subject, ids: Identifiers, fixes: dict[int, list[dict[str, Any]]]
) -> dict[str, Any]:
    """One message of the record; in one they wrote, a copy of someone else's message (a Telegram reply
    carries the message it answers) is left out: ``[another person]``, and the agents' corrections of its
    classification are given."""
    fields = _fields(message, MESSAGE)
    if message.contact_id in subject.contact_ids:
        fields["raw"] = ids.only_theirs(message.raw or {})
        fields["corrections"] = fixes.get(message.id or 0, [])
    return fields


def named_elsewhere(
    session: Session, subject: Subject, ids: Identifiers, own: set[int], channels: dict[int | None, str]
) -> dict[str, list[dict[str, Any]]]:
    """Where data outside their conversations names them (what an erasure redacts there, ``elsewhere``):
    agents' notes, our replies, incidents, alerts, audit details, quarantined payloads and webhook bodies as
    received in full; another
    customer's message only as a reference (its words are that customer's)."""
    about = set(session.exec(select(AuditEvent.id).where(concerning(subject, own))).all())
    return {
        "messages_of_others": [
            _fields(m, "id conversation_id created_at") | {"channel": channels.get(m.channel_id)}
            for m in elsewhere.others_messages(session, ids, own)
            if m.contact_id not in subject.contact_ids
        ],
        "notes": [
            _fields(n, "id conversation_id author_id text created_at")
            for n in elsewhere.naming(session, ids, Note, "text", where=col(Note.conversation_id).not_in(own))
        ],
        "our_replies": [
            _fields(r, "conversation_id " + REPLY) for r in elsewhere.replies_elsewhere(session, ids, own)
        ],
        "incidents": [
            _fields(i, "id title description declared_at")
            for i in elsewhere.naming(session, ids, Incident, "title", "description")
        ],
        "alerts": [
            _fields(a, "id conversation_id key created_at payload")
            for a in elsewhere.naming(session, ids, EscalationAlert, "payload")
        ],
        "audit_events": [
            _fields(e, AUDIT)
            for e in elsewhere.naming(session, ids, AuditEvent, "detail")
            if e.id not in about
        ],
        "spike_alerts": [
            _fields(t, "id scope opened_at payload") for t in elsewhere.open_spikes_quoting(session, own)
        ],
        "quarantined": [
            _fields(q, "id error raw created_at") | {"channel": channels.get(q.channel_id)}
            for q in elsewhere.naming(session, ids, QuarantinedItem, "raw", "error")
        ],
        "webhook_events": [
            _fields(e, "id received_at status error")
            | {"channel": channels.get(e.channel_id), "body": _body(body)}
            for e, body in elsewhere.webhook_bodies(session, ids)
        ],
    }


def _body(text: str) -> Any:
    """A webhook body as JSON when it is JSON, else as text."""
    try:
        return json.loads(text)
    except ValueError:
        return text
