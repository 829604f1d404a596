"""How messages move a conversation's clock (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox.ingest.threads import ThreadEvent, on_inbound, on_outbound, raise_urgency, recompute
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
