"""Customers who now write from another id (a WhatsApp customer who changed phone number), and chats given a
new id (a Telegram group upgraded to a supergroup, ``follow_chat_moves``): their history follows them.

Session-taking, never commits. For each ``(old id, new id)`` the platform reports on a channel
(``connectors.capabilities.ReportsMovedCustomers``): the customer's contact takes the new id, so the agents'
private answers go to the new number (``inbox.outbox.delivery`` answers a contact at its current id), and
their private conversation takes it as its thread, so what they write from the new number joins it. Where
the new id already has a contact or a conversation of its own (they wrote from the new number before the
notice came), that one is left as it is and nothing is merged (the audit says so). Messages keep the id
they were written from. Audited (``customer.number_changed``, without the numbers). Reported twice, the
second changes nothing: the old id is no longer found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from inbox.store import records as store
from inbox.store.tables import AuditEvent, Contact, Conversation

ACTOR = "webhooks"
ACTION = "customer.number_changed"


def _contact(session: Session, channel_id: int, platform_id: str) -> Contact | None:
    stmt = select(Contact).where(Contact.channel_id == channel_id, Contact.platform_id == platform_id)
    return session.exec(stmt).first()


def _conversation(session: Session, channel_id: int, thread_key: str) -> Conversation | None:
    stmt = select(Conversation).where(
        Conversation.channel_id == channel_id,
        Conversation.visibility == "private",
        Conversation.thread_key == thread_key,
    )
    return session.exec(stmt).first()


def _said(session: Session, target: tuple[str, object]) -> bool:
    kind, key = target
    stmt = select(AuditEvent.id).where(
        AuditEvent.action == ACTION, AuditEvent.target_type == kind, AuditEvent.target_id == str(key)
    )
    return session.exec(stmt).first() is not None


def follow_moves(session: Session, channel_id: int, moves: Sequence[tuple[str, str]], now: datetime) -> int:
    """Move each customer's contact and private conversation to their new id; how many moved."""
    moved = 0
    for old, new in moves:
        contact = _contact(session, channel_id, old)
        conv = _conversation(session, channel_id, old)
        took_contact = contact is not None and _contact(session, channel_id, new) is None
        took_thread = conv is not None and _conversation(session, channel_id, new) is None
        if contact is not None and took_contact:
            contact.platform_id, contact.updated_at = new, now
        if conv is not None and took_thread:
            conv.thread_key = new
        if contact is None and conv is None:  # a customer we never knew, or the notice again
            continue
        moved += took_contact or took_thread
        session.flush()
        target = ("conversation", conv.id) if conv is not None else ("contact", contact and contact.id)
        if not (took_contact or took_thread) and _said(session, target):
            continue  # the notice again, for a customer left at both numbers: said once
        store.audit(
            session,
            ACTOR,
            ACTION,
            target=target,
            detail={"contact_moved": took_contact, "conversation_moved": took_thread},
            at=now,
        )
    return moved


def follow_chat_moves(session: Session, channel_id: int, moves: Sequence[tuple[str, str]]) -> int:
    """The conversations of each chat given a new id (a Telegram group upgraded to a supergroup) take it:
    ``<old>`` and ``<old>/<member>`` become ``<new>`` and ``<new>/<member>``, so what members write there
    joins their conversation and answers go there. One already at the new key is left as it is."""
    moved = 0
    for old, new in moves:
        stmt = select(Conversation).where(
            Conversation.channel_id == channel_id,
            or_(col(Conversation.thread_key) == old, col(Conversation.thread_key).startswith(f"{old}/")),
        )
        for conv in session.exec(stmt).all():
            key = new + conv.thread_key[len(old) :]
            taken = select(Conversation.id).where(
                Conversation.channel_id == channel_id,
                Conversation.visibility == conv.visibility,
                Conversation.thread_key == key,
            )
            if session.exec(taken).first() is not None:
                continue
            conv.thread_key = key
            moved += 1
    session.flush()
    return moved
