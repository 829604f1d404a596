"""A send the platform accepted but answered with an HTML page instead of its JSON (a gateway or proxy error
page under 200 or 5xx, after the post was made): never recorded as refused, looked for before any new
attempt, or left uncertain where the platform cannot be searched. Real parts: the sandboxes (``after``: the
post is made, then the odd answer), requests, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, OutboundReply
from tests.conftest import BRAND_ID
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, telegram_runtime

HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _answer_each(engine: Engine, now: Clock) -> None:
    with Session(engine) as s, s.begin():
        for conv in s.exec(select(Conversation)):
            outbox.enqueue(s, conv, visibility=conv.visibility, text="We are on it", actor="a", now=now.now)


def _replies(engine: Engine) -> list[OutboundReply]:
    with Session(engine) as s:
        return list(s.exec(select(OutboundReply)))


@pytest.mark.parametrize("status", [200, 403])
def test_telegram_posting_then_answering_html_is_uncertain_not_refused(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    clock = Clock()
    tg.add_message("where is my order?", first_name="Ana")
    poll_channel(engine, rt, clock=clock, due=default_due)
    _answer_each(engine, clock)
    tg.inject_fault("/bot", status=status, body=HTML, after=True)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(tg.sent) == 1
    [reply] = _replies(engine)
    assert reply.status == "failed" and (reply.last_error or "").startswith("delivery uncertain")
    clock.now += timedelta(hours=1)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(tg.sent) == 1


def test_telegram_html_page_under_200_on_a_read_is_retried_not_fatal(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    tg.add_message("where is my order?", first_name="Ana")
    tg.inject_fault("/bot", status=200, body=HTML)
    [report] = poll_channel(engine, rt, clock=Clock(), due=default_due)
    assert report.error is not None and not report.fatal


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _sent_after_a_gateway_page(
    engine: Engine, rt: Runtime, inject: Callable[[], None], said: str = "may have it"
) -> OutboundReply:
    """Read the customer's message, answer it, let ``inject`` put a gateway's 403 page on the send (after the
    platform acted) and deliver: the reply waits as a lost answer (``said`` in its error), never 'failed';
    15 minutes later it is looked for, then recorded or posted: the reply, sent."""
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    _answer_each(engine, clock)
    inject()
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    [reply] = _replies(engine)
    assert reply.status == "pending" and said in (reply.last_error or ""), reply.last_error
    clock.now += timedelta(minutes=15)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    [reply] = _replies(engine)
    assert reply.status == "sent"
    return reply


def test_bluesky_posting_then_answering_a_403_page_is_found_not_refused(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gateway's 403 page after the PDS made the post used to be the PDS's refusal: 'failed', no Retry,
    though the customer had the reply. It is now looked for, found and recorded, never posted twice."""
    bsky.add_post(f"@{DEFAULT_HANDLE} my parcel is lost", author="jane.bsky.social")
    path = "/xrpc/com.atproto.repo.createRecord"
    inject = partial(bsky.inject_fault, path, status=403, body=HTML, after=True)
    reply = _sent_after_a_gateway_page(engine, bluesky_runtime(bsky, monkeypatch), inject)
    assert len(bsky.sent_posts) == 1 and reply.platform_id == bsky.sent_posts[0]["uri"]


def test_facebook_reply_answered_by_a_403_page_is_found_not_refused(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    """Graph made the public reply, then a gateway answered its own 403 page: it used to be Graph's refusal
    ('failed', no Retry) though the customer saw the reply; it is now looked for and recorded."""
    comment = meta.add_comment("my parcel is lost", author="Ann", push=False)
    inject = partial(meta.inject_fault, f"/{comment}/comments", status=403, body=HTML, after=True)
    reply = _sent_after_a_gateway_page(engine, next(r for r in runtimes if r.name == "fb-acme"), inject)
    replies = [c for c in meta.store.comments.values() if c.text == "We are on it"]
    assert len(replies) == 1 and reply.platform_id == replies[0].id


def test_mastodon_gateway_403_page_is_retried_not_a_credentials_refusal(
    engine: Engine, mastodon_channel: tuple[MastodonSandbox, Runtime]
) -> None:
    """A gateway's 403 page in front of the instance (here on the reply's look-up of its parent) used to be
    the instance refusing the access token: the reply 'failed', a person asked to fix credentials that were
    fine. It is now a lost answer: looked for, then posted once."""
    sandbox, rt = mastodon_channel
    sandbox.add_mention("my parcel is lost", author="jane")
    inject = partial(sandbox.inject_fault, "/api/v1/statuses", status=403, body=HTML, after=True)
    _sent_after_a_gateway_page(engine, rt, inject, said="BadPayload")
    assert len(sandbox.sent) == 1


def test_x_post_answered_by_a_403_page_is_found_not_refused(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """X made the post, then a gateway answered its own 403 page (not X's JSON): it used to be X's refusal,
    the reply 'failed' with no Retry though the customer saw it; it is now looked for and recorded."""
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    inject = partial(sandbox.inject_fault, "/2/tweets", status=403, body=HTML, after=True)
    reply = _sent_after_a_gateway_page(engine, rt, inject)
    assert len(sandbox.sent_tweets) == 1 and reply.platform_id == sandbox.sent_tweets[0]["id"]


def test_x_mentions_answered_by_a_200_page_are_read_again_later(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """Before: a ConnectorError that is not retryable, reported as fatal (``listen --once`` exited 2)."""
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    sandbox.inject_fault(f"/2/users/{BRAND_ID}/mentions", status=200, body=HTML)
    report = {r.stream: r for r in poll_channel(engine, rt, clock=Clock(), due=default_due)}["mentions"]
    assert report.error is not None and report.error.startswith("BadPayload") and not report.fatal
