"""Channel stand-by: a paused listening channel is not read; a paused sending channel's replies are held in
the outbox (neither failed nor lost) and go once resumed; each switch audited; agents may not switch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.access import PermissionDenied
from inbox.desk.accounts import Operator
from inbox.ingest import standby
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply
from tests.support.clock import Clock
from tests.support.x_channel import poll

ADMIN = Operator(name="ada", role="admin")


def _switch(engine: Engine, rt: Runtime, what: standby.What, paused: bool, by: Operator = ADMIN) -> bool:
    with Session(engine) as s, s.begin():
        act = standby.pause if paused else standby.resume
        return act(s, by, rt.config, what, datetime.now(UTC))


def _messages(engine: Engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(Message).where(Message.direction == "in")).all())


def test_paused_listening_is_not_read_until_resumed(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    assert _switch(engine, rt, "listening", True)
    assert not _switch(engine, rt, "listening", True)  # already paused: nothing changes
    sandbox.add_mention("@AcmeCare my box is down", author="jane")
    reports = poll(engine, rt)
    assert all(r.skipped == "listening paused by ada" for r in reports.values())
    assert _messages(engine) == 0
    assert _switch(engine, rt, "listening", False)
    poll(engine, rt)
    assert _messages(engine) == 1


def _queue_reply(engine: Engine) -> int:
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply = outbox.enqueue(
            s, conv, visibility="public", text="@jane On it!", actor="agent", now=Clock()()
        )
        return reply.id or 0


def test_paused_sending_holds_the_outbox_until_resumed(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare my box is down", author="jane")
    clock = Clock()
    poll(engine, rt, clock)
    assert _switch(engine, rt, "sending", True)
    reply_id = _queue_reply(engine)
    connectors = {rt.name: rt.connector}
    assert outbox.drain(engine, connectors, clock) == 0
    assert outbox.drain(engine, connectors, clock) == 0  # every drain leaves it alone
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None and (row.status, row.attempts, row.last_error) == ("pending", 0, None)
        assert standby.held_replies(s) == {"x-acme": 1}
        assert [p.channel for p in standby.paused_sending(s)] == ["x-acme"]
    assert sandbox.sent_tweets == []
    assert _switch(engine, rt, "sending", False)
    assert outbox.drain(engine, connectors, clock) == 1
    assert len(sandbox.sent_tweets) == 1
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None and row.status == "sent"
        assert standby.held_replies(s) == {} and standby.paused_sending(s) == []
        audit = s.exec(select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.actor == "ada")).all()
    assert [(a, d["what"]) for a, d in audit] == [
        ("channel.paused", "sending"),
        ("channel.resumed", "sending"),
    ]


def test_only_admins_switch_a_channel(engine: Engine, rt: Runtime) -> None:
    with pytest.raises(PermissionDenied):
        _switch(engine, rt, "sending", True, by=Operator(name="max", role="manager"))
    with Session(engine) as s:
        assert standby.paused_sending(s) == []
