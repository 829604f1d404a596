"""Two senders, one reply: the first is slow (stopped, or its POST's answer late) past its claim, the
second takes the reply over as stuck, finds it on the platform and records it. The first then wakes with
the platform's answer: the reply must stay recorded once (one message in the thread, one reply.sent).

Real parts: the X sandbox (the post is created, then its answer hangs), tweepy, and the database (SQLite
and PostgreSQL). The second sender's clock runs past the first one's claim, as time would.
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
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply
from tests.support.eventually import eventually
from tests.support.x_channel import poll


def _count(engine: Engine, stmt: object) -> int:
    with Session(engine) as s:
        return int(s.exec(stmt).one())  # type: ignore[call-overload]


@pytest.mark.parametrize("answer", [None, 503], ids=["posted-answer-late", "posted-then-503"])
def test_a_sender_waking_after_its_reply_was_taken_over_does_not_record_it_again(
    engine: Engine, sandbox: XSandbox, rt: Runtime, answer: int | None
) -> None:
    """Late answer: the first sender recorded the delivery a second time (two reply.sent). A 503 after the
    post: it put the recorded reply back in the queue (then found and recorded again)."""
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    poll(engine, rt)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply_id = outbox.enqueue(
            s, conv, visibility="public", text="@jane We are on it!", actor="agent", now=datetime.now(UTC)
        ).id
    sandbox.inject_fault("/2/tweets", after=True, delay=4.0, status=answer)  # posted, the answer late
    connectors = {rt.name: rt.connector}
    first = threading.Thread(target=outbox.send_one, args=(engine, connectors, lambda: datetime.now(UTC)))
    first.start()
    try:
        eventually(lambda: len(sandbox.sent_tweets) == 1, timeout=30, interval=0.05, message="the post")
        later = datetime.now(UTC) + outbox.SEND_LEASE + timedelta(seconds=30)
        outbox.drain(engine, connectors, lambda: later)  # the second sender: the claim ran out
        with Session(engine) as s:
            row = s.get(OutboundReply, reply_id)
            assert row is not None and row.status == "sent", "the second sender should have found the post"
    finally:
        first.join(timeout=60)
    outbox.drain(engine, connectors, lambda: later + outbox.SEND_LEASE * 2)  # and the senders go on
    assert len(sandbox.sent_tweets) == 1
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None and row.status == "sent", (row.status if row else None, row and row.last_error)
    outbound = select(func.count()).select_from(Message).where(Message.direction == "out")
    sent = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "reply.sent")
    assert _count(engine, outbound) == 1
    assert _count(engine, sent) == 1, "the delivery was recorded twice"
