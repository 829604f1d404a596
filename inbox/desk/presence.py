"""Who is on which conversation, who is online and available, and the answers another agent sent meanwhile.
Session-taking; never commits.

Presence is a heartbeat: a row per (conversation, user) refreshed while the page is open, stale after
``PRESENCE_TTL``. A user is online while seen within ``ONLINE_TTL`` and not signed out; their status says
whether work may be handed to them: ``available``, ``away`` (a break: auto-assignment and round-robin skip
them, what they hold stays theirs) or ``offline`` (signed out). Coming back to the app after signing out
makes them available again; only they end a break. Collision detection compares the replies written since
an agent's composer opened; ``guard`` serialises the check-then-send of two agents on one conversation (a row
write both must take).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from inbox.store import records as store
from inbox.store.tables import AgentActivity, Message, OutboundReply, Presence, ReplyGuard, User

PRESENCE_TTL = timedelta(seconds=45)
ONLINE_TTL = timedelta(minutes=5)
ACTIVITIES = ("viewing", "composing")
STATUSES = ("available", "away", "offline")


@dataclass(frozen=True, slots=True)
class Viewer:
    conversation_id: int
    name: str
    activity: str


@dataclass(frozen=True, slots=True)
class Answer:
    """A reply to the conversation written by someone else since a given time."""

    author: str
    at: datetime
    visibility: str
    text: str
    status: str  # the outbox status, or "on platform" for a reply posted outside the inbox


def heartbeat(session: Session, user_id: int, now: datetime) -> None:
    """The user is signed in and looking at the app (back from signing out: available again)."""
    row = session.get(AgentActivity, user_id)
    if row is None:
        session.add(AgentActivity(user_id=user_id, seen_at=now))
    else:
        row.seen_at = now
        if row.status == "offline":
            row.status = "available"


def status_of(session: Session, user_id: int) -> str:
    row = session.get(AgentActivity, user_id)
    return row.status if row is not None else "available"


def set_status(session: Session, user_id: int, status: str, now: datetime) -> bool:
    """Set the user's status (``STATUSES``); whether it changed. Also a heartbeat."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    row = session.get(AgentActivity, user_id)
    if row is None:
        row = AgentActivity(user_id=user_id, seen_at=now)
        session.add(row)
    changed = row.status != status
    row.status, row.seen_at = status, now
    return changed


def take_break(session: Session, user: User, away: bool, now: datetime) -> None:
    """The user starts (``away``) or ends a break; audited (``user.availability``) when it changes."""
    assert user.id is not None
    before = status_of(session, user.id)
    after = "away" if away else "available"
    if set_status(session, user.id, after, now):
        store.audit(
            session,
            user.name,
            "user.availability",
            target=("user", user.id),
            at=now,
            detail={"from": before, "to": after},
        )


def signed_out(session: Session, user_id: int, now: datetime) -> None:
    """The user signed out (or their sessions were ended): off every conversation and offline at once."""
    leave(session, user_id)
    row = session.get(AgentActivity, user_id)
    if row is not None:
        row.status = "offline"


def touch(session: Session, conversation_id: int, user_id: int, activity: str, now: datetime) -> None:
    """Record that ``user_id`` is on the conversation now (viewing or composing)."""
    if activity not in ACTIVITIES:
        raise ValueError(f"activity must be one of {ACTIVITIES}")
    row = session.exec(
        select(Presence).where(Presence.conversation_id == conversation_id, Presence.user_id == user_id)
    ).first()
    if row is None:
        session.add(
            Presence(conversation_id=conversation_id, user_id=user_id, activity=activity, seen_at=now)
        )
    else:
        row.activity, row.seen_at = activity, now
    heartbeat(session, user_id, now)


def leave(session: Session, user_id: int, conversation_id: int | None = None) -> None:
    """The user left one conversation (or every conversation, on sign-out)."""
    stmt = select(Presence).where(Presence.user_id == user_id)
    if conversation_id is not None:
        stmt = stmt.where(Presence.conversation_id == conversation_id)
    for row in session.exec(stmt):
        session.delete(row)


def viewers(
    session: Session, conversation_ids: list[int], now: datetime, *, exclude_user: int | None = None
) -> dict[int, list[Viewer]]:
    """Who else is on each of these conversations now (fresh heartbeats only)."""
    if not conversation_ids:
        return {}
    stmt = (
        select(Presence.conversation_id, User.display_name, User.name, Presence.activity)
        .join(User, col(User.id) == col(Presence.user_id))
        .where(
            col(Presence.conversation_id).in_(conversation_ids), col(Presence.seen_at) >= now - PRESENCE_TTL
        )
        .order_by(col(Presence.seen_at))
    )
    if exclude_user is not None:
        stmt = stmt.where(Presence.user_id != exclude_user)
    out: dict[int, list[Viewer]] = {}
    for conv_id, display, name, activity in session.exec(stmt):
        out.setdefault(conv_id, []).append(Viewer(conv_id, display or name, activity))
    return out


def online_statuses(session: Session, now: datetime) -> dict[int, str]:
    """Users seen in the app within ``ONLINE_TTL`` and not signed out, with their status."""
    stmt = select(AgentActivity.user_id, AgentActivity.status).where(
        col(AgentActivity.seen_at) >= now - ONLINE_TTL, AgentActivity.status != "offline"
    )
    return dict(session.exec(stmt).all())


def assignable_users(session: Session, now: datetime) -> set[int]:
    """Users online and available: those auto-assignment, round-robin and routing may hand work to."""
    return {user_id for user_id, status in online_statuses(session, now).items() if status == "available"}


def guard(session: Session, conversation_id: int, now: datetime) -> None:
    """Take the conversation's reply guard before checking for collisions and sending.

    One upsert: a second agent's guard waits for the first agent's transaction to end (PostgreSQL row lock,
    SQLite writer lock), so its collision check then sees the first agent's reply.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    table = ReplyGuard.__table__  # type: ignore[attr-defined]
    stmt = insert(table).values(conversation_id=conversation_id, version=1, updated_at=now)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[table.c.conversation_id], set_={"version": table.c.version + 1, "updated_at": now}
        )
    )


def answers_since(session: Session, conversation_id: int, since: datetime, me: str) -> list[Answer]:
    """Replies written to the conversation after ``since`` by anyone but ``me`` (inbox or platform); one its
    writer cancelled before it went answers nobody."""
    replies = session.exec(
        select(OutboundReply)
        .where(
            OutboundReply.conversation_id == conversation_id,
            col(OutboundReply.created_at) > since,
            col(OutboundReply.created_by) != me,
            OutboundReply.status != "cancelled",
        )
        .order_by(col(OutboundReply.created_at))
    ).all()
    ours = set(
        session.exec(
            select(OutboundReply.platform_id).where(
                OutboundReply.conversation_id == conversation_id, col(OutboundReply.platform_id).is_not(None)
            )
        )
    )
    posted = session.exec(
        select(Message).where(
            Message.conversation_id == conversation_id,
            Message.direction == "out",
            col(Message.created_at) > since,
        )
    ).all()
    out = [
        Answer(r.created_by or "?", r.created_at or since, r.visibility, r.text, r.status) for r in replies
    ]
    out += [
        Answer(m.author_handle or "brand account", m.created_at or since, m.visibility, m.text, "on platform")
        for m in posted
        if m.platform_id not in ours
    ]
    return sorted(out, key=lambda a: a.at)
