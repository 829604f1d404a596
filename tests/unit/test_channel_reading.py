"""When a queued reply is said to wait for a listener: its channel unread for IDLE_AFTER, the reply queued
for QUEUED_FOR."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox.desk.channel_reading import IDLE_AFTER, QUEUED_FOR, waits_for_a_listener

NOW = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
IDLE = NOW - IDLE_AFTER - timedelta(minutes=1)


def test_a_reply_queued_long_on_an_idle_channel_waits_for_a_listener() -> None:
    long_ago = NOW - QUEUED_FOR - timedelta(seconds=1)
    assert waits_for_a_listener(long_ago, "pending", IDLE, NOW)
    assert waits_for_a_listener(long_ago.replace(tzinfo=None), "pending", IDLE, NOW)  # SQLite's naive UTC
    assert not waits_for_a_listener(NOW - timedelta(seconds=30), "pending", IDLE, NOW)  # just written
    assert not waits_for_a_listener(long_ago, "sending", IDLE, NOW)  # a sender has it
    assert not waits_for_a_listener(long_ago, "failed", IDLE, NOW)  # said otherwise
    assert not waits_for_a_listener(long_ago, "pending", None, NOW)  # read lately, or never: nothing said
