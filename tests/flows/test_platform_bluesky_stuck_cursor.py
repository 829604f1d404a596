"""A Bluesky listing whose cursor comes back as it was asked (a cache or a buggy AppView serving the same
older page again) never holds the stream: newer mentions and DMs are still read, nothing read twice is
stored twice, and once the server pages again the older ones are read too (the Bluesky sandbox, requests,
the listener, SQLite).

Before: the sweep followed the repeated cursor page after page, poll after poll, never reaching its
watermark, so no mention or DM written after it started was read while the server repeated itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def _texts(engine: Engine) -> Counter[str]:
    with Session(engine) as s:
        return Counter(t.removeprefix(f"@{DEFAULT_HANDLE} ") for t in s.exec(select(Message.text)))


def test_a_repeated_cursor_never_hides_newer_mentions_nor_dms(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    rt.connector.page_size = 2  # type: ignore[attr-defined]
    clock = Clock()
    bsky.add_post(f"@{DEFAULT_HANDLE} first", author="ann.bsky.social")
    bsky.add_dm("dm first", sender="ann.bsky.social")
    assert all(r.error is None for r in poll_channel(engine, rt, clock=clock, due=default_due))
    for n in range(5):
        bsky.add_post(f"@{DEFAULT_HANDLE} backlog {n}", author=f"u{n}.bsky.social")
        bsky.add_dm(f"dm backlog {n}", sender=f"u{n}.bsky.social")
    bsky.stick_cursor()
    for _ in range(2):
        poll_channel(engine, rt, clock=clock, due=default_due)
    bsky.add_post(f"@{DEFAULT_HANDLE} latest", author="zoe.bsky.social")
    bsky.add_dm("dm latest", sender="zoe.bsky.social")
    poll_channel(engine, rt, clock=clock, due=default_due)
    assert {"latest", "dm latest"} <= set(_texts(engine))
    bsky.stick_cursor(False)
    for _ in range(3):
        poll_channel(engine, rt, clock=clock, due=default_due)
    every = ["first", "dm first", "latest", "dm latest"]
    every += [f"backlog {n}" for n in range(5)] + [f"dm backlog {n}" for n in range(5)]
    assert _texts(engine) == Counter(every)
