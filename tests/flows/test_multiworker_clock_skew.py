"""Senders on machines whose clocks disagree: leases are judged on the database server's time.

A sender on a machine running three minutes fast took every claim of the others as run out: it took over a
reply another sender was posting at that moment (the takeover then looked for the post, or asked a person).
Workers now read the database server's time (``inbox.store.server_clock``), so the fast machine sees the
claim as held. Real parts: the X sandbox (the post's answer delayed), tweepy, PostgreSQL; SQLite is one
machine's file, where every process shares one clock, so only the clock's own reading is tested there.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from connectors.sandbox.x.server import XSandbox
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.store.server_clock import ServerClock
from inbox.store.tables import AuditEvent, Conversation, OutboundReply
from tests.support.eventually import eventually
from tests.support.x_channel import poll

FAST = outbox.SEND_LEASE + timedelta(minutes=1)  # this machine's clock, ahead of the others


def _fast() -> datetime:
    return datetime.now(UTC) + FAST


def test_the_clock_reads_the_database_servers_time(engine: Engine) -> None:
    clock = ServerClock(engine, local=_fast)
    read = clock()
    if engine.dialect.name == "postgresql":  # the test server runs on this machine's true clock
        assert abs(read - datetime.now(UTC)) < timedelta(seconds=5), clock.offset
        assert abs(clock.offset + FAST) < timedelta(seconds=5)
    else:
        assert clock.offset == timedelta(0) and read - datetime.now(UTC) > FAST - timedelta(seconds=5)


def test_a_fast_machines_sender_leaves_a_claimed_reply_to_its_sender(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite: every process shares the one machine's clock")
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    poll(engine, rt)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply_id = outbox.enqueue(
            s, conv, visibility="public", text="@jane We are on it!", actor="agent", now=datetime.now(UTC)
        ).id
    sandbox.inject_fault("/2/tweets", after=True, delay=4.0)  # posted, its answer late
    connectors = {rt.name: rt.connector}
    first = threading.Thread(target=outbox.send_one, args=(engine, connectors, ServerClock(engine)))
    first.start()
    try:
        eventually(lambda: len(sandbox.sent_tweets) == 1, timeout=30, interval=0.05, message="the post")
        outbox.drain(engine, connectors, ServerClock(engine, local=_fast))  # the fast machine's sender
        with Session(engine) as s:
            row = s.get(OutboundReply, reply_id)
            assert row is not None and row.status == "sending", "the fast sender took the claimed reply over"
    finally:
        first.join(timeout=60)
    outbox.drain(engine, connectors, ServerClock(engine, local=_fast))
    assert len(sandbox.sent_tweets) == 1
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None and row.status == "sent", (row and row.status, row and row.last_error)
        sent = s.exec(select(func.count()).where(AuditEvent.action == "reply.sent")).one()
        assert sent == 1
