"""Live assignment (``[assignment] automatic``): as an online agent has room, they are handed the most urgent
unassigned conversation they can take. Run by the automation tick; safe with any number of listeners.

Who: active agents (role agent) seen in the app within ``presence.ONLINE_TTL`` whose open conversations are
fewer than their capacity, the one handed a conversation longest ago first, one conversation each per round
(so a full queue is shared out evenly), rounds until nobody takes one or ``per_tick`` is reached. What: the
first unassigned open conversation in queue order (due time, then urgency, then VIP) in a language they
speak (or none detected; an agent with no languages speaks all) on a channel they work (``channel_scope``:
their role's and their account's restrictions).

Race safety: each agent's turn is one transaction that first writes the agent's activity row (a row lock on
PostgreSQL, the writer lock on SQLite), so two listeners serve one agent one after the other and their load
is counted afresh; a conversation is taken by a conditional UPDATE (``assignee_id IS NULL``), so it is never
handed to two agents. Audited as ``conversation.auto_assigned`` (rule ``live``) by ``automation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, func, select

from inbox.charter.model import Charter
from inbox.desk import channel_scope, routing
from inbox.desk.claim import ROUTED_LOOKAHEAD
from inbox.desk.presence import assignable_users
from inbox.desk.queue import Filters, queue_page
from inbox.store import records as store
from inbox.store.tables import AgentActivity, Conversation, User

ACTOR = "automation"
CANDIDATES = 5  # conversations tried per turn (another listener may take the first meanwhile)


@dataclass(frozen=True, slots=True)
class Agent:
    user_id: int
    languages: tuple[str, ...]
    channels: channel_scope.Scope  # None: every channel
    capacity: int


def _agents(session: Session, now: datetime) -> list[Agent]:
    """Online active agents, the one handed a conversation longest ago (or never) first."""
    online = assignable_users(session, now)
    if not online:
        return []
    rows = session.exec(
        select(User, AgentActivity.last_assigned_at)
        .join(AgentActivity, col(AgentActivity.user_id) == col(User.id))
        .where(col(User.id).in_(online), col(User.active).is_(True), User.role == "agent")
    ).all()
    ordered = sorted(rows, key=lambda r: (r[1] is not None, r[1], r[0].id))
    roles = channel_scope.role_channels(session)
    return [
        Agent(u.id or 0, tuple(u.languages), channel_scope.effective(session, u, roles), u.capacity)
        for u, _last in ordered
    ]


def _load(session: Session, user_id: int) -> int:
    stmt = select(func.count()).where(Conversation.status == "open", Conversation.assignee_id == user_id)
    return int(session.exec(stmt).one())


def _take(session: Session, agent: Agent, now: datetime, skip: frozenset[str] = frozenset()) -> int | None:
    """Hand ``agent`` one conversation in the caller's transaction; its id, or None. ``skip``: contact
    reasons the charter routes to other agents (``inbox.desk.routing``)."""
    session.execute(  # first a write on the agent's row: two listeners serve one agent in turn
        update(AgentActivity)
        .where(col(AgentActivity.user_id) == agent.user_id)
        .values(seen_at=AgentActivity.seen_at)
    )
    if _load(session, agent.user_id) >= agent.capacity:
        return None
    scope = Filters(assignee="unassigned", channels=agent.channels, speaks=agent.languages)
    size = CANDIDATES + ROUTED_LOOKAHEAD if skip else CANDIDATES
    page = queue_page(session, scope, user_id=None, now=now, size=size).rows
    rows = [r for r in page if r.reason not in skip]
    for row in rows:
        won = session.execute(
            update(Conversation)
            .where(
                col(Conversation.id) == row.id,
                col(Conversation.assignee_id).is_(None),
                col(Conversation.status) == "open",
            )
            .values(assignee_id=agent.user_id)
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            session.execute(
                update(AgentActivity)
                .where(col(AgentActivity.user_id) == agent.user_id)
                .values(last_assigned_at=now)
            )
            detail = {"to": agent.user_id, "rule": "live", "language": row.language, "channel": row.channel}
            store.audit(
                session,
                ACTOR,
                "conversation.auto_assigned",
                target=("conversation", row.id),
                detail=detail,
                at=now,
            )
            return row.id
    return None


def assign_live(engine: Engine, charter: Charter, now: datetime) -> int:
    """One tick of live assignment; how many conversations were handed out (0 when the charter says off)."""
    rules = charter.assignment
    if not rules.automatic:
        return 0
    with Session(engine) as session:
        agents = _agents(session, now)
    done = 0
    while agents and done < rules.per_tick:
        served = []
        for agent in agents:
            if done >= rules.per_tick:
                break
            try:
                with Session(engine) as session, session.begin():
                    skip = routing.left_for(session, agent.user_id, charter.reasons, now)  # by contact reason
                    taken = _take(session, agent, now, skip)
            except OperationalError:  # SQLite busy for too long: this agent waits for the next tick
                taken = None
            if taken is not None:
                done += 1
                served.append(agent)
        agents = served  # those who got none are full, or nothing is left for them
    return done
