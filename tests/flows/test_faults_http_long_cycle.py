"""Page tokens that cycle over more pages than the sweep's trail remembers (20 > 16), on Bluesky through its
real connector and sandbox: the cycle is caught, the stream's last error names it, and once the server pages
normally every post is stored once. Real parts: the Bluesky sandbox, requests, SQLite or PostgreSQL.

Before: only a cycle of up to 16 pages was caught; a longer one was followed page after page, round and
round, and the Channels page said nothing.
"""

from __future__ import annotations

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

N = 30


def _last_error(engine: Engine) -> str:
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "notifications")).one()
        return cursor.last_error or ""


def test_a_cycle_of_twenty_pages_is_caught_and_nothing_is_lost(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with BlueskySandbox() as bsky:
        rt = bluesky_runtime(bsky, monkeypatch)
        rt.connector.page_size = 1  # type: ignore[attr-defined]
        clock = Clock()
        bsky.add_post(f"@{DEFAULT_HANDLE} first", author="c0.bsky.social")
        poll_channel(engine, rt, clock=clock, due=default_due)  # the watermark
        for n in range(N):
            bsky.add_post(f"@{DEFAULT_HANDLE} parcel {n} is lost", author=f"c{n}.bsky.social")
        bsky.cycle_cursor(20)
        for _ in range(4):
            clock.now += timedelta(minutes=5)
            poll_channel(engine, rt, clock=clock, due=default_due)
        said = _last_error(engine)
        assert said.startswith("CyclingCursor: "), said
        bsky.cycle_cursor(0)
        for _ in range(6):
            clock.now += timedelta(minutes=5)
            poll_channel(engine, rt, clock=clock, due=default_due)
        assert _last_error(engine) == ""
    with Session(engine) as s:
        texts = list(s.exec(select(Message.text)))
    assert len(texts) == N + 1 and all(sum(f"parcel {n} is" in t for t in texts) == 1 for n in range(N))
