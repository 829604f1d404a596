"""How a message changes its conversation: times, reopening, the SLA clock. Pure: no I/O, no clock.

``on_inbound`` and ``on_outbound`` apply one message as it arrives, which is right when messages arrive in
time order. When they do not (a backfill or a polling backlog reads newest first), ``recompute`` derives the
same fields from all of the conversation's messages sorted by their own platform times, as if each had
arrived in order. Only a person's answer counts: an automatic message (outbox key ``auto-...``) stops no
clock and is no first response.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from inbox.store.tables import Conversation

URGENCY_ORDER = {"low": 0, "normal": 1, "high": 2, "critical": 3}
AUTOMATIC_PREFIX = "auto-"  # outbox keys of the charter's automatic messages (inbox.automation.auto_replies)

# (conversation, the inbound time the clock starts from, is it a next response) -> due time
DueFn = Callable[[Conversation, datetime, bool], datetime | None]


def is_automatic(idempotency_key: str | None) -> bool:
    """An automatic message (out-of-hours, peak acknowledgement, survey) is not an answer: no clock stops."""
    return bool(idempotency_key and idempotency_key.startswith(AUTOMATIC_PREFIX))


@dataclass(frozen=True, slots=True)
class ThreadEvent:
    """A stored message as the clock sees it: the customer's (``in``, with its urgency) or a person's answer
    (``out``). Automatic messages are not events."""

    at: datetime
    direction: Literal["in", "out"]
    urgency: str | None = None
    stored_at: datetime | None = None  # when the inbox stored it (a resolution before that did not see it)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The conversation's status was set at ``at`` (the audited ``conversation.status``: a person, a
    deletion, an erasure, an incident)."""

    at: datetime
    status: str


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def _earlier(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def on_inbound(conv: Conversation, at: datetime, due: DueFn) -> None:
    """A customer wrote: reopen if closed, start the clock if nobody is already on it. A resolved
    conversation had nothing left to answer (a "thanks" left unanswered is not judged): its old clock goes and
    this message starts a new one, from its arrival; if nobody ever answered, it is the first-response clock,
    and its due time is the conversation's first-response due time from then on (the message resolved
    unanswered is not judged). A pending one keeps its clock (it was waiting, not done). A message
    older than the first one starts another first clock: the stored first-response due time goes (the
    page's ``recompute`` sets it)."""
    if conv.first_inbound_at is not None and at < conv.first_inbound_at:
        conv.first_response_due_at = None
    conv.first_inbound_at = _earlier(conv.first_inbound_at, at)
    conv.last_inbound_at = _later(conv.last_inbound_at, at)
    conv.last_message_at = _later(conv.last_message_at, at)
    answered_after = conv.last_outbound_at is not None and conv.last_outbound_at >= at
    if answered_after:
        return
    reopened = conv.status == "resolved"
    if reopened:
        conv.sla_due_at = conv.clock_started_at = None
    if conv.status in ("resolved", "pending"):
        conv.status = "open"
        conv.snoozed_until = None  # the customer wrote: no need to wait for the snooze
    if conv.sla_due_at is None:
        is_next = conv.first_response_at is not None
        since = at if is_next or reopened else conv.first_inbound_at
        conv.sla_due_at = due(conv, since, is_next)
        conv.clock_started_at = since if conv.sla_due_at is not None else None
        if not is_next and (conv.first_response_due_at is None or reopened):
            conv.first_response_due_at = conv.sla_due_at  # the first-response target as it stood then
            conv.first_clock_at = since  # the first response's wait is counted from there


def on_outbound(conv: Conversation, at: datetime) -> None:
    """The brand answered: record the first response and stop the clock if this answers the last message."""
    conv.last_outbound_at = _later(conv.last_outbound_at, at)
    conv.last_message_at = _later(conv.last_message_at, at)
    if conv.first_inbound_at is not None and at >= conv.first_inbound_at and conv.first_response_at is None:
        conv.first_response_at = at
    if conv.last_inbound_at is None or at >= conv.last_inbound_at:
        conv.sla_due_at = conv.clock_started_at = None


def _stored_after(messages: list[ThreadEvent], at: datetime) -> list[ThreadEvent]:
    """The customer messages written before ``at`` but stored after it: a resolution then did not see them."""
    return [m for m in messages if m.stored_at is not None and m.stored_at > at]


def raise_urgency(conv: Conversation, urgency: str | None) -> None:
    """A conversation is as urgent as its most urgent inbound message."""
    if urgency is None:
        return
    if conv.urgency is None or URGENCY_ORDER.get(urgency, 1) > URGENCY_ORDER.get(conv.urgency, 1):
        conv.urgency = urgency


def _kept_first_due(conv: Conversation, due: DueFn) -> DueFn:
    """``due``, except that the first-response clock of the same first message keeps the due time stored when
    it arrived (``first_response_due_at``): a message stored late does not re-judge it with what is true now
    (the customer's tags, the conversation's reason). A new earliest message starts another first clock. The
    stored due time is kept only for the clock it was worked out for (``first_clock_at``, else the first
    message): one a message read after a resolution reopened (its own clock) is not the first message's."""
    first, stored = conv.first_clock_at or conv.first_inbound_at, conv.first_response_due_at

    def kept(c: Conversation, since: datetime, is_next: bool) -> datetime | None:
        if not is_next and stored is not None and first is not None and since == first:
            return stored
        return due(c, since, is_next)

    return kept


def recompute(
    conv: Conversation,
    events: Iterable[ThreadEvent],
    due: DueFn,
    *,
    rejudge: bool = False,
    statuses: Iterable[StatusChange] = (),
) -> None:
    """Set the conversation's message times, first response, running clock and first-response due time from
    all its messages and its status changes, ordered by their own times (in UTC; at one instant the
    customer's message comes first, so an answer at the same second answers it, and a status set at that
    instant comes last), whatever order they were stored in. A resolution stops the clock, and the next
    customer message starts its own, as when it happened. Each clock's due time is asked of ``due`` with the
    urgency the conversation had when that clock started, as ``on_inbound`` would have; the first-response
    due time stored at arrival is kept while the first message is the same (``_kept_first_due``), unless
    ``rejudge`` (a person corrected what chooses the target: every due time is worked out again). The
    status, the snooze and the conversation's urgency are left as they are, and a resolved conversation
    keeps no running clock (resolving stopped it)."""
    status, urgency, snoozed = conv.status, conv.urgency, conv.snoozed_until
    due = due if rejudge else _kept_first_due(conv, due)
    conv.first_inbound_at = conv.last_inbound_at = conv.last_outbound_at = conv.last_message_at = None
    conv.first_response_at = conv.sla_due_at = conv.first_response_due_at = conv.clock_started_at = None
    conv.first_clock_at = None
    conv.urgency, conv.status = None, "open"  # as it was created; its status changes come in time order
    timeline: list[tuple[datetime, int, ThreadEvent | StatusChange]] = [
        (e.at, 0 if e.direction == "in" else 1, e) for e in events
    ]
    timeline += [(change.at, 2, change) for change in statuses]
    seen: list[ThreadEvent] = []
    for _at, _order, item in sorted(timeline, key=lambda t: (t[0].astimezone(UTC), t[1])):
        if isinstance(item, StatusChange):
            conv.status = item.status
            if item.status == "resolved":
                conv.sla_due_at = conv.clock_started_at = None
                for unseen in _stored_after(seen, item.at):  # it reopened the conversation when stored
                    on_inbound(conv, unseen.at, due)
        elif item.direction == "in":
            raise_urgency(conv, item.urgency)
            on_inbound(conv, item.at, due)
            seen.append(item)
        else:
            on_outbound(conv, item.at)
    conv.status, conv.urgency, conv.snoozed_until = status, urgency, snoozed
    if status == "resolved":
        conv.sla_due_at = conv.clock_started_at = None  # resolving stopped the clock: nothing waits
