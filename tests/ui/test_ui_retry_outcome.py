"""Issue #12, point 9: the conversation shows what a person's Retry of an uncertain reply found, from what the
outbox recorded: found on the platform (recorded, not posted again) or not found (posted again).

Real parts: the X sandbox and connector, the listener, the outbox, the database and the app (AppTest).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox.desk import actions
from inbox.outbox import delivery as outbox
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation, OutboundReply
from inbox.ui.widgets.thread import RETRY_FOUND, RETRY_NOT_FOUND
from tests.support.clock import Clock
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, open_conv
from tests.support.x_channel import poll, x_runtime


def _uncertain_reply(db_url: str, sandbox: XSandbox, sender: str, *, posted: bool, clock: Clock) -> int:
    """A DM from ``sender`` polled, our answer marked uncertain (on X already when ``posted``), then a
    manager's Retry delivered by the outbox; the conversation's id."""
    engine = open_engine(db_url)
    rt = x_runtime(sandbox)
    sandbox.add_dm(f"hello from {sender}", sender=sender)
    poll(engine, rt, clock)
    with Session(engine) as s, s.begin():
        newest = select(Conversation).where(Conversation.kind == "dm").order_by(col(Conversation.id).desc())
        conv = s.exec(newest).first()
        assert conv is not None and conv.id is not None
        conv_id = conv.id
        reply = outbox.enqueue(
            s, conv, visibility="private", text=f"Hi {sender}!", actor="alice", now=clock.now
        )
        if posted:
            rt.connector.send_private(reply.recipient_id or "", reply.text, idempotency_key=f"k-{sender}")
        reply.status, reply.last_error = "failed", "delivery uncertain: the sender stopped during the send"
        reply_id = reply.id or 0
    clock.now += timedelta(hours=2)
    with Session(engine) as s, s.begin():
        outbox.retry(s, reply_id, "maya", clock.now)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        delivered = s.get(OutboundReply, reply_id)
        assert delivered is not None and delivered.status == "sent"
        view = actions.load(s, conv_id)
        assert [(o.found, o.by) for o in view.retries.values()] == [(posted, "maya")]
        assert list(view.retries) == [delivered.platform_id]
    engine.dispose()
    return conv_id


def test_the_reply_row_says_what_the_retry_found(
    seeded: Seeded, db_url: str, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    clock = Clock(datetime.now(UTC))
    found = _uncertain_reply(db_url, sandbox, "kim", posted=True, clock=clock)
    reposted = _uncertain_reply(db_url, sandbox, "lee", posted=False, clock=clock)
    assert len(sandbox.sent_dms) == 2  # kim's once (found, not posted again), lee's posted by the Retry
    found_head = RETRY_FOUND.split("{time}")[0].format(by="Maya", platform="X")  # her name, not her login
    reposted_head = RETRY_NOT_FOUND.split("{time}")[0].format(by="Maya", platform="X")
    at = open_conv(app_as(seeded, "alice"), found)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes dropped
    assert found_head in captions and reposted_head not in captions and not at.exception
    at = open_conv(app_as(seeded, "alice"), reposted)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes dropped
    assert reposted_head in captions and "posted again" in captions and found_head not in captions
