"""How a message changes its conversation: times, reopening, the SLA clock. Pure: no I/O, no clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from inbox.store.tables import Conversation

URGENCY_ORDER = {"low": 0, "normal": 1, "high": 2, "critical": 3}

# (conversation, the inbound time the clock starts from, is it a next response) -> due time
DueFn = Callable[[Conversation, datetime, bool], datetime | None]


def _later(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b > a else a


def _earlier(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def on_inbound(conv: Conversation, at: datetime, due: DueFn) -> None:
    """A customer wrote: reopen if closed, start the clock if nobody is already on it."""
    conv.first_inbound_at = _earlier(conv.first_inbound_at, at)
    conv.last_inbound_at = _later(conv.last_inbound_at, at)
    conv.last_message_at = _later(conv.last_message_at, at)
    answered_after = conv.last_outbound_at is not None and conv.last_outbound_at >= at
    if answered_after:
        return
    if conv.status in ("resolved", "pending"):
        conv.status = "open"
    if conv.sla_due_at is None:
        is_next = conv.first_response_at is not None
        conv.sla_due_at = due(conv, at if is_next else conv.first_inbound_at, is_next)
        if not is_next and conv.first_response_due_at is None:
            conv.first_response_due_at = conv.sla_due_at  # the first-response target as it stood at arrival


def on_outbound(conv: Conversation, at: datetime) -> None:
    """The brand answered: record the first response and stop the clock if this answers the last message."""
    conv.last_outbound_at = _later(conv.last_outbound_at, at)
    conv.last_message_at = _later(conv.last_message_at, at)
    if conv.first_inbound_at is not None and at >= conv.first_inbound_at and conv.first_response_at is None:
        conv.first_response_at = at
    if conv.last_inbound_at is None or at >= conv.last_inbound_at:
        conv.sla_due_at = None


def raise_urgency(conv: Conversation, urgency: str | None) -> None:
    """A conversation is as urgent as its most urgent inbound message."""
    if urgency is None:
        return
    if conv.urgency is None or URGENCY_ORDER.get(urgency, 1) > URGENCY_ORDER.get(conv.urgency, 1):
        conv.urgency = urgency
