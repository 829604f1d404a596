"""A person's answers to a conversation, wherever the outbox stored them. SQL only.

A person's reply is stored as a message of the conversation it answers, except a private reply to a public
conversation on a platform that opens a DM thread for it: ``record_delivery`` stores that message in the DM
thread's conversation. It still answers the public conversation (its first response and last reply already
count it): here it is one of that conversation's replies for first-contact resolution and an answer that
stops its next-response clock. It is found through the outbox row (``OutboundReply``: the conversation
replied to, the platform id of what was sent). Automatic messages are no answer, as everywhere
(``person_answer``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from inbox.ingest.clocks import person_answer
from inbox.store.tables import Conversation, Message, OutboundReply


def _elsewhere(*columns: Any) -> Any:
    """``columns`` over each person's private reply stored in another conversation than the one it
    answers (its DM thread), joined to that message."""
    r, m = OutboundReply, Message
    same_message = (col(m.channel_id) == col(r.channel_id)) & (col(m.platform_id) == col(r.platform_id))
    return (
        select(*columns)
        .select_from(r)
        .join(m, same_message)
        .where(
            col(r.status) == "sent",
            col(r.visibility) == "private",
            col(r.action) == "reply",
            col(m.conversation_id) != col(r.conversation_id),
            person_answer(),
        )
    )


def answers_elsewhere() -> Any:
    """(conversation answered, delivery time) of each person's private reply stored in its DM thread."""
    return _elsewhere(col(OutboundReply.conversation_id), col(Message.created_at))


def person_replies() -> Any:
    """Correlated to ``conversation``: how many replies a person gave it, its own messages and its
    private replies stored in a DM thread."""
    own = (
        select(func.count())
        .select_from(Message)
        .where(col(Message.conversation_id) == col(Conversation.id), person_answer())
        .correlate(Conversation)
        .scalar_subquery()
    )
    elsewhere = (
        _elsewhere(func.count())
        .where(col(OutboundReply.conversation_id) == col(Conversation.id))
        .correlate(Conversation)
        .scalar_subquery()
    )
    return own + elsewhere


def from_the_app() -> Any:
    """SQL, on ``message``: a person's answer the inbox did not send (posted from the platform's own app and
    read back by the listener: no outbox row has its platform id). It answers the customer, but is no
    agent's reply in the inbox's figures."""
    m, r = Message, OutboundReply
    sent_here = select(col(r.id)).where(
        col(r.channel_id) == col(m.channel_id), col(r.platform_id) == col(m.platform_id)
    )
    return person_answer() & ~sent_here.exists()
