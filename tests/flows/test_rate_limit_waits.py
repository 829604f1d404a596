"""A rate limit whose wait is absurd (Retry-After of 10**20 seconds, infinite, negative, or a reset time in
the past) through the real listener and outbox against the sandboxes: the stream and the reply wait a
bounded time and go on; before, the wait overflowed Python's dates and the poll or the send crashed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from connectors.sandbox.x.server import XSandbox
from connectors.x.pacing import X_WINDOW
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, ListeningCursor, OutboundReply
from tests.conftest import BRAND_ID
from tests.support.clock import Clock
from tests.support.sandbox_channels import telegram_runtime
from tests.support.x_channel import poll


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def _limited(wait: object) -> dict[str, object]:
    return {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests",
        "parameters": {"retry_after": wait},
    }


@pytest.mark.parametrize("wait", [10**20, 10**400, 1e300, -5])
def test_telegram_read_limited_for_ever_waits_a_bounded_time(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, wait: object
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    tg.add_message("where is my order?", first_name="Ana")
    tg.inject_fault("/bot", status=429, body=_limited(wait))
    clock = Clock()
    [report] = poll_channel(engine, rt, clock=clock, due=default_due)
    assert report.error is not None and "429" in report.error
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor)).one()
        assert cursor.retry_at is not None and cursor.retry_at <= clock.now + timedelta(days=1)
    clock.now += timedelta(days=1, seconds=1)
    [again] = poll_channel(engine, rt, clock=clock, due=default_due)
    assert (again.error, again.new) == (None, 1)


@pytest.mark.parametrize("wait", [10**20, 1e300])
def test_telegram_send_limited_for_ever_is_tried_again(
    engine: Engine, tg: TelegramSandbox, monkeypatch: pytest.MonkeyPatch, wait: object
) -> None:
    rt = telegram_runtime(tg, monkeypatch)
    clock = Clock()
    tg.add_message("where is my order?", first_name="Ana")
    poll_channel(engine, rt, clock=clock, due=default_due)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        outbox.enqueue(s, conv, visibility=conv.visibility, text="On it", actor="a", now=clock.now)
    tg.inject_fault("/bot", status=429, body=_limited(wait))
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    with Session(engine) as s:
        reply = s.exec(select(OutboundReply)).one()
        assert reply.status == "pending" and reply.next_attempt_at is not None
        assert reply.next_attempt_at <= clock.now + timedelta(days=1)
    clock.now += timedelta(days=1, seconds=1)
    outbox.drain(engine, {rt.name: rt.connector}, clock)
    assert len(tg.sent) == 1


def test_an_x_window_said_to_reset_in_a_thousand_years_paces_for_one_window_at_most(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    """X's answers set how soon a stream may be read again (``connectors.x.pacing``); a gateway's header
    saying the window resets in the year 3000 used to pace the stream quietly until the listener restarted."""
    sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    far = str(int(time.time()) + 10**10)
    limits = {"x-rate-limit-remaining": "1", "x-rate-limit-limit": "300", "x-rate-limit-reset": far}
    sandbox.inject_fault(f"/2/users/{BRAND_ID}/mentions", headers=limits, count=10)
    assert poll(engine, rt, Clock())["mentions"].new == 1
    assert 0 < rt.connector.wait_before("mentions") <= X_WINDOW  # type: ignore[attr-defined]
