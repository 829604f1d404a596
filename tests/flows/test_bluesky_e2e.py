"""A Bluesky channel end to end: config → listener → SQLite → outbox → the PDS sandbox, over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.config.channels import ChannelConfig
from inbox.ingest.channels import Runtime, build_connector
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message, OutboundReply, QuarantinedItem
from tests.support.clock import Clock

BRAND = "@" + DEFAULT_HANDLE


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


@pytest.fixture
def rt(bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", DEFAULT_PASSWORD)
    cfg = ChannelConfig.model_validate(
        {
            "name": "bsky-acme",
            "platform": "bluesky",
            "account": DEFAULT_HANDLE,
            "base_url": bsky.url,
            "page_size": 5,
            "credentials": {"app_password": "BLUESKY_APP_PASSWORD"},
            "listening": ["parcel"],
        }
    )
    return Runtime(cfg, build_connector(cfg))


def _queue(engine: Engine, conv_id: int, visibility: str, text: str) -> int:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(
            s, conv, visibility=visibility, text=text, actor="agent", now=datetime.now(UTC)
        )
        return reply.id or 0


def _conversations(engine: Engine) -> dict[str, Conversation]:
    with Session(engine) as s:
        return {c.kind: c for c in s.exec(select(Conversation)).all()}


def test_mentions_dms_and_listening_are_stored_and_answered_once(
    engine: Engine, bsky: BlueskySandbox, rt: Runtime
) -> None:
    for i in range(6):
        bsky.add_post(f"{BRAND} where is my order {i}?", author="jane.bsky.social")
    bsky.add_dm("Bonjour, j'ai une question sur ma facture", sender="lea.bsky.social")
    bsky.add_post("my parcel from Acme never came", author="max.bsky.social", mention_brand=False)
    bsky.add_post("parcel tips from Acme", author=DEFAULT_HANDLE, mention_brand=False)
    clock = Clock()
    reports = {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=default_due)}
    assert (reports["notifications"].new, reports["notifications"].pages) == (6, 2)
    assert reports["dms"].new == 1 and reports["search:parcel"].new == 1
    again = {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=default_due)}
    assert sum(r.new + r.duplicates for r in again.values()) == 0  # the watermarks hold
    with Session(engine) as s:
        kinds = sorted((c.kind, c.visibility) for c in s.exec(select(Conversation)).all())
    assert (
        kinds.count(("mention", "public")) == 6
        and ("dm", "private") in kinds
        and ("listening", "public") in kinds
    )
    convs = _conversations(engine)
    _queue(engine, convs["listening"].id or 0, "public", "Sorry Max, we will look into it.")
    _queue(engine, convs["dm"].id or 0, "private", "Bonjour Léa, nous regardons.")
    connectors = {rt.name: rt.connector}
    assert outbox.drain(engine, connectors, clock) == 2 and outbox.drain(engine, connectors, clock) == 0
    assert [p["record"]["text"] for p in bsky.sent_posts] == ["Sorry Max, we will look into it."]
    assert [m["text"] for m in bsky.sent_messages] == ["Bonjour Léa, nous regardons."]
    polled = poll_channel(engine, rt, clock=clock, due=default_due)  # our DM comes back in the convo
    assert sum(r.new for r in polled) == 0
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == "out")).all()
        assert sorted(m.visibility for m in out) == ["private", "public"]
        dm_conv = s.get(Conversation, convs["dm"].id)
        assert dm_conv is not None and dm_conv.first_response_at is not None
        assert {m.conversation_id for m in out} == {convs["dm"].id, convs["listening"].id}


def test_a_reply_left_sending_by_a_dead_sender_is_reconciled(
    engine: Engine, bsky: BlueskySandbox, rt: Runtime
) -> None:
    post = bsky.add_post(f"{BRAND} hello?", author="jane.bsky.social")
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    reply_id = _queue(engine, _conversations(engine)["mention"].id or 0, "public", "Hello Jane!")
    with Session(engine) as s, s.begin():  # a sender claimed it, posted it, then died before recording
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None
        sent = rt.connector.reply_public(post, reply.text, idempotency_key=reply.idempotency_key)
        reply.status, reply.next_attempt_at = "sending", clock.now - timedelta(minutes=1)
    assert outbox.recover_stuck(engine, {rt.name: rt.connector}, clock.now) == 1
    with Session(engine) as s:
        reply = s.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "sent" and reply.platform_id == sent.external_id
    assert len(bsky.sent_posts) == 1


def test_malformed_notification_is_quarantined(engine: Engine, bsky: BlueskySandbox, rt: Runtime) -> None:
    bsky.add_post(f"{BRAND} fine", author="jane.bsky.social")
    now = datetime.now(UTC).isoformat()
    bsky.add_raw_notification(
        {
            "uri": "at://did:plc:z/app.bsky.feed.post/1",
            "cid": "bafy",
            "reason": "mention",
            "author": {"did": "did:plc:z"},
            "record": {"text": "hi", "createdAt": "not a time"},
            "indexedAt": now,
        }
    )
    report = next(
        r for r in poll_channel(engine, rt, clock=Clock(), due=default_due) if r.stream == "notifications"
    )
    assert (report.new, report.quarantined) == (1, 1)
    with Session(engine) as s:
        assert "createdAt" in s.exec(select(QuarantinedItem)).one().error


def test_a_link_the_app_shortened_is_stored_whole(engine: Engine, bsky: BlueskySandbox, rt: Runtime) -> None:
    """Bluesky's app posts "acme.example/commandes/..." with the whole link in a facet."""
    typed = f"{BRAND} charged twice, see https://acme.example/commandes/4821?ref=mail and fix it"
    bsky.add_post(typed, author="jane.bsky.social")
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    with Session(engine) as s:
        assert [m.text for m in s.exec(select(Message))] == [typed]
