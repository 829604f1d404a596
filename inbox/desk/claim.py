"""The pull mode, "Next conversation": which conversation it picks, and the claim on what it opens.

It picks the most urgent open conversation on a channel the agent works (``channel_scope.effective``: their
role's and their account's restrictions) that is their own, or nobody's, passing over reasons the charter
routes to other agents who are signed in; ``within`` the queue's filters when the agent set some (a
billing-only queue gives the next billing conversation, as a help desk's "play" does within a view). The
agent's own is simply opened. An unassigned one is taken by a conditional UPDATE (``assignee_id IS NULL``,
still open), so two agents pressing "Next conversation" at the same moment never get the same one: the one
who loses is offered the next. Audited as
``conversation.assigned`` with ``rule: "next"`` (who took it, from nobody), like a manual assignment.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from inbox.access import require
from inbox.desk import channel_scope, routing
from inbox.desk.queue import Filters, QueueItem, order, queue_page
from inbox.store import records as store
from inbox.store.tables import Conversation, User

TRIES = 5  # another agent may take the first candidate meanwhile
ROUTED_LOOKAHEAD = 50  # unassigned conversations looked through past ones routed to others


def next_conversation(
    session: Session, user_id: int, now: datetime, within: Filters | None = None
) -> int | None:
    """The most urgent open conversation on a channel I work (``channel_scope``) that is mine, or nobody's,
    among those ``within`` shows (its channel, urgency, reason… filters; status and assignee are decided
    here)."""
    user = session.get(User, user_id)
    channels = channel_scope.effective(session, user) if user else None
    shown = replace(within or Filters(), status="open", channels=channels)
    scope = replace(shown, assignee="unassigned")
    mine = queue_page(session, replace(shown, assignee="mine"), user_id=user_id, now=now, size=1).rows
    skip = routing.skipped_reasons(session, user_id, now)  # reasons the charter routes to other agents
    free = queue_page(session, scope, user_id=user_id, now=now, size=ROUTED_LOOKAHEAD if skip else 1).rows
    free = [r for r in free if r.reason not in skip][:1]
    best = order([QueueItem(r.id, r.sla_due_at, r.urgency, r.tags) for r in (*mine, *free)])
    return best[0].id if best else None


def claim_next(session: Session, user: User, now: datetime, within: Filters | None = None) -> int | None:
    """The conversation "Next conversation" opens for ``user`` (among those ``within`` shows), assigned to
    them (caller commits); None when nothing is waiting for them."""
    require(user, "work")
    assert user.id is not None
    for _ in range(TRIES):
        conv_id = next_conversation(session, user.id, now, within)
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
            audit_taken(session, user, conv_id, now, "next")
            return conv_id
        session.expire_all()  # someone else took it: look again
    return None


def audit_taken(session: Session, user: User, conv_id: int, now: datetime, rule: str) -> None:
    """The audit line of an unassigned conversation the user took (``rule``: "next" or "reply")."""
    store.audit(
        session,
        user.name,
        "conversation.assigned",
        target=("conversation", conv_id),
        detail={"from": None, "to": user.id, "rule": rule},
        at=now,
    )
