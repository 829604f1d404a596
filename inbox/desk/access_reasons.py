"""Opening a closed conversation of a customer asks why (seed 001: who accessed what, when, and why).

Session-taking; never commits. Rules: a resolved conversation asks for a reason before it is shown, unless
it is assigned to the one opening it (their own file) or it was closed by moderation (the managers' review
list); the reason is audited with the view (``conversation.viewed``). A conversation seen while it was open
needs none when it is resolved under the agent's eyes (the page remembers it).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from inbox.access import require
from inbox.desk.actions import ReasonRequired
from inbox.i18n import _
from inbox.replies import moderation
from inbox.store import records as store
from inbox.store.tables import Conversation, User


def needs_reason(conv: Conversation, user_id: int | None) -> bool:
    """Whether ``user_id`` must say why before this conversation is shown."""
    closed = conv.status == "resolved" and not moderation.moderated_as(conv.tags)
    return closed and conv.assignee_id != user_id


def record_access(session: Session, conv_id: int, user: User, reason: str, now: datetime) -> None:
    """The view of a closed conversation, with why (ReasonRequired when blank)."""
    require(user, "work")
    why = reason.strip()
    if not why:
        raise ReasonRequired(_("say why you open this closed conversation"))
    store.audit(
        session,
        user.name,
        "conversation.viewed",
        target=("conversation", conv_id),
        detail={"reason": why},
        at=now,
    )
