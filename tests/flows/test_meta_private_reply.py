"""A private reply to a Facebook comment is sent by the outbox as Meta's Private Replies (one per comment)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.meta.server import MetaSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_stream
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.support.webhooks import now


def test_private_reply_to_a_comment_is_sent_once_to_the_comment(
    engine: Engine,
    meta: MetaSandbox,
    runtimes: list[Runtime],
) -> None:
    fb = next(rt for rt in runtimes if rt.name == "fb-acme")
    comment = meta.add_comment(
        "My card was charged twice", created_at=now() - timedelta(minutes=2), push=False
    )
    assert poll_stream(engine, fb, "comments", clock=now, due=default_due).new == 1
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        assert (conv.kind, conv.visibility) == ("comment", "public")
        first = outbox.enqueue(
            s, conv, visibility="private", text="We have sent you a message.", actor="agent", now=now()
        ).id
        second = outbox.enqueue(
            s, conv, visibility="private", text="Second private reply", actor="agent", now=now()
        ).id
    connectors = {fb.name: fb.connector}
    assert outbox.send_one(engine, connectors, now) and outbox.send_one(engine, connectors, now)
    private = [s for s in meta.sent if s.get("kind") == "private_reply"]
    assert [(s["to"], s["text"]) for s in private] == [(comment, "We have sent you a message.")]
    with Session(engine) as s:
        rows = {r.id: r for r in s.exec(select(OutboundReply))}
    assert rows[first].status == "sent" and rows[second].status == "failed"  # Meta allows one per comment
    assert rows[second].last_error
