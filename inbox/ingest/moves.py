"""Customers who now write from another id (a WhatsApp customer who changed phone number), and chats given a
new id (a Telegram group upgraded to a supergroup, ``follow_chat_moves``): their history follows them.

Session-taking, never commits. For each ``(old id, new id)`` the platform reports on a channel
(``connectors.capabilities.ReportsMovedCustomers``): the customer's contact takes the new id, so the agents'
private answers go to the new number (``inbox.outbox.delivery`` answers a contact at its current id), and
their private conversation takes it as its thread, so what they write from the new number joins it. Where
the new id already has a contact and a conversation of their own (they wrote from the new number before the
notice came), they are one customer and one conversation: the new number's contact is merged into the old
one (its messages, conversations, opt-out and tags), which takes the new id, and the new number's
conversation into the old one (``inbox.ingest.merges``: history, clocks, assignment and notes kept). Messages
keep the id they were written from. Audited (``customer.number_changed``, without the numbers; ``merged``:
the conversation merged in). Reported twice, the second changes nothing: the old id is no longer found.

A Telegram chat given a new id moves its conversations the same way (``follow_chat_moves``), merging a
member's conversation opened in the new chat before the move was known; audited
(``conversation.chat_moved``, per conversation). A move is known from either service message, or from the
outbox's reply posted in the new chat, when the notices are never read: for a member's new conversation a
page brings (``chat_moves_answered``), and for replies delivered lately (``moves_answered_since``, which the
listener follows as soon as the outbox has delivered them: a member's supergroup conversation opened before
the reply is merged then, not when a notice comes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from inbox.ingest.merges import merge
from inbox.ingest.threads import DueFn
from inbox.store import records as store
from inbox.store.tables import Contact, Conversation, Message
from inbox.store.tables.privacy import ContactPrivacy

ACTOR = "webhooks"
ACTOR_CHATS = "listener"
ACTION = "customer.number_changed"
CHAT_MOVED_ACTION = "conversation.chat_moved"
DueFor = Callable[[Conversation], DueFn]  # the due policy bound to a conversation's channel and customer


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


def _merge_contacts(session: Session, keep: Contact, gone: Contact) -> None:
    """The new number's contact (``gone``) becomes part of the old one: its messages and conversations, its
    tags, its opt-out; then it is deleted (the old one takes its id afterwards)."""
    assert keep.id is not None and gone.id is not None
    for table in (Message, Conversation):
        session.execute(update(table).where(col(table.contact_id) == gone.id).values(contact_id=keep.id))
    keep.tags = list(dict.fromkeys([*(keep.tags or []), *(gone.tags or [])]))
    keep.person_id = keep.person_id if keep.person_id is not None else gone.person_id
    theirs, ours = session.get(ContactPrivacy, gone.id), session.get(ContactPrivacy, keep.id)
    if theirs is not None and ours is None:
        session.add(ContactPrivacy(**{**theirs.model_dump(), "contact_id": keep.id}))
    elif theirs is not None and ours is not None:
        ours.opted_out_at = ours.opted_out_at or theirs.opted_out_at
        ours.legal_hold, ours.hold_by, ours.hold_at = (
            (ours.legal_hold, ours.hold_by, ours.hold_at)
            if ours.legal_hold
            else (theirs.legal_hold, theirs.hold_by, theirs.hold_at)
        )
    if theirs is not None:
        session.delete(theirs)
    session.flush()
    session.delete(gone)
    session.flush()


def follow_moves(
    session: Session,
    channel_id: int,
    moves: Sequence[tuple[str, str]],
    now: datetime,
    due_for: DueFor,
) -> int:
    """Move each customer's contact and private conversation to their new id, merging what they already
    have there; how many moved."""
    moved = 0
    for old, new in moves:
        contact, conv = _contact(session, channel_id, old), _conversation(session, channel_id, old)
        if contact is None and conv is None:  # a customer we never knew, or the notice again
            continue
        there, theirs = _contact(session, channel_id, new), _conversation(session, channel_id, new)
        merged = None
        if contact is not None and there is not None:
            _merge_contacts(session, contact, there)
        if contact is not None:
            contact.platform_id, contact.updated_at = new, now
        if conv is not None and theirs is not None:
            merged = theirs.id
            merge(session, conv, theirs, due_for(conv))
        if conv is not None:
            conv.thread_key = new
        moved += 1
        session.flush()
        target = ("conversation", conv.id) if conv is not None else ("contact", contact and contact.id)
        detail = {"contact_moved": contact is not None, "conversation_moved": conv is not None}
        store.audit(
            session,
            ACTOR,
            ACTION,
            target=target,
            detail=detail | ({"merged": merged} if merged else {}),
            at=now,
        )
    return moved


def follow_chat_moves(
    session: Session, channel_id: int, moves: Sequence[tuple[str, str]], due_for: DueFor, now: datetime
) -> int:
    """The conversations of each chat given a new id (a Telegram group upgraded to a supergroup) take it:
    ``<old>`` and ``<old>/<member>`` become ``<new>`` and ``<new>/<member>``, so what members write there
    joins their conversation and answers go there. One opened at the new key meanwhile (a member wrote in
    the supergroup before the move was known) is merged into it. Each move audited
    (``conversation.chat_moved``, with the conversation merged in); a move told again finds nothing at the
    old id and changes nothing."""
    moved = 0
    for old, new in moves:
        stmt = select(Conversation).where(
            Conversation.channel_id == channel_id,
            or_(col(Conversation.thread_key) == old, col(Conversation.thread_key).startswith(f"{old}/")),
        )
        for conv in session.exec(stmt).all():
            key = new + conv.thread_key[len(old) :]
            taken = select(Conversation).where(
                Conversation.channel_id == channel_id,
                Conversation.visibility == conv.visibility,
                Conversation.thread_key == key,
            )
            theirs = session.exec(taken).first()
            merged = theirs.id if theirs is not None else None
            if theirs is not None:
                merge(session, conv, theirs, due_for(conv))
            conv.thread_key = key
            moved += 1
            session.flush()
            detail = {"merged": merged} if merged else {}
            target = ("conversation", conv.id)
            store.audit(session, ACTOR_CHATS, CHAT_MOVED_ACTION, target=target, detail=detail, at=now)
    session.flush()
    return moved


def unknown_chats(session: Session, channel_id: int, keys: Sequence[tuple[str, str]]) -> list[str]:
    """The members' conversations of group chats (``<chat>/<member>``, a negative chat id) among the page's
    ``(visibility, thread key)`` that the inbox does not hold yet: only there may a move be unknown."""
    out: list[str] = []
    for visibility, key in dict.fromkeys(keys):
        chat, _, member = key.partition("/")
        if not chat.startswith("-") or not member or key in out:
            continue
        held = select(Conversation.id).where(
            Conversation.channel_id == channel_id,
            Conversation.visibility == visibility,
            Conversation.thread_key == key,
        )
        if session.exec(held).first() is None:
            out.append(key)
    return out


def chat_moves_answered(session: Session, channel_id: int, keys: Sequence[str]) -> list[tuple[str, str]]:
    """Moves the outbox learnt from the platform's answer (Telegram's ``migrate_to_chat_id``: our reply to a
    member's conversation in chat ``<old>`` was posted in chat ``<new>``, its platform id
    ``<new>:<message>``), for the members' new conversations ``keys`` (``<new>/<member>``) a page brings: the
    upgrade notice itself may never be read. Only that member's own conversations are read (by their
    contact), with their messages (by conversation): no scan of the channel's messages."""
    found: list[tuple[str, str]] = []
    for key in keys:
        chat, _, member = key.partition("/")
        contact = _contact(session, channel_id, member)
        if contact is None:
            continue
        stmt = (
            select(Conversation.thread_key)
            .join(Message, col(Message.conversation_id) == col(Conversation.id))
            .where(
                Conversation.channel_id == channel_id,
                Conversation.contact_id == contact.id,
                col(Conversation.thread_key).startswith("-"),
                Message.direction == "out",
                col(Message.platform_id).startswith(f"{chat}:"),
            )
        )
        for thread in session.exec(stmt).all():
            old = thread.split("/")[0]
            if old != chat and (old, chat) not in found:
                found.append((old, chat))
    return found


