"""Listening items: posts found by keyword search (kind ``listening``). Session-taking, never commits.

An agent answers one like any conversation, or dismisses it: the conversation is closed (status resolved, its
clock stopped) with the reason *dismissed*, audited as ``conversation.dismissed``. A dismissed item was never
answered, so the reports count it as *closed unanswered*: never met, never missed, never a breach.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from inbox.access import require
from inbox.store import records as store
from inbox.store.tables import Conversation, User

LISTENING = "listening"


class DismissError(ValueError):
    """Only an existing listening item can be dismissed."""


def dismiss(session: Session, conv_id: int, user: User, now: datetime) -> None:
    """Close a listening item without answering it."""
    require(user, "work")
    conv = session.get(Conversation, conv_id)
    if conv is None:
        raise DismissError(f"no conversation #{conv_id}")
    if conv.kind != LISTENING:
        raise DismissError("only listening items can be dismissed: resolve a customer's conversation instead")
    before, conv.status, conv.sla_due_at = conv.status, "resolved", None
    store.audit(
        session,
        user.name,
        "conversation.dismissed",
        target=("conversation", conv_id),
        detail={"reason": "dismissed", "from": before},
        at=now,
    )
