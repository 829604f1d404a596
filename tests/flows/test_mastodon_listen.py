"""End to end: a Mastodon channel from config, polled by the listener into SQLite, answered by the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import HttpUrl
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import StreamReport, poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, ListeningCursor, Message, OutboundReply, QuarantinedItem
from tests.support.clock import Clock

ENV = "MASTODON_ACCESS_TOKEN"


@pytest.fixture
def sandbox() -> Iterator[MastodonSandbox]:
    with MastodonSandbox("AcmeCare") as sb:
        yield sb


@pytest.fixture
def rt(sandbox: MastodonSandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv(ENV, TOKEN)
    cfg = ChannelConfig(
        name="mastodon-acme",
        platform="mastodon",
        account="AcmeCare",
        base_url=HttpUrl(sandbox.url),
        page_size=5,
        credentials={"access_token": ENV},
        listening=["AcmeCare"],
    )
    return Runtime(cfg, build_connector(cfg))


def poll(engine: Engine, rt: Runtime, clock: Clock | None = None) -> dict[str, StreamReport]:
    return {r.stream: r for r in poll_channel(engine, rt, clock=clock or Clock(), due=default_due)}


def messages(engine: Engine) -> list[Message]:
    with Session(engine) as s:
        return list(s.exec(select(Message).order_by(col(Message.created_at), col(Message.id))))


def conversation(engine: Engine, visibility: str, kind: str | None = None) -> Conversation:
    with Session(engine) as s:
        stmt = select(Conversation).where(Conversation.visibility == visibility)
        if kind:
            stmt = stmt.where(Conversation.kind == kind)
        return s.exec(stmt).one()


def test_listener_stores_mentions_dms_and_listening_once(
    engine: Engine, sandbox: MastodonSandbox, rt: Runtime
) -> None:
    sandbox.add_post("AcmeCare before we started listening", author="old")
    poll(engine, rt)  # listening starts from the newest search page
    root = sandbox.add_mention("my parcel never arrived", author="jane@piaille.fr")
    follow = [sandbox.add_mention(f"still nothing ({i})", "jane@piaille.fr", root) for i in range(6)]
    dm = sandbox.add_dm("je voudrais un remboursement", sender="dan", language="fr")
    heard = sandbox.add_post("Has anyone tried AcmeCare support?", author="eve")
    sandbox.add_post("AcmeCare: our summer sale starts today", author="AcmeCare")
    reports = poll(engine, rt)
    assert reports["mentions"].new == 8 and reports["mentions"].pages == 2  # 7 public + 1 private mention
    assert reports["search:AcmeCare"].new == 1 and reports["dms"].duplicates == 1
    stored = {m.platform_id: m for m in messages(engine)}
    assert set(stored) >= {root, dm, heard, *follow}
    assert stored[dm].visibility == "private" and stored[heard].kind == "listening"
    with Session(engine) as s, s.begin():
        for row in s.exec(select(ListeningCursor)).all():
            row.cursor = None  # forget every cursor: the same pages come again
    again = poll(engine, rt)
    assert again["mentions"].new == 0 and again["mentions"].duplicates == 8
    assert len(messages(engine)) == len(stored)
    public = conversation(engine, "public", "mention")
    assert public.thread_key == root
    with Session(engine) as s:
        in_thread = s.exec(select(Message).where(Message.conversation_id == public.id)).all()
    assert len(in_thread) == 7  # the replies joined their thread


def test_malformed_item_is_quarantined_and_the_rest_stored(
    engine: Engine, sandbox: MastodonSandbox, rt: Runtime
) -> None:
    good = sandbox.add_mention("fine", author="olga")
    sandbox.add_raw_mention({"id": "bad-1", "created_at": "not a time", "account": {"id": "5"}})
    reports = poll(engine, rt)
    assert reports["mentions"].new == 1 and reports["mentions"].quarantined == 1
    assert [m.platform_id for m in messages(engine)] == [good]
    with Session(engine) as s:
        quarantined = s.exec(select(QuarantinedItem).where(QuarantinedItem.stream == "mentions")).one()
    assert quarantined.external_id == "bad-1" and "created_at" in quarantined.error


def test_rate_limit_pauses_only_that_stream(engine: Engine, sandbox: MastodonSandbox, rt: Runtime) -> None:
    sandbox.add_mention("hi", author="fay")
    sandbox.add_dm("private question", sender="gus")
    rt.connector.whoami()
    sandbox.inject_fault("/api/v1/notifications", status=429)
    clock = Clock()
    reports = poll(engine, rt, clock)
    assert "RateLimited" in str(reports["mentions"].error) and reports["dms"].new == 1
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "mentions")).one()
    assert cursor.retry_at is not None and cursor.retry_at <= clock.now + timedelta(seconds=6)
    clock.now += timedelta(seconds=10)
    assert poll(engine, rt, clock)["mentions"].new == 1


def _queue(engine: Engine, conv: Conversation, visibility: str, text: str, key: str) -> int:
    with Session(engine) as s, s.begin():
        row = s.get(Conversation, conv.id)
        assert row is not None
        reply = outbox.enqueue(
            s,
            row,
            visibility=visibility,
            text=text,
            actor="agent",
            now=datetime.now(UTC),
            idempotency_key=key,
        )
        return reply.id or 0


def test_public_reply_through_the_outbox_is_posted_once(
    engine: Engine, sandbox: MastodonSandbox, rt: Runtime
) -> None:
    status = sandbox.add_mention("my order is late", author="jane@piaille.fr")
    clock = Clock()
    poll(engine, rt, clock)
    conv = conversation(engine, "public", "mention")
    _queue(engine, conv, "public", "Sorry! Could you DM us your order number?", "k1")
    _queue(engine, conv, "public", "Sorry! Could you DM us your order number?", "k1")  # double click
    connectors = {rt.name: rt.connector}
    assert outbox.drain(engine, connectors, clock) == 1
    assert outbox.drain(engine, connectors, clock) == 0
    assert [(s["in_reply_to_id"], s["idempotency_key"]) for s in sandbox.sent] == [(status, "k1")]
    assert sandbox.sent[0]["text"].startswith("@jane@piaille.fr Sorry!")
    sandbox.add_mention("thanks, sent", "jane@piaille.fr", sandbox.sent[0]["id"])
    poll(engine, rt, clock)
    with Session(engine) as s:
        rows = s.exec(select(Message).where(Message.conversation_id == conv.id)).all()
        assert sorted(m.direction for m in rows) == ["in", "in", "out"]  # the answer joined the thread
        after = s.get(Conversation, conv.id)
        assert after is not None and after.first_response_at is not None


def test_private_reply_goes_to_the_customer_and_joins_the_dm(
    engine: Engine, sandbox: MastodonSandbox, rt: Runtime
) -> None:
    sandbox.add_dm("my account is locked", sender="kim")
    clock = Clock()
    poll(engine, rt, clock)
    conv = conversation(engine, "private")
    _queue(engine, conv, "private", "Hi Kim, we have unlocked it.", "dm-1")
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert [(s["visibility"], s["mentions"]) for s in sandbox.sent] == [("direct", ["kim"])]
    poll(engine, rt, clock)  # the direct status we sent comes back in conversations
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == "out")).all()
        assert len(out) == 1 and out[0].conversation_id == conv.id and out[0].visibility == "private"


def test_too_long_reply_fails_visibly_without_posting(
    engine: Engine, sandbox: MastodonSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("hello?", author="lou")
    clock = Clock()
    poll(engine, rt, clock)
    reply_id = _queue(engine, conversation(engine, "public", "mention"), "public", "x" * 600, "long")
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "failed" and "limit of 500" in (reply.last_error or "")
    assert sandbox.sent == []


def test_a_send_cut_short_by_a_crash_is_found_not_posted_again(
    engine: Engine, sandbox: MastodonSandbox, rt: Runtime
) -> None:
    status = sandbox.add_mention("my order is late", author="nina")
    clock = Clock()
    poll(engine, rt, clock)
    reply_id = _queue(engine, conversation(engine, "public", "mention"), "public", "We are on it", "crash-1")
    rt.connector.reply_public(status, "We are on it", idempotency_key="crash-1")  # posted, then the crash
    with Session(engine) as s, s.begin():
        row = s.get(OutboundReply, reply_id)
        assert row is not None
        row.status, row.attempts, row.next_attempt_at = "sending", 1, clock.now - timedelta(minutes=1)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        row = s.get(OutboundReply, reply_id)
        assert row is not None and row.status == "sent" and row.platform_id == sandbox.sent[0]["id"]
    assert len(sandbox.sent) == 1