def moves_answered_since(session: Session, channel_id: int, since: datetime) -> list[tuple[str, str]]:
    """Moves the outbox learnt from replies it delivered (stored) since ``since``: a reply to a conversation
    of group chat ``<old>`` whose platform id is ``<new>:<message>`` (Telegram's ``migrate_to_chat_id``
    answer). One range read of the outbound messages stored since (``ix_message_stored``). Only a basic
    group's move to a supergroup (``-100…``) is one: a reply posted in the basic group before the upgrade,
    now in a conversation that followed the group, moves nothing back."""
    stmt = (
        select(Conversation.thread_key, Message.platform_id)
        .join(Message, col(Message.conversation_id) == col(Conversation.id))
        .where(
            Message.direction == "out",
            col(Message.ingested_at) >= since,
            Message.channel_id == channel_id,
            col(Conversation.thread_key).startswith("-"),
        )
    )
    found: list[tuple[str, str]] = []
    for thread, platform_id in session.exec(stmt).all():
        old, (new, colon, _message) = thread.split("/")[0], platform_id.partition(":")
        if colon and _upgraded(old, new) and (old, new) not in found:
            found.append((old, new))
    return found


def _upgraded(old: str, new: str) -> bool:
    """Telegram moves a basic group (a negative id) to a supergroup (``-100…``), never the other way."""
    return old.startswith("-") and not old.startswith("-100") and new.startswith("-100")
