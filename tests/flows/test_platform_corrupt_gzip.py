"""An answer whose gzip body cannot be decoded (a proxy or gateway that cut or mangled it): on a read, the
stream is retried with back-off, never stopped as fatal; on a send the platform may have acted on, the reply
is a lost answer, looked for before any new attempt and never posted twice. Real parts: the sandboxes
(``after``: the post is made, then the mangled answer), requests, SQLite.

Before: requests' ContentDecodingError became a plain ConnectorError: a read stopped the stream for a person
to look at, and a reply Bluesky had posted was marked failed.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message, OutboundReply
from tests.conftest import BRAND_ID
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, telegram_runtime

BROKEN = gzip.compress(b'{"ok": true, "result": []}')[:-8] + b"XXXXXXXX"  # its CRC and size spoilt
MANGLED = {"status": 200, "body": BROKEN, "headers": {"Content-Encoding": "gzip"}}


def test_a_read_answered_with_broken_gzip_is_retried_not_fatal(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TelegramSandbox() as tg:
        rt, clock = telegram_runtime(tg, monkeypatch), Clock()
        tg.add_message("where is my order?", first_name="Ana")
        tg.inject_fault("/bot", **MANGLED)
        [report] = poll_channel(engine, rt, clock=clock, due=default_due)
        assert report.error is not None and not report.fatal, report
        clock.now += timedelta(minutes=10)
        poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s:
        assert list(s.exec(select(Message.text))) == ["where is my order?"]


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def test_a_post_answered_with_broken_gzip_is_found_not_failed(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, clock = bluesky_runtime(bsky, monkeypatch), Clock()
    bsky.add_post(f"@{DEFAULT_HANDLE} my parcel?", author="ann.bsky.social")
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        [conv] = s.exec(select(Conversation))
        outbox.enqueue(s, conv, visibility="public", text="We are on it", actor="a", now=clock.now)
    bsky.inject_fault("/xrpc/com.atproto.repo.createRecord", after=True, **MANGLED)  # type: ignore[arg-type]
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        [reply] = s.exec(select(OutboundReply))
        assert reply.status == "pending" and "may have it" in (reply.last_error or ""), reply.last_error
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        [reply] = s.exec(select(OutboundReply))
        assert reply.status == "sent"
    assert len(bsky.sent_posts) == 1


def test_x_mentions_answered_with_broken_gzip_are_read_again_later(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    sandbox.inject_fault(f"/2/users/{BRAND_ID}/mentions", **MANGLED)  # type: ignore[arg-type]
    report = {r.stream: r for r in poll_channel(engine, rt, clock=Clock(), due=default_due)}["mentions"]
    assert report.error is not None and report.error.startswith("BadPayload") and not report.fatal
