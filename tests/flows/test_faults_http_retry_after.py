"""A rate limit whose ``Retry-After`` is an HTTP date (RFC 9110 allows it as well as seconds), through the
real connectors of Mastodon, Bluesky and Facebook against their sandboxes: the stream waits until that date
(at most a day), and a reply so refused is not sent before it.

Before: a date was read as no wait at all, so the listener asked again after its 30-second back-off, every
minute or two, while the platform had said to come back in two hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox._server import LoopbackServer
from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime, build_runtimes
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, ListeningCursor, OutboundReply
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, mastodon_runtime, telegram_runtime
from tests.support.webhooks import ENV, channel_configs

Made = tuple[LoopbackServer, Runtime, str, str]  # sandbox, channel, a read's path, the reply's path


def _mastodon(mp: pytest.MonkeyPatch) -> Made:
    sb = MastodonSandbox("AcmeCare").start()
    sb.add_mention("my parcel is lost", author="ann")
    return sb, mastodon_runtime(sb, mp), "/api/v1/notifications", "/api/v1/statuses"


def _bluesky(mp: pytest.MonkeyPatch) -> Made:
    sb = BlueskySandbox().start()
    rt = bluesky_runtime(sb, mp)
    sb.add_post(f"@{DEFAULT_HANDLE} my parcel is lost", author="ann.bsky.social")
    return sb, rt, "/xrpc/app.bsky.notification", "/xrpc/com.atproto.repo.createRecord"


def _facebook(mp: pytest.MonkeyPatch) -> Made:
    sb = MetaSandbox().start()
    for key, value in ENV.items():
        mp.setenv(key, value)
    built, _ = build_runtimes(channel_configs(sb))
    sb.add_comment("my parcel is lost", author="Ann", push=False)
    return sb, next(r for r in built if r.name == "fb-acme"), "/", "/"


PLATFORMS: dict[str, Callable[[pytest.MonkeyPatch], Made]] = {
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "facebook": _facebook,
}


@pytest.fixture(params=sorted(PLATFORMS))
def made(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Made]:
    built = PLATFORMS[request.param](monkeypatch)
    yield built
    built[0].stop()


def _limited_until_in_two_hours(sandbox: LoopbackServer, path: str, method: str | None = None) -> None:
    """A gateway's own 429 in front of the platform (none of the platform's rate-limit headers), whose
    ``Retry-After`` is a date two hours ahead."""
    until = format_datetime(datetime.now(UTC) + timedelta(hours=2), usegmt=True)
    page, headers = b"Too Many Requests", {"Retry-After": until}
    sandbox.inject_fault(path, status=429, headers=headers, body=page, proxy=True, method=method)


def test_a_read_limited_until_a_date_waits_until_that_date(engine: Engine, made: Made) -> None:
    sandbox, rt, read_path, _ = made
    _limited_until_in_two_hours(sandbox, read_path)
    clock = Clock()
    limited = [r for r in poll_channel(engine, rt, clock=clock, due=default_due) if r.error]
    assert limited and limited[0].error and limited[0].error.startswith("RateLimited"), limited
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == limited[0].stream)).one()
    assert cursor.retry_at is not None
    wait = cursor.retry_at.replace(tzinfo=UTC) - clock.now
    assert timedelta(hours=1, minutes=58) < wait <= timedelta(hours=2), wait


def test_a_reply_limited_until_a_date_is_not_tried_before_it(engine: Engine, made: Made) -> None:
    sandbox, rt, _, post_path = made
    clock = Clock()
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).first()
        assert conv is not None
        outbox.enqueue(s, conv, visibility="public", text="We are on it", actor="a", now=clock.now)
    _limited_until_in_two_hours(sandbox, post_path, "POST")
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        [reply] = s.exec(select(OutboundReply))
    assert reply.status == "pending" and reply.next_attempt_at is not None, reply
    wait = reply.next_attempt_at.replace(tzinfo=UTC) - clock.now
    assert timedelta(hours=1, minutes=58) < wait <= timedelta(hours=2, minutes=1), wait


def test_a_read_answered_503_with_a_retry_after_waits_that_long(engine: Engine, made: Made) -> None:
    """A platform down for maintenance says when to come back (503, ``Retry-After: 3600``). Before: the
    stream asked again after 30 seconds, then 60, 120..., whatever it said."""
    sandbox, rt, read_path, _ = made
    sandbox.inject_fault(read_path, status=503, headers={"Retry-After": "3600"}, proxy=True, body=b"down")
    clock = Clock()
    failed = [r for r in poll_channel(engine, rt, clock=clock, due=default_due) if r.error]
    assert failed and (failed[0].error or "").startswith("Unavailable"), failed
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == failed[0].stream)).one()
    assert cursor.retry_at is not None
    wait = cursor.retry_at.replace(tzinfo=UTC) - clock.now
    assert timedelta(minutes=59) < wait <= timedelta(hours=1, minutes=1), wait


@pytest.mark.parametrize("status", [502, 503])
def test_telegram_behind_a_gateway_in_maintenance_waits_its_retry_after(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """The same on Telegram: a gateway's 5xx page (not the Bot API's JSON) with ``Retry-After: 3600``. Before:
    asked again after 30 seconds, then 60, 120... (the header was not read)."""
    with TelegramSandbox() as sandbox:
        sandbox.add_message("my parcel is lost")
        rt = telegram_runtime(sandbox, monkeypatch)
        sandbox.inject_fault("/bot", status=status, headers={"Retry-After": "3600"}, proxy=True, body=b"down")
        clock = Clock()
        failed = [r for r in poll_channel(engine, rt, clock=clock, due=default_due) if r.error]
        assert failed, "the gateway's page is an error"
        with Session(engine) as s:
            cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == failed[0].stream)).one()
        assert cursor.retry_at is not None
        wait = cursor.retry_at.replace(tzinfo=UTC) - clock.now
        assert timedelta(minutes=59) < wait <= timedelta(hours=1, minutes=1), wait
