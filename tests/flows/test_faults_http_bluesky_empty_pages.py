"""A Bluesky AppView that answers every older page empty, each naming a next one (what it read filtered out,
for ever): the sweep follows 10 such pages, then starts again from the newest page with its watermark kept,
and the Channels page names the trouble until a sweep ends normally; once the AppView pages again, every
post is stored once. Real parts: the Bluesky sandbox, requests, SQLite or PostgreSQL.

Before: the stream said nothing (no last error): the older posts waited unseen, and nobody knew why.
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


def _last_error(engine: Engine) -> str | None:
    with Session(engine) as s:
        cursor = s.exec(select(ListeningCursor).where(ListeningCursor.stream == "notifications")).one()
        return cursor.last_error


def test_endless_empty_pages_are_named_on_the_stream_until_the_appview_pages_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with BlueskySandbox() as bsky:
        rt = bluesky_runtime(bsky, monkeypatch)
        rt.connector.page_size = 5  # type: ignore[attr-defined]
        clock = Clock()
        bsky.add_post(f"@{DEFAULT_HANDLE} first", author="c0.bsky.social")
        poll_channel(engine, rt, clock=clock, due=default_due)  # the watermark
        for n in range(12):
            bsky.add_post(f"@{DEFAULT_HANDLE} parcel {n} is lost", author=f"c{n}.bsky.social")
        bsky.hollow_pages(endless=True)
        for _ in range(3):
            clock.now += timedelta(minutes=5)
            poll_channel(engine, rt, clock=clock, due=default_due)
        said = _last_error(engine) or ""
        assert said.startswith("EmptyPages: "), said
        bsky.hollow_pages(False)
        for _ in range(3):
            clock.now += timedelta(minutes=5)
            poll_channel(engine, rt, clock=clock, due=default_due)
        assert _last_error(engine) is None
    with Session(engine) as s:
        texts = list(s.exec(select(Message.text)))
    assert len(texts) == 13 and all(sum(f"parcel {n} is" in t for t in texts) == 1 for n in range(12)), texts
