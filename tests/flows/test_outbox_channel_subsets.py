"""A sender that runs only some channels (``inbox listen --channel tg-acme``, one listener per channel, a
channel removed from channels.toml or missing its credentials) leaves the other channels' replies to the
senders that run them (real parts: the X and Telegram sandboxes, tweepy, requests, SQLite or PostgreSQL).

Before: it claimed them too and failed each one ("channel 'x-acme' is not running"), waiting for a person's
Retry, and a reply whose sender had died was marked uncertain (as if X could not be searched) instead of
looked for on X by a sender that runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Channel, Conversation, OutboundReply
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _two_channels(
    engine: Engine, sandbox: XSandbox, rt: Runtime, tg_rt: Runtime, tg: TelegramSandbox, clock: Clock
) -> None:
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    tg.add_message("where is my order?", first_name="Ana")
    for runtime in (rt, tg_rt):
        poll_channel(engine, runtime, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        for conv in s.exec(select(Conversation)):
            outbox.enqueue(s, conv, visibility=conv.visibility, text="We are on it", actor="a", now=clock.now)


def _status(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        rows = s.exec(select(Channel.name, OutboundReply.status).join(Channel)).all()
        return {name: status for name, status in rows}


def test_a_sender_of_one_channel_leaves_the_others_replies_pending(
    engine: Engine, sandbox: XSandbox, rt: Runtime, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    tg_rt = telegram_runtime(tg, monkeypatch)
    _two_channels(engine, sandbox, rt, tg_rt, tg, clock)
    outbox.drain(engine, {tg_rt.name: tg_rt.connector}, clock)
    assert _status(engine) == {"tg-acme": "sent", "x-acme": "pending"}
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert _status(engine) == {"tg-acme": "sent", "x-acme": "sent"}
    assert len(sandbox.sent_tweets) == 1 and len(tg.sent) == 1


def test_a_reply_stuck_in_sending_is_looked_for_by_a_sender_of_its_channel(
    engine: Engine, sandbox: XSandbox, rt: Runtime, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    tg_rt = telegram_runtime(tg, monkeypatch)
    _two_channels(engine, sandbox, rt, tg_rt, tg, clock)
    with Session(engine) as s, s.begin():  # the X sender died mid-send, its lease long run out
        x_id = s.exec(select(Channel.id).where(Channel.name == "x-acme")).one()
        reply = s.exec(select(OutboundReply).where(OutboundReply.channel_id == x_id)).one()
        reply.status, reply.attempts, reply.next_attempt_at = "sending", 1, clock.now - timedelta(minutes=5)
    outbox.drain(engine, {tg_rt.name: tg_rt.connector}, clock)
    assert _status(engine)["x-acme"] == "sending"  # left to a sender that runs x-acme
    outbox.drain(engine, {rt.name: rt.connector}, clock)  # looked for on X (not there)
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert _status(engine) == {"tg-acme": "sent", "x-acme": "sent"} and len(sandbox.sent_tweets) == 1
