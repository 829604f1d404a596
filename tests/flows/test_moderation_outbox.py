"""Hiding and showing comments through the outbox: the Meta sandbox records them, nothing is posted, no clock
stops; a channel that cannot hide fails visibly; a stuck hide is simply done again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.desk import actions as desk
from inbox.desk.auth import create_user
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel, poll_stream
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply, User
from tests.support.clock import Clock
from tests.support.webhooks import now


def _agent(engine: Engine) -> User:
    with Session(engine, expire_on_commit=False) as s, s.begin():
        return create_user(s, "alice", "correct-horse-1", "agent", actor="test")


def _comment(engine: Engine, sandbox: MetaSandbox, fb: Runtime) -> Message:
    sandbox.add_comment("Look at my page", created_at=now() - timedelta(minutes=1), push=False)
    poll_stream(engine, fb, "comments", clock=now, due=default_due)
    with Session(engine) as s:
        return s.exec(select(Message)).one()


def _hide(engine: Engine, message_id: int, hide: bool, agent: User) -> OutboundReply:
    with Session(engine, expire_on_commit=False) as s, s.begin():
        return desk.hide_comment(s, message_id, hide, agent, now())


def test_hide_then_show_a_comment_through_the_outbox(
    engine: Engine,
    meta: MetaSandbox,
    runtimes: list[Runtime],
) -> None:
    fb = next(rt for rt in runtimes if rt.name == "fb-acme")
    comment, agent = _comment(engine, meta, fb), _agent(engine)
    connectors = {fb.name: fb.connector}
    hide = _hide(engine, comment.id or 0, True, agent)
    assert hide.action == "hide" and hide.in_reply_to == comment.platform_id
    assert outbox.send_one(engine, connectors, now) and not outbox.send_one(engine, connectors, now)
    assert meta.hidden == [comment.platform_id]
    with Session(engine) as s:
        message, conv = s.get(Message, comment.id), s.exec(select(Conversation)).one()
        assert message is not None and message.hidden_at is not None
        assert s.exec(select(Message).where(Message.direction == "out")).all() == []  # nothing posted
        assert (conv.first_response_at, conv.status) == (None, "open") and conv.sla_due_at is not None
        audit = select(AuditEvent.action).where(col(AuditEvent.action).startswith("comment."))
        actions = s.exec(audit.order_by(col(AuditEvent.id))).all()
    assert actions == ["comment.hide_queued", "comment.hidden"]

    _hide(engine, comment.id or 0, False, agent)
    assert outbox.send_one(engine, connectors, now)
    assert meta.hidden == []
    with Session(engine) as s:
        message = s.get(Message, comment.id)
        assert message is not None and message.hidden_at is None
        rows = s.exec(
            select(OutboundReply.action, OutboundReply.status).order_by(col(OutboundReply.id))
        ).all()
    assert rows == [("hide", "sent"), ("unhide", "sent")]


def test_a_stuck_hide_is_queued_again_and_done(
    engine: Engine,
    meta: MetaSandbox,
    runtimes: list[Runtime],
) -> None:
    fb = next(rt for rt in runtimes if rt.name == "fb-acme")
    comment, agent = _comment(engine, meta, fb), _agent(engine)
    hide = _hide(engine, comment.id or 0, True, agent)
    with Session(engine) as s, s.begin():  # a sender claimed it and died: its lease ran out
        s.execute(
            update(OutboundReply)
            .where(col(OutboundReply.id) == hide.id)
            .values(status="sending", next_attempt_at=now() - timedelta(minutes=1))
        )
    assert outbox.drain(engine, {fb.name: fb.connector}, now) == 1
    assert meta.hidden == [comment.platform_id]
    with Session(engine) as s:
        row = s.get(OutboundReply, hide.id)
        assert row is not None and row.status == "sent"


def test_a_channel_that_cannot_hide_fails_the_action_visibly(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare follow me", author="bot")
    poll_channel(engine, rt, clock=Clock(now()), due=default_due)
    agent = _agent(engine)
    with Session(engine) as s, s.begin():
        message = s.exec(select(Message)).one()
        conv = s.get(Conversation, message.conversation_id)
        assert conv is not None
        with pytest.raises(desk.DeskError, match="Facebook or Instagram comment"):
            desk.hide_comment(s, message.id or 0, True, agent, now())  # the desk does not offer it
        row_id = outbox.enqueue_moderation(s, conv, message, True, "automation", now()).id
    assert outbox.send_one(engine, {rt.name: rt.connector}, now)
    with Session(engine) as s:
        row = s.get(OutboundReply, row_id)
        assert row is not None and row.status == "failed"
        assert row.last_error == "Rejected: channel 'x-acme' cannot hide comments"
        failed = s.exec(select(AuditEvent).where(AuditEvent.action == "reply.failed")).one()
    assert failed.detail["reply"] == row_id
