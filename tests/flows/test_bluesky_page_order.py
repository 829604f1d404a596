"""A Bluesky notification out of its page's order (a faulty AppView rendering one with an old ``indexedAt``)
never hides the notifications after it on the page (real parts: the Bluesky sandbox, requests, SQLite).

Before: the sweep stopped at the first notification older than its watermark, taking the rest of the page as
read; the newer mentions after it were never stored, and the next sweep's watermark was already past them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, raw_notification


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _texts(engine: Engine) -> set[str]:
    with Session(engine) as s:
        return {t.removeprefix(f"@{DEFAULT_HANDLE} ") for t in s.exec(select(Message.text))}


def test_an_old_notification_in_the_middle_of_a_page_hides_nothing(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    bsky.add_post(f"@{DEFAULT_HANDLE} first", author="ann.bsky.social")
    clock = Clock()
    assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    bsky.add_post(f"@{DEFAULT_HANDLE} second", author="ann.bsky.social")
    old = bsky.add_post(f"@{DEFAULT_HANDLE} rendered as of 2023", author="eve.bsky.social")
    raw_notification(bsky, old, indexedAt="2023-01-01T00:00:00.000Z")
    bsky.add_post(f"@{DEFAULT_HANDLE} third", author="bob.bsky.social")
    for _ in range(2):
        assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    assert {"first", "second", "third"} <= _texts(engine)
    bsky.add_post(f"@{DEFAULT_HANDLE} fourth", author="bob.bsky.social")
    assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    assert {"first", "second", "third", "fourth"} <= _texts(engine)


def test_an_old_chat_message_in_the_middle_of_a_convo_hides_nothing(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    bsky.add_dm("first", sender="ann.bsky.social")
    clock = Clock()
    assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    bsky.add_dm("second", sender="ann.bsky.social")
    bsky.add_dm("sent as of 2023", sender="ann.bsky.social", at=datetime(2023, 1, 1, tzinfo=UTC))
    bsky.add_dm("third", sender="ann.bsky.social")
    for _ in range(2):
        assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    assert {"first", "second", "third"} <= _texts(engine)
