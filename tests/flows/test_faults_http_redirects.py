"""Redirects a gateway or a fault-injecting proxy answers (301, 302, 307 to another host, or a loop), through
every platform's real connector and client library against its sandbox: a redirect is never followed.

Before: requests followed it. A reply the platform had posted, then answered ``307`` to a host that refused
the connection, was taken as never sent ("nothing was sent") and posted again (Telegram: twice); a read
redirected to another host read that host, and a redirect loop was an untyped error that stopped
``inbox listen --once`` (exit 2) as if a person had to act.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox._server import LoopbackServer
from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.mastodon.server import MastodonSandbox
from connectors.sandbox.meta.server import MetaSandbox
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime, build_runtimes
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, Message, OutboundReply
from tests.conftest import BRAND_ID, X_ENV
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, mastodon_runtime, telegram_runtime
from tests.support.webhooks import ENV, channel_configs
from tests.support.x_channel import x_runtime

ELSEWHERE = "http://127.0.0.1:9/moved"  # a host that refuses every connection
TEXT = "We are on it"


@dataclass
class Platform:
    sandbox: LoopbackServer
    rt: Runtime
    post_path: str  # where the reply is POSTed (a prefix, with the POST method)
    read_path: str  # the first stream's page
    posted: Callable[[], int]  # how many replies the platform holds


def _x(mp: pytest.MonkeyPatch) -> Platform:
    sb = XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID).start()
    for key, value in X_ENV.items():
        mp.setenv(key, value)
    for n in range(3):
        sb.add_mention(f"@AcmeCare my parcel {n} is lost", author=f"c{n}")
    return Platform(
        sb, x_runtime(sb), "/2/tweets", f"/2/users/{BRAND_ID}/mentions", lambda: len(sb.sent_tweets)
    )


def _mastodon(mp: pytest.MonkeyPatch) -> Platform:
    sb = MastodonSandbox("AcmeCare").start()
    for n in range(3):
        sb.add_mention(f"my parcel {n} is lost", author=f"c{n}")
    return Platform(
        sb, mastodon_runtime(sb, mp), "/api/v1/statuses", "/api/v1/notifications", lambda: len(sb.sent)
    )


def _bluesky(mp: pytest.MonkeyPatch) -> Platform:
    sb = BlueskySandbox().start()
    for n in range(3):
        sb.add_post(f"@{DEFAULT_HANDLE} my parcel {n} is lost", author=f"c{n}.bsky.social")
    path = "/xrpc/com.atproto.repo.createRecord"
    return Platform(
        sb, bluesky_runtime(sb, mp), path, "/xrpc/app.bsky.notification", lambda: len(sb.sent_posts)
    )


def _telegram(mp: pytest.MonkeyPatch) -> Platform:
    sb = TelegramSandbox().start()
    for n in range(3):
        sb.add_message(f"my parcel {n} is lost", first_name=f"C{n}")
    post = f"/bot{DEFAULT_TOKEN}/sendMessage"
    return Platform(sb, telegram_runtime(sb, mp), post, "/bot", lambda: len(sb.sent))


def _facebook(mp: pytest.MonkeyPatch) -> Platform:
    sb = MetaSandbox().start()
    for key, value in ENV.items():
        mp.setenv(key, value)
    built, _ = build_runtimes(channel_configs(sb))
    for n in range(3):
        sb.add_comment(f"my parcel {n} is lost", author=f"C {n}", push=False)

    def posted() -> int:
        return sum(c.text == TEXT for c in sb.store.comments.values())

    rt = next(r for r in built if r.name == "fb-acme")
    return Platform(sb, rt, "/", "/", posted)


PLATFORMS: dict[str, Callable[[pytest.MonkeyPatch], Platform]] = {
    "x": _x,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "telegram": _telegram,
    "facebook": _facebook,
}


@pytest.fixture(params=sorted(PLATFORMS))
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Platform]:
    made = PLATFORMS[request.param](monkeypatch)
    yield made
    made.sandbox.stop()


def _stored(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return sorted(s.exec(select(Message.text).where(Message.direction == "in")))


def _reply(engine: Engine) -> OutboundReply:
    with Session(engine) as s:
        [reply] = s.exec(select(OutboundReply))
        return reply


def _answer_one(engine: Engine, clock: Clock) -> None:
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).first()
        assert conv is not None
        outbox.enqueue(s, conv, visibility=conv.visibility, text=TEXT, actor="a", now=clock.now)


@pytest.mark.parametrize("status", [302, 307])
def test_a_reply_posted_then_answered_with_a_redirect_is_never_posted_again(
    engine: Engine, platform: Platform, status: int
) -> None:
    clock = Clock()
    poll_channel(engine, platform.rt, clock=clock, due=default_due)
    _answer_one(engine, clock)
    fault: dict[str, Any] = {"status": status, "headers": {"Location": ELSEWHERE}, "after": True}
    fault["method"] = "POST"
    platform.sandbox.inject_fault(platform.post_path, **fault)
    senders = {platform.rt.name: platform.rt.connector}
    outbox.drain(engine, senders, clock)
    assert platform.posted() == 1
    reply = _reply(engine)
    assert reply.status != "sent" or reply.platform_id, reply
    assert "nothing was sent" not in (reply.last_error or ""), reply.last_error
    for _ in range(4):
        clock.now += timedelta(minutes=20)
        outbox.drain(engine, senders, clock)
    assert platform.posted() == 1, "the reply was posted twice"


@pytest.mark.parametrize("status", [301, 302, 307])
def test_a_page_answered_with_a_redirect_elsewhere_is_retried_and_nothing_is_lost(
    engine: Engine, platform: Platform, status: int
) -> None:
    clock = Clock()
    platform.sandbox.inject_fault(platform.read_path, status=status, headers={"Location": ELSEWHERE})
    reports = poll_channel(engine, platform.rt, clock=clock, due=default_due)
    failed = [r for r in reports if r.error]
    assert failed and all(r.error.startswith("Redirected: ") for r in failed if r.error), failed
    assert "127.0.0.1:9" in (failed[0].error or "") and not any(r.fatal for r in reports)
    for _ in range(3):
        clock.now += timedelta(hours=1)
        poll_channel(engine, platform.rt, clock=clock, due=default_due)
    _each_stored_once(engine)


def _each_stored_once(engine: Engine) -> None:
    stored = _stored(engine)
    assert len(stored) == 3, stored
    assert all(sum(f"my parcel {n} is lost" in text for text in stored) == 1 for n in range(3)), stored


def test_a_redirect_loop_is_a_retried_error_of_the_stream_not_a_person_s(
    engine: Engine, platform: Platform
) -> None:
    loop = platform.sandbox.url + platform.read_path + "loop"
    platform.sandbox.inject_fault(platform.read_path, status=307, headers={"Location": loop}, count=50)
    reports = poll_channel(engine, platform.rt, clock=Clock(), due=default_due)
    failed = [r for r in reports if r.error]
    assert failed and not any(r.fatal for r in reports), failed
    assert all((r.error or "").startswith("Redirected: ") for r in failed), failed
    assert len(platform.sandbox.requests) < 30  # not followed 30 times
