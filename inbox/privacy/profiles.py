"""Profile retention: a customer's profile anonymised ``profiles_days`` after they were last seen (pure SQL).

A profile (``contact``: platform id, handle, display name, follower count, link to a person) is due when the
customer was last seen before the cutoff (the profile's last change and their last message), no conversation
of theirs, nor one they wrote in, is still open or pending, and they are not under legal hold. It becomes
what an erasure leaves of it (``erased:<row>``, no handle, name, followers or person; tags stay: the reports'
segments), and their messages, our replies and surveys lose the platform id and handle they kept; a person
record no profile links any more is deleted. Used by ``inbox.privacy.retention`` (``Kind``: due, apply).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, update
from sqlmodel import Session, col, select

from inbox.store.gone import TOMBSTONE
from inbox.store.tables import (
    Contact,
    ContactPrivacy,
    Conversation,
    Message,
    OutboundReply,
    Person,
    SurveyRequest,
)

# the platform id an expired profile keeps: an erased one's (``erased:<row>``), so the screens say "Erased
# customer" rather than show a raw id; ``expired:`` was written before (2026-12-07) and is still skipped
PREFIX, OLD_PREFIX = TOMBSTONE, "expired:"
LIVE = ("open", "pending")


def _live_conversations() -> Any:
    return select(Conversation.id).where(col(Conversation.status).in_(LIVE))


def _quiet() -> Any:
    """Profiles in no live conversation (their own, or one they wrote in), not under legal hold, not yet
    anonymised."""
    live_messages = select(Message.id).where(
        col(Message.contact_id) == Contact.id, col(Message.conversation_id).in_(_live_conversations())
    )
    live = select(Conversation.id).where(
        col(Conversation.contact_id) == Contact.id, col(Conversation.status).in_(LIVE)
    )
    held = select(ContactPrivacy.contact_id).where(col(ContactPrivacy.legal_hold).is_not(None))
    return (
        ~col(Contact.platform_id).startswith(PREFIX)
        & ~col(Contact.platform_id).startswith(OLD_PREFIX)
        & ~exists(live_messages)
        & ~exists(live)
        & col(Contact.id).not_in(held)
    )


def due(cutoff: datetime) -> Any:
    """Profiles unseen since ``cutoff`` (the profile's last change, their last message) and ``_quiet``."""
    recent = select(Message.id).where(
        col(Message.contact_id) == Contact.id, col(Message.created_at) >= cutoff
    )
    return (col(Contact.updated_at) < cutoff) & ~exists(recent) & _quiet()


def _their_conversations(ids: list[int]) -> Any:
    return select(Conversation.id).where(col(Conversation.contact_id).in_(ids))


def apply(session: Session, ids: list[int]) -> None:
    """Anonymise the profiles ``ids`` and the platform ids and handles that name them elsewhere. A listener
    may have stored a message of theirs since they were selected (the purge runs while workers do): their
    rows are locked first (on PostgreSQL, after that listener's transaction), then only those still quiet
    are taken."""
    session.exec(select(Contact.id).where(col(Contact.id).in_(ids)).with_for_update()).all()
    quiet = session.exec(select(Contact.id).where(col(Contact.id).in_(ids), _quiet())).all()
    ids = [i for i in quiet if i is not None]
    if not ids:
        return
    people = set()
    for contact in session.exec(select(Contact).where(col(Contact.id).in_(ids))):
        people.add(contact.person_id)
        contact.platform_id = f"{PREFIX}{contact.id}"  # the hooks fold the name away (search_name)
        contact.handle = contact.display_name = None
        contact.followers, contact.person_id = None, None
    session.flush()
    session.execute(
        update(Message)
        .where(col(Message.contact_id).in_(ids))
        .values(author_platform_id=None, author_handle=None)
        .execution_options(synchronize_session=False)
    )
    done = col(OutboundReply.status).not_in(("pending", "sending"))  # one waiting still needs its recipient
    mine = col(OutboundReply.conversation_id).in_(_their_conversations(ids))
    session.execute(
        update(OutboundReply)
        .where(mine & done)
        .values(recipient_id=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(SurveyRequest)
        .where(
            col(SurveyRequest.conversation_id).in_(_their_conversations(ids)),
            col(SurveyRequest.status).not_in(("waiting", "queued")),  # one still to go needs its recipient
        )
        .values(recipient_id=None)
        .execution_options(synchronize_session=False)
    )
    people.discard(None)
    for person_id in people:
        if not session.exec(select(Contact.id).where(col(Contact.person_id) == person_id)).first():
            session.execute(delete(Person).where(col(Person.id) == person_id))
