"""The Team page's "Distribute": round-robin among signed-in agents who speak the conversation's language.

``pick`` is pure: the agent below capacity who was handed a conversation longest ago (never first), among
those who speak its language and work its channel (``channel_scope``: their role's and account's
restrictions).
``distribute`` is pure: ``pick`` for each conversation in turn, among the agents the charter's routing by
contact reason lets take it (``routing.may_take``, as "Next conversation" and live assignment); what nobody
may take stays unassigned, with why.
``assign_unassigned`` applies it to the queue's unassigned open conversations, most urgent first, for a
user who may "distribute" (``inbox.access``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from sqlmodel import Session, col, func, select

from inbox.access import Actor, require
from inbox.desk import channel_scope, routing
from inbox.desk.channel_scope import Scope, works_on
from inbox.desk.presence import assignable_users
from inbox.desk.queue import Filters, queue_page
from inbox.desk.teams import members
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
    name: str = ""  # their user name, which the charter's routing names


@dataclass(frozen=True, slots=True)
class Waiting:
    """An unassigned conversation to hand out."""

    id: int
    language: str | None
    channel: str | None
    reason: str | None = None  # contact reason


# Why a conversation stays unassigned: no agent signed in; none works its channel; none of those who do has
# room and speaks its language; its contact reason is routed to some of the agents, none of whom can take it.
Why = Literal["nobody", "channel", "busy", "routed"]


@dataclass(frozen=True, slots=True)
class Distribution:
    assigned: dict[int, int] = field(default_factory=dict)  # conversation id -> user id
    left: dict[int, Why] = field(default_factory=dict)  # conversation id -> why nobody took it


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


def distribute(
    agents: Sequence[Candidate],
    waiting: Sequence[Waiting],
    rules: routing.Rules,
    teams: routing.Teams | None,
    now: datetime,
) -> Distribution:
    """Round-robin, in the order given: each conversation to ``pick`` among the agents who may take its
    contact reason (``routing.may_take``: the reason's agents and team members when one of them is among
    ``agents``, else anyone). An agent handed one at ``now`` goes to the end of the round; the rest waits."""
    pool = {a.user_id: a for a in agents}
    here = {a.name for a in agents}
    out = Distribution()
    for conv in waiting:
        allowed = [a for a in pool.values() if routing.may_take(rules, conv.reason, a.name, here, teams)]
        chosen = pick(allowed, conv.language, conv.channel)
        if chosen is None:
            out.left[conv.id] = _why(list(pool.values()), conv)
            continue
        out.assigned[conv.id] = chosen.user_id
        pool[chosen.user_id] = replace(chosen, open_count=chosen.open_count + 1, last_assigned_at=now)
    return out


def _why(agents: list[Candidate], conv: Waiting) -> Why:
    if not agents:
        return "nobody"
    if conv.channel and not any(works_on(a.channels, conv.channel) for a in agents):
        return "channel"
    return "busy" if pick(agents, conv.language, conv.channel) is None else "routed"


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
    online = assignable_users(session, now)
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
            u.name,
        )
        for u, last in rows
    ]


def assign_unassigned(session: Session, by: Actor, now: datetime, limit: int = 50) -> Distribution:
    """Hand out up to ``limit`` unassigned open conversations under the charter in force (``distribute``)."""
    require(by, "distribute")
    agents = candidates(session, now)
    page = queue_page(session, Filters(assignee="unassigned"), user_id=None, now=now, size=limit)
    waiting = [Waiting(r.id, r.language, r.channel, r.reason) for r in page.rows]
    languages = {w.id: w.language for w in waiting}
    rules = routing.rules_in_force(session)
    done = distribute(agents, waiting, rules, members(session) if rules else {}, now)
    for conv_id, user_id in done.assigned.items():
        conv, activity = session.get(Conversation, conv_id), session.get(AgentActivity, user_id)
        assert conv is not None and activity is not None
        conv.assignee_id, activity.last_assigned_at = user_id, now
        store.audit(
            session,
            by.name,
            "conversation.auto_assigned",
            target=("conversation", conv_id),
            detail={"to": user_id, "language": languages[conv_id]},
            at=now,
        )
    return done
