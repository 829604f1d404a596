""" "Next conversation" (the pull mode) claims what it opens: the conversation becomes the agent's.

The agent's own most urgent open conversation is simply opened. An unassigned one is taken by a conditional
UPDATE (``assignee_id IS NULL``, still open), so two agents pressing "Next conversation" at the same moment
never get the same one: the one who loses is offered the next. Audited as ``conversation.assigned`` with
``rule: "next"`` (who took it, from nobody), like a manual assignment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from inbox.access import require
from inbox.desk.queue import next_conversation
from inbox.store import records as store
from inbox.store.tables import Conversation, User

TRIES = 5  # another agent may take the first candidate meanwhile


def claim_next(session: Session, user: User, now: datetime) -> int | None:
    """The conversation "Next conversation" opens for ``user``, assigned to them (caller commits); None when
    nothing is waiting for them."""
    require(user, "work")
    assert user.id is not None
    for _ in range(TRIES):
        conv_id = next_conversation(session, user.id, now)
        if conv_id is None:
            return None
        conv = session.get(Conversation, conv_id)
        if conv is not None and conv.assignee_id == user.id:
            return conv_id
        won = session.execute(
            update(Conversation)
            .where(
                col(Conversation.id) == conv_id,
                col(Conversation.assignee_id).is_(None),
                col(Conversation.status) == "open",
            )
            .values(assignee_id=user.id)
            .execution_options(synchronize_session="fetch")
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            store.audit(
                session,
                user.name,
                "conversation.assigned",
                target=("conversation", conv_id),
                detail={"from": None, "to": user.id, "rule": "next"},
                at=now,
            )
            return conv_id
        session.expire_all()  # someone else took it: look again
    return None
