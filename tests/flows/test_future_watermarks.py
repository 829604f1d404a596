"""An item dated far in the future never hides the items after it (real parts: the Meta and Bluesky
sandboxes, requests, SQLite).

Before: a Facebook or Instagram comment with ``created_time`` in 2099 became the comments cursor's ``since``,
and a Bluesky notification with ``indexedAt`` in 2099 the sweep's watermark: every later comment or mention
was older than it, never read again.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, BlueskySandbox
from connectors.sandbox.meta.server import MetaSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock
from tests.support.sandbox_channels import bluesky_runtime, raw_notification

LATER = "2099-01-01T00:00:00.000Z"


def _texts(engine: Engine) -> list[str]:
    with Session(engine) as s:
        return list(s.exec(select(Message.text)))


def _poll_twice(engine: Engine, rt: Runtime) -> None:
    for _ in range(2):
        assert all(r.error is None for r in poll_channel(engine, rt, clock=Clock(), due=default_due))


@pytest.mark.parametrize("name", ["fb-acme", "ig-acme"])
def test_a_comment_dated_2099_does_not_hide_the_later_comments(
    engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], name: str
) -> None:
    rt = next(r for r in runtimes if r.name == name)
    platform = "facebook" if name == "fb-acme" else "instagram"
    meta.add_comment("dated 2099", platform=platform, author="Zed", created_at=LATER, push=False)
    _poll_twice(engine, rt)
    meta.add_comment("my order never came", platform=platform, author="Ann", push=False)
    _poll_twice(engine, rt)
    assert sorted(_texts(engine)) == ["dated 2099", "my order never came"]


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def test_a_notification_indexed_in_2099_does_not_hide_the_later_ones(
    engine: Engine, bsky: BlueskySandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = bluesky_runtime(bsky, monkeypatch)
    uri = bsky.add_post(f"@{DEFAULT_HANDLE} indexed in 2099", author="eve.bsky.social")
    raw_notification(bsky, uri, indexedAt=LATER)
    _poll_twice(engine, rt)
    bsky.add_post(f"@{DEFAULT_HANDLE} my order never came", author="ann.bsky.social")
    _poll_twice(engine, rt)
    texts = _texts(engine)
    assert len(texts) == 2 and any("my order never came" in t for t in texts)
