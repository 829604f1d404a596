"""Optional automatic assignment: round-robin among signed-in agents who speak the conversation's language.

``pick`` is pure: the agent below capacity who was handed a conversation longest ago (never first), among
those who speak its language and work its channel (``channel_scope``: their role's and account's
restrictions).
``assign_unassigned`` applies it to the queue's unassigned open conversations, most urgent first, for a
user who may "distribute" (``inbox.access``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, func, select

from inbox.access import Actor, require
from inbox.desk import channel_scope
from inbox.desk.channel_scope import Scope, works_on
from inbox.desk.presence import online_users
from inbox.desk.queue import Filters, queue_page
from inbox.store import records as store
from inbox.store.tables import AgentActivity, Conversation, User


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    languages: tuple[str, ...]
    capacity: int
    open_count: int
    last_assigned_at: datetime | None
    channels: Scope = None  # the channels they work (desk.channel_scope); None: all


def pick(
    candidates: Sequence[Candidate], language: str | None, channel: str | None = None
) -> Candidate | None:
    """The next agent in the round: has room, speaks ``language`` (agents with no languages speak all) and
    works ``channel``."""
    pool = [c for c in candidates if c.open_count < c.capacity]
    if channel:
        pool = [c for c in pool if works_on(c.channels, channel)]
    if language:
        pool = [c for c in pool if not c.languages or language in c.languages]
    if not pool:
        return None
    return min(
        pool, key=lambda c: (c.last_assigned_at is not None, c.last_assigned_at, c.open_count, c.user_id)
    )


def open_loads(session: Session) -> dict[int, int]:
    """Open conversations per assigned user."""
    rows = session.exec(
        select(Conversation.assignee_id, func.count())
        .where(Conversation.status == "open", col(Conversation.assignee_id).is_not(None))
        .group_by(col(Conversation.assignee_id))
    ).all()
    return {uid: n for uid, n in rows if uid is not None}


def candidates(session: Session, now: datetime) -> list[Candidate]:
    """Signed-in agents with their load (open conversations assigned to them)."""
    online = online_users(session, now)
    if not online:
        return []
    loads = dict(
        session.exec(
            select(Conversation.assignee_id, func.count())
            .where(Conversation.status == "open", col(Conversation.assignee_id).in_(online))
            .group_by(col(Conversation.assignee_id))
        ).all()
    )
    rows = session.exec(
        select(User, AgentActivity.last_assigned_at)
        .join(AgentActivity, col(AgentActivity.user_id) == col(User.id))
        .where(col(User.id).in_(online), col(User.active).is_(True), User.role == "agent")
    ).all()
    roles = channel_scope.role_channels(session)
    return [
        Candidate(
            u.id or 0,
            tuple(u.languages),
            u.capacity,
            loads.get(u.id, 0),
            last,
            channel_scope.effective(session, u, roles),
        )
        for u, last in rows
    ]


def assign_unassigned(session: Session, by: Actor, now: datetime, limit: int = 50) -> dict[int, int]:
    """Hand out up to ``limit`` unassigned open conversations; returns {conversation id: user id}."""
    require(by, "distribute")
    pool = {c.user_id: c for c in candidates(session, now)}
    done: dict[int, int] = {}
    page = queue_page(session, Filters(assignee="unassigned"), user_id=None, now=now, size=limit)
    for row in page.rows:
        chosen = pick(list(pool.values()), row.language, row.channel)
        if chosen is None:
            continue
        conv = session.get(Conversation, row.id)
        activity = session.get(AgentActivity, chosen.user_id)
        assert conv is not None and activity is not None
        conv.assignee_id, activity.last_assigned_at = chosen.user_id, now
        pool[chosen.user_id] = replace(chosen, open_count=chosen.open_count + 1, last_assigned_at=now)
        store.audit(
            session,
            by.name,
            "conversation.auto_assigned",
            target=("conversation", row.id),
            detail={"to": chosen.user_id, "language": row.language},
            at=now,
        )
        done[row.id] = chosen.user_id
    return done
