"""A sender whose look outlasted its claim never posts after another sender took the reply over (real parts:
the X sandbox with a slow look, tweepy, SQLite, two senders in two threads).

Before: sender A claimed an unsure reply and looked for it on X; the look was slow, A's 2-minute claim ran
out, and sender B took the reply as stuck, looked, found nothing and posted it; then A's look ended and A
posted it too: the customer got the message twice.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.support.clock import Clock


def test_a_sender_whose_claim_ran_out_during_a_slow_look_does_not_post(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    clock = Clock()
    sandbox.add_dm("my account is locked", sender="kim")
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        outbox.enqueue(s, conv, visibility="private", text="Hi Kim, unlocked", actor="agent", now=clock.now)
    kim = f"/2/dm_conversations/with/{sandbox.user_id('kim')}"
    connectors = {rt.name: rt.connector}
    sandbox.inject_fault(f"{kim}/messages", status=503)  # nothing posted, but the sender cannot know
    outbox.drain(engine, connectors, clock)
    clock.now += timedelta(minutes=15)
    sandbox.inject_fault(f"{kim}/dm_events", delay=2.0, after=True)  # A's look is read, answered late
    first = threading.Thread(target=outbox.drain, args=(engine, connectors, clock))
    first.start()
    time.sleep(0.8)  # A has claimed the reply and is looking
    clock.now += outbox.SEND_LEASE + timedelta(seconds=5)  # A's claim has run out for everyone
    outbox.drain(engine, connectors, clock)  # sender B: takes the reply as stuck, looks, posts
    first.join()
    assert len(sandbox.sent_dms) == 1
    with Session(engine) as s:
        reply = s.exec(select(OutboundReply)).one()
    assert (reply.status, reply.platform_id) == ("sent", sandbox.sent_dms[0]["id"])
