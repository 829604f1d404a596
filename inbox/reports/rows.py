"""Read models the KPI functions take: small frozen rows filled by ``inbox.reports.queries``. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

UNCLASSIFIED = "unclassified"  # no sentiment or urgency label (the classifier was off or unsure)


@dataclass(frozen=True, slots=True)
class ConversationFacts:
    """A conversation whose first customer message arrived in the period, with what its KPIs need."""

    id: int
    channel: str
    platform: str
    kind: str  # mention | dm | listening | comment
    visibility: str  # public | private
    status: str  # open | pending | resolved
    first_inbound_at: datetime
    first_response_at: datetime | None
    last_inbound_at: datetime | None  # the last customer message but a survey's score or opt-out
    last_outbound_at: datetime | None
    sla_due_at: datetime | None  # the running clock's due time (None once answered)
    arrival_urgency: str | None  # the urgency of the first customer message
    tags: tuple[str, ...]  # the customer's tags (segments such as vip)
    brand_replies: int  # a person's replies in the conversation (automatic messages are no reply)
    first_response_due_at: datetime | None = None  # stored at arrival (None: stored before migration 0009)
    reason: str | None = None  # the contact reason now: its charter override and urgency bump apply
    first_clock_at: datetime | None = None  # where the first-response clock started (None: the first message)

    @property
    def first_wait_from(self) -> datetime:
        """Where the customer's wait for a first answer starts: their first message, or, when that was
        resolved unanswered (a "thanks", spam), their first message after it (migration 0031)."""
        return self.first_clock_at or self.first_inbound_at


@dataclass(frozen=True, slots=True)
class OutcomeCount:
    """Conversations of one channel whose first customer message arrived in one UTC quarter hour, with
    one first-response outcome (met | missed | waiting | closed_unanswered)."""

    channel: str
    quarter: datetime  # the quarter hour's start (aware UTC); local days are unions of quarter hours
    outcome: str
    conversations: int


@dataclass(frozen=True, slots=True)
class OpenConversation:
    """A conversation waiting for an answer: open (not pending, snoozed or resolved), its response clock
    running."""

    id: int
    channel: str
    platform: str
    kind: str
    visibility: str
    urgency: str | None
    handle: str | None
    tags: tuple[str, ...]
    assignee: str | None
    clock_start: datetime | None  # the customer message the running clock started from
    sla_due_at: datetime
    answered_before: bool  # the running clock is a next-response clock
    snippet: str = ""  # the newest message's first line (customer text: show as plain text)
    first_inbound_at: datetime | None = None  # its arrival: the charter in force then judges it
    reason: str | None = None  # the contact reason: its override may set the target's clock


@dataclass(frozen=True, slots=True)
class HourCount:
    """Customer messages received in one UTC hour (a quarter hour when the team's local hours are not UTC
    hours) on one channel, with one sentiment label."""

    hour: datetime  # the bucket's start (aware UTC)
    channel: str
    sentiment: str  # negative | neutral | positive | unclassified
    messages: int


@dataclass(frozen=True, slots=True)
class BacklogCount:
    channel: str
    urgency: str  # low | normal | high | critical | unclassified
    conversations: int


@dataclass(frozen=True, slots=True)
class AgentEvent:
    """An audited step: an agent opened a conversation (``view``), queued a reply (``reply``); or the
    customer wrote in it (``customer``, actor empty)."""

    at: datetime
    kind: str  # view | reply | customer
    actor: str
    conversation_id: int


@dataclass(frozen=True, slots=True)
class AgentCounts:
    """Per agent name: replies delivered and conversations set to resolved in the period."""

    replies_sent: dict[str, int]
    resolved: dict[str, int]
    display_names: dict[str, str]
