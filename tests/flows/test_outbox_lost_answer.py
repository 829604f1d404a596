"""Issue #12.1: a POST the platform accepted but whose answer was lost is looked for, never posted twice.

Real parts: the X and Telegram sandboxes with faults injected after the post is created (dropped connection,
a hang past the client's timeout, a 5xx), tweepy and requests, and the database (SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from connectors.x.connector import XConnector
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, OutboundReply
from tests.support.clock import Clock
from tests.support.x_channel import x_runtime

DM_PATH = "/2/dm_conversations/with/"


def _queue(engine: Engine, conv_id: int, visibility: str, text: str, now: datetime) -> int:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        return outbox.enqueue(s, conv, visibility=visibility, text=text, actor="agent", now=now).id or 0


def _convs(engine: Engine) -> list[Conversation]:
    with Session(engine) as s:
        return list(s.exec(select(Conversation).order_by(Conversation.id)))


def _reply(engine: Engine, reply_id: int) -> OutboundReply:
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None
        return reply


def _actions(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


def _one_of_each(engine: Engine, sandbox: XSandbox, rt: Runtime, clock: Clock) -> tuple[str, int, int]:
    """A mention and a DM from customers, polled; returns (tweet id, mention conv id, DM conv id)."""
    tweet = sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    sandbox.add_dm("my account is locked", sender="kim")
    poll_channel(engine, rt, clock=clock, due=default_due)
    by_vis = {c.visibility: c.id or 0 for c in _convs(engine)}
    return tweet, by_vis["public"], by_vis["private"]


@pytest.mark.parametrize(
    "fault",
    [
        {"drop": True},  # accepted, then the connection drops
        {"status": 503},  # accepted, then an error status
        {"status": 500},
    ],
    ids=["dropped", "503-after-create", "500-after-create"],
)
def test_an_accepted_post_whose_answer_was_lost_is_found_not_posted_again(
    engine: Engine, sandbox: XSandbox, rt: Runtime, fault: dict[str, object]
) -> None:
    clock = Clock()
    tweet, public_conv, private_conv = _one_of_each(engine, sandbox, rt, clock)
    public = _queue(engine, public_conv, "public", "@jane We are on it, sorry!", clock.now)
    private = _queue(engine, private_conv, "private", "Hi Kim, it is unlocked now.", clock.now)
    sandbox.inject_fault("/2/tweets", after=True, **fault)  # type: ignore[arg-type]
    sandbox.inject_fault(DM_PATH, after=True, **fault)  # type: ignore[arg-type]
    connectors = {rt.name: rt.connector}
    outbox.drain(engine, connectors, clock)
    for _ in range(3):  # the retries come due; each looks before posting
        clock.now += timedelta(minutes=15)
        outbox.drain(engine, connectors, clock)
    assert [t["in_reply_to"] for t in sandbox.sent_tweets] == [tweet]
    assert len(sandbox.sent_dms) == 1
    assert (_reply(engine, public).status, _reply(engine, public).platform_id) == (
        "sent",
        sandbox.sent_tweets[0]["id"],
    )
    assert (_reply(engine, private).status, _reply(engine, private).platform_id) == (
        "sent",
        sandbox.sent_dms[0]["id"],
    )
    assert len(_actions(engine, "reply.found_on_platform")) == 2


def test_a_post_answered_after_the_client_gave_up_is_found(
    engine: Engine, sandbox: XSandbox, x_env: dict[str, str]
) -> None:
    """The server hangs after creating the post, past the client's read timeout."""
    base = x_runtime(sandbox)
    impatient = XConnector(
        "x-acme",
        bearer_token=x_env["X_BEARER_TOKEN"],
        consumer_key=x_env["X_CONSUMER_KEY"],
        consumer_secret=x_env["X_CONSUMER_SECRET"],
        access_token=x_env["X_ACCESS_TOKEN"],
        access_token_secret=x_env["X_ACCESS_TOKEN_SECRET"],
        base_url=sandbox.url,
        timeout=(2.0, 0.5),
    )
    rt = Runtime(base.config, impatient)
    clock = Clock()
    _tweet, _public_conv, private_conv = _one_of_each(engine, sandbox, rt, clock)
    private = _queue(engine, private_conv, "private", "Hi Kim, done.", clock.now)
    sandbox.inject_fault(DM_PATH, after=True, delay=5.0)
    outbox.drain(engine, {rt.name: impatient}, clock)
    assert _reply(engine, private).status == "pending" and len(sandbox.sent_dms) == 1
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, {rt.name: impatient}, clock)
    assert len(sandbox.sent_dms) == 1 and _reply(engine, private).status == "sent"


