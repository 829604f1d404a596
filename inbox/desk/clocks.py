"""Where a conversation's running SLA clock started: the first customer message nobody has answered yet.

The queue's and the conversation's colour, and the dashboard's share of the target elapsed, are measured from
it: a next-response clock starts at the customer's first message after the last answer, not at their last
message, and a customer writing to a resolved conversation starts a new clock at their message (a "thanks"
left unanswered at the resolution is not waiting). The start is stored with the due time
(``conversation.clock_started_at``, ``inbox.ingest.threads``); a conversation stored before migration 0029 has
none, and its start is derived from its messages (``last_outbound_at`` is a person's last answer, automatic
messages are none). The colour is the charter's state of the clock (``colour``): amber once the escalation's
``at_risk_fraction`` of its span has elapsed on the target's own clock (business hours for a business-hours
target), as the dashboard and the alerts judge it. Read-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import case, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from inbox.charter.open_clocks import ClockState, judge
from inbox.charter.versions import CharterBook
from inbox.store.tables import Contact, Conversation, Message

Colour = Literal["none", "green", "amber", "red"]
COLOURS: dict[ClockState, Colour] = {"on_track": "green", "at_risk": "amber", "breached": "red"}


def clock_started(conv: Conversation, thread: Iterable[Message]) -> datetime | None:
    """When the running SLA clock started: the first customer message nobody answered yet (``thread``: the
    conversation's messages; ``last_outbound_at`` is a person's last answer). ``clock_start`` in SQL."""
    if conv.sla_due_at is None:
        return None
    if conv.clock_started_at is not None:
        return conv.clock_started_at
    answered = conv.last_outbound_at
    if conv.first_response_at is None or answered is None:
        return conv.first_inbound_at
    waiting = [
        m.created_at for m in thread if m.direction == "in" and m.created_at and m.created_at > answered
    ]
    return min(waiting, default=conv.last_inbound_at)


def clock_start() -> ColumnElement[datetime | None]:
    """``clock_started`` in SQL, for a page of conversations: the stored start, else one probe of
    ``ix_message_conversation_time`` per running next-response clock (the customer's messages after the last
    answer, the first of them)."""
    c = Conversation
    first_waiting = (
        select(func.min(Message.created_at))
        .where(
            col(Message.conversation_id) == col(c.id),
            col(Message.direction) == "in",
            col(Message.created_at) > col(c.last_outbound_at),
        )
        .correlate(c)
        .scalar_subquery()
    )
    return case(
        (col(c.sla_due_at).is_(None), None),
        (col(c.clock_started_at).is_not(None), col(c.clock_started_at)),
        (or_(col(c.first_response_at).is_(None), col(c.last_outbound_at).is_(None)), col(c.first_inbound_at)),
        else_=func.coalesce(first_waiting, col(c.last_inbound_at)),
    )


def colour(
    book: CharterBook,
    conv: Conversation,
    channel: str,
    platform: str,
    contact: Contact | None,
    started: datetime | None,
    now: datetime,
) -> Colour:
    """The colour of ``conv``'s running clock by the charter in force at its arrival; none with no clock."""
    if conv.sla_due_at is None or conv.first_inbound_at is None:
        return "none"
    tags = tuple(str(t).lower() for t in (contact.tags if contact is not None else []) or [])
    return COLOURS[judge(book, now, conv, channel, platform, tags, started)[2]]
