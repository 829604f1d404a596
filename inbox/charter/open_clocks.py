"""The running response clocks of open conversations, each judged with the charter in force at its arrival.

Read-only and cheap enough for every automation tick: two queries (late, not yet due), then the stored due
time and the target's clock (no messages are read). The peak plan counts these; escalation re-checks its
candidates with the full SLA engine before alerting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from inbox.charter.fields import Kind
from inbox.charter.model import Charter
from inbox.charter.sla import Target, charter_kind, clock_time, target_for, time_left
from inbox.charter.versions import CharterBook
from inbox.store.tables import Channel, Contact, Conversation

ClockState = Literal["on_track", "at_risk", "breached"]
MAX_CLOCKS = 10_000  # late clocks read, soonest due first
MAX_COMING = 50_000  # clocks not yet due read (all of them, but for a runaway backlog)


@dataclass(frozen=True, slots=True)
class OpenClock:
    """An open conversation waiting for an answer, with its target and where its clock stands."""

    conversation_id: int
    channel: str
    platform: str
    kind: Kind  # the charter's kind: public, private or listening
    urgency: str | None
    tags: tuple[str, ...]  # the contact's tags, lower case
    handle: str | None
    name: str | None  # the contact's display name, for platforms without handles (Telegram, WhatsApp)
    first_inbound_at: datetime
    last_inbound_at: datetime
    answered_before: bool  # a next-response clock: the brand already answered once
    due_at: datetime
    target: Target
    remaining: timedelta  # on the target's clock; negative once breached
    state: ClockState
    reason: str | None = None  # the conversation's contact reason, which may set its own target
    clock_started_at: datetime | None = None  # the message it started from (None: stored before 0029)


def clock_state(
    charter: Charter, target: Target, due: datetime, now: datetime, started: datetime | None = None
) -> tuple[timedelta, ClockState]:
    """Time left on the target's clock and the state: at risk once the charter's fraction has elapsed of the
    clock's own span, from ``started`` to its stored due time (a target changed since the clock started,
    by a later message's reason or urgency, does not move it: the dashboard's rule); of the target's minutes
    when the start is unknown (stored before migration 0029)."""
    left = time_left(charter, target, due, now)
    if now > due:
        return left, "breached"
    span = timedelta(minutes=target.minutes)
    if started is not None and started < due:
        span = clock_time(charter, target, started, due)
    at_risk_left = span * (1 - charter.escalation.at_risk_fraction)
    return left, "at_risk" if left <= at_risk_left else "on_track"


def open_clocks(
    session: Session,
    book: CharterBook,
    now: datetime,
    *,
    limit: int | None = None,
    assignee_id: int | None = None,
) -> list[OpenClock]:
    """Every running clock (open conversation, stored due time), soonest due first: the ``limit`` soonest
    of those already late, then every one not yet due (``MAX_COMING`` at most), so a backlog of late
    conversations never hides one at risk; ``assignee_id``: only that user's conversations."""
    due = col(Conversation.sla_due_at)
    late = _clocks(session, [due < now], MAX_CLOCKS if limit is None else limit, assignee_id)
    coming = _clocks(session, [due >= now], MAX_COMING, assignee_id)
    return [_judged(book, now, *row) for row in late + coming]


def late_count(session: Session, now: datetime) -> int:
    """Every running clock already past its due time, counted by the database (``open_clocks`` reads only
    the ``MAX_CLOCKS`` soonest of them)."""
    due = col(Conversation.sla_due_at)
    stmt = select(func.count()).select_from(Conversation).where(Conversation.status == "open", due < now)
    return int(session.exec(stmt).one())


def _clocks(
    session: Session, bounds: list[ColumnElement[bool]], limit: int, assignee_id: int | None
) -> list[tuple[Conversation, Channel, Contact | None]]:
    stmt = (
        select(Conversation, Channel, Contact)
        .join(Channel, col(Channel.id) == col(Conversation.channel_id))
        .outerjoin(Contact, col(Contact.id) == col(Conversation.contact_id))
        .where(Conversation.status == "open", col(Conversation.sla_due_at).is_not(None), *bounds)
        .order_by(col(Conversation.sla_due_at))
        .limit(limit)
    )
    if assignee_id is not None:
        stmt = stmt.where(Conversation.assignee_id == assignee_id)
    return [
        (conv, chan, contact)
        for conv, chan, contact in session.exec(stmt)
        if conv.id is not None and conv.sla_due_at is not None and conv.first_inbound_at is not None
    ]


def _judged(
    book: CharterBook, now: datetime, conv: Conversation, chan: Channel, contact: Contact | None
) -> OpenClock:
    """The clock of one running conversation, judged with the charter in force at its arrival."""
    assert conv.id is not None and conv.sla_due_at is not None and conv.first_inbound_at is not None
    channel, platform = chan.name, chan.platform
    tags, handle = (contact.tags, contact.handle) if contact is not None else ([], None)
    name = contact.display_name if contact is not None else None
    kind = charter_kind(conv.kind, conv.visibility)
    answered = conv.first_response_at is not None
    lowered = tuple(str(t).lower() for t in (tags or ()))
    target, remaining, state = judge(book, now, conv, channel, platform, lowered, conv.clock_started_at)
    return OpenClock(
        conversation_id=conv.id,
        channel=channel,
        platform=platform,
        kind=kind,
        urgency=conv.urgency,
        tags=lowered,
        handle=handle,
        name=name,
        first_inbound_at=conv.first_inbound_at,
        last_inbound_at=conv.last_inbound_at or conv.first_inbound_at,
        answered_before=answered,
        due_at=conv.sla_due_at,
        target=target,
        remaining=remaining,
        state=state,
        reason=conv.reason,
        clock_started_at=conv.clock_started_at,
    )


def judge(
    book: CharterBook,
    now: datetime,
    conv: Conversation,
    channel: str,
    platform: str,
    tags: tuple[str, ...],
    started: datetime | None,
) -> tuple[Target, timedelta, ClockState]:
    """The running clock of ``conv`` (stored due time, first inbound known) on ``channel``, its contact's
    ``tags`` lower case: its target, the time left and its state, by the charter in force at its arrival
    (``clock_state`` from ``started``). The queue's colour and the dashboard read the same."""
    assert conv.sla_due_at is not None and conv.first_inbound_at is not None
    charter = book.in_force(conv.first_inbound_at)
    target = target_for(
        charter,
        channel,
        charter_kind(conv.kind, conv.visibility),
        conv.urgency,
        tags,
        platform=platform,
        metric="next_response" if conv.first_response_at is not None else "first_response",
        reason=conv.reason,
    )
    assert target is not None  # first and next responses always have a target
    remaining, state = clock_state(charter, target, conv.sla_due_at, now, started)
    return (target, remaining, state)
