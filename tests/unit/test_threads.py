"""How messages move a conversation's clock (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox.ingest.threads import (
    StatusChange,
    ThreadEvent,
    on_inbound,
    on_outbound,
    raise_urgency,
    recompute,
)
from inbox.store.tables import Conversation

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def due(conv: Conversation, since: datetime, is_next: bool) -> datetime:
    return since + timedelta(minutes=30 if is_next else 60)


def _conv() -> Conversation:
    return Conversation(channel_id=1, thread_key="t", visibility="public", kind="mention")


def test_first_inbound_starts_the_clock_and_answer_stops_it() -> None:
    conv = _conv()
    on_inbound(conv, T0, due)
    on_inbound(conv, T0 + timedelta(minutes=10), due)
    assert conv.sla_due_at == T0 + timedelta(minutes=60)  # a second message does not move the target
    on_outbound(conv, T0 + timedelta(minutes=20))
    assert conv.first_response_at == T0 + timedelta(minutes=20)
    assert conv.sla_due_at is None


def test_customer_writing_again_starts_the_next_response_clock_and_reopens() -> None:
    conv = _conv()
    on_inbound(conv, T0, due)
    on_outbound(conv, T0 + timedelta(minutes=5))
    conv.status = "resolved"
    on_inbound(conv, T0 + timedelta(hours=2), due)
    assert conv.status == "open"
    assert conv.sla_due_at == T0 + timedelta(hours=2, minutes=30)
    assert conv.first_response_at == T0 + timedelta(minutes=5)


def test_inbound_older_than_the_last_answer_changes_nothing() -> None:
    conv = _conv()
    on_inbound(conv, T0, due)
    on_outbound(conv, T0 + timedelta(minutes=5))
    on_inbound(conv, T0 + timedelta(minutes=1), due)  # arrived late, already answered
    assert conv.sla_due_at is None


def test_urgency_only_rises() -> None:
    conv = _conv()
    raise_urgency(conv, "high")
    raise_urgency(conv, "low")
    assert conv.urgency == "high"
    raise_urgency(conv, "critical")
    assert conv.urgency == "critical"


def test_a_resolved_conversation_recomputed_from_its_messages_keeps_no_clock() -> None:
    """A message stored late into a resolved conversation (not newer than the last answer): the "thanks"
    left unanswered at the resolution starts no clock again; the first-response due time stays."""
    conv = _conv()
    conv.status = "resolved"
    events = [
        ThreadEvent(T0, "in"),
        ThreadEvent(T0 + timedelta(minutes=10), "out"),
        ThreadEvent(T0 + timedelta(minutes=20), "in"),
    ]
    recompute(conv, events, due)
    assert (conv.status, conv.sla_due_at, conv.clock_started_at) == ("resolved", None, None)
    assert conv.first_response_due_at == T0 + timedelta(minutes=60)


def _minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


THANKS_THEN_BACK = [
    ThreadEvent(T0, "in"),
    ThreadEvent(_minutes(10), "out"),
    ThreadEvent(_minutes(20), "in"),  # "merci !", left unanswered
    ThreadEvent(_minutes(300), "in"),  # five hours later: a new question
]


def test_a_recompute_sees_the_resolution_between_the_thanks_and_the_new_message() -> None:
    """Without the resolution the thanks' clock (due 09:50) would run on; with it, 14:00 starts its own."""
    conv = _conv()
    recompute(conv, THANKS_THEN_BACK, due, statuses=[StatusChange(_minutes(25), "resolved")])
    assert (conv.sla_due_at, conv.clock_started_at) == (_minutes(330), _minutes(300))
    recompute(conv, THANKS_THEN_BACK, due)  # the check can fail: no resolution, the thanks' clock
    assert (conv.sla_due_at, conv.clock_started_at) == (_minutes(50), _minutes(20))


def test_a_message_stored_after_a_resolution_it_predates_reopens_with_its_own_clock() -> None:
    """Written at 09:20 but stored at 09:40, after the resolution at 09:25, which did not see it: its clock
    runs from 09:20, as when it was stored (``on_inbound`` of a resolved conversation); the status stays."""
    conv = _conv()
    events = [
        ThreadEvent(T0, "in"),
        ThreadEvent(_minutes(10), "out"),
        ThreadEvent(_minutes(20), "in", stored_at=_minutes(40)),
    ]
    recompute(conv, events, due, statuses=[StatusChange(_minutes(25), "resolved")])
    assert (conv.status, conv.sla_due_at, conv.clock_started_at) == ("open", _minutes(50), _minutes(20))


def test_a_recompute_keeps_the_snooze() -> None:
    """A snoozed conversation (pending until a time) stays snoozed: the replay's reopenings are not news."""
    conv = _conv()
    conv.status, conv.snoozed_until = "pending", _minutes(600)
    recompute(conv, THANKS_THEN_BACK, due, statuses=[StatusChange(_minutes(25), "resolved")])
    assert (conv.status, conv.snoozed_until) == ("pending", _minutes(600))
