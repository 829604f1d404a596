"""The outbox delivering replies to the X sandbox: once, with retries, failures kept visible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message, OutboundReply
from tests.support.clock import Clock


def _conversation(engine: Engine, visibility: str) -> Conversation:
    with Session(engine) as s:
        return s.exec(select(Conversation).where(Conversation.visibility == visibility)).one()


def _queue(engine: Engine, conv: Conversation, visibility: str, text: str, key: str | None = None) -> int:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv.id)
        assert conv is not None
        reply = outbox.enqueue(
            s,
            conv,
            visibility=visibility,
            text=text,
            actor="agent",
            now=datetime.now(UTC),
            idempotency_key=key,
        )
        return reply.id or 0


def test_public_reply_is_sent_once_in_the_thread(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    tweet = sandbox.add_mention("@AcmeCare my parcel never arrived", author="jane")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    conv = _conversation(engine, "public")
    assert conv.sla_due_at is not None
    _queue(engine, conv, "public", "@jane Sorry! Could you DM us your order number?", key="k1")
    _queue(
        engine, conv, "public", "@jane Sorry! Could you DM us your order number?", key="k1"
    )  # double click
    connectors = {rt.name: rt.connector}
    assert outbox.drain(engine, connectors, clock) == 1
    assert outbox.drain(engine, connectors, clock) == 0
    assert [t["in_reply_to"] for t in sandbox.sent_tweets] == [tweet]
    poll_channel(
        engine, rt, clock=clock, due=default_due
    )  # our reply may come back: never a customer message
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == "out")).all()
        assert len(out) == 1 and out[0].conversation_id == conv.id
        conv2 = s.get(Conversation, conv.id)
        assert conv2 is not None and conv2.first_response_at is not None and conv2.sla_due_at is None


def test_private_reply_goes_to_the_customer(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    sandbox.add_dm("my account is locked", sender="kim")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    conv = _conversation(engine, "private")
    _queue(engine, conv, "private", "Hi Kim, we have unlocked it.")
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(sandbox.sent_dms) == 1
    poll_channel(engine, rt, clock=clock, due=default_due)  # the DM we sent comes back in dm_events
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == "out")).all()
        assert len(out) == 1 and out[0].visibility == "private" and out[0].conversation_id == conv.id


def test_transient_failure_is_retried_with_backoff(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    sandbox.add_mention("@AcmeCare hello?", author="lou")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    reply_id = _queue(engine, _conversation(engine, "public"), "public", "@lou hello!")
    sandbox.inject_fault("/2/tweets", status=503, count=1)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "pending" and "Unavailable" in (reply.last_error or "")
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 0  # not due yet
    clock.now += timedelta(seconds=30)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(sandbox.sent_tweets) == 1


def test_rejected_send_fails_visibly_and_can_be_retried(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare hi", author="max")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    reply_id = _queue(engine, _conversation(engine, "public"), "public", "@max hi")
    sandbox.inject_fault("/2/tweets", status=403, count=1)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s, s.begin():
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "failed" and "403" in (reply.last_error or "")
        outbox.retry(s, reply_id, "agent", clock())
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(sandbox.sent_tweets) == 1