def test_a_killed_sender_is_reconciled_however_much_traffic_followed(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """X accepted each of 6 replies, then the sender died; 150 customer DMs and 120 other brand posts
    followed. The look by the attempt's time window finds all 6; nothing is posted again."""
    clock = Clock()
    customers = [f"cust{i}" for i in range(3)]
    tweets = [sandbox.add_mention(f"@AcmeCare help {c}", author=c) for c in customers]
    for c in customers:
        sandbox.add_dm(f"DM from {c}", sender=c)
    poll_channel(engine, rt, clock=clock, due=default_due)
    ids = []
    for conv in _convs(engine):
        author = "public" if conv.visibility == "public" else "private"
        ids.append(_queue(engine, conv.id or 0, author, f"Answer {conv.id} to you", clock.now))
    assert len(ids) == 6
    for reply_id in ids:  # a sender claimed each, X accepted it, then the sender was killed
        with Session(engine) as s, s.begin():
            reply = s.get(OutboundReply, reply_id)
            assert reply is not None
            if reply.visibility == "public":
                rt.connector.reply_public(reply.in_reply_to or "", reply.text, idempotency_key="k")
            else:
                rt.connector.send_private(reply.recipient_id or "", reply.text, idempotency_key="k")
            reply.status, reply.attempts = "sending", 1
            reply.next_attempt_at = clock.now + outbox.SEND_LEASE
    later = datetime.now(UTC) + timedelta(minutes=20)
    for i in range(150):
        sandbox.add_dm(f"another question {i}", sender=customers[i % 3], created_at=later)
    for i in range(120):
        sandbox.add_mention(f"Our news number {i}", author="AcmeCare", created_at=later)
    clock.now += timedelta(minutes=30)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(sandbox.sent_tweets) == 3 and len(sandbox.sent_dms) == 3
    assert {_reply(engine, i).status for i in ids} == {"sent"}
    assert {_reply(engine, i).platform_id for i in ids} == {
        *(t["id"] for t in sandbox.sent_tweets),
        *(d["id"] for d in sandbox.sent_dms),
    }
    assert tweets  # the customers' mentions were answered in their threads
    assert len(_actions(engine, "reply.found_on_platform")) == 6


def test_a_persons_retry_of_an_uncertain_reply_looks_once_more(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """A reply marked uncertain (here as the outbox did before it kept the window) that X holds: Retry finds
    it, records it and says so; it is not posted a second time."""
    clock = Clock()
    _tweet, _public_conv, private_conv = _one_of_each(engine, sandbox, rt, clock)
    reply_id = _queue(engine, private_conv, "private", "Hi Kim, unlocked.", clock.now)
    with Session(engine) as s, s.begin():
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None
        rt.connector.send_private(reply.recipient_id or "", reply.text, idempotency_key="k")
        reply.status, reply.last_error = "failed", "delivery uncertain: the sender stopped during the send"
    clock.now += timedelta(hours=2)
    with Session(engine) as s, s.begin():
        outbox.retry(s, reply_id, "manager", clock.now)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(sandbox.sent_dms) == 1 and _reply(engine, reply_id).status == "sent"
    (found,) = _actions(engine, "reply.found_on_platform")
    assert found.actor == "manager" and found.detail["found"] == sandbox.sent_dms[0]["id"]


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def tg_rt(tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    cfg = ChannelConfig.model_validate(
        {
            "name": "tg-acme",
            "platform": "telegram",
            "account": "AcmeCareBot",
            "base_url": tg.url,
            "credentials": {"bot_token": "TELEGRAM_BOT_TOKEN"},
            "options": {"poll_seconds": 0},
        }
    )
    return Runtime(cfg, build_connector(cfg))


def test_where_the_platform_cannot_be_searched_the_reply_is_uncertain_never_reposted(
    engine: Engine, tg: TelegramSandbox, tg_rt: Runtime
) -> None:
    tg.add_message("Bonjour ?", first_name="Camille", user_id=42)
    clock = Clock()
    poll_channel(engine, tg_rt, clock=clock, due=default_due)
    (conv,) = _convs(engine)
    reply_id = _queue(engine, conv.id or 0, "private", "Bonjour Camille !", clock.now)
    tg.inject_fault("/bot", after=True, status=502)
    connectors = {tg_rt.name: tg_rt.connector}
    outbox.drain(engine, connectors, clock)
    for _ in range(3):
        clock.now += timedelta(minutes=15)
        outbox.drain(engine, connectors, clock)
    reply = _reply(engine, reply_id)
    assert len(tg.sent) == 1 and reply.status == "failed"
    assert (reply.last_error or "").startswith("delivery uncertain")
    with Session(engine) as s, s.begin():  # a person checked the chat and decides to send it
        outbox.retry(s, reply_id, "agent", clock.now)
    outbox.drain(engine, connectors, clock)
    assert len(tg.sent) == 2 and _reply(engine, reply_id).status == "sent"


def test_a_lost_reply_with_a_link_and_an_ampersand_is_found_as_x_rewrote_it(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """X stores a post with its links turned into t.co links and &, < and > escaped (a message's links too):
    the look compares what the agent wrote with what X shows, not byte for byte."""
    clock = Clock()
    tweet, public_conv, private_conv = _one_of_each(engine, sandbox, rt, clock)
    said = "@jane Sorry & thanks <3: the form is at https://acme.example/help?a=1&b=2 or acme.example/aide"
    public = _queue(engine, public_conv, "public", said, clock.now)
    private = _queue(
        engine, private_conv, "private", "Hi Kim, see https://acme.example/form & reply.", clock.now
    )
    sandbox.inject_fault("/2/tweets", after=True, drop=True)
    sandbox.inject_fault(DM_PATH, after=True, drop=True)
    connectors = {rt.name: rt.connector}
    outbox.drain(engine, connectors, clock)
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, connectors, clock)
    assert [t["in_reply_to"] for t in sandbox.sent_tweets] == [tweet] and len(sandbox.sent_dms) == 1
    assert _reply(engine, public).status == _reply(engine, private).status == "sent"
