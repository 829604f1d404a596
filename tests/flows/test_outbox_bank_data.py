"""Bank data in an agent's reply (#15.4, #15.6): the customer receives the reply as written, but once it is
delivered the stored copies (the outbox row and the thread's message) keep only the last four digits, as
ingestion does for what customers write. X sandbox, real outbox; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message, OutboundReply
from tests.support.clock import Clock
from tests.support.privacy_flows import every_value

IBAN = "FR76 3000 6000 0112 3456 7890 189"
TEXT = f"@jane Refund sent to {IBAN}, card 4111 1111 1111 1111 cancelled"


def test_a_delivered_reply_is_stored_masked(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    sandbox.add_mention("@AcmeCare where is my refund?", author="jane")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply = outbox.enqueue(s, conv, visibility="public", text=TEXT, actor="alice", now=datetime.now(UTC))
        reply_id = reply.id
    with Session(engine) as s:
        waiting = s.get(OutboundReply, reply_id)
        assert waiting is not None and waiting.text == TEXT  # the outbox sends it as written
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    assert [t["text"] for t in sandbox.sent_tweets] == [TEXT]
    with Session(engine) as s:
        sent = s.get(OutboundReply, reply_id)
        (ours,) = s.exec(select(Message).where(Message.direction == "out")).all()
    assert sent is not None and sent.status == "sent"
    assert (
        sent.text
        == ours.text
        == "@jane Refund sent to **** **** **** **** **** ***0 189, card **** **** **** 1111 cancelled"
    )
    values = every_value(engine)
    assert "4111 1111 1111 1111" not in values and "3456 7890" not in values
