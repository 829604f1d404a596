"""Profile retention: a customer's profile anonymised ``profiles_days`` after they were last seen (pure SQL).

A profile (``contact``: platform id, handle, display name, follower count, link to a person) is due when the
customer was last seen before the cutoff (the profile's last change and their last message), no conversation
of theirs, nor one they wrote in, is still open or pending, and they are not under legal hold. It becomes
what an erasure leaves of it (``expired:<row>``, no handle, name, followers or person; tags stay: the reports'
segments), and their messages, our replies and surveys lose the platform id and handle they kept; a person
record no profile links any more is deleted. Used by ``inbox.privacy.retention`` (``Kind``: due, apply).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_, update
from sqlmodel import Session, col, select

from inbox.store.tables import (
    Contact,
    ContactPrivacy,
    Conversation,
    Message,
    OutboundReply,
    Person,
    SurveyRequest,
)

PREFIX = "expired:"  # the platform id an expired profile keeps (an erased one has ``erased:``)
LIVE = ("open", "pending")


def _live_conversations() -> Any:
    return select(Conversation.id).where(col(Conversation.status).in_(LIVE))


def due(cutoff: datetime) -> Any:
    """Profiles unseen since ``cutoff``, in no live conversation, not under legal hold, not yet anonymised."""
    recent = select(Message.id).where(
        col(Message.contact_id) == Contact.id,
        or_(col(Message.created_at) >= cutoff, col(Message.conversation_id).in_(_live_conversations())),
    )
    live = select(Conversation.id).where(
        col(Conversation.contact_id) == Contact.id, col(Conversation.status).in_(LIVE)
    )
    held = select(ContactPrivacy.contact_id).where(col(ContactPrivacy.legal_hold).is_not(None))
    return (
        (col(Contact.updated_at) < cutoff)
        & ~col(Contact.platform_id).startswith(PREFIX)
        & ~col(Contact.platform_id).startswith("erased:")
        & ~exists(recent)
        & ~exists(live)
        & col(Contact.id).not_in(held)
    )


def _their_conversations(ids: list[int]) -> Any:
    return select(Conversation.id).where(col(Conversation.contact_id).in_(ids))


def apply(session: Session, ids: list[int]) -> None:
    """Anonymise the profiles ``ids`` and the platform ids and handles that name them elsewhere."""
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
