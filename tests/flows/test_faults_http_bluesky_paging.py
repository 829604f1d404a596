"""A Bluesky AppView whose older pages lead nowhere, through the real connector and sandbox (requests, SQLite
or PostgreSQL): every older page empty, each naming a next one (what it read filtered out, for ever), or page
tokens that cycle over more pages than a sweep's trail remembers (20 > 16). The sweep starts again from the
newest page with its watermark kept, the stream's last error names the trouble until a sweep ends normally,
and once the AppView pages again every post is stored once.

Before: after 10 empty pages the stream said nothing (no last error) while the older posts waited unseen;
a cycle of more than 16 pages was followed round and round, the Channels page silent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import ListeningCursor, Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime


def _last_error(engine: Engine) -> str:
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "notifications")).one()
        return cursor.last_error or ""


def _troubled_then_paging(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    posts: int,
    page_size: int,
    trouble: Callable[[BlueskySandbox, bool], None],
) -> str:
    """A watermark, then ``posts`` mentions read while ``trouble`` is on: the stream's last error then;
    after it, every mention stored once and no error left."""
    with BlueskySandbox() as bsky:
        rt = bluesky_runtime(bsky, monkeypatch)
        rt.connector.page_size = page_size  # type: ignore[attr-defined]
        clock = Clock()
        bsky.add_post(f"@{DEFAULT_HANDLE} first", author="c0.bsky.social")
        poll_channel(engine, rt, clock=clock, due=default_due)
        for n in range(posts):
            bsky.add_post(f"@{DEFAULT_HANDLE} parcel {n} is lost", author=f"c{n}.bsky.social")
        trouble(bsky, True)
        for _ in range(4):
            clock.now += timedelta(minutes=5)
            poll_channel(engine, rt, clock=clock, due=default_due)
        said = _last_error(engine)
        trouble(bsky, False)
        for _ in range(6):
            clock.now += timedelta(minutes=5)
            poll_channel(engine, rt, clock=clock, due=default_due)
        assert _last_error(engine) == ""
    with Session(engine) as s:
        texts = list(s.exec(select(Message.text)))
    assert len(texts) == posts + 1, texts
    assert all(sum(f"parcel {n} is" in t for t in texts) == 1 for n in range(posts)), texts
    return said


def test_endless_empty_pages_are_named_on_the_stream_until_the_appview_pages_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hollow(bsky: BlueskySandbox, on: bool) -> None:
        bsky.hollow_pages(on, endless=True)

    said = _troubled_then_paging(engine, monkeypatch, 12, 5, hollow)
    assert said.startswith("EmptyPages: "), said


def test_a_cycle_of_twenty_pages_is_caught_and_nothing_is_lost(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cycle(bsky: BlueskySandbox, on: bool) -> None:
        bsky.cycle_cursor(20 if on else 0)

    said = _troubled_then_paging(engine, monkeypatch, 30, 1, cycle)
    assert said.startswith("CyclingCursor: "), said
