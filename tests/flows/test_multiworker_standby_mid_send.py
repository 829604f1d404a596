"""A channel's sending paused by an admin while a sender holds one of its replies: the reply is held.

The sender claimed the reply before the pause and is looking on the platform for an earlier attempt (its
first POST ended in a 503): the look is slow. The admin pauses the channel's sending meanwhile. What was
claimed before the pause must not be posted after it; it waits in the outbox like the channel's others
and goes once sending resumes.

Real parts: the X sandbox (a 503, then a slow look), tweepy, the database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.desk.accounts import Operator
from inbox.ingest import standby
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.support.eventually import eventually
from tests.support.x_channel import poll

ADMIN = Operator(name="ada", role="admin")


def _reply(engine: Engine, reply_id: int) -> OutboundReply:
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        return row


def _switch(engine: Engine, rt: Runtime, paused: bool) -> None:
    with Session(engine) as s, s.begin():
        switch = standby.pause if paused else standby.resume
        switch(s, ADMIN, rt.config, "sending", datetime.now(UTC))


def test_a_reply_claimed_before_its_channel_was_paused_is_not_posted_after(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    poll(engine, rt)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        now = datetime.now(UTC)
        reply_id = outbox.enqueue(s, conv, visibility="public", text="@jane On it!", actor="a", now=now).id
    assert reply_id is not None
    connectors = {rt.name: rt.connector}
    sandbox.inject_fault("/2/tweets", status=503)  # refused before X acted, yet unsure: a 5xx
    outbox.send_one(engine, connectors, lambda: datetime.now(UTC))
    unsure = _reply(engine, reply_id)
    assert unsure.status == "pending" and unsure.unsure_from is not None and not sandbox.sent_tweets
    calls = len(sandbox.requests)
    sandbox.inject_fault("/2/", delay=3.0)  # the look for the first attempt is slow
    later = lambda: datetime.now(UTC) + timedelta(minutes=30)  # noqa: E731 - the retry is due
    sender = threading.Thread(target=outbox.send_one, args=(engine, connectors, later))
    sender.start()
    try:
        eventually(lambda: len(sandbox.requests) > calls, timeout=30, interval=0.02, message="the look")
        _switch(engine, rt, paused=True)  # the admin pauses the channel's sending meanwhile
    finally:
        sender.join(timeout=60)
    assert sandbox.sent_tweets == [], "posted after its channel's sending was paused"
    assert _reply(engine, reply_id).status == "pending", "held in the outbox, neither failed nor lost"
    _switch(engine, rt, paused=False)
    outbox.drain(engine, connectors, later)
    assert [t["text"] for t in sandbox.sent_tweets] == ["@jane On it!"]
    assert _reply(engine, reply_id).status == "sent"
